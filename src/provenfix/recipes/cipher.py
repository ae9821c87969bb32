"""Weak ciphers, modes, IVs and key sizes (CWE-327; also CWE-329 and CWE-326).

Encryption that hides nothing it should: DES, 3DES, RC4, Blowfish and other retired ciphers;
AES in ECB mode, where equal plaintext blocks give equal ciphertext blocks; a constant IV or
nonce (`b"\\0" * 16`, a module constant), with which the same message always encrypts the same
way (and a CTR or GCM nonce reused leaks the keystream); RSA and DSA keys under 2048 bits and
elliptic curves under 224 bits, which can be broken or soon will be.

Detects PyCryptodome (`Crypto.Cipher.<X>.new`, `Crypto.PublicKey.RSA/DSA/ECC.generate`) and
`cryptography` (`Cipher(algorithms.X(key), modes.Y(...))`, `rsa/dsa/ec.generate_private_key`).
A symmetric cipher is reported where the code makes one that it encrypts with (only decrypting
is reading old data). The fix of a cipher puts every weak cipher object of the module through an
inserted `_aes_gcm(key)` helper with the same methods (`encrypt`/`decrypt`, `encryptor()`/
`decryptor()`): AES-GCM under a fresh random nonce, stored with the ciphertext, so the module's
encrypt and decrypt sides change together; it refuses (Unfixable) where the ciphertext is read
outside the module, the code handles IVs itself, or the key cannot be an AES key. A key size
becomes 2048 bits, a curve P-256.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.index import FunctionInfo, ModuleInfo, ProjectIndex
from provenfix.flow.taint import EMPTY, Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, own_nodes
from provenfix.workspace import is_test_file

PYCRYPTODOME = ("Crypto.Cipher.", "Cryptodome.Cipher.")
HAZMAT_CIPHER = "cryptography.hazmat.primitives.ciphers.Cipher"
HAZMAT_ALGORITHMS = ("cryptography.hazmat.primitives.ciphers.algorithms.", "cryptography.hazmat.decrepit.ciphers.algorithms.")
HAZMAT_MODES = "cryptography.hazmat.primitives.ciphers.modes."
# Retired ciphers: 64-bit blocks (Sweet32), 56-bit keys, or a biased keystream (RC4).
WEAK_PYCRYPTODOME = {"DES": "DES", "DES3": "3DES", "ARC4": "RC4", "ARC2": "RC2", "Blowfish": "Blowfish",
                     "CAST": "CAST5", "XOR": "XOR"}
WEAK_HAZMAT = {"TripleDES": "3DES", "ARC4": "RC4", "Blowfish": "Blowfish", "CAST5": "CAST5", "IDEA": "IDEA",
               "SEED": "SEED", "RC2": "RC2"}
NO_AES_KEY = {"DES", "XOR"}  # keys too small (or no cipher at all): AES cannot take their key
ENCRYPTING = {"encrypt", "encryptor"}
DECRYPTING = {"decrypt", "decryptor"}
HELPER = "_aes_gcm"
MIN_BITS = 2048  # RSA and DSA: NIST SP 800-57's floor through 2030, Bandit's B505 threshold
SAFE_BITS = 2048
WEAK_CURVES = {"SECP192R1", "SECT163K1", "SECT163R2"}  # cryptography's curves under 224 bits
WEAK_ECC_NAMES = {"p192", "p-192", "nist p-192", "prime192v1", "secp192r1"}  # PyCryptodome's names of P-192
KEY_GENERATORS = {
    "cryptography.hazmat.primitives.asymmetric.rsa.generate_private_key": ("RSA", 1, "key_size"),
    "cryptography.hazmat.primitives.asymmetric.dsa.generate_private_key": ("DSA", 0, "key_size"),
    **{f"{root}.PublicKey.{kind}.generate": (kind, 0, "bits") for root in ("Crypto", "Cryptodome") for kind in ("RSA", "DSA")},
}
EC_GENERATORS = {"cryptography.hazmat.primitives.asymmetric.ec.generate_private_key": (0, "curve"),
                 "Crypto.PublicKey.ECC.generate": (None, "curve"), "Cryptodome.PublicKey.ECC.generate": (None, "curve")}

HELPER_PYCRYPTODOME = '''\
def _aes_gcm(key):
    """AES-GCM in place of a weaker cipher object, with the same methods: encrypt() returns a fresh
    random 12-byte nonce, the ciphertext and the 16-byte tag; decrypt() checks the tag (ValueError
    when the data was altered) and returns the plaintext."""
    from {root}.Cipher import AES
    from {root}.Random import get_random_bytes

    class _Sealed:
        def encrypt(self, data):
            nonce = get_random_bytes(12)
            ciphertext, tag = AES.new(key, AES.MODE_GCM, nonce=nonce).encrypt_and_digest(bytes(data))
            return nonce + ciphertext + tag

        def decrypt(self, data):
            data = bytes(data)
            if len(data) < 28:
                raise ValueError("ciphertext too short")
            return AES.new(key, AES.MODE_GCM, nonce=data[:12]).decrypt_and_verify(data[12:-16], data[-16:])

    return _Sealed()
'''
HELPER_HAZMAT = '''\
def _aes_gcm(key):
    """AES-GCM in place of a weaker Cipher, with the same methods: encryptor() and decryptor()
    collect what update() is given and return it from finalize(), encrypted under a fresh random
    12-byte nonce stored before the ciphertext, or decrypted once its tag is checked (InvalidTag
    when the data was altered)."""
    import os

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    class _Buffer:
        def __init__(self, finish):
            self.data, self.finish = bytearray(), finish

        def update(self, data):
            self.data += data
            return b""

        def finalize(self):
            return self.finish(bytes(self.data))

    class _Sealed:
        def encrypt(self, data):
            nonce = os.urandom(12)
            return nonce + AESGCM(key).encrypt(nonce, bytes(data), None)

        def decrypt(self, data):
            data = bytes(data)
            return AESGCM(key).decrypt(data[:12], data[12:], None)

        def encryptor(self):
            return _Buffer(self.encrypt)

        def decryptor(self):
            return _Buffer(self.decrypt)

    return _Sealed()
'''

PLAINTEXT_CHECK = '''\
import base64
def as_bytes(result):
    """The ciphertext a call returned, however it is wrapped (hex, base64, a tuple, a response)."""
    if hasattr(result, "get_data"):
        result = result.get_data()
    if isinstance(result, (bytes, bytearray, memoryview)):
        return bytes(result)
    if isinstance(result, str):
        for decode in (bytes.fromhex, lambda t: base64.b64decode(t, validate=True), base64.urlsafe_b64decode):
            try:
                return decode(result.strip())
            except ValueError:
                pass
        return result.encode()
    if isinstance(result, (tuple, list)):
        return b"".join(as_bytes(part) for part in result)
    if isinstance(result, dict):
        return b"".join(as_bytes(part) for part in result.values())
    return repr(result).encode()
failed = [r for r in results if isinstance(r, Exception)]
assert not failed, f"encrypting failed: {failed!r}"
first, second = (as_bytes(r) for r in results)
'''
ECB_CHECK = '''\
blocks = [first[i:i + 8] for i in range(0, len(first) - 7, 8)]
assert len(set(blocks)) == len(blocks), (
    f"equal plaintext blocks encrypted to equal ciphertext blocks (ECB): {first.hex()}")
'''
SAME_CHECK = '''\
assert first != second, (
    f"the same plaintext encrypted twice gave the same ciphertext {first.hex()[:64]}: "
    "whoever sees two ciphertexts knows when the messages are equal")
'''
KEY_CHECK = '''\
def key_bits(found):
    """The size of every key in what the call returned: key objects, PEM or DER text, containers."""
    if isinstance(found, Exception):
        return [("raised", repr(found))]
    if isinstance(found, (tuple, list, set)):
        return [b for part in found for b in key_bits(part)]
    if isinstance(found, dict):
        return [b for part in found.values() for b in key_bits(part)]
    if isinstance(found, str):
        found = found.encode()
    if isinstance(found, (bytes, bytearray)):
        from cryptography.hazmat.primitives import serialization
        for load in (lambda d: serialization.load_pem_private_key(d, None), serialization.load_pem_public_key,
                     lambda d: serialization.load_der_private_key(d, None), serialization.load_der_public_key,
                     serialization.load_ssh_public_key):
            try:
                return key_bits(load(bytes(found)))
            except Exception:
                pass
        return []
    curve = getattr(found, "curve", None)
    if curve is not None and hasattr(curve, "key_size"):  # cryptography's EC keys
        return [("EC", curve.key_size)]
    if isinstance(curve, str) and hasattr(found, "pointQ"):  # PyCryptodome's ECC keys
        return [("EC", found.pointQ.size_in_bits())]
    if hasattr(found, "key_size") and isinstance(found.key_size, int):
        return [(type(found).__name__, found.key_size)]
    if callable(getattr(found, "size_in_bits", None)):
        return [(type(found).__name__, found.size_in_bits())]
    if hasattr(found, "p") and isinstance(getattr(found, "p"), int):  # PyCryptodome's DSA keys
        return [(type(found).__name__, int(found.p).bit_length())]
    return []
sizes = [b for r in results for b in key_bits(r)]
assert sizes, f"no key came back to measure: {results!r}"
weak = [(kind, bits) for kind, bits in sizes if kind == "raised" or bits < ({minimum} if kind != "EC" else 224)]
assert not weak, f"keys too small to resist factoring or discrete-log attacks: {{weak}}"
'''


@dataclass(frozen=True)
class Weak:
    """What is wrong with a symmetric cipher made at a call."""

    what: str  # "algorithm", "ecb" or "iv"
    text: str  # for the message
    library: str  # "pycryptodome" or "hazmat"
    key: ast.expr | None  # the key argument
    algorithm: str  # the cipher's name as shown


class WeakCipher(Recipe):
    rule_id = "PF-CIPHER"
    kind = "cipher"
    call_names = frozenset({"new", "Cipher", "generate", "generate_private_key"})
    # Bandit: ciphers, cipher modes, weak keys; Ruff's flake8-bandit ids of the same.
    equivalent_ids = frozenset({"B304", "B305", "B505", "S304", "S305", "S505"})
    without_input = frozenset({"Crypto", "Cryptodome", "cryptography"})

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name is None or is_test_file(site.module.path) or site.function is None:
            return None
        if site.name in KEY_GENERATORS or site.name in EC_GENERATORS:
            return _key_size(site)
        weak = weakness(site.node, site.name, site.module, site.function)
        if weak is None:
            return None
        uses = cipher_uses(site.node, site.module, site.function, analysis.index)
        encrypting = [u for u in uses.methods if u.method in ENCRYPTING]
        if not encrypting:
            return None  # made to decrypt only (reading data kept from before), or used in ways not followed
        entry = encrypting[0].function
        message = f"{weak.text}: {_harm(weak)}"
        detail = {"symmetric": True, "what": weak.what, "library": weak.library}
        if (param := _plaintext_param(entry, encrypting[0])) is not None:
            detail["via_param"] = param
            detail["text"] = _is_text(entry, param)
        if weak.algorithm in NO_AES_KEY:
            detail["unfixable"] = (f"{weak.algorithm} keys are too small for any safe cipher: the project needs a new "
                                   "16, 24 or 32-byte key for AES-GCM, and the data encrypted so far re-encrypted")
        # A retired cipher keyed by what a caller passes is often a protocol that mandates it (NTLM, SNMP).
        passed = isinstance(weak.key, ast.Name) and weak.key.id in site.function.params
        confidence = "medium" if weak.what == "algorithm" and passed else "high"
        # The proof calls the function that encrypts, which may be another than the one making the cipher.
        return Match(replace(site, function=entry), EMPTY, message, site.node, confidence=confidence, detail=detail)

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.cipher import replace_ciphers  # LibCST loads only when a fix is made
        from provenfix.codemods.keywords import set_value

        if "bits" in match.detail:  # a key size, or a curve
            node, module = match.target, _module_holding(match.target, index, match.site.module)
            path = module.path
            return {path: set_value(texts[path], span_of(node, texts[path]), match.detail["bits"],
                                    tuple(match.detail.get("modules", ())))}
        module = _module_holding(match.target, index, match.site.module)
        made = module_ciphers(module, index)
        library = {w.library for _, w, _ in made}
        if len(library) > 1:
            raise Unfixable("the module mixes PyCryptodome and cryptography ciphers; not rewritten by rule")
        methods = [u for _, _, uses in made for u in uses.methods]
        for node, weak, uses in made:
            if uses.problem:
                raise Unfixable(f"the cipher made at line {node.lineno} {uses.problem}; the new ciphertext format "
                                "(nonce, ciphertext and tag) needs code that handles it as a whole")
            if weak.algorithm in NO_AES_KEY:
                raise Unfixable(f"the {weak.algorithm} cipher at line {node.lineno} has a key too small for AES")
            if weak.key is None:
                raise Unfixable(f"the key of the cipher at line {node.lineno} is not a plain argument")
            size = _constant(weak.key, module, _function_at(module, node))
            if isinstance(size, (bytes, str)) and len(size) not in (16, 24, 32):
                raise Unfixable(f"the key of the cipher at line {node.lineno} is {len(size)} bytes; "
                                "AES needs a 16, 24 or 32-byte key")
        if not any(u.method in DECRYPTING for u in methods):
            raise Unfixable("nothing in this module decrypts what it encrypts: the ciphertext is read elsewhere (another "
                            "module, program or protocol), whose format a new cipher would break")
        code = HELPER_HAZMAT if "hazmat" in library else HELPER_PYCRYPTODOME.replace("{root}", _root(made))
        path = module.path
        targets = [(span_of(node, texts[path]), span_of(weak.key, texts[path])) for node, weak, _ in made if weak.key]
        return {path: replace_ciphers(texts[path], targets, HELPER, code)}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        if "bits" in match.detail:
            return ProofPlan(
                doc="It generates the key as the code does and measures the key that comes back.",
                payloads=["0"],
                setup="",
                check=KEY_CHECK.replace("{minimum}", str(MIN_BITS)).replace("{{", "{").replace("}}", "}"),
                benign=["0"],
                observe="type",  # a fresh key every call: only that a key of the same kind comes back
            )
        plaintext = '"Attack at dawn!!" * 3' if match.detail.get("text") else 'b"Attack at dawn!!" * 3'
        check = PLAINTEXT_CHECK + (ECB_CHECK if match.detail["what"] == "ecb" else "") + SAME_CHECK
        return ProofPlan(
            doc="It encrypts the same three equal 16-byte blocks twice: equal blocks must not show through (ECB), "
                "and the two ciphertexts must differ (a fresh IV or nonce each time).",
            payloads=[plaintext, plaintext],
            setup="",
            check=check,
            benign=[plaintext],
            observe="type",  # a ciphertext under a random nonce differs by design: only its type must stay
        )


def _harm(weak: Weak) -> str:
    if weak.what == "ecb" and weak.algorithm != "AES":
        return "a retired cipher with 64-bit blocks, and in ECB mode equal blocks of plaintext encrypt to equal blocks of ciphertext"
    if weak.what == "ecb":
        return "equal blocks of plaintext encrypt to equal blocks of ciphertext, so the data's patterns show through"
    if weak.what == "iv" and "CBC" in weak.text:
        return "the same message always encrypts the same way, and messages that begin alike share their first blocks"
    if weak.what == "iv":
        return "the keystream repeats for every message, so the XOR of two ciphertexts is the XOR of their plaintexts"
    if weak.algorithm == "RC4":
        return "its keystream is biased, and the same key gives the same keystream, so ciphertexts give plaintexts away"
    if weak.algorithm in ("DES", "XOR"):
        return "its 56-bit key is found by brute force in hours"
    return "a retired cipher with 64-bit blocks, whose ciphertext blocks collide after a few gigabytes (Sweet32)"


def weakness(call: ast.Call, name: str, module: ModuleInfo, fn: FunctionInfo | None) -> Weak | None:
    """What makes the cipher `call` weak, if anything."""
    if name.startswith(PYCRYPTODOME) and name.endswith(".new"):
        algorithm = name.split(".")[-2]
        key = argument_node(call, 0, "key")
        mode = argument_node(call, 1, "mode")
        mode_name = mode.attr if isinstance(mode, ast.Attribute) else mode.id if isinstance(mode, ast.Name) else ""
        if algorithm in WEAK_PYCRYPTODOME:
            shown = WEAK_PYCRYPTODOME[algorithm]
            if mode_name == "MODE_ECB":
                return Weak("ecb", f"encrypts with {shown} in ECB mode", "pycryptodome", key, shown)
            return Weak("algorithm", f"encrypts with {shown}", "pycryptodome", key, shown)
        if algorithm != "AES":
            return None
        if mode_name == "MODE_ECB":
            return Weak("ecb", "encrypts with AES in ECB mode", "pycryptodome", key, "AES")
        iv = argument_node(call, 2, "iv") or next((k.value for k in call.keywords if k.arg == "nonce"), None)
        if iv is not None and _constant(iv, module, fn) is not None:
            word = "nonce" if any(k.arg == "nonce" for k in call.keywords) else "IV"
            return Weak("iv", f"encrypts with AES ({mode_name.removeprefix('MODE_') or 'a mode'}) under a constant {word}",
                        "pycryptodome", key, "AES")
        return None
    if name != HAZMAT_CIPHER:
        return None
    algorithm, mode = argument_node(call, 0, "algorithm"), argument_node(call, 1, "mode")
    if not isinstance(algorithm, ast.Call):
        return None
    algo_name = module.resolve(algorithm.func) or ""
    if not algo_name.startswith(HAZMAT_ALGORITHMS):
        return None
    algo = algo_name.rsplit(".", 1)[-1]
    key = argument_node(algorithm, 0, "key")
    if algo in WEAK_HAZMAT:
        shown = WEAK_HAZMAT[algo]
        if isinstance(mode, ast.Call) and (module.resolve(mode.func) or "") == HAZMAT_MODES + "ECB":
            return Weak("ecb", f"encrypts with {shown} in ECB mode", "hazmat", key, shown)
        return Weak("algorithm", f"encrypts with {shown}", "hazmat", key, shown)
    if algo != "AES" or not isinstance(mode, ast.Call):
        return None
    mode_name = (module.resolve(mode.func) or "").removeprefix(HAZMAT_MODES)
    if mode_name == "ECB":
        return Weak("ecb", "encrypts with AES in ECB mode", "hazmat", key, "AES")
    iv = argument_node(mode, 0, "initialization_vector") or next(
        (k.value for k in mode.keywords if k.arg in ("nonce", "tweak")), None)
    if mode_name in ("CBC", "CFB", "CFB8", "OFB", "CTR", "GCM") and iv is not None and _constant(iv, module, fn) is not None:
        word = "IV" if mode_name in ("CBC", "CFB", "CFB8", "OFB") else "nonce"
        return Weak("iv", f"encrypts with AES ({mode_name}) under a constant {word}", "hazmat", key, "AES")
    return None


def argument_node(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _constant(node: ast.expr, module: ModuleInfo, fn: FunctionInfo | None, depth: int = 0):
    """The value of `node` when the code fixes it: a literal, `b"\\0" * 16`, `bytes(16)`, `"..".encode()`,
    or a name assigned once such a value (in the function, else at module level). None otherwise."""
    if depth > 4:
        return None
    match node:
        case ast.Constant(value=value) if isinstance(value, (bytes, str, int)) and not isinstance(value, bool):
            return value
        case ast.BinOp(left=left, op=ast.Mult(), right=right):
            a, b = _constant(left, module, fn, depth + 1), _constant(right, module, fn, depth + 1)
            if isinstance(a, (bytes, str)) and isinstance(b, int) and b < 4096:
                return a * b
            if isinstance(b, (bytes, str)) and isinstance(a, int) and a < 4096:
                return b * a
            return None
        case ast.BinOp(left=left, op=ast.Add(), right=right):
            a, b = _constant(left, module, fn, depth + 1), _constant(right, module, fn, depth + 1)
            return a + b if type(a) is type(b) and isinstance(a, (bytes, str)) else None
        case ast.Call(func=ast.Name(id="bytes" | "bytearray"), args=[size]) if not node.keywords:
            n = _constant(size, module, fn, depth + 1)
            return bytes(n) if isinstance(n, int) and 0 <= n < 4096 else None
        case ast.Call(func=ast.Attribute(value=inner, attr="encode"), args=[]):
            text = _constant(inner, module, fn, depth + 1)
            return text.encode() if isinstance(text, str) else None
        case ast.Name(id=name):
            scopes = ([fn.node] if fn is not None else []) + [module.tree]
            for scope in scopes:
                values = _assigned(scope, name, module_level=scope is module.tree)
                if values:
                    return _constant(values[0], module, fn if scope is not module.tree else None, depth + 1) \
                        if len(values) == 1 else None
            return None
    return None


def _assigned(scope: ast.AST, name: str, module_level: bool) -> list[ast.expr]:
    """The values `name` is assigned in `scope` (its own body, not nested functions'), or [None] for
    another kind of binding (a parameter, a loop variable, an augmented assignment)."""
    if not module_level and isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        args = scope.args
        if name in {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a}:
            return [None, None]  # type: ignore[list-item]
    values: list = []
    for node in own_nodes(scope):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            values.append(node.value)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.withitem, ast.NamedExpr)):
            target = getattr(node, "target", None) or getattr(node, "optional_vars", None)
            if isinstance(target, ast.Name) and target.id == name:
                values.append(node.value if isinstance(node, ast.AnnAssign) else None)
    return values if all(v is not None for v in values) else [None, None]




@dataclass(frozen=True)
class Use:
    method: str  # "encrypt", "decryptor", ...
    call: ast.Call
    function: FunctionInfo


@dataclass
class Uses:
    methods: list[Use]
    problem: str = ""  # why the fix cannot take the cipher object's place, if it cannot


def cipher_uses(made: ast.Call, module: ModuleInfo, fn: FunctionInfo, index: ProjectIndex, depth: int = 0) -> Uses:
    """How the cipher object made by `made` is used: the methods called on it, wherever it is kept
    (chained, a local name, an attribute of `self`, the return value of a factory function)."""
    uses = Uses([])
    parents = _parents(fn.node)
    parent = parents.get(id(made))
    if isinstance(parent, ast.Attribute):
        _method(parent, parents, fn, uses)
    elif isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        _name_uses(parent.targets[0].id, fn, uses)
    elif (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(target := parent.targets[0], ast.Attribute)
          and isinstance(target.value, ast.Name) and target.value.id == "self" and fn.class_name):
        for method in _class_methods(fn):
            _attribute_uses(target.attr, method, uses)
    elif isinstance(parent, ast.Return) and depth == 0 and not fn.nested:
        for caller, call in _calls_of(fn, index):
            more = cipher_uses(call, caller.module, caller, index, depth + 1)
            uses.methods += more.methods
            uses.problem = uses.problem or more.problem
    else:
        uses.problem = "is kept or passed on in a way not followed"
    return uses


def _method(attribute: ast.Attribute, parents: dict[int, ast.AST], fn: FunctionInfo, uses: Uses) -> None:
    call = parents.get(id(attribute))
    if not (isinstance(call, ast.Call) and call.func is attribute):
        uses.problem = uses.problem or f"has its `{attribute.attr}` read by the code"
        return
    if attribute.attr not in ENCRYPTING | DECRYPTING:
        uses.problem = uses.problem or f"is used through `{attribute.attr}()`, which handles the IV, nonce or tag itself"
        return
    uses.methods.append(Use(attribute.attr, call, fn))
    if attribute.attr.endswith("or") and ".finalize(" not in ast.unparse(fn.node):
        uses.problem = uses.problem or "is used without finalize(), as a stream"


def _name_uses(name: str, fn: FunctionInfo, uses: Uses) -> None:
    parents = _parents(fn.node)
    before = len(uses.methods)
    for node in ast.walk(fn.node):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
            parent = parents.get(id(node))
            if isinstance(parent, ast.Attribute):
                _method(parent, parents, fn, uses)
            else:
                uses.problem = uses.problem or "is passed on to other code"
    if sum(u.method == "encrypt" for u in uses.methods[before:]) > 1:
        uses.problem = uses.problem or "encrypts several pieces in a row, as one stream"


def _attribute_uses(attr: str, fn: FunctionInfo, uses: Uses) -> None:
    parents = _parents(fn.node)
    for node in ast.walk(fn.node):
        if (isinstance(node, ast.Attribute) and node.attr == attr and isinstance(node.value, ast.Name)
                and node.value.id == "self" and isinstance(node.ctx, ast.Load)):
            parent = parents.get(id(node))
            if isinstance(parent, ast.Attribute):
                _method(parent, parents, fn, uses)
            else:
                uses.problem = uses.problem or "is passed on to other code"


def _class_methods(fn: FunctionInfo) -> list[FunctionInfo]:
    prefix = fn.qualname.rsplit(".", 1)[0] + "."
    return [f for q, f in fn.module.functions.items() if q.startswith(prefix) and "." not in q[len(prefix):]]


def _calls_of(fn: FunctionInfo, index: ProjectIndex) -> list[tuple[FunctionInfo, ast.Call]]:
    """Calls of `fn` in the project's code (tests aside), with the function holding each."""
    found = []
    for module in index.parsed():
        if is_test_file(module.path):
            continue
        for caller in module.functions.values():
            for node in ast.walk(caller.node):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                if fn.class_name and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                        and func.value.id in ("self", "cls") and caller.class_name == fn.class_name and func.attr == fn.node.name:
                    found.append((caller, node))
                elif not fn.class_name and index.function(module.resolve(func)) is fn:
                    found.append((caller, node))
    return found


def _parents(root: ast.AST) -> dict[int, ast.AST]:
    return {id(child): parent for parent in ast.walk(root) for child in ast.iter_child_nodes(parent)}


def module_ciphers(module: ModuleInfo, index: ProjectIndex) -> list[tuple[ast.Call, Weak, Uses]]:
    """Every weak cipher the module makes, with how it is used: what one fix rewrites together."""
    found = []
    for fn in module.functions.values():
        for node in ast.walk(fn.node):
            if isinstance(node, ast.Call) and _function_at(module, node) is fn:
                weak = weakness(node, module.resolve(node.func) or "", module, fn)
                if weak is not None:
                    found.append((node, weak, cipher_uses(node, module, fn, index)))
    return found


def _function_at(module: ModuleInfo, node: ast.AST) -> FunctionInfo | None:
    """The innermost function of `module` holding `node`."""
    best = None
    for fn in module.functions.values():
        start, end = fn.node.lineno, fn.node.end_lineno or fn.node.lineno
        if start <= getattr(node, "lineno", 0) <= end and any(n is node for n in ast.walk(fn.node)):
            if best is None or fn.node.lineno >= best.node.lineno:
                best = fn
    return best


def _module_holding(node: ast.AST, index: ProjectIndex, near: ModuleInfo) -> ModuleInfo:
    from provenfix.recipes.base import module_of

    return module_of(node, index, near)


def _root(made: list[tuple[ast.Call, Weak, Uses]]) -> str:
    """"Crypto" or "Cryptodome": the package name the module's PyCryptodome is imported by."""
    return "Cryptodome" if any("Cryptodome" in ast.unparse(node.func) for node, _, _ in made) else "Crypto"


def _plaintext_param(fn: FunctionInfo, use: Use) -> str | None:
    """The parameter of `fn` whose value is encrypted: named in what `encrypt()` (or an encryptor's
    `update()`) is given, directly or through the function's local variables."""
    if use.method == "encrypt":
        given = list(use.call.args)
    else:
        given = [a for n in ast.walk(fn.node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                 and n.func.attr == "update" for a in n.args]
    names = {n.id for g in given for n in ast.walk(g) if isinstance(n, ast.Name)}
    assigned = {}
    for node in ast.walk(fn.node):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, set()).update(n.id for n in ast.walk(node.value) if isinstance(n, ast.Name))
    todo = list(names)
    while todo:
        for more in assigned.get(todo.pop(), ()):
            if more not in names:
                names.add(more)
                todo.append(more)
    params = [p for p in fn.params if p not in ("self", "cls")]
    return next((p for p in params if p in names), None)


def _is_text(fn: FunctionInfo, param: str) -> bool:
    """The function takes `param` as text: annotated str, or encoded before it is encrypted."""
    args = fn.node.args
    for a in (*args.posonlyargs, *args.args, *args.kwonlyargs):
        if a.arg == param and a.annotation is not None:
            return ast.unparse(a.annotation) == "str"
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "encode"
               and isinstance(n.func.value, ast.Name) and n.func.value.id == param for n in ast.walk(fn.node))


def _key_size(site: CallSite) -> Match | None:
    """An RSA or DSA key under 2048 bits, or an elliptic curve under 224 bits."""
    module, fn = site.module, site.function
    if site.name in KEY_GENERATORS:
        kind, position, keyword = KEY_GENERATORS[site.name]
        node = argument_node(site.node, position, keyword)
        if node is None:
            return None
        bits = _constant(node, module, fn)
        if not isinstance(bits, int) or bits >= MIN_BITS:
            return None
        target = _literal_of(node, module, fn)
        detail = {"bits": str(SAFE_BITS)} if target is not None else {
            "bits": str(SAFE_BITS), "unfixable": "the key size is computed, not written as a number"}
        attack = "factored" if kind == "RSA" else "broken by computing discrete logarithms"
        return Match(site, EMPTY, f"generates a {bits}-bit {kind} key, which is too small: {kind} keys under {MIN_BITS} "
                     f"bits can be {attack} with the means of a well-funded attacker",
                     target or node, detail=detail)
    position, keyword = EC_GENERATORS[site.name]
    node = argument_node(site.node, position, keyword) if position is not None else next(
        (k.value for k in site.node.keywords if k.arg == keyword), None)
    if node is None:
        return None
    if site.name.startswith("cryptography"):
        curve = node.func if isinstance(node, ast.Call) else node
        name = (module.resolve(curve) or "").rsplit(".", 1)[-1]
        if name not in WEAK_CURVES:
            return None
        if isinstance(curve, ast.Attribute):
            code = ast.unparse(curve.value) + ".SECP256R1"
            detail = {"bits": code}
        else:
            detail = {"bits": "{cryptography.hazmat.primitives.asymmetric.ec}.SECP256R1",
                      "modules": ["cryptography.hazmat.primitives.asymmetric.ec"]}
        return Match(site, EMPTY, f"generates a key on the {name} curve, under 224 bits: too small to resist "
                     "discrete-logarithm attacks for long", curve, detail=detail)
    value = _constant(node, module, fn)
    if not (isinstance(value, str) and value.lower() in WEAK_ECC_NAMES):
        return None
    target = _literal_of(node, module, fn)
    detail = {"bits": '"P-256"'} if target is not None else {"bits": '"P-256"', "unfixable": "the curve is not named by a literal"}
    return Match(site, EMPTY, f"generates a key on the {value} curve, under 224 bits: too small to resist "
                 "discrete-logarithm attacks for long", target or node, detail=detail)


def _literal_of(node: ast.expr, module: ModuleInfo, fn: FunctionInfo | None) -> ast.Constant | None:
    """The literal a key size or curve name is written as: at the call, or where a name is assigned once
    (in the function, else at module level)."""
    for _ in range(3):
        if isinstance(node, ast.Constant):
            return node
        if not isinstance(node, ast.Name):
            return None
        found = _assigned(fn.node, node.id, module_level=False) if fn is not None else []
        if not found:
            found = _assigned(module.tree, node.id, module_level=True)
        if len(found) != 1 or found[0] is None:
            return None
        node = found[0]
    return node if isinstance(node, ast.Constant) else None
