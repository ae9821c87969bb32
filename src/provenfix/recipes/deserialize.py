"""Unsafe deserialization (CWE-502): pickle and its kin rebuild any object the data names.

Detects `pickle`, `dill`, `cloudpickle`, `marshal`, `shelve`, `jsonpickle`, `joblib`,
`pandas.read_pickle`, `numpy.load(allow_pickle=True)` and `torch.load` (without
`weights_only=True`) on data from input. Data whose signature the function checks with
`hmac.compare_digest` before loading it is trusted: only the key's holder can have written it.

`pickle.loads`, `pickle.load` and `pickle.Unpickler(f).load()` are fixed: the data goes through
an inserted helper whose `Unpickler` allows plain data types only (numbers, text, bytes, lists,
tuples, dicts, sets, dates, decimals), so plain data loads as before and a pickle naming a
function (`os.system`) is refused before anything runs. The other formats are reported unfixed:
they exist to carry objects an allow-list of plain types would refuse (dill, cloudpickle,
joblib, pandas), or have no safe mode at all (marshal, shelve, jsonpickle); the fix is a change
of format or of trust, the maintainer's choice. `torch.load(weights_only=True)` and
`numpy.load(allow_pickle=False)` are the remedies for those two, but whether the project's files
hold more than tensors or arrays cannot be told from the code, so they are suggested, not applied.
"""

from __future__ import annotations

import ast

from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.index import FunctionInfo, ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Recipe, Match, ProofPlan, bare_names, is_true, keyword_arg, user_controlled

PICKLE_MODULES = ("pickle", "_pickle", "cPickle")
LOADERS = frozenset({
    *(f"{module}.{name}" for module in (*PICKLE_MODULES, "dill", "cloudpickle")
      for name in ("loads", "load", "Unpickler")),
    "marshal.loads", "marshal.load", "shelve.open", "jsonpickle.decode", "jsonpickle.unpickler.decode",
    "joblib.load", "pandas.read_pickle", "torch.load",
})
OPT_IN = {"numpy.load": "allow_pickle"}  # unsafe only when this keyword is True
OPT_OUT = {"torch.load": "weights_only"}  # safe when this keyword is True
SIGNATURE_CHECKS = frozenset({"hmac.compare_digest", "secrets.compare_digest"})
GENERIC = ("this format rebuilds any object the data names, and has no safe mode for untrusted data: "
           "load JSON instead, or check a signature (hmac) before loading")
WHY = {  # why a loader other than pickle's is left to the maintainer, by module
    "dill": "dill exists to carry functions and classes by value, which an allow-list of plain types would refuse: "
            "exchange plain data as JSON, or check a signature (hmac) before loading",
    "cloudpickle": "cloudpickle exists to carry functions and classes by value, which an allow-list of plain types "
                   "would refuse: exchange plain data as JSON, or check a signature (hmac) before loading",
    "marshal": "marshal has no safe mode: crafted data can crash the interpreter or build code objects; "
               "load JSON instead",
    "shelve": "a shelf is a database of pickles: whoever writes the file chooses what runs when a key is read; "
              "open only shelves the application wrote itself, or store JSON",
    "jsonpickle": "jsonpickle.decode builds whatever class or call the JSON names (py/object, py/reduce); "
                  "use json.loads for plain data",
    "joblib": "joblib files are pickles of objects (arrays, fitted models) an allow-list of plain types would "
              "refuse: load only files the application made, checking a digest or signature first",
    "pandas": "a pickled DataFrame names pandas and numpy classes an allow-list of plain types would refuse: "
              "store tables as Parquet, CSV or JSON instead",
    "numpy": "allow_pickle=True lets the file hold pickled objects: if the files hold only arrays, "
             "allow_pickle=False is the fix, which only the maintainer can tell from the files",
    "torch": "torch.load unpickles the checkpoint: weights_only=True is the fix when the file holds only tensors "
             "and state dicts, which only the maintainer can tell from the files",
}

HELPER = "_restricted_unpickle"
HELPER_CODE = '''\
def _restricted_unpickle(source, **options):
    """Unpickle `source` (bytes, or a binary file to read one pickle from) allowing plain data only:
    numbers, text, bytes, lists, tuples, dicts, sets, dates and decimals. A pickle naming any other
    class or function (os.system, a project class) is refused with pickle.UnpicklingError before
    anything is called."""
    import io
    import pickle

    plain = {"dict", "list", "tuple", "set", "frozenset", "str", "bytes", "bytearray", "int", "float", "bool",
             "complex", "slice", "range"}
    allowed = {
        "builtins": plain,
        "__builtin__": plain,
        "datetime": {"date", "datetime", "time", "timedelta", "timezone"},
        "decimal": {"Decimal"},
        "collections": {"OrderedDict", "defaultdict", "deque"},
        "_codecs": {"encode"},  # how pickle protocols 0 to 2 store bytes
    }

    class PlainDataUnpickler(pickle.Unpickler):
        def find_class(self, module, name):
            py3_name = {"unicode": "str", "long": "int", "xrange": "range"}.get(name, name)  # protocols 0 to 2
            if py3_name in allowed.get(module, ()):
                return super().find_class(module, name)
            raise pickle.UnpicklingError(f"refused to unpickle {module}.{name}: only plain data is allowed")

    if isinstance(source, (bytes, bytearray, memoryview)):
        source = io.BytesIO(source)
    return PlainDataUnpickler(source, **options).load()
'''

# How the code turns what it receives into the pickle: a decoding call on the way → the expression
# that encodes the proof's pickle for it (`{}` is the pickle, as bytes).
DECODERS = {
    "base64.b64decode": "base64.b64encode({})", "base64.standard_b64decode": "base64.standard_b64encode({})",
    "base64.urlsafe_b64decode": "base64.urlsafe_b64encode({})", "base64.decodebytes": "base64.encodebytes({})",
    "base64.b32decode": "base64.b32encode({})", "base64.b16decode": "base64.b16encode({})",
    "base64.b85decode": "base64.b85encode({})", "base64.a85decode": "base64.a85encode({})",
    "binascii.unhexlify": "binascii.hexlify({})", "binascii.a2b_hex": "binascii.hexlify({})",
    "binascii.a2b_base64": "binascii.b2a_base64({})", "bytes.fromhex": "{}.hex()",
    "zlib.decompress": "zlib.compress({})", "gzip.decompress": "gzip.compress({})",
    "bz2.decompress": "bz2.compress({})", "lzma.decompress": "lzma.compress({})",
}
OPENERS = frozenset({"builtins.open", "io.open", "codecs.open"})
TEXT = '{}.decode("latin-1")'
# The proof's pickles: each calls a function while it loads. `builtins.exec` creates the canary
# without a shell; `os.system` is the classic payload (where `touch` exists).
PROOF_SETUP = '''\
import base64, binascii, builtins, bz2, gzip, io, itertools, lzma, os, pickle, zlib
class _Calls:
    """Pickles as a call of `func(*args)`, made by whoever unpickles it."""
    def __init__(self, func, *args):
        self.func, self.args = func, args
    def __reduce__(self):
        return self.func, self.args
_numbers = itertools.count()
def _as_file(data):
    path = tmp_path / f"payload-{next(_numbers)}.pickle"
    path.write_bytes(data)
    return str(path)'''
ATTACKS = [
    'pickle.dumps(_Calls(builtins.exec, f"open({str(canary)!r}, \'w\').close()"))',
    'pickle.dumps(_Calls(os.system, f"touch {canary}"))',
]
BENIGN = [
    'pickle.dumps({"name": "ada", "tags": ["admin", "dev"], "scores": [1, 2.5, -3], "active": True, "note": None})',
    'pickle.dumps([{"id": 1, "title": "first"}, {"id": 2, "title": "second", "done": False}])',
    'pickle.dumps({"point": (3, 4), "seen": {"a", "b"}, "raw": b"bytes", "big": 10 ** 30}, protocol=2)',
]


class UnsafeDeserialization(Recipe):
    rule_id = "PF-DESER"
    kind = "deser"
    call_names = bare_names(LOADERS | set(OPT_IN))
    equivalent_ids = frozenset({"B301", "B302", "B614", "S301", "S302"})
    reports_pass_through = True
    helper_code = HELPER_CODE
    # What the code pickled itself (`pickle.loads(pickle.dumps(x))`, a deep copy) holds only objects it had.
    sanitizers = frozenset({f"{module}.dumps" for module in (*PICKLE_MODULES, "dill", "cloudpickle", "marshal")}
                           | {"jsonpickle.encode"})

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name in OPT_IN:
            if not is_true(keyword_arg(site, OPT_IN[site.name])):
                return None
        elif site.name not in LOADERS or is_true(keyword_arg(site, OPT_OUT.get(site.name, ""))):
            return None
        value = site.args[0] if site.args else next(iter(site.keywords.values()), None)
        if value is None or not user_controlled(value, self.kind) or _signature_checked(site):
            return None
        module, _, name = site.name.rpartition(".")
        detail: dict = {}
        if module not in PICKLE_MODULES:
            detail["unfixable"] = WHY.get(module.partition(".")[0], GENERIC)
        elif name == "Unpickler":
            outer = _load_of(site)
            if outer is None:
                detail["unfixable"] = ("the Unpickler object is kept rather than loaded at once: subclass "
                                       "pickle.Unpickler with a find_class that allows plain data types only")
            else:
                detail["chained"] = True
        message = (f"`{site.name}()` opens a shelf, a database of pickles, from a file an attacker controls"
                   if site.name == "shelve.open" else f"`{site.name}()` rebuilds objects from data an attacker controls")
        return Match(site, value, message, outer if detail.get("chained") else site.node, detail=detail)

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        if "unfixable" in match.detail:
            raise Unfixable(match.detail["unfixable"])
        from provenfix.codemods.unpickle import restrict_unpickling  # LibCST loads only when a fix is made

        path = match.site.module.path
        return {path: restrict_unpickling(texts[path], span_of(match.target, texts[path]), HELPER, HELPER_CODE,
                                          chained=bool(match.detail.get("chained")))}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        wrap = _encoding(finding, match)
        return ProofPlan(
            doc="It sends pickles that call exec and os.system while they load, and checks that neither ran; "
                "pickles of plain data must load as before.",
            payloads=[wrap(p) for p in ATTACKS],
            setup=PROOF_SETUP,
            check='assert not canary.exists(), "unpickling the input ran code the input chose"',
            benign=[wrap(p) for p in BENIGN],
        )


def _signature_checked(site: CallSite) -> bool:
    """The function compares a signature (`hmac.compare_digest`) before the load: data only the key's
    holder can have signed is the application's own."""
    fn = site.function
    if fn is None:
        return False
    return any(isinstance(node, ast.Call) and site.module.resolve(node.func) in SIGNATURE_CHECKS
               and node.lineno <= site.node.lineno for node in ast.walk(fn.node))


def _load_of(site: CallSite) -> ast.Call | None:
    """`Unpickler(f).load()`: the `.load()` call made directly on the new unpickler."""
    tree = site.function.node if site.function is not None else site.module.tree
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "load"
                and node.func.value is site.node):
            return node
    return None


def _encoding(finding: Finding, match: Match):
    """How to hand the entry point a pickle: the layers the code peels off on its way to the sink
    (base64, hex, compression, a file to open, a stream to read), found by following the loaded
    expression back to the parameter or request field it comes from. Returns a function of a pickle
    expression giving the payload expression."""
    site = match.site
    fn = site.function
    loaded = site.node.args[0] if site.node.args else next((k.value for k in site.node.keywords), None)
    name = site.name.rpartition(".")[2]
    need = "bytes" if name == "loads" else "stream"  # what the code has in hand at this point
    layers: list[str] = []
    node = loaded
    for _ in range(12):
        if node is None:
            break
        if isinstance(node, ast.Name) and fn is not None and node.id not in fn.params:
            node = _assigned(node, fn, site.node.lineno)
            continue
        if not isinstance(node, ast.Call):
            break
        callee = site.module.resolve(node.func) or ""
        method = node.func.attr if isinstance(node.func, ast.Attribute) else None
        if need == "bytes" and callee in DECODERS and node.args:
            layers.append(DECODERS[callee])
            node = node.args[0]
        elif need == "bytes" and method == "encode" and isinstance(node.func, ast.Attribute):
            layers.append(TEXT)
            need, node = "text", node.func.value
        elif need == "stream" and callee == "io.BytesIO" and node.args:
            need, node = "bytes", node.args[0]
        elif need == "bytes" and method in ("read", "getvalue") and isinstance(node.func, ast.Attribute) and not node.args:
            need, node = "stream", node.func.value
        elif need == "stream" and (callee in OPENERS or callee.endswith(".open")) and node.args:
            layers.append("_as_file({})")
            need, node = "path", node.args[0]
        elif need == "bytes" and method == "read_bytes" and isinstance(node.func, ast.Attribute):
            layers.append("_as_file({})")
            need, node = "path", node.func.value
        elif callee in ("pathlib.Path", "pathlib.PurePath", "os.fspath", "builtins.str") and need == "path" and node.args:
            node = node.args[0]
        else:
            break
    if need == "stream":
        layers.append("io.BytesIO({})")
    elif need == "bytes" and layers and _wants_text(finding, match):
        layers.append(TEXT)  # base64 or hex text, sent as a string

    def wrap(pickled: str) -> str:
        for layer in layers:
            pickled = layer.format(pickled)
        return pickled

    return wrap


def _assigned(name: ast.Name, fn: FunctionInfo, before: int) -> ast.expr | None:
    """The expression last assigned to `name` in `fn` before line `before` (`x = ...`, `with ... as x`)."""
    found = None
    for node in ast.walk(fn.node):
        line = getattr(node, "lineno", before)
        if line > before:
            continue
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name.id for t in node.targets):
            found = (line, node.value) if found is None or line >= found[0] else found
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name.id and node.value:
            found = (line, node.value) if found is None or line >= found[0] else found
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name.id:
                    found = (line, item.context_expr) if found is None or line >= found[0] else found
    return found[1] if found else None


def _wants_text(finding: Finding, match: Match) -> bool:
    """The input arrives as text: a request field other than the raw body, or a `str` parameter."""
    entry = finding.entry
    if entry is None:
        return False
    if entry.kind == "route":
        return (entry.request_field or "").partition(":")[0] not in ("data", "body")
    fn = match.site.function
    if fn is None or not entry.tainted_param:
        return False
    args = fn.node.args
    annotation = next((a.annotation for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)
                       if a.arg == entry.tainted_param), None)
    return annotation is not None and ast.unparse(annotation) == "str"

