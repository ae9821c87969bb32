"""Predictable secrets (CWE-330/338): tokens, passwords and keys made with `random`.

`random` is a Mersenne Twister: 624 observed outputs reveal its state, and a known seed
reproduces every value. Detects `random.*` calls whose result becomes a secret (judged by
the names around it); rewrites them to the `secrets` module.
"""

from __future__ import annotations

import ast
import re

from provenfix.codemods.base import span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import EMPTY, Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import bare_names, Match, ProofPlan

RANDOM_CALLS = frozenset({
    "random.choice", "random.choices", "random.randint", "random.randrange", "random.random", "random.getrandbits",
    "random.sample", "random.uniform", "random.shuffle", "random.randbytes",
})
SECRET_WORDS = frozenset({
    "token", "password", "passwd", "pwd", "secret", "key", "apikey", "nonce", "salt", "otp", "session", "sid",
    "reset", "csrf", "pin", "code", "credential", "invite", "verification", "signature", "auth", "passphrase",
})


def _words(identifier: str) -> set[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1_\2", identifier)
    return {w.lower() for w in re.split(r"[^A-Za-z]+", spaced) if w}


class WeakRandom:
    rule_id = "PF-RAND"
    kind = "rand"
    call_names = bare_names(RANDOM_CALLS)

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name not in RANDOM_CALLS or site.function is None:
            return None
        names = _context_names(site)
        hits = sorted(w for n in names for w in _words(n) & SECRET_WORDS)
        if not hits:
            return None
        return Match(site, EMPTY, f"`{site.name}()` makes a secret ({hits[0]}) that an attacker can predict",
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
