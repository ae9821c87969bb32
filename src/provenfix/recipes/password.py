"""Password storage (CWE-916, also 759/760): passwords stored as fast or unsalted hashes.

`hashlib.sha256(password.encode()).hexdigest()` is computed by a GPU billions of times a second,
and without a random salt two users with one password share one stored value, and a table made
once reverses the common ones. Detects `hashlib` fast hashes (`md5`, `sha1`, `sha256`, ...,
`hashlib.new`) of a value named like a password, and `hashlib.pbkdf2_hmac` with a constant or
derived salt or too few iterations. Code that already uses a password hashing scheme (bcrypt,
scrypt, argon2, passlib, werkzeug's or Django's hashers) around the call, a truncated digest (the
Have I Been Pwned range query) and a hash computed only to compare against a stored value (the
check side, rewritten with the store side) are not reported.

The fix makes the function that returns the stored value (`hash_password(password)`) return
PBKDF2-HMAC-SHA256 with a random salt and 600,000 iterations in a self-describing format (or
Argon2id through argon2-cffi's PasswordHasher where a module of the project already imports it), and
rewrites every check in the project (`hash_password(pw) == stored`, an inline recomputation
compared with `==` or `compare_digest`) to `_verify_password(pw, stored, lambda: <old hash>)`,
which accepts both the new values and those stored before the change, in constant time.
"""

from __future__ import annotations

import ast
import re

from provenfix.codemods.base import Span, Unfixable, span_of
from provenfix.flow.index import FunctionInfo, ModuleInfo, ProjectIndex
from provenfix.flow.taint import EMPTY, UNKNOWN, Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, word_set
from provenfix.workspace import is_test_file

FAST = frozenset({
    "hashlib.md5", "hashlib.sha1", "hashlib.sha224", "hashlib.sha256", "hashlib.sha384", "hashlib.sha512",
    "hashlib.sha3_224", "hashlib.sha3_256", "hashlib.sha3_384", "hashlib.sha3_512", "hashlib.blake2b",
    "hashlib.blake2s", "hashlib.new", "hashlib.sha512_224", "hashlib.sha512_256",
})
PBKDF2 = "hashlib.pbkdf2_hmac"
# OWASP Password Storage Cheat Sheet: PBKDF2 iterations for each HMAC hash.
MIN_ITERATIONS = {"sha1": 1_300_000, "sha256": 600_000, "sha512": 210_000}
DEFAULT_MIN_ITERATIONS = 600_000

PASSWORD_TEXT = ("password", "passwd", "passphrase", "passwort", "passcode")
PASSWORD_WORDS = frozenset({"pwd", "pw"})
# Names that hold something about a password, not the password: `password_hash`, `reset_token`.
NOT_PASSWORD = frozenset({
    "hash", "hashed", "hashes", "digest", "salt", "salted", "reset", "token", "length", "len", "policy", "min",
    "max", "field", "label", "hint", "url", "strength", "expiry", "expires", "expired", "changed", "date", "count",
    "attempts", "widget", "prompt", "file", "path", "manager", "mgr", "required", "enabled", "regex", "pattern",
    "help", "error", "errors", "message", "msg", "key", "encrypted", "crypt", "enc", "sha", "md5", "at", "age",
})
# A scheme built for passwords already around the call: a fast hash there is a pre-hash (bcrypt's 72 bytes).
STRONG = re.compile(r"bcrypt|argon2|scrypt|passlib|pbkdf2|hashpw|generate_password_hash|make_password"
                    r"|PasswordHasher|crypt\.crypt|nacl\.pwhash")
USER_WORDS = frozenset({"user", "username", "email", "login", "name", "account", "uid", "userid", "user_id"})
RANDOM_SOURCES = re.compile(r"\b(?:os\.urandom|urandom|secrets\.\w+|token_bytes|token_hex|gen_salt|gensalt)\b")
COMPARE_DIGEST = ("compare_digest",)
SQL_CALLS = frozenset({"execute", "executemany", "executescript", "filter", "filter_by", "where", "exclude", "raw"})
KNOWN = "password123"


def is_password_name(name: str) -> bool:
    words = word_set(name)
    if words & NOT_PASSWORD:
        return False
    flat = re.sub(r"[^a-z]", "", name.lower())
    return any(t in flat for t in PASSWORD_TEXT) or bool(words & PASSWORD_WORDS)


def _named(node: ast.AST) -> str | None:
    """The name a reference carries: `password`, `user.password`'s attribute, `form["password"]`'s key."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        return node.slice.value
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
        return node.args[0].value  # request.form.get("password")
    return None


def password_in(expr: ast.AST) -> ast.expr | None:
    """The reference to a password inside `expr` (outermost first): `password`, `form.password.data`."""
    parents = _parents(expr)
    for node in ast.walk(expr):
        name = _named(node)
        if name is None or not is_password_name(name):
            continue
        if isinstance(node, ast.Call) and node.func.attr != "get":  # type: ignore[union-attr]
            continue
        up = parents.get(node)
        if isinstance(up, ast.Attribute) and up.attr == "data":  # WTForms: form.password.data
            return up
        if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)):
            return node  # type: ignore[return-value]
    return None


def _parents(root: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(root) for child in ast.iter_child_nodes(node)}


def _data_arg(site_node: ast.Call, name: str) -> ast.expr | None:
    position = 1 if name == "hashlib.new" else 0
    if len(site_node.args) > position:
        arg = site_node.args[position]
        return None if isinstance(arg, ast.Starred) else arg
    return next((k.value for k in site_node.keywords if k.arg in ("data", "string")), None)


def _arg(node: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(node.args) > position:
        return node.args[position]
    return next((k.value for k in node.keywords if k.arg == keyword), None)


# What the chain around a hash call makes of it: the outermost expression and whether it is bytes.
_METHOD_RESULT = {"hexdigest": False, "digest": True, "hex": False, "decode": False, "upper": False, "lower": False}
_WRAPPERS = {"binascii.hexlify": True, "binascii.b2a_hex": True, "base64.b64encode": True,
             "base64.urlsafe_b64encode": True, "base64.standard_b64encode": True}


def stored_form(call: ast.Call, parents: dict[ast.AST, ast.AST], module: ModuleInfo, is_bytes: bool | None) -> tuple[ast.expr, bool | None]:
    """The outermost expression the hash call `call` becomes (`....hexdigest()`, `.hex()`,
    `base64.b64encode(...).decode()`) and whether it is bytes (None: a hash object)."""
    node: ast.expr = call
    while True:
        up = parents.get(node)
        if (isinstance(up, ast.Attribute) and up.attr in _METHOD_RESULT and isinstance(parents.get(up), ast.Call)
                and parents[up].func is up and not parents[up].args):  # type: ignore[union-attr]
            if is_bytes is None and up.attr not in ("hexdigest", "digest"):
                return node, is_bytes
            if is_bytes is not None and up.attr in ("hexdigest", "digest"):
                return node, is_bytes
            is_bytes = _METHOD_RESULT[up.attr]
            node = parents[up]  # type: ignore[assignment]
            continue
        if (isinstance(up, ast.Call) and len(up.args) == 1 and up.args[0] is node and not up.keywords
                and module.resolve(up.func) in _WRAPPERS and is_bytes is not None):
            is_bytes = True
            node = up
            continue
        return node, is_bytes


def _in_verify_context(node: ast.AST, parents: dict[ast.AST, ast.AST], scope: ast.AST | None = None) -> bool:
    """`node` is computed to be compared, or already handed to the verify helper; with `scope` (the
    function), also when it is assigned to a variable that is only used that way."""
    current = node
    while (up := parents.get(current)) is not None and not isinstance(up, ast.stmt):
        if isinstance(up, ast.Compare) and all(isinstance(op, (ast.Eq, ast.NotEq)) for op in up.ops):
            return True
        if isinstance(up, ast.Call) and current is not up.func:
            callee = up.func.attr if isinstance(up.func, ast.Attribute) else getattr(up.func, "id", "")
            if callee in COMPARE_DIGEST or callee == "_verify_password":
                return True
        current = up
    if (scope is not None and isinstance(up, ast.Assign) and current is up.value and len(up.targets) == 1
            and isinstance(up.targets[0], ast.Name)):
        name = up.targets[0].id
        uses = [n for n in ast.walk(scope) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]
        return bool(uses) and all(_in_verify_context(u, parents) for u in uses)
    return False


def _truncated(node: ast.AST, parents: dict[ast.AST, ast.AST], fn: FunctionInfo) -> bool:
    """`digest[:5]`: a prefix (a Have I Been Pwned range query, a short id), not a stored password;
    also when the digest is kept in a variable that is then sliced."""
    current = node
    while True:
        up = parents.get(current)
        if isinstance(up, ast.Attribute) and isinstance(parents.get(up), ast.Call) and parents[up].func is up:  # type: ignore[union-attr]
            current = parents[up]
            continue
        break
    if isinstance(up, ast.Subscript) and isinstance(up.slice, ast.Slice):
        return True
    if isinstance(up, ast.Assign) and len(up.targets) == 1 and isinstance(up.targets[0], ast.Name):
        name = up.targets[0].id
        return any(isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Slice) and isinstance(n.value, ast.Name)
                   and n.value.id == name for n in ast.walk(fn.node))
    return False


def _names(expr: ast.AST) -> list[str]:
    """The names an expression reads: variables and the attributes of objects (`user.email` → email)."""
    return [n.id if isinstance(n, ast.Name) else n.attr for n in ast.walk(expr) if isinstance(n, (ast.Name, ast.Attribute))]


def _function_text(fn: FunctionInfo) -> str:
    return ast.get_source_segment(fn.module.source, fn.node) or ""


def _hasher_class(fn: FunctionInfo) -> bool:
    """A method of a legacy hasher plug-in (Django's `UnsaltedMD5PasswordHasher`): the scheme is configuration."""
    if not fn.class_name:
        return False
    cls = next((n for n in ast.walk(fn.module.tree) if isinstance(n, ast.ClassDef) and n.name == fn.class_name.split(".")[-1]), None)
    if cls is None:
        return False
    names = [cls.name, *(ast.unparse(b) for b in cls.bases)]
    return any(n.endswith("Hasher") for n in names)


def _assigned_from_random(fn: FunctionInfo, name: str) -> bool:
    for node in ast.walk(fn.node):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            if RANDOM_SOURCES.search(ast.unparse(node.value)):
                return True
    return False


class PasswordStorage(Recipe):
    rule_id = "PF-PASSWORD"
    kind = "password"
    call_names = frozenset({name.rsplit(".", 1)[-1] for name in FAST} | {"pbkdf2_hmac"})
    # Bandit's B303/B324 and Ruff's S324 flag md5 and sha1 whatever they hash (that is PF-HASH's
    # claim); neither has a test for how passwords are stored, so no id means the same as this one.
    equivalent_ids = frozenset()
    without_input = frozenset({"hashlib"})
    without_input_text = r"(?i:pass(?:word|wd|phrase)|pwd|pbkdf2)"

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        name = site.name or ""
        fn = site.function
        if fn is None or (name not in FAST and name != PBKDF2):
            return None
        if any(k.arg == "usedforsecurity" for k in site.node.keywords):
            return None  # the code says what the digest is for
        if _hasher_class(fn):
            return None
        parents = _parents(fn.node)
        if name == PBKDF2:
            return self._pbkdf2(site, fn, parents)
        if STRONG.search(_function_text(fn)):
            return None  # a pre-hash for bcrypt (its 72 bytes) and the like
        data = _data_arg(site.node, name)
        if data is None:
            return None
        password = password_in(data)
        if password is None:
            return None
        if _in_verify_context(site.node, parents, fn.node) or _truncated(site.node, parents, fn):
            return None
        target, is_bytes = stored_form(site.node, parents, site.module, None)
        salted = sorted({n.id for n in ast.walk(data) if isinstance(n, ast.Name) and "salt" in word_set(n.id)})
        algorithm = name.removeprefix("hashlib.")
        if algorithm == "new":
            algorithm = ast.unparse(site.node.args[0]) if site.node.args else "new"
        detail = {"password": password, "is_bytes": is_bytes, "kind": "fast", "algorithm": algorithm}
        if salted and any(_assigned_from_random(fn, s) for s in salted):
            detail["unfixable"] = ("the hash is salted at random but fast: its stored form (salt and hash together) is "
                                   "the project's own, so ProvenFix does not rewrite it by rule; hash with "
                                   "hashlib.scrypt or PBKDF2-HMAC-SHA256 (600,000 iterations) and re-hash each "
                                   "password at its next sign-in")
            how = "a fast hash (salted, but a GPU still tries billions of guesses a second)"
        elif salted:
            fixed = "a constant salt" if salted[0] in site.module.constants else "a salt that is not random"
            how = f"a fast hash with {fixed} (`{salted[0]}`)"
        elif user := next((n for n in _names(data) if word_set(n) & USER_WORDS), None):
            how = f"a fast hash salted only with `{user}`, which an attacker knows in advance"
        else:
            how = "a fast, unsalted hash"
        shared = "users with the same password share one stored value, and " if "salted only" not in how and "salted, but" not in how else ""
        message = (f"the password is stored as `{name}()` of it, {how}: {shared}a leaked value is cracked by "
                   f"brute force or looked up in a precomputed table")
        self._add_entry(detail, fn, password)
        return Match(site, EMPTY, message, target, confidence="high" if _names_password(fn) else "medium", detail=detail)

    def _pbkdf2(self, site: CallSite, fn: FunctionInfo, parents: dict[ast.AST, ast.AST]) -> Match | None:
        node = site.node
        algorithm_node, password_node = _arg(node, 0, "hash_name"), _arg(node, 1, "password")
        salt_node, iterations_node = _arg(node, 2, "salt"), _arg(node, 3, "iterations")
        if password_node is None or salt_node is None or iterations_node is None:
            return None
        if _in_verify_context(node, parents, fn.node):
            return None
        algorithm = _constant(site, 0, "hash_name", algorithm_node)
        iterations = _constant(site, 3, "iterations", iterations_node)
        salt = _constant(site, 2, "salt", salt_node)
        minimum = MIN_ITERATIONS.get(str(algorithm).lower().replace("-", ""), DEFAULT_MIN_ITERATIONS)
        salt_names = {n.id for n in ast.walk(salt_node) if isinstance(n, ast.Name)}
        derived = next((n for n in salt_names if word_set(n) & USER_WORDS or is_password_name(n)), None)
        if isinstance(salt, (bytes, str)):
            problem = f"a constant salt ({salt!r})" if salt else "an empty salt"
        elif derived is not None:
            problem = f"a salt derived from `{derived}`, which an attacker knows before the leak"
        else:
            problem = None
        few = isinstance(iterations, int) and not isinstance(iterations, bool) and iterations < minimum
        if problem is None and not few:
            return None
        target, is_bytes = stored_form(node, parents, site.module, True)
        root = password_node
        if isinstance(root, ast.Call) and isinstance(root.func, ast.Attribute) and root.func.attr == "encode":
            root = root.func.value
        detail = {"password": root, "is_bytes": is_bytes, "kind": "pbkdf2", "algorithm": algorithm}
        parts = [p for p in (problem, f"{iterations:,} iterations (OWASP: at least {minimum:,})" if few else None) if p]
        message = f"the password is derived with `hashlib.pbkdf2_hmac()` using {' and '.join(parts)}"
        if problem is None:
            detail["unfixable"] = (f"raising the iteration count ({iterations:,}) changes every stored hash, and the "
                                   f"count is not stored with them: store it with each hash (as in "
                                   f"pbkdf2_sha256$600000$salt$hash), use at least {minimum:,}, and re-hash each "
                                   f"password at its next sign-in")
            message += ": each guess costs an attacker little"
        else:
            message += ": users with the same password get the same stored value, and one precomputed table serves every leak"
        self._add_entry(detail, fn, root)
        return Match(site, EMPTY, message, target, confidence="high" if problem else "medium", detail=detail)

    @staticmethod
    def _add_entry(detail: dict, fn: FunctionInfo, password: ast.AST) -> None:
        """The proof calls the function with the password as its parameter."""
        if isinstance(password, ast.Name) and password.id in fn.params:
            detail["via_param"] = password.id

    # -- the fix ---------------------------------------------------------------------------
    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.password import HASH_HELPER, VERIFY_HELPER, rewrite  # LibCST loads only now

        fn = match.site.function
        assert fn is not None
        module = match.site.module
        param = match.detail.get("via_param")
        if param is None:
            raise Unfixable(f"the password hashed here is not a parameter of `{fn.qualname}()`: ProvenFix rewrites "
                            "password hashing in a function that takes the password and returns the value to store "
                            "(like hash_password(password)); move the hashing into one")
        if match.detail.get("is_bytes") is None:
            raise Unfixable("the code keeps the hash object and finishes it elsewhere; ProvenFix cannot tell what is stored")
        if not _returns(fn, match.target):
            raise Unfixable(f"`{fn.qualname}()` does not return the hash as it is (it stores it, or returns it with "
                            "other parts), so the stored format is the project's own; hash with hashlib.scrypt or "
                            "PBKDF2-HMAC-SHA256 and a random salt there, keeping a check for the old values")
        changes: dict[str, list[tuple[Span, str]]] = {}
        new = f"{HASH_HELPER}({param})" + (".encode()" if match.detail["is_bytes"] else "")
        changes.setdefault(module.path, []).append((span_of(match.target, texts[module.path]), new))
        checks = 0
        for other in index.modules.values():
            if is_test_file(other.path):
                continue
            for site_text in _checks(other, fn, match, texts[other.path]):
                changes.setdefault(other.path, []).append(site_text)
                checks += 1
        if checks == 0:
            raise Unfixable("the fix changes how the password is stored, so the code that checks a password against "
                            "the stored value must change with it, and none was found in this project (it may compare "
                            "in another service or in the database); change both together")
        argon2 = uses_argon2(index)
        out = {}
        for path, replacements in changes.items():
            helpers = (VERIFY_HELPER, HASH_HELPER) if path == module.path else (VERIFY_HELPER,)
            if path == module.path and not any(HASH_HELPER in t for _, t in replacements):
                helpers = (VERIFY_HELPER,)
            out[path] = rewrite(texts[path], replacements, helpers, argon2=argon2)
        return out

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        fn = match.site.function
        assert fn is not None
        as_bytes = _takes_bytes(fn, match)
        known = f"b{KNOWN!r}" if as_bytes else repr(KNOWN)
        benign = ["b'correct horse battery staple'", "b'hunter2'"] if as_bytes else ["'correct horse battery staple'", "'hunter2'"]
        return ProofPlan(
            doc=f"It stores the password {KNOWN!r} for two users: the stored values must differ (a random salt), "
                "and none may hold a fast hash of it that a precomputed table reverses.",
            payloads=[known, known],
            setup=(
                "import hashlib\n"
                f"known = {KNOWN.encode()!r}\n"
                "table = set()\n"
                "for name in ('md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha3_256', 'sha3_512', 'blake2b', 'blake2s'):\n"
                "    digest = hashlib.new(name, known).digest()\n"
                "    table |= {digest, digest.hex().encode(), digest.hex().upper().encode()}\n"
                "def as_bytes(value):\n"
                "    return bytes(value) if isinstance(value, (bytes, bytearray)) else str(value).encode()"
            ),
            check=(
                "assert not any(isinstance(r, Exception) for r in results), results\n"
                "cracked = sorted({r for r in map(as_bytes, results) for entry in table if entry in r})\n"
                f"assert not cracked, f\"the stored value holds a plain fast hash of {KNOWN!r}, found in a precomputed table: {{cracked}}\"\n"
                "assert results[0] != results[1], "
                f"f\"two users with the password {KNOWN!r} get the same stored value: {{results[0]!r}}\""
            ),
            benign=benign,  # a stored value still comes back, of the same type; its text changes by design
            observe="type",
        )


ARGON2_IMPORT = re.compile(r"(?m)^\s*(?:import\s+argon2\b|from\s+argon2\b)")


def uses_argon2(index: ProjectIndex) -> bool:
    """The project already uses argon2-cffi: a module of it (tests aside) imports `argon2`. (Its
    dependency files are not read: a rewrite sees the project's modules, not its root.)"""
    return any(not is_test_file(f.path) and ARGON2_IMPORT.search(f.text) for f in index.files)


def _names_password(fn: FunctionInfo) -> bool:
    return is_password_name(fn.qualname.rsplit(".", 1)[-1]) or "password" in fn.qualname.lower()


def _constant(site: CallSite, position: int, keyword: str, node: ast.expr | None) -> object:
    """The argument's value when the code makes it known: a literal, or a module constant assigned once."""
    if isinstance(node, ast.Constant):
        return node.value
    value = site.args[position] if len(site.args) > position else site.keywords.get(keyword)
    if value is not None and value.const is not UNKNOWN:
        return value.const
    if isinstance(node, ast.Name):
        assigned = [stmt.value for stmt in site.module.tree.body if isinstance(stmt, (ast.Assign, ast.AnnAssign))
                    and any(isinstance(t, ast.Name) and t.id == node.id
                            for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]))]
        if len(assigned) == 1 and isinstance(assigned[0], ast.Constant):
            return assigned[0].value
    return UNKNOWN


def _takes_bytes(fn: FunctionInfo, match: Match) -> bool:
    """Whether the function's password parameter is bytes: annotated so, or hashed as it is."""
    param = match.detail.get("via_param")
    args = fn.node.args
    annotation = next((a.annotation for a in (*args.posonlyargs, *args.args, *args.kwonlyargs) if a.arg == param), None)
    if annotation is not None:
        return ast.unparse(annotation) == "bytes"
    password = match.detail.get("password")
    parents = _parents(fn.node)
    up = parents.get(password)
    if isinstance(up, ast.Attribute) and up.attr == "encode":
        return False
    if isinstance(up, (ast.BinOp, ast.FormattedValue, ast.JoinedStr)):
        return not isinstance(up, (ast.FormattedValue, ast.JoinedStr)) and _bytes_literal_near(up)
    call = match.site.node
    data = _arg(call, 1, "password") if match.detail.get("kind") == "pbkdf2" else _data_arg(call, match.site.name or "")
    return data is password


def _bytes_literal_near(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Constant) and isinstance(n.value, bytes) for n in ast.walk(node))


def _returns(fn: FunctionInfo, target: ast.expr) -> bool:
    """`fn` returns `target` as it is: `return <target>`, or `x = <target>` ... `return x` with x set once."""
    returns = [n for n in ast.walk(fn.node) if isinstance(n, ast.Return) and n.value is not None]
    if any(r.value is target for r in returns):
        return True
    for node in ast.walk(fn.node):
        if isinstance(node, ast.Assign) and node.value is target and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            sets = [n for n in ast.walk(fn.node) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)]
            return len(sets) == 1 and bool(returns) and all(isinstance(r.value, ast.Name) and r.value.id == name for r in returns)
    return False


def _checks(module: ModuleInfo, fn: FunctionInfo, match: Match, text: str) -> list[tuple[Span, str]]:
    """Each comparison in `module` that checks a password against a stored value, with its rewrite;
    raises Unfixable for a use of the stored value the fix cannot follow."""
    out = []
    parents = _parents(module.tree)
    same = module is fn.module
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call) and _calls(module, node, fn):
            _refuse_query(node, parents, fn)
        pair = _compared(node)
        if pair is None:
            continue
        scope = next((p for p in _ancestors(node, parents) if isinstance(p, (ast.FunctionDef, ast.AsyncFunctionDef))), module.tree)
        sides = [(side, _legacy(module, side, fn, same, scope)) for side in pair]
        legacy = [(side, how) for side, how in sides if how is not None]
        if not legacy:
            continue
        if len(legacy) == 2:
            raise Unfixable(f"line {node.lineno} compares two password hashes with each other; the fix cannot tell "
                            "which one is stored")
        (password, recompute), stored = legacy[0][1], next(side for side, how in sides if how is None)
        stored_text = ast.get_source_segment(text, stored) or ast.unparse(stored)
        call = f"_verify_password({password}, {stored_text}, {recompute})"
        negated = isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.NotEq)
        out.append((span_of(node, text), f"not {call}" if negated else call))
    return out


def _ancestors(node: ast.AST, parents: dict[ast.AST, ast.AST]):
    while (node := parents.get(node)) is not None:  # type: ignore[assignment]
        yield node


def _compared(node: ast.AST) -> tuple[ast.expr, ast.expr] | None:
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
        return node.left, node.comparators[0]
    if isinstance(node, ast.Call) and len(node.args) == 2 and not node.keywords:
        callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if callee in COMPARE_DIGEST:
            return node.args[0], node.args[1]
    return None


def _calls(module: ModuleInfo, call: ast.Call, fn: FunctionInfo) -> bool:
    func = call.func
    if fn.class_name:
        method = fn.qualname.rsplit(".", 1)[-1]
        return (isinstance(func, ast.Attribute) and func.attr == method and module is fn.module) or \
            module.resolve(func) == fn.full_name
    return module.resolve(func) == fn.full_name or (module is fn.module and isinstance(func, ast.Name) and func.id == fn.qualname)


def _refuse_query(call: ast.Call, parents: dict[ast.AST, ast.AST], fn: FunctionInfo) -> None:
    """A stored hash looked up in the database (`WHERE password = ?`, `filter_by(password=...)`)."""
    current: ast.AST = call
    while (up := parents.get(current)) is not None and not isinstance(up, ast.stmt):
        if isinstance(up, ast.Call) and isinstance(up.func, ast.Attribute) and up.func.attr in SQL_CALLS:
            texts = [n.value for n in ast.walk(up) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            if up.func.attr not in ("execute", "executemany", "executescript") or any(re.search(r"\bwhere\b", t, re.I) for t in texts):
                raise Unfixable(f"the value `{fn.qualname}()` returns is compared inside a database query (line "
                                f"{call.lineno}); a salted hash cannot be looked up that way: fetch the stored value "
                                "by user name and check it in Python")
        current = up


def _legacy(module: ModuleInfo, side: ast.expr, fn: FunctionInfo, same: bool, scope: ast.AST) -> tuple[str, str] | None:
    """(the password's code, a lambda computing the old hash) when `side` computes a password hash
    the old way, or is a variable of `scope` (the function comparing) assigned one."""
    if isinstance(side, ast.Call) and _calls(module, side, fn):
        if not same:
            raise Unfixable(f"`{fn.qualname}()` is compared in {module.path}, another module; the check there "
                            "cannot reach the old scheme")
        return _legacy_call(module, side, fn)
    if isinstance(side, ast.Name):
        for node in ast.walk(scope):
            if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id == side.id and (found := _legacy(module, node.value, fn, same, scope))):
                return found[0], f"lambda: {side.id}"
        return None
    for node in ast.walk(side):
        if isinstance(node, ast.Call):
            if _calls(module, node, fn):
                raise Unfixable(f"line {node.lineno} compares a value made from what `{fn.qualname}()` returns; "
                                "the check cannot be rewritten by rule")
            name = module.resolve(node.func) or ""
            if name in FAST:
                data = _data_arg(node, name)
                password = password_in(data) if data is not None else None
            elif name == PBKDF2:
                password = _arg(node, 1, "password")
                if isinstance(password, ast.Call) and isinstance(password.func, ast.Attribute) and password.func.attr == "encode":
                    password = password.func.value
            else:
                continue
            if password is not None:
                return ast.unparse(password), f"lambda: {ast.get_source_segment(module.source, side) or ast.unparse(side)}"
    return None


def _legacy_call(module: ModuleInfo, call: ast.Call, fn: FunctionInfo) -> tuple[str, str]:
    """For `hash_password(pw) == stored`: the old body of `hash_password` as a lambda over the call's arguments."""
    args = fn.node.args
    if args.vararg or args.kwarg or any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise Unfixable(f"`{fn.qualname}()` is called with or takes */** arguments; the check cannot be rewritten")
    names = [a.arg for a in (*args.posonlyargs, *args.args)]
    bound: dict[str, str] = {}
    if fn.class_name and names and names[0] in ("self", "cls") and isinstance(call.func, ast.Attribute):
        bound[names[0]] = ast.unparse(call.func.value)
        names = names[1:]
    for name, value in zip(names, call.args):
        bound[name] = ast.unparse(value)
    for kw in call.keywords:
        bound[kw.arg] = ast.unparse(kw.value)  # type: ignore[index]
    defaults = dict(zip(reversed(names), (ast.unparse(d) for d in reversed(args.defaults))))
    for name in [*names, *(a.arg for a in args.kwonlyargs)]:
        if name not in bound:
            if name in defaults:
                bound[name] = defaults[name]
            else:
                default = next((d for a, d in zip(args.kwonlyargs, args.kw_defaults) if a.arg == name and d is not None), None)
                if default is None:
                    raise Unfixable(f"a call of `{fn.qualname}()` leaves `{name}` out")
                bound[name] = ast.unparse(default)
    old = _old_hash_code(fn)
    used = {n.id for n in ast.walk(ast.parse(old, mode="eval")) if isinstance(n, ast.Name)}
    local = {n.id for n in ast.walk(fn.node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    if used & local:
        raise Unfixable(f"the old hash in `{fn.qualname}()` uses its local variables ({', '.join(sorted(used & local))}); "
                        "the check cannot recompute it on its own")
    param = next((p for p in fn.params if p in bound and is_password_name(p)), None)
    password = bound.get(param) if param else None
    if password is None:
        raise Unfixable(f"cannot tell which argument of `{fn.qualname}()` is the password")
    defaults_text = ", ".join(f"{name}={value}" for name, value in bound.items() if name in used)
    return password, f"lambda {defaults_text}: {old}" if defaults_text else f"lambda: {old}"


def _old_hash_code(fn: FunctionInfo) -> str:
    """The expression `fn` returned: the old scheme."""
    returns = [n for n in ast.walk(fn.node) if isinstance(n, ast.Return) and n.value is not None]
    if len(returns) != 1:
        raise Unfixable(f"`{fn.qualname}()` has several returns; the old scheme cannot be recomputed by the check")
    value = returns[0].value
    assert value is not None
    if isinstance(value, ast.Name):  # digest = <hash>; return digest
        assign = next((n for n in ast.walk(fn.node) if isinstance(n, ast.Assign) and len(n.targets) == 1
                       and isinstance(n.targets[0], ast.Name) and n.targets[0].id == value.id), None)
        if assign is None:
            raise Unfixable(f"cannot find what `{fn.qualname}()` returns")
        value = assign.value
    return ast.get_source_segment(fn.module.source, value) or ast.unparse(value)
