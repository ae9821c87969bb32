"""JSON Web Tokens decoded without checking their signature (CWE-347).

`jwt.decode(token, options={"verify_signature": False})` hands back whatever claims the token
carries: anyone can write `{"sub": "admin"}`, sign it with no key at all (`alg: none`) or with a
key of their own, and be taken for that user. Detects PyJWT's `decode`/`decode_complete` told not
to verify (`options={"verify_signature": False}`, PyJWT 1's `verify=False`) and python-jose's
`decode` likewise or `get_unverified_claims`, where the token comes from a request or a
caller, and the claims are trusted: a decode kept for reading a `kid` or an issuer before a
verified decode of the same token, or one that only reads when the token expires (a client
refreshing its own token), is not a finding.

The fix decodes with verification, with the key the project signs its tokens with (the key of
its own `jwt.encode(..., key, algorithm=...)`, else a module constant named for a JWT secret)
and that encode's algorithm as the one accepted. Where no key is found by rule, or the tokens are
signed with a public-key algorithm (the key that verifies them is not the one that signs them),
the finding is reported unfixed with the reason.
"""

from __future__ import annotations

import ast
import re

from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.index import FunctionInfo, ModuleInfo, ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, argument, keyword_arg
from provenfix.workspace import is_test_file

# Calls that decode a token and check its signature unless told not to: PyJWT's and python-jose's.
DECODES = frozenset({
    *(f"jwt.{path}{fn}" for path in ("", "api_jwt.", "PyJWT().", "api_jwt.PyJWT().") for fn in ("decode", "decode_complete")),
    "jose.jwt.decode",
})
UNVERIFIED_READS = frozenset({"jose.jwt.get_unverified_claims"})  # always unverified (python-jose)
ENCODES = frozenset({"jwt.encode", "jwt.api_jwt.encode", "jwt.PyJWT().encode", "jose.jwt.encode"})
HMAC = ("HS256", "HS384", "HS512")
DEFAULT_ALGORITHM = "HS256"  # what PyJWT's and python-jose's encode sign with when told nothing
# Claims a client reads from its own token to know when to refresh it: no decision on who the user is.
EXPIRY_CLAIMS = frozenset({"exp", "iat", "nbf"})
# Module constants that hold a JWT signing secret, by their name.
SECRET_NAME = re.compile(r"^(?:JWT_?)?(?:SECRET|SIGNING)(?:_?KEY)?$|^JWT_?(?:SECRET|SIGNING)?_?KEY$|^(?:JWT|TOKEN)_?SECRET(?:_?KEY)?$",
                         re.I)
ALGORITHM_NAME = re.compile(r"^(?:JWT_?)?ALGORITHM$|^JWT_?ALG$", re.I)
ATTACKER_KEY = "provenfix-attacker-key-0123456789abcdef"


class JwtVerification(Recipe):
    rule_id = "PF-JWT"
    kind = "jwt"
    call_names = frozenset({"decode", "decode_complete", "get_unverified_claims"})
    reports_pass_through = True  # the token itself is the attack, passed on unchanged

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        name = site.name or ""
        if (name not in DECODES and name not in UNVERIFIED_READS) or is_test_file(site.module.path):
            return None
        if any(k.arg is None for k in site.node.keywords):
            return None  # **options: what they switch is not known
        how = _unverified(site)
        if how is None:
            return None
        token = argument(site, 0, "token" if name.startswith("jose.") else "jwt")
        if token is None or not token[1].origins:
            return None  # a token the code holds itself (its own, or a constant): no claims an attacker chose
        if _verified_too(site) or _expiry_only(site):
            return None
        return Match(site, token[1], f"`{ast.unparse(site.node.func)}()` {how}: anyone can forge a token with the claims they like "
                                     "(another user, an admin role) and be trusted", site.node,
                     confidence="medium" if "verify=False" in how else "high",
                     detail={"how": how, "library": "jose" if name.startswith("jose.") else "pyjwt",
                             "index": analysis.index})  # where `proof` finds the signing key when no rewrite ran

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.jwt_verify import verify_decode  # LibCST loads only when a fix is made

        site = match.site
        plan = match.detail["key_plan"] = _key_plan(site, index)
        path = site.module.path
        name = site.name or ""
        options = keyword_arg(site, "options")
        drop_options = options is not None and not isinstance(options, ast.Dict) and _only_switches_off(site)
        new = verify_decode(texts[path], span_of(site.node, texts[path]), key=plan.key_code, algorithms=plan.algorithms,
                            imports=plan.imports, rename="decode" if name in UNVERIFIED_READS else None,
                            drop_options=drop_options)
        return {path: new}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        site = match.site
        plan = match.detail.get("key_plan")  # what `rewrite` found: the key a benign token is signed with
        if plan is None and match.detail.get("index") is not None:  # another engine's fix: find it now
            try:
                plan = _key_plan(site, match.detail["index"])
            except Unfixable:
                plan = None
        entry = finding.entry
        field = (entry.request_field or "") if entry is not None else ""
        header = field.partition(":")[2].lower().removeprefix("http_")  # Django's META names it HTTP_AUTHORIZATION
        prefix = "Bearer " if header == "authorization" else ""  # the scheme the code splits off
        route = entry is not None and entry.kind == "route"
        algorithm = plan.algorithm if plan is not None else DEFAULT_ALGORITHM
        forged_with = algorithm if algorithm in HMAC else DEFAULT_ALGORITHM  # the attacker holds no private key
        claims = _claims(site)
        other = dict(claims, sub="2", user_id=2, id=2, uid=2, username="bob", user="bob", name="bob",
                     email="bob@example.com", role="user", roles=["user"], scope="read", is_admin=False, admin=False, is_staff=False, is_superuser=False)
        sent = (lambda token: f"{prefix!r} + {token}") if prefix else (lambda token: token)
        setup = (
            "import jwt as _pyjwt\n"
            f"_CLAIMS = {claims!r}\n"
            f"_OTHER_CLAIMS = {other!r}  # another user's\n"
            "def _forge(claims, key, algorithm):\n"
            "    token = _pyjwt.encode(claims, key, algorithm=algorithm)\n"
            "    return token if isinstance(token, str) else token.decode()\n"
        )
        check = (
            "def _body(r):\n"
            "    return r.get_data() if hasattr(r, \"get_data\") else getattr(r, \"content\", None)\n"
            "def _refused(result, baseline):\n"
            "    if isinstance(result, BaseException) or result is None or result is False:\n"
            "        return True\n"
            "    status = getattr(result, \"status_code\", None)\n"
            "    if isinstance(status, int):\n"
            "        return status >= 400 or (status == getattr(baseline, \"status_code\", None) and _body(result) == _body(baseline))\n"
            "    if isinstance(result, (dict, list, tuple, str, bytes)) and not result:\n"
            "        return True\n"
            "    return not isinstance(baseline, BaseException) and result == baseline\n"
            "forged = {\"an unsigned token (alg none)\": results[1], \"a token signed with another key\": results[2]}\n"
            "accepted = {what: r for what, r in forged.items() if not _refused(r, results[0])}\n"
            "assert not accepted, f\"forged tokens were accepted (a malformed one was refused: {results[0]!r}): {accepted}\""
        )
        benign: list[str] = []
        benign_setup = ""
        if plan is not None and plan.eval_code is not None and algorithm in HMAC:  # a public key signs nothing
            app = "client.application" if route and entry.framework == "flask" else "None"
            benign_setup = (
                "def _project_key(app=None):\n"
                "    import contextlib\n"
                "    import importlib\n"
                f"    module = importlib.import_module({plan.eval_module!r})\n"
                "    scope = dict(vars(module))\n"
                + (f"    cls = getattr(module, {plan.eval_class!r})\n"
                   "    try:\n"
                   "        scope[\"self\"] = cls()\n"
                   "    except TypeError:\n"
                   "        scope[\"self\"] = cls.__new__(cls)\n" if plan.eval_class else "")
                + "    with (app.app_context() if hasattr(app, \"app_context\") else contextlib.nullcontext()):\n"
                f"        return eval({plan.eval_code!r}, scope)\n"
            )
            benign = [sent(f"_forge(_CLAIMS, _project_key({app}), {algorithm!r})"),
                      sent(f"_forge(_OTHER_CLAIMS, _project_key({app}), {algorithm!r})")]
        return ProofPlan(
            doc="It sends forged tokens, one unsigned (alg none) and one signed with another key, and checks "
                "they are refused like a malformed one.",
            payloads=[sent('"not-a-token"'), sent('_forge(_CLAIMS, None, "none")'),
                      sent(f"_forge(_CLAIMS, {ATTACKER_KEY!r}, {forged_with!r})")],
            setup=setup,
            check=check,
            benign=benign,
            benign_setup=benign_setup,
            observe="value",
        )


# -- detection ------------------------------------------------------------------------------------

def _unverified(site: CallSite) -> str | None:
    """How the call skips the signature check, in words; None when it checks it."""
    if site.name in UNVERIFIED_READS:
        return "reads the claims without checking the signature"
    verify = keyword_arg(site, "verify")
    if isinstance(verify, ast.Constant) and verify.value is False:
        return "is told verify=False, which skips the signature check (PyJWT 1.x)"
    if _options_switch_off(site):
        return "is told not to verify the signature (options verify_signature False)"
    return None


def _options_switch_off(site: CallSite) -> bool:
    node = keyword_arg(site, "options")
    if node is None:
        return False
    if isinstance(node, ast.Dict):
        return any(isinstance(k, ast.Constant) and k.value == "verify_signature" and isinstance(v, ast.Constant)
                   and v.value is False for k, v in zip(node.keys, node.values))
    value = site.keywords.get("options")
    entries = dict(value.entries) if value is not None and value.entries is not None else {}
    if "verify_signature" in entries:
        return entries["verify_signature"].const is False
    literal = _module_dict(site.module, node)
    return literal is not None and literal.get("verify_signature") is False


def _only_switches_off(site: CallSite) -> bool:
    """The options passed by name hold nothing but verify_signature=False (so the fix may drop them)."""
    node = keyword_arg(site, "options")
    value = site.keywords.get("options")
    if value is not None and value.entries is not None:
        return [k for k, _ in value.entries] == ["verify_signature"]
    literal = _module_dict(site.module, node) if node is not None else None
    return literal is not None and list(literal) == ["verify_signature"]


def _module_dict(module: ModuleInfo, node: ast.expr) -> dict | None:
    """The constant dict a module-level name is assigned once (`NO_VERIFY = {"verify_signature": False}`)."""
    if not isinstance(node, ast.Name):
        return None
    found = [s.value for s in module.tree.body if isinstance(s, ast.Assign) and len(s.targets) == 1
             and isinstance(s.targets[0], ast.Name) and s.targets[0].id == node.id]
    if len(found) != 1 or not isinstance(found[0], ast.Dict):
        return None
    try:
        return ast.literal_eval(found[0])
    except ValueError:
        return None


def _verified_too(site: CallSite) -> bool:
    """The same function also decodes with verification: the unverified read only peeks (a `kid`, an issuer)."""
    fn = site.function
    if fn is None:
        return False
    for node in ast.walk(fn.node):
        if isinstance(node, ast.Call) and node is not site.node and site.module.resolve(node.func) in DECODES:
            kw = {k.arg: k.value for k in node.keywords}
            off = isinstance(kw.get("verify"), ast.Constant) and kw["verify"].value is False
            options = kw.get("options")
            if isinstance(options, ast.Dict):
                off = off or any(isinstance(k, ast.Constant) and k.value == "verify_signature" for k in options.keys)
            elif options is not None:
                off = True  # not known: not proof of a verified decode
            if not off and (len(node.args) > 1 or "key" in kw):
                return True
    return False


def _expiry_only(site: CallSite) -> bool:
    """The claims are read for their expiry and nothing else (`decode(t, ...)["exp"]`)."""
    fn = site.function
    if fn is None:
        return False
    parents = {id(child): parent for parent in ast.walk(fn.node) for child in ast.iter_child_nodes(parent)}
    parent = parents.get(id(site.node))
    if isinstance(parent, ast.Subscript) and parent.value is site.node:
        return _constant_key(parent.slice) in EXPIRY_CLAIMS
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
        return False
    held = parent.targets[0].id
    uses = [n for n in ast.walk(fn.node) if isinstance(n, ast.Name) and n.id == held and isinstance(n.ctx, ast.Load)]
    if not uses:
        return False
    for use in uses:
        around = parents.get(id(use))
        if isinstance(around, ast.Subscript) and _constant_key(around.slice) in EXPIRY_CLAIMS:
            continue
        call = parents.get(id(around))
        if (isinstance(around, ast.Attribute) and around.attr == "get" and isinstance(call, ast.Call)
                and call.args and _constant_key(call.args[0]) in EXPIRY_CLAIMS):
            continue
        return False
    return True


def _constant_key(node: ast.AST) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _claims(site: CallSite) -> dict:
    """A token's claims that code reading a user from it will accept: the usual names, a far expiry,
    and the audience and issuer the decode names, when it does."""
    claims: dict = {"sub": "1", "user_id": 1, "id": 1, "uid": 1, "username": "alice", "user": "alice", "name": "alice",
                    "email": "alice@example.com", "role": "admin", "roles": ["admin"], "scope": "admin",
                    "is_admin": True, "admin": True, "is_staff": True, "is_superuser": True, "exp": 4102444800, "iat": 1700000000}
    for keyword, claim in (("audience", "aud"), ("issuer", "iss")):
        node = keyword_arg(site, keyword)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            claims[claim] = node.value
        elif isinstance(node, (ast.List, ast.Tuple)) and node.elts and isinstance(node.elts[0], ast.Constant):
            claims[claim] = node.elts[0].value
    return claims


# -- the key that signs the project's tokens ------------------------------------------------------

class KeyPlan:
    """What the fix passes (`key_code`, `algorithms`, `imports`) and how a test reaches the key:
    `eval_code` evaluated in module `eval_module` (with `self` an instance of `eval_class`)."""

    def __init__(self, key_code: str | None, algorithms: str | None, algorithm: str, imports: list[tuple[str, str | None]],
                 eval_code: str | None, eval_module: str, eval_class: str | None = None) -> None:
        self.key_code, self.algorithms, self.algorithm, self.imports = key_code, algorithms, algorithm, imports
        self.eval_code, self.eval_module, self.eval_class = eval_code, eval_module, eval_class


def _key_plan(site: CallSite, index: ProjectIndex | None) -> KeyPlan:
    """What the fix passes: the call's own key and algorithms where it has them (the switch that
    turned verification off is all that goes), else the project's signing key and algorithm."""
    module, fn = site.module, site.function
    given_key = site.node.args[1] if len(site.node.args) > 1 else keyword_arg(site, "key")
    given_algorithms = keyword_arg(site, "algorithms")
    if site.name in UNVERIFIED_READS:  # python-jose's get_unverified_claims(token) takes neither
        given_key = given_algorithms = None
    listed, plain = _listed_algorithms(given_algorithms, module)
    signing = None
    if given_key is None or listed is None:
        signing = _signing_key(site, index) if index is not None else None
        if signing is None and given_key is None:
            raise Unfixable("no signing key found in the project: pass the key that signs these tokens to "
                            f"`{ast.unparse(site.node.func)}()`, with algorithms=[...] naming its algorithm")
    algorithm = listed or (signing[3] if signing is not None else DEFAULT_ALGORITHM)
    if algorithm not in HMAC and given_key is None:
        raise Unfixable(f"the tokens are signed with {algorithm}, a public-key algorithm: the key that verifies them is "
                        "not the one that signs them; pass the public key to the decode by hand")
    # An algorithms list spelled out without "none" stays; one naming "none", or none at all, is replaced.
    algorithms = None if plain or (given_algorithms is not None and listed is None and signing is None) \
        else f"[\"{algorithm}\"]"
    if given_key is not None:  # the call's own key: the test reaches it where the decode is
        found = _portable(given_key, module, fn, module, fn)
        return KeyPlan(None, algorithms, algorithm, [], found[0] if found else None, module.name,
                       fn.class_name if found and found[2] and fn else None)
    assert signing is not None
    key_node, key_module, key_fn, _ = signing
    found = _portable(key_node, key_module, key_fn, module, fn)
    if found is None:
        raise Unfixable(f"the key that signs the tokens (`{ast.unparse(key_node)}` in {key_module.path}) cannot be "
                        "reached from the decode: pass it to the decode by hand")
    key_code, imports, uses_self = found
    return KeyPlan(key_code, algorithms, algorithm, imports, _resolved(key_node, key_fn), key_module.name,
                   key_fn.class_name if uses_self and key_fn is not None else None)


def _listed_algorithms(node: ast.expr | None, module: ModuleInfo) -> tuple[str | None, bool]:
    """(the first algorithm a literal list names other than "none", whether the list is constants
    without "none", so the fix may keep it)."""
    if not isinstance(node, (ast.List, ast.Tuple)) or not node.elts:
        return None, False
    names = [_constant_str(e, module) for e in node.elts]
    usable = [n for n in names if n and n.lower() != "none"]
    return (usable[0] if usable else None), all(n and n.lower() != "none" for n in names)


def _constant_str(node: ast.expr | None, module: ModuleInfo) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        found = [s.value for s in module.tree.body if isinstance(s, ast.Assign) and len(s.targets) == 1
                 and isinstance(s.targets[0], ast.Name) and s.targets[0].id == node.id]
        if len(found) == 1 and isinstance(found[0], ast.Constant) and isinstance(found[0].value, str):
            return found[0].value
    return None


def _signing_key(site: CallSite, index: ProjectIndex) -> tuple[ast.expr, ModuleInfo, FunctionInfo | None, str] | None:
    """The key (node, module, function) and algorithm of the project's own `jwt.encode`, the nearest
    to the decode (same class, same module, anywhere); else a JWT secret constant of the module."""
    found = []
    for module in index.modules.values():
        if is_test_file(module.path) or "encode" not in module.source:
            continue
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call) and module.resolve(node.func) in ENCODES:
                key = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "key"), None)
                algorithm = next((k.value for k in node.keywords if k.arg == "algorithm"), None)
                if len(node.args) > 2:
                    algorithm = node.args[2]
                name = DEFAULT_ALGORITHM if algorithm is None else _constant_str(algorithm, module)
                if key is not None:
                    found.append((key, module, _innermost(node, module), name or "?"))
    fn = site.function
    for near in (lambda m, f: fn is not None and f is not None and fn.class_name and m is site.module
                 and f.class_name == fn.class_name,
                 lambda m, f: m is site.module, lambda m, f: True):
        group = [c for c in found if near(c[1], c[2])]
        if group:
            if len({(ast.dump(c[0]), c[1].name, c[3]) for c in group}) > 1:
                raise Unfixable("the project signs tokens with different keys or algorithms; pass the one these tokens "
                                "are signed with to the decode by hand")
            if group[0][3] == "?":
                raise Unfixable("the project's jwt.encode names its algorithm in a way not followed; pass the key and "
                                "algorithms=[...] to the decode by hand")
            return group[0]
    module = site.module
    secrets = [s for s in module.tree.body if isinstance(s, ast.Assign) and len(s.targets) == 1
               and isinstance(s.targets[0], ast.Name) and SECRET_NAME.match(s.targets[0].id)]
    if len(secrets) == 1:
        algorithms = [s.value for s in module.tree.body if isinstance(s, ast.Assign) and len(s.targets) == 1
                      and isinstance(s.targets[0], ast.Name) and ALGORITHM_NAME.match(s.targets[0].id)
                      and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str)]
        algorithm = algorithms[0].value if len(algorithms) == 1 else DEFAULT_ALGORITHM
        return secrets[0].targets[0], module, None, algorithm
    return None


def _innermost(node: ast.AST, module: ModuleInfo) -> FunctionInfo | None:
    """The function whose body holds `node` (the innermost, by the smallest span)."""
    holders = [f for f in module.functions.values() if any(n is node for n in ast.walk(f.node))]
    return min(holders, key=lambda f: (f.node.end_lineno or 0) - f.node.lineno, default=None)


def _resolved(key: ast.expr, fn: FunctionInfo | None) -> str:
    """The key's expression with a local variable it is read from replaced by what that was assigned once."""
    if isinstance(key, ast.Name) and fn is not None:
        assigned = _local_assignment(fn, key.id)
        if assigned is not None:
            return ast.unparse(assigned)
    return ast.unparse(key)  # evaluated by the proof test: its spelling does not matter


def _local_assignment(fn: FunctionInfo, name: str) -> ast.expr | None:
    found = [n.value for n in ast.walk(fn.node) if isinstance(n, ast.Assign) and len(n.targets) == 1
             and isinstance(n.targets[0], ast.Name) and n.targets[0].id == name]
    return found[0] if len(found) == 1 else None


def _portable(key: ast.expr, key_module: ModuleInfo, key_fn: FunctionInfo | None, at: ModuleInfo,
              at_fn: FunctionInfo | None) -> tuple[str, list[tuple[str, str]], bool] | None:
    """The key as code valid where the decode is: (its text, the imports it needs there, whether it reads
    `self`), or None. A name local to the encoding function is followed to its one assignment; names the
    key reads must be the module's own (a constant, an import) or `self` in a method of the same class."""
    if isinstance(key, ast.Name) and key_fn is not None and key.id in key_fn.params:
        return None  # handed in by each caller
    if isinstance(key, ast.Name) and key_fn is not None and (assigned := _local_assignment(key_fn, key.id)) is not None:
        key = assigned
    text = ast.get_source_segment(key_module.source, key) or ast.unparse(key)
    if "\n" in text:
        text = ast.unparse(key)
    imports: list[tuple[str, str | None]] = []
    uses_self = False
    local_names = set(at_fn.params) | {n.id for n in ast.walk(at_fn.node) if isinstance(n, ast.Name)
                                       and isinstance(n.ctx, ast.Store)} if at_fn is not None else set()
    for node in ast.walk(key):
        if isinstance(node, (ast.Call, ast.Lambda, ast.NamedExpr)) and not _plain_lookup(node):
            return None  # a key made by a call each time (a random one?): not the same key here
    for name in sorted({n.id for n in ast.walk(key) if isinstance(n, ast.Name)}):
        if name == "self":
            same_class = (key_fn is not None and at_fn is not None and key_fn.class_name is not None
                          and key_fn.class_name == at_fn.class_name and key_module is at and "self" in at_fn.params)
            if not same_class:
                return None
            uses_self = True
            continue
        if key_fn is not None and name in key_fn.params:
            return None
        if name in key_module.imports:
            canonical = key_module.imports[name]
        elif name in key_module.constants or name in key_module.functions:
            canonical = f"{key_module.name}.{name}"
        else:
            return None  # a builtin or a name not followed
        if name in local_names:
            return None  # shadowed where the decode is
        if at.imports.get(name) == canonical or (at is key_module):
            continue
        if name in at.imports or name in at.constants or name in at.functions:
            return None  # the name means something else there
        module, _, attr = canonical.rpartition(".")
        if not module and canonical != name:
            return None  # `import a as b` of a top-level module: not imported here by rule
        imports.append((module, attr) if module else (canonical, None))
    return text, imports, uses_self


def _plain_lookup(node: ast.AST) -> bool:
    """`os.environ.get("K")`, `config.get("K")`: a read of a setting, the same value every time."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "getenv")
            and all(isinstance(a, ast.Constant) for a in node.args))
