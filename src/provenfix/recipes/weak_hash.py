"""Weak hashes for security (CWE-328): MD5 and SHA-1 protecting signatures, tokens or stored values.

MD5 collisions take seconds on a laptop (published pairs exist since 2004) and SHA-1 collisions
have been practical since 2017; a digest of a known or guessable value is looked up in
precomputed tables. Detects `hashlib.md5/sha1()`, `hashlib.new("md5"/"sha1")` (the name folded
from constants), `hmac.new(key, msg, md5/"sha1")`, PyCryptodome's `MD5/SHA1.new()` and
cryptography's `hashes.MD5()/SHA1()`, where the code makes a security use of the digest (judged by
the names around it: a signature, token, certificate, integrity check, a sensitive value), and
not where it says the use is none (`usedforsecurity=False`, a cache key, an ETag, a shard).
Hashes of passwords are the password-storage class's. The fix keeps the call's shape and names
SHA-256 instead.
"""

from __future__ import annotations

import ast
import re

from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.entrypoints import entry_params
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import EMPTY, UNKNOWN, Analysis, CallSite, Origin, Source, Value
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, argument, input_shape, keyword_arg, word_set
from provenfix.workspace import is_test_file

WEAK = {"md5": "MD5", "sha1": "SHA-1", "md4": "MD4", "md2": "MD2"}
# Constructors whose object is the weak algorithm → its name.
CONSTRUCTORS = {
    "hashlib.md5": "md5", "hashlib.sha1": "sha1",
    "Crypto.Hash.MD5.new": "md5", "Crypto.Hash.SHA1.new": "sha1", "Crypto.Hash.SHA.new": "sha1",
    "Crypto.Hash.MD4.new": "md4", "Crypto.Hash.MD2.new": "md2",
    "Cryptodome.Hash.MD5.new": "md5", "Cryptodome.Hash.SHA1.new": "sha1",
    "cryptography.hazmat.primitives.hashes.MD5": "md5", "cryptography.hazmat.primitives.hashes.SHA1": "sha1",
}
CRYPTOGRAPHY = ("cryptography.hazmat.primitives.hashes.",)
HMACS = {"hmac.new": 2, "hmac.HMAC": 2, "hmac.digest": 2}  # → position of the digest argument
HMAC_KEYWORD = {"hmac.new": "digestmod", "hmac.HMAC": "digestmod", "hmac.digest": "digest"}

# Names made of two words that together name a secret (`api_key`, `accessKey`).
COMPOUNDS = frozenset({"apikey", "accesskey", "secretkey", "privatekey", "signingkey", "licensekey", "sessionkey"})
# Words naming a security use of a digest.
SECURITY_WORDS = frozenset({
    "token", "tokens", "secret", "secrets", "signature", "signatures", "sign", "signed", "signer", "signing", "sig",
    "cert", "certs", "certificate", "certificates", "integrity", "verify", "verified", "verification", "tamper",
    "tampered", "hmac", "mac", "auth", "authenticate", "authentication", "authorize", "authorization", "session",
    "csrf", "xsrf", "nonce", "otp", "credential", "credentials", "apikey", "license", "licence", "ssn", "sensitive",
    "confidential", "card", "pii", *COMPOUNDS, "private", "unsubscribe", "invite", "reset", "activation", "webhook",
})
# Words saying the digest protects nothing: it names, finds or spreads data.
HARMLESS_WORDS = frozenset({
    "cache", "cached", "caching", "cachekey", "etag", "etags", "gravatar", "avatar", "identicon", "color", "colour",
    "dedup", "dedupe", "deduplicate", "duplicate", "duplicates", "shard", "sharding", "partition", "partitions",
    "bucket", "buckets", "memo", "memoize", "lru", "placeholder", "uuid", "dummy", "example", "fake", "mock",
    "lock", "lockfile", "compat", "legacy",
    # Protocols that prescribe the algorithm: the peer decides it, not this code.
    "digestauth", "cram", "ntlm", "apop", "knownhosts",
})
PROTOCOLS = frozenset({"digestauth", "knownhosts"})
VENDORED = frozenset({"_vendor", "vendor", "vendored", "third_party", "site-packages", "node_modules"})
# A hash of a password is the password-storage class's (PF-PASSWORD).
PASSWORD_WORDS = frozenset({"password", "passwords", "passwd", "pwd", "passphrase", "pw"})

WITNESS = "correct horse battery staple"  # the known value the proof hashes through the entry point
DIGITS_WITNESS = "4111111111111111"  # the same, for input that must be a number (a well-known test card)
# A published MD5 collision (Wang et al., 2004; verified by the proof itself): two different
# 128-byte blocks with one digest, which stay colliding whatever the code appends to both.
COLLISION = (
    "d131dd02c5e6eec4693d9a0698aff95c2fcab58712467eab4004583eb8fb7f8955ad340609f4b30283e488832571415a085125e8f7cdc99fd91dbdf280373c5bd8823e3156348f5bae6dacd436c919c6dd53e2b487da03fd02396306d248cda0e99f33420f577ee8ce54b67080a80d1ec69821bcb6a8839396f9652b6ff72a70",
    "d131dd02c5e6eec4693d9a0698aff95c2fcab50712467eab4004583eb8fb7f8955ad340609f4b30283e4888325f1415a085125e8f7cdc99fd91dbd7280373c5bd8823e3156348f5bae6dacd436c919c6dd53e23487da03fd02396306d248cda0e99f33420f577ee8ce54b67080280d1ec69821bcb6a8839396f965ab6ff72a70",
)
FILE_WORDS = frozenset({"file", "filename", "fname", "path", "filepath", "fpath", "upload", "attachment"})


class WeakHash(Recipe):
    rule_id = "PF-HASH"
    kind = "hash"
    call_names = frozenset({"md5", "sha1", "new", "HMAC", "digest", "MD5", "SHA1"})
    equivalent_ids = frozenset({"B303", "B324", "S303", "S324"})
    without_input = frozenset({"hashlib", "hmac", "Crypto", "Cryptodome", "cryptography"})
    without_input_text = r"(?i:md5|sha1)"  # a module that never names them holds none

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        fn = site.function
        if fn is None or site.name is None or is_test_file(site.module.path) or fn.node.name.startswith("test"):
            return None
        if VENDORED & set(site.module.path.split("/")[:-1]):
            return None  # another project's code, copied in: fixed there
        found = _weak_call(site)
        if found is None:
            return None
        algorithm, api = found
        if _not_for_security(site):
            return None
        holders = _holders(fn.node, site.node)
        data = _data(site, analysis, api, holders)
        names = _context_names(site, holders, data)
        joined = [n.lower().replace("_", "") for n in names]
        words = {w for n in names for w in word_set(n)} | {c for n in joined for c in COMPOUNDS | PROTOCOLS if c in n}
        data_words = {w for node, _ in data for n in _names_in(node) for w in word_set(n)}
        if (data_words | word_set(fn.node.name) | {w for h in holders for w in word_set(h)}) & PASSWORD_WORDS:
            return None  # a password's hash: the password-storage class
        if words & HARMLESS_WORDS:
            return None
        text = _text_words(fn.node)
        signing = _signs(site, holders)
        hits = sorted(words & SECURITY_WORDS)
        if signing or hits:
            confidence = "medium"
            why = "a signature" if signing else hits[0]
        elif text & HARMLESS_WORDS:
            return None
        elif text & SECURITY_WORDS:
            confidence, why = "low", sorted(text & SECURITY_WORDS)[0]
        elif _handles_requests(fn) or any(o.source.kind == "request" for _, v in data for o in v.origins):
            confidence, why = "low", "request"  # a digest of what a client sent, kept or sent back: of use to nobody else
        else:
            return None
        shown = {"hmac": f"HMAC-{WEAK[algorithm]}"}.get(api, WEAK[algorithm])
        weakness = "MD5 collisions are made in seconds" if algorithm != "sha1" else "SHA-1 collisions are practical"
        message = (f"{shown} used for {_phrase(why)}: {weakness}, and digests of known values are looked up "
                   "in precomputed tables")
        if api == "hmac":
            message = (f"{shown} used for {_phrase(why)}: {WEAK[algorithm]} is broken, and deprecated for message "
                       "authentication too (NIST SP 800-131A)")
        value, via = _input(data, fn)
        detail = {"algorithm": algorithm, "api": api, "data": _data_kind(data, fn, via)}
        if via:
            detail["via_param"] = via
        return Match(site, value, message, site.node, confidence=confidence, detail=detail)

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods import weak_hash as codemod  # LibCST loads only when a fix is made

        _refuse_pinned_digests(match, index)
        path = match.site.module.path
        return {path: codemod.fix_hash(texts[path], span_of(match.target, texts[path]))}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        algorithm, api, data = match.detail["algorithm"], match.detail["api"], match.detail["data"]
        entry = finding.entry
        route = entry is not None and entry.kind == "route"
        if not route and data in ("bytes", "file") and algorithm == "md5" and api != "hmac":
            return _collision_proof(data)
        digits = input_shape(finding, match) in ("id", "int")  # a card or account number: the witness is one too
        return _known_value_proof("str" if route else data, digits)


ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "patch", "delete", "api_route", "websocket"})


def _handles_requests(fn) -> bool:
    """A web request handler: a route decorator, or a view the analysis gives the request to."""
    for d in fn.node.decorator_list:
        func = d.func if isinstance(d, ast.Call) else d
        if isinstance(func, ast.Attribute) and func.attr in ROUTE_DECORATORS:
            return True
    return bool(entry_params(fn))


PHRASES = {
    **dict.fromkeys(("token", "tokens", "nonce", "otp", "reset", "activation", "invite", "unsubscribe"), "a token"),
    **dict.fromkeys(("signature", "signatures", "sign", "signed", "signer", "signing", "sig", "a signature"), "a signature"),
    **dict.fromkeys(("cert", "certs", "certificate", "certificates"), "a certificate"),
    **dict.fromkeys(("integrity", "verify", "verified", "verification", "tamper", "tampered"), "an integrity check"),
    **dict.fromkeys(("hmac", "mac", "webhook"), "message authentication"),
    **dict.fromkeys(("auth", "authenticate", "authentication", "authorize", "authorization", "credential",
                     "credentials"), "authentication"),
    **dict.fromkeys(("session", "sessionkey"), "a session value"), "csrf": "a CSRF token", "xsrf": "a CSRF token",
    **dict.fromkeys(("apikey", "accesskey"), "an API key"),
    **dict.fromkeys(("secret", "secrets", "secretkey", "privatekey", "signingkey"), "a secret"),
    **dict.fromkeys(("license", "licence", "licensekey"), "a license key"), "card": "a card number",
    "ssn": "a social security number", "request": "data of a web request, kept or sent back",
}


def _phrase(word: str) -> str:
    return PHRASES.get(word, "a sensitive value")


def _weak_call(site: CallSite) -> tuple[str, str] | None:
    """(the weak algorithm, which API: "hashlib", "new", "hmac", "crypto", "cryptography") or None."""
    name = site.name or ""
    if name in CONSTRUCTORS:
        api = "hashlib" if name.startswith("hashlib.") else "cryptography" if name.startswith(CRYPTOGRAPHY) else "crypto"
        return CONSTRUCTORS[name], api
    if name == "hashlib.new":
        found = argument(site, 0, "name")
        return (algorithm, "new") if found and (algorithm := _algorithm(_folded(site, *found))) else None
    if name in HMACS:
        found = argument(site, HMACS[name], HMAC_KEYWORD[name])
        if found is None:
            return None
        node, value = found
        algorithm = _algorithm(_folded(site, node, value)) or CONSTRUCTORS.get(site.module.resolve(node) or "")
        return (algorithm, "hmac") if algorithm in ("md5", "sha1", "md4") else None
    return None


def _folded(site: CallSite, node: ast.expr, value: Value) -> object:
    """The argument's constant: folded by the analysis, or a module constant (`ALGORITHM = "md5"`) or
    class attribute (`self.ALGORITHM`) assigned once, to a string."""
    if value.const is not UNKNOWN:
        return value.const
    if isinstance(node, ast.Name):
        return _assigned_once(site.module.tree.body, node.id)
    fn = site.function
    if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            and fn is not None and fn.class_name):
        for stmt in ast.walk(site.module.tree):
            if isinstance(stmt, ast.ClassDef) and stmt.name == fn.class_name.rsplit(".", 1)[-1]:
                return _assigned_once(stmt.body, node.attr)
    return UNKNOWN


def _assigned_once(body: list[ast.stmt], name: str) -> object:
    values = [stmt.value for stmt in body if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None
              and any(isinstance(t, ast.Name) and t.id == name
                      for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]))]
    if len(values) == 1 and isinstance(values[0], ast.Constant) and isinstance(values[0].value, str):
        return values[0].value
    return UNKNOWN


def _algorithm(const: object) -> str | None:
    if not isinstance(const, str):
        return None
    name = const.lower().replace("-", "").replace("_", "")
    return name if name in WEAK else None


def _not_for_security(site: CallSite) -> bool:
    """`usedforsecurity=False`: the code says the digest protects nothing."""
    flag = keyword_arg(site, "usedforsecurity")
    return isinstance(flag, ast.Constant) and flag.value is False


def _holders(fn: ast.AST, call: ast.Call) -> list[str]:
    """Local names the hash object (or its digest) is kept in: `h = hashlib.md5()`, `digest = h.hexdigest()`."""
    names: list[str] = []
    frontier: list[ast.AST] = [call]
    for _ in range(3):
        found = []
        for stmt in ast.walk(fn):
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None and any(
                    _holds(stmt.value, f) for f in frontier):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                found += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in names]
        if not found:
            break
        names += found
        frontier = [ast.Name(id=n) for n in found]
    return list(dict.fromkeys(names))


def _holds(expr: ast.AST, what: ast.AST) -> bool:
    if isinstance(what, ast.Name) and not hasattr(what, "lineno"):
        return any(isinstance(n, ast.Name) and n.id == what.id for n in ast.walk(expr))
    return any(n is what for n in ast.walk(expr))


def _data(site: CallSite, analysis: Analysis, api: str, holders: list[str]) -> list[tuple[ast.expr, Value]]:
    """The data hashed: the constructor's own argument, what `.update()` feeds the object, or what a
    signing call signs with the algorithm given."""
    out: list[tuple[ast.expr, Value]] = []
    position, keyword = {"hashlib": (0, "string"), "new": (1, "data"), "hmac": (1, "msg"), "crypto": (0, "data")}.get(api, (-1, ""))
    if position >= 0 and (found := argument(site, position, keyword)) is not None:
        out.append(found)
    fn = site.function
    assert fn is not None
    for node in ast.walk(fn.node):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr == "update" and isinstance(func.value, ast.Name)
                and func.value.id in holders) or (isinstance(func, ast.Attribute) and func.attr == "update"
                                                  and any(n is site.node for n in ast.walk(func.value))):
            other = analysis.calls.get(id(node))
            if other is not None and other.args:
                out.append((node.args[0], other.args[0]))
        elif api == "cryptography" and any(n is site.node for a in node.args for n in ast.walk(a)) and isinstance(func, ast.Attribute) \
                and func.attr in ("sign", "verify"):
            at = 1 if func.attr == "verify" else 0
            other = analysis.calls.get(id(node))
            if other is not None and len(other.args) > at and node.args[at] is not site.node:
                out.append((node.args[at], other.args[at]))
    return out


def _signs(site: CallSite, holders: list[str]) -> bool:
    """The hash, or the object holding it, goes into a signing call: `key.sign(data, padding, hashes.SHA1())`,
    `pkcs1_15.new(key).sign(MD5.new(data))`."""
    fn = site.function
    assert fn is not None
    for node in ast.walk(fn.node):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("sign", "verify"):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if any(n is site.node or (isinstance(n, ast.Name) and n.id in holders) for n in ast.walk(arg)):
                    return True
    return False


def _names_in(node: ast.AST) -> list[str]:
    return [n.id if isinstance(n, ast.Name) else n.attr for n in ast.walk(node) if isinstance(n, (ast.Name, ast.Attribute))]


def _context_names(site: CallSite, holders: list[str], data: list[tuple[ast.expr, Value]]) -> list[str]:
    """The function's and class's names, the names the object and digest are kept in, the names in
    the data hashed, and where the digest goes: a dict key, a keyword, a subscript key, a call it is handed to."""
    fn = site.function
    assert fn is not None
    names = [*fn.qualname.replace(".<locals>", "").split("."), *holders]
    for node, _ in data:
        names += _names_in(node)
    mentions = lambda e: any(n is site.node or (isinstance(n, ast.Name) and n.id in holders) for n in ast.walk(e))  # noqa: E731
    for node in ast.walk(fn.node):
        if isinstance(node, ast.Dict):
            names += [k.value for k, v in zip(node.keys, node.values)
                      if isinstance(k, ast.Constant) and isinstance(k.value, str) and v is not None and mentions(v)]
        elif isinstance(node, ast.keyword) and node.arg and mentions(node.value):
            names.append(node.arg)
        elif isinstance(node, ast.Assign) and mentions(node.value):
            for t in node.targets:
                if isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Constant) and isinstance(t.slice.value, str):
                    names.append(t.slice.value)
                names += [n for n in _names_in(t) if n not in holders]
        elif isinstance(node, ast.Call) and any(mentions(a) for a in node.args) and not any(n is site.node for n in ast.walk(node.func)):
            func = node.func
            names.append(func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else "")
    return [n for n in names if n]


def _text_words(fn: ast.AST) -> set[str]:
    """Words of the text the function holds (its docstring, messages, file names): weaker evidence than names."""
    words: set[str] = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 500:
            words |= word_set(node.value)
    return words


def _input(data: list[tuple[ast.expr, Value]], fn) -> tuple[Value, str | None]:
    """What the proof sends in: request data reaching the hash (kept, so the proof requests the page),
    or the function's own parameter that is hashed (its name)."""
    request = [o for _, v in data for o in v.origins if o.source.kind == "request"] or _request_read(fn, data)
    if request:
        return Value(origins=frozenset(request[:1])), None
    params = {o.source.name for _, v in data for o in v.origins if o.source.kind == "param" and o.source.func == fn.full_name}
    return EMPTY, next((p for p in fn.params if p in params), None)


REQUEST_FIELDS = frozenset({"form", "args", "values", "json", "cookies", "headers", "GET", "POST"})


def _request_read(fn, data: list[tuple[ast.expr, Value]]) -> list[Origin]:
    """The request field the hashed data was read from, told by the code (`number = request.form.get("card")`),
    where a check on the value (`number.isdigit()`) has made the analysis drop it as input."""
    wanted = {n for node, _ in data for n in _names_in(node)}
    for stmt in ast.walk(fn.node):
        if not (isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id in wanted for t in stmt.targets)):
            continue
        for node in ast.walk(stmt.value):
            read = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
                read = (node.func.value, node.args[0])
            elif isinstance(node, ast.Subscript):
                read = (node.value, node.slice)
            if read is None:
                continue
            holder, key = read
            if (isinstance(holder, ast.Attribute) and holder.attr in REQUEST_FIELDS and isinstance(holder.value, ast.Name)
                    and holder.value.id == "request" and isinstance(key, ast.Constant) and isinstance(key.value, str)):
                return [Origin(Source("request", holder.attr, fn.module.path, stmt.lineno, key=key.value))]
    return []


def _data_kind(data: list[tuple[ast.expr, Value]], fn, param: str | None) -> str:
    """How the proof must pass the hashed parameter: "bytes" (hashed as it is, or annotated bytes),
    "file" (a path whose contents are hashed), or "str"."""
    if param is None:
        return "str"
    args = fn.node.args
    annotation = next((a.annotation for a in (*args.posonlyargs, *args.args, *args.kwonlyargs) if a.arg == param), None)
    shown = ast.unparse(annotation) if annotation is not None else ""
    if "bytes" in shown:
        return "bytes"
    if word_set(param) & FILE_WORDS or "Path" in shown:
        return "file"
    if shown == "str":
        return "str"
    if any(isinstance(node, ast.Name) and node.id == param for node, _ in data):
        return "bytes"
    return "str"


def _refuse_pinned_digests(match: Match, index: ProjectIndex) -> None:
    """A digest of the weak algorithm written in the code or its tests (a published checksum, an
    expected value) is what the code compares with: another algorithm's digest never equals it."""
    length = {"md5": 32, "sha1": 40, "md4": 32, "md2": 32}[match.detail["algorithm"]]
    pinned = re.compile(rf"(?<![0-9A-Fa-f])[0-9a-fA-F]{{{length}}}(?![0-9A-Fa-f])")
    fn = match.site.function
    name = WEAK[match.detail["algorithm"]]

    def holds_digest(tree: ast.AST) -> bool:
        return any(isinstance(n, ast.Constant) and isinstance(n.value, str) and pinned.fullmatch(n.value.strip())
                   and re.search(r"[a-fA-F]", n.value) and re.search(r"[0-9]", n.value) for n in ast.walk(tree))

    if holds_digest(match.site.module.tree):
        raise Unfixable(f"`{match.site.module.name}` holds {name} digests ({length} hex digits) that the code compares "
                        f"with; another algorithm's digest never matches them: publish SHA-256 digests, then switch")
    for module in index.modules.values():
        if is_test_file(module.path) and fn is not None and fn.node.name in module.source and holds_digest(module.tree):
            raise Unfixable(f"the project's tests ({module.path}) expect {name} digests from `{fn.qualname}`: "
                            f"switching to SHA-256 changes every digest, so update those expected values with the fix")


CHECK_HELPERS = '''import base64
import hashlib
import hmac


def _blobs(x, depth=0):
    """Every text and byte string in what came back: values, containers, a response's body, an object's fields."""
    if depth > 6 or x is None:
        return
    if isinstance(x, (bytes, bytearray)):
        yield bytes(x)
    elif isinstance(x, str):
        yield x.encode("utf-8", "replace")
    elif isinstance(x, dict):
        for k, v in x.items():
            yield from _blobs(k, depth + 1)
            yield from _blobs(v, depth + 1)
    elif isinstance(x, (list, tuple, set, frozenset)):
        for v in x:
            yield from _blobs(v, depth + 1)
    elif hasattr(x, "get_data"):
        yield x.get_data()
    elif hasattr(x, "content") and isinstance(getattr(x, "content", None), bytes):
        yield x.content
    elif hasattr(x, "__dict__") and not isinstance(x, BaseException):
        yield from _blobs(vars(x), depth + 1)


def _weak_digests(value):
    """The MD5 and SHA-1 digests an attacker computes for a known value, as the code may show them:
    raw, hex, base64; of the value alone, with a text of the module before or after it (a fixed salt),
    and keyed with one (an HMAC under a key written in the code)."""
    data = value if isinstance(value, bytes) else value.encode()
    texts = [v.encode() if isinstance(v, str) else v for v in vars(target).values()
             if isinstance(v, (str, bytes)) and 0 < len(v) < 200]
    made = []
    for algorithm in ("md5", "sha1"):
        made.append(hashlib.new(algorithm, data).digest())
        for text in texts:
            made += [hashlib.new(algorithm, text + data).digest(), hashlib.new(algorithm, data + text).digest(),
                     hmac.new(text, data, algorithm).digest()]
    forms = set()
    for digest in made:
        forms |= {digest, digest.hex().encode(), digest.hex().upper().encode(), base64.b64encode(digest),
                  base64.urlsafe_b64encode(digest).rstrip(b"=")}
    return forms
'''


def _known_value_proof(data: str, digits: bool = False) -> ProofPlan:
    witness, others = (DIGITS_WITNESS, ["5555555555554444", "4000056655665556"]) if digits else (
        WITNESS, ["hello world", "alice@example.com"])
    if data == "bytes":
        payloads, benign = [repr(witness.encode())], [repr(o.encode()) for o in others]
    else:
        payloads, benign = [repr(witness)], [repr(o) for o in others]
    return ProofPlan(
        doc=f"It hashes a known value ({witness!r}) through the entry point and checks that what comes back, or "
            "is written, is not its MD5 or SHA-1 digest: a digest anyone can precompute and look up.",
        payloads=payloads,
        setup=CHECK_HELPERS,
        check=(
            "assert not any(isinstance(r, Exception) for r in results), results\n"
            "seen = [b for r in results for b in _blobs(r)]\n"
            "seen += [p.read_bytes() for p in tmp_path.rglob(\"*\") if p.is_file()]\n"
            f"known = _weak_digests({payloads[0]})\n"
            "leaked = sorted(k.hex() if len(k) in (16, 20) else k.decode() for k in known if any(k in b for b in seen))\n"
            "assert not leaked, f\"the output is the MD5/SHA-1 digest of a known value, found in any lookup table: {leaked[:3]}\""
        ),
        benign=benign,
        file_payload=data == "file",
        observe="type",
    )


def _collision_proof(data: str) -> ProofPlan:
    files = data == "file"
    load = "_blob_file" if files else "_blob"
    return ProofPlan(
        doc="It hashes the two halves of a published MD5 collision through the entry point: two different inputs "
            "that come out the same are a forgery (one signed or checked, the other accepted).",
        payloads=[f"{load}(0)", f"{load}(1)"],
        setup=(
            "import hashlib\n"
            f"COLLISION = [bytes.fromhex(h) for h in {list(COLLISION)!r}]\n"
            "assert COLLISION[0] != COLLISION[1] and hashlib.md5(COLLISION[0]).digest() == hashlib.md5(COLLISION[1]).digest()\n"
            "def _blob(n):\n"
            "    return COLLISION[n]\n"
            "def _blob_file(n):\n"
            "    path = tmp_path / f\"blob-{n}.bin\"\n"
            "    path.write_bytes(COLLISION[n])\n"
            "    return str(path)"
        ),
        check=(
            "assert not any(isinstance(r, Exception) for r in results), results\n"
            "assert results[0] != results[1], f\"two different inputs (a published MD5 collision) give the same "
            "result {results[0]!r}: one can be swapped for the other\""
        ),
        benign=[f"{load}(0)", f"{load}(1)"],  # the digests differ after the fix by design: what comes back is compared by type
        observe="type",
    )
