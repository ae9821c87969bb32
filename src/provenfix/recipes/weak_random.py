"""Predictable secrets (CWE-330/338): tokens, passwords and keys made with `random`.

`random` is a Mersenne Twister: 624 observed outputs reveal its state, and a known seed
reproduces every value. Detects `random.*` calls whose result becomes a secret (judged by
the names around it); rewrites them to the `secrets` module.
"""

from __future__ import annotations

import ast

from provenfix.codemods.base import span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import EMPTY, UNKNOWN, Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Recipe, bare_names, Match, ProofPlan, word_set

RANDOM_CALLS = frozenset({
    "random.choice", "random.choices", "random.randint", "random.randrange", "random.random", "random.getrandbits",
    "random.sample", "random.uniform", "random.shuffle", "random.randbytes", "random.normalvariate", "random.gauss",
    "random.triangular", "random.betavariate", "random.expovariate", "random.gammavariate", "random.lognormvariate",
    "random.vonmisesvariate", "random.paretovariate", "random.weibullvariate", "random.binomialvariate",
})
PICKS = frozenset({"random.choice", "random.choices", "random.sample"})  # a pick among the elements given
SECRET_WORDS = frozenset({
    "token", "password", "passwd", "pwd", "secret", "key", "apikey", "nonce", "salt", "otp", "session", "sid",
    "reset", "csrf", "pin", "code", "credential", "invite", "verification", "signature", "auth", "passphrase",
    "cookie",
})


class WeakRandom(Recipe):
    rule_id = "PF-RAND"
    kind = "rand"
    call_names = bare_names(RANDOM_CALLS)
    equivalent_ids = frozenset({"B311", "S311"})
    without_input = frozenset({"random"})

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        name = (site.name or "").replace("random.Random().", "random.", 1)  # an instance: the same generator
        if name not in RANDOM_CALLS or site.function is None:
            return None
        if name in PICKS and site.args and _one_choice(site.args[0]):
            return None  # `random.choice(["changeme"])` is a constant, not randomness
        names = _context_names(site) + _stored_in(site)
        hits = sorted(w for n in names for w in word_set(n) & SECRET_WORDS)
        if not hits or any("boundary" in word_set(n) for n in names):  # a MIME boundary must be unique, not secret
            return None
        return Match(site, EMPTY, f"`{name}()` makes a secret ({hits[0]}) that an attacker can predict",
                     site.node, confidence="medium")

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods import secrets_random as codemod  # LibCST loads only when a fix is made

        path = match.site.module.path
        return {path: codemod.fix_random(texts[path], span_of(match.target, texts[path]))}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        return ProofPlan(
            doc="It re-seeds `random` before two calls: a secret that comes out the same twice is predictable.",
            payloads=["0", "1"],
            setup="",
            before_each="random.seed(1234)",
            check=(
                "assert not any(isinstance(r, Exception) for r in results), results\n"
                'assert results[0] != results[1], f"the same secret came out twice after re-seeding random: {results[0]!r}"'
            ),
            benign=["0", "1"],  # two plain calls; a secret is random by design, so only its type and length count
            observe="shape",
        )


def _context_names(site: CallSite) -> list[str]:
    """The enclosing function's and class's names and the variables the random value is stored in."""
    fn = site.function
    assert fn is not None
    names = [fn.qualname.rsplit(".", 1)[-1]]
    for stmt in ast.walk(fn.node):
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return)) and any(
            n is site.node for n in ast.walk(stmt)
        ):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
            for t in targets:
                if t is not None:
                    names += [n.id if isinstance(n, ast.Name) else n.attr for n in ast.walk(t)
                              if isinstance(n, (ast.Name, ast.Attribute))]
    return names


def _one_choice(population) -> bool:
    """A population the code makes known, with one distinct element."""
    if population.items is not None:
        consts = [item.const for item in population.items]
        return len(consts) > 0 and all(c is not UNKNOWN for c in consts) and len(set(map(repr, consts))) == 1
    return isinstance(population.const, str) and len(set(population.const)) == 1


def _stored_in(site: CallSite) -> list[str]:
    """Where the random value ends up in its function: the container a variable holding it is stored
    into (`mysession[cookie] = value`), or "cookie" when it is handed to `set_cookie`."""
    fn = site.function
    assert fn is not None
    holders = {t.id for stmt in ast.walk(fn.node) if isinstance(stmt, ast.Assign) and _holds(stmt.value, site.node)
               for t in stmt.targets if isinstance(t, ast.Name)}
    places: list[str] = []
    for node in ast.walk(fn.node):
        if isinstance(node, ast.Assign) and _mentions(node.value, holders):
            places += [_store_word(base.id) for t in node.targets if isinstance(t, ast.Subscript)
                       for base in [t.value] if isinstance(base, ast.Name)]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "set_cookie"
              and any(_mentions(a, holders) or _holds(a, site.node) for a in [*node.args, *(k.value for k in node.keywords)])):
            places.append("cookie")
    return places


def _store_word(name: str) -> str:
    """`mysession`, `user_sessions`, `SESSION`: a session store, however the name is written."""
    lowered = name.lower()
    return next((word for word in ("session", "cookie", "token") if word in lowered), name)


def _holds(expr: ast.AST, call: ast.Call) -> bool:
    return any(n is call for n in ast.walk(expr))


def _mentions(expr: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(expr))
