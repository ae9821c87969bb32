"""Unsafe deserialization (CWE-502): pickle and its kin rebuild any object the data names.

Detects `pickle`, `dill`, `cloudpickle`, `marshal`, `shelve`, `jsonpickle`, `joblib`,
`pandas.read_pickle`, `numpy.load(allow_pickle=True)`, `torch.load` and
`torch.hub.load_state_dict_from_url` (when they unpickle: see the PyTorch section below) on data from input.
Data whose signature the function checks with `hmac.compare_digest` before loading it is
trusted: only the key's holder can have written it.

`pickle.loads`, `pickle.load` and `pickle.Unpickler(f).load()` are fixed: the data goes through
an inserted helper whose `Unpickler` allows plain data types only (numbers, text, bytes, lists,
tuples, dicts, sets, dates, decimals), so plain data loads as before and a pickle naming a
function (`os.system`) is refused before anything runs. PyTorch checkpoint loads get
`weights_only=True`, torch's own allow-list of tensors and plain data, unless the project saves
or uses whole objects, which it would refuse (`torch_whole_objects`). The other formats are
reported unfixed: they exist to carry objects an allow-list of plain types would refuse (dill,
cloudpickle, joblib, pandas), or have no safe mode at all (marshal, shelve, jsonpickle); the fix
is a change of format or of trust, the maintainer's choice. `numpy.load(allow_pickle=False)` is
the remedy for numpy, but whether the project's files hold more than arrays cannot be told from
the code, so it is suggested, not applied.
"""

from __future__ import annotations

import ast
import re

from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.index import FunctionInfo, ModuleInfo, ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.workspace import is_test_file
from provenfix.recipes.base import (Recipe, Match, ProofPlan, argument, bare_names, identifier_words, is_true, keyword_arg,
                                    user_controlled)

PICKLE_MODULES = ("pickle", "_pickle", "cPickle")
TORCH_LOADS = frozenset({"torch.load", "torch.serialization.load"})
HUB_LOADS = frozenset({"torch.hub.load_state_dict_from_url"})
TORCH_LOADERS = TORCH_LOADS | HUB_LOADS  # see the PyTorch section below
LOADERS = frozenset({
    *(f"{module}.{name}" for module in (*PICKLE_MODULES, "dill", "cloudpickle")
      for name in ("loads", "load", "Unpickler")),
    "marshal.loads", "marshal.load", "shelve.open", "jsonpickle.decode", "jsonpickle.unpickler.decode",
    "joblib.load", "pandas.read_pickle", *TORCH_LOADERS,
})
OPT_IN = {"numpy.load": "allow_pickle"}  # unsafe only when this keyword is True
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
# The proofs' pickles: each calls a function while it loads. `builtins.exec` creates the canary
# without a shell; `os.system` is the classic payload (where `touch` exists).
CALLS_SETUP = '''\
class _Calls:
    """Pickles as a call of `func(*args)`, made by whoever unpickles it."""
    def __init__(self, func, *args):
        self.func, self.args = func, args
    def __reduce__(self):
        return self.func, self.args
_numbers = itertools.count()
'''
PROOF_SETUP = '''\
import base64, binascii, builtins, bz2, gzip, io, itertools, lzma, os, pickle, zlib
''' + CALLS_SETUP + '''\
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
        torch_detail = None
        if site.name in OPT_IN:
            if not is_true(keyword_arg(site, OPT_IN[site.name])):
                return None
        elif site.name in TORCH_LOADERS:
            torch_detail = torch_unsafe_state(site, analysis.index)
            if torch_detail is None:
                return None
        elif site.name not in LOADERS:
            return None
        if torch_detail is not None:
            loaded = argument(site, 0, "url" if torch_detail["torch"] == "hub" else "f")
            value = loaded[1] if loaded else None
        else:
            value = site.args[0] if site.args else next(iter(site.keywords.values()), None)
        if value is None or not user_controlled(value, self.kind) or _signature_checked(site):
            return None
        if torch_detail is not None:
            return Match(site, value, torch_message(site, torch_detail), site.node, detail=torch_detail,
                         confidence="medium" if torch_detail["torch"] == "default" else "high")
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
        if "torch" in match.detail:
            return _torch_rewrite(match, texts, index)
        from provenfix.codemods.unpickle import restrict_unpickling  # LibCST loads only when a fix is made

        path = match.site.module.path
        return {path: restrict_unpickling(texts[path], span_of(match.target, texts[path]), HELPER, HELPER_CODE,
                                          chained=bool(match.detail.get("chained")))}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        wrap = _encoding(finding, match)
        if "torch" in match.detail:
            return _torch_proof(match, wrap)
        return ProofPlan(
            doc="It sends pickles that call exec and os.system while they load, and checks that neither ran; "
                "pickles of plain data must load as before.",
            payloads=[wrap(p) for p in ATTACKS],
            setup=PROOF_SETUP,
            check='assert not canary.exists(), "unpickling the input ran code the input chose"',
            benign=[wrap(p) for p in BENIGN],
        )


def _torch_rewrite(match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
    """`weights_only=True` on the checkpoint load, unless the project's checkpoints hold whole objects."""
    why = torch_whole_objects(index, match.site)
    if why:
        raise Unfixable(why)
    from provenfix.codemods.torch_load import load_weights_only  # LibCST loads only when a fix is made

    path = match.site.module.path
    return {path: load_weights_only(texts[path], span_of(match.target, texts[path]),
                                    drop_pickle_module=bool(match.detail.get("drop_pickle_module")),
                                    hub=match.detail["torch"] == "hub")}


# The proof's checkpoints, written by torch.save: each calls a function while it loads, or holds
# tensors and plain values only (what weights_only loads as before).
TORCH_SETUP = '''\
import builtins, collections, hashlib, io, itertools, os
import torch
''' + CALLS_SETUP + '''\
def _checkpoint(obj):
    """The bytes torch.save writes for `obj`."""
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()
def _as_file(data):
    path = tmp_path / f"payload-{next(_numbers)}.pt"
    path.write_bytes(data)
    return str(path)
def _as_url(data):
    """A file:// URL serving `data`, named by its digest as hub's check_hash wants: a download cache
    that already holds a file of that name holds these very bytes."""
    hosted = tmp_path / "hosted"
    hosted.mkdir(exist_ok=True)
    path = hosted / f"checkpoint-{hashlib.sha256(data).hexdigest()[:12]}.pt"
    path.write_bytes(data)
    return path.as_uri()'''
TORCH_OLD_DEFAULT = ('monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")  '
                     "# the default of torch < 2.6, which the project supports")
TORCH_HUB_HOME = 'monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch-home"))  # a fresh download cache'
TORCH_ATTACKS = [
    '_checkpoint({"state_dict": {"weight": torch.zeros(2, 2)}, '
    '"epoch": _Calls(builtins.exec, f"open({str(canary)!r}, \'w\').close()")})',
    '_checkpoint(_Calls(os.system, f"touch {canary}"))',
]
TORCH_BENIGN = [
    '_checkpoint({"weight": torch.arange(6.0).reshape(2, 3), "bias": torch.zeros(2)})',
    '_checkpoint({"state_dict": {"fc.weight": torch.ones(2, 2), "fc.bias": torch.tensor([0.5, -0.5])}, '
    '"epoch": 3, "lr": 0.01, "classes": ["cat", "dog"]})',
    '_checkpoint(collections.OrderedDict(layer=torch.full((3,), 2.0), steps=torch.tensor(7)))',
]


def _torch_proof(match: Match, wrap) -> ProofPlan:
    mode = match.detail["torch"]
    setup = "\n".join([TORCH_SETUP, *([TORCH_OLD_DEFAULT] if mode == "default" else []),
                       *([TORCH_HUB_HOME] if mode == "hub" else [])])
    return ProofPlan(
        doc="It sends checkpoints, written by torch.save, that call exec and os.system while they load, and checks "
            "that neither ran; checkpoints of tensors and plain values must load as before.",
        payloads=[wrap(p) for p in TORCH_ATTACKS],
        setup=setup,
        check='assert not canary.exists(), "loading the checkpoint ran code the checkpoint chose"',
        benign=[wrap(p) for p in TORCH_BENIGN],
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
    torch = "torch" in match.detail  # torch.load takes a path as well as a stream
    if torch:
        found = argument(site, 0, "url" if match.detail["torch"] == "hub" else "f")
        loaded = found[0] if found else None
    else:
        loaded = site.node.args[0] if site.node.args else next((k.value for k in site.node.keywords), None)
    name = site.name.rpartition(".")[2]
    need = "bytes" if name == "loads" else "stream"  # what the code has in hand at this point
    if torch and match.detail["torch"] == "hub":
        need = "url"
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
        elif callee in ("pathlib.Path", "pathlib.PurePath", "os.fspath", "builtins.str") and node.args and (
                need == "path" or (torch and need == "stream")):
            need, node = ("path" if need == "stream" else need), node.args[0]
            if layers[-1:] != ["_as_file({})"]:
                layers.append("_as_file({})")
        else:
            break
    if need == "url":
        layers.append("_as_url({})")
    elif need == "stream" and torch:  # a checkpoint's path or its open file, as the input's name says
        entry = finding.entry
        if entry is not None and entry.kind == "function" and not _names_stream(fn, entry.tainted_param):
            layers.append("_as_file({})")
        elif entry is not None and entry.kind == "function":
            layers.append("io.BytesIO({})")
        # a route: the bytes go in the request (an upload's content, the body)
    elif need == "stream":
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


STREAM_WORDS = frozenset({"f", "fp", "fh", "fd", "fo", "fobj", "fileobj", "stream", "buffer", "buf", "io", "handle",
                          "reader", "blob", "upload", "uploaded"})


def _names_stream(fn: FunctionInfo | None, param: str | None) -> bool:
    """The parameter holds an open file rather than a path: its annotation (`BinaryIO`, `IO[bytes]`)
    or its name (`fh`, `stream`, `buffer`) says so."""
    if fn is None or not param:
        return False
    args = fn.node.args
    annotation = next((a.annotation for a in (*args.posonlyargs, *args.args, *args.kwonlyargs) if a.arg == param), None)
    if annotation is not None:
        text = ast.unparse(annotation)
        if any(word in text for word in ("IO", "Buffer", "FileStorage", "UploadFile", "Stream")):
            return True
        if any(word in text for word in ("str", "Path", "PathLike")):
            return False
    words = set(identifier_words(param))
    return bool(words & STREAM_WORDS) and not words & {"path", "name", "filename", "dir", "url"}


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


# -- PyTorch checkpoints -----------------------------------------------------------------------------
# PF-DESER's PyTorch part: when a checkpoint load unpickles whatever the file names, and whether
# `weights_only=True` can be set without breaking what the project loads.
#
# `torch.load` unpickles the checkpoint unless `weights_only` is on. Since torch 2.6 it is on by
# default, so a plain `torch.load(f)` is safe where the project runs torch 2.6 or later; it is
# unsafe when the call turns it off (`weights_only=False`), passes its own `pickle_module` (which
# turns the default off in every release), or where the project supports torch < 2.6: its
# `setup.py` pins torch below 2.6 (`torch<2.6`, `torch==2.1.*`), or its code sets
# `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`. Requirement files and `pyproject.toml` are not read by the
# scan (it reads Python files only), so a pin declared there alone is not seen.
# `torch.hub.load_state_dict_from_url` unpickles what it downloads unless given `weights_only=True`:
# its default is False in every release.
#
# The fix sets `weights_only=True` (in place of False, or added), dropping a `pickle_module` that
# is the standard `pickle` (torch refuses the two together). It is not made where the project
# saves whole objects with `torch.save` (a model, `self`, an argparse namespace) or uses what it
# loads as a whole model (`.eval()`): weights_only refuses those files, so loading them would break.

SAVES = frozenset({"torch.save", "torch.serialization.save"})
FORCE_OLD_DEFAULT = "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"
HUB_WEIGHTS_ONLY_POSITION = 6  # load_state_dict_from_url(url, model_dir, map_location, progress, check_hash, file_name, weights_only)

# A requirement string that keeps torch below 2.6: an upper bound (`<2.6`, `<=2.5.1`), an exact
# release (`==2.1.*`, `==1.13.1`) or a compatible release within one minor (`~=2.3.0`).
_PIN = re.compile(r"""["']\s*torch\s*(?:\[[^\]"']*\])?\s*(?P<spec>[<>=!~][^"';]*)["']""")
_CLAUSE = re.compile(r"(==|<=|<|~=)\s*(\d+)(?:\.(\d+|\*))?(?:\.(\d+|\*))?")

# Words naming what torch.save writes as a whole object rather than tensors: weights_only refuses it.
OBJECT_WORDS = frozenset({"model", "net", "network", "module", "optimizer", "optim", "scheduler", "args", "cfg",
                          "config", "hparams", "opts", "options", "tokenizer", "classifier", "encoder", "decoder",
                          "estimator", "pipeline", "self", "learner", "trainer", "namespace"})
STATE_WORDS = frozenset({"state", "states", "dict", "sd", "weights", "params", "parameters", "tensor", "tensors",
                         "checkpoint", "ckpt", "buffers", "grads", "embeddings"})
# Values of torch's own that look plain but are objects weights_only refuses (TorchVersion, a str subclass).
OBJECT_VALUES = frozenset({"torch.__version__", "torch.version.__version__"})
PLAIN_METHODS = frozenset({"state_dict", "detach", "cpu", "cuda", "clone", "contiguous", "tolist", "item", "float",
                           "half", "double", "int", "long", "bool", "to", "copy", "items", "keys", "values"})
PLAIN_CALLS = frozenset({"builtins.dict", "builtins.list", "builtins.tuple", "builtins.int", "builtins.float",
                         "builtins.str", "builtins.len", "builtins.round", "builtins.sorted", "builtins.bool",
                         "collections.OrderedDict"})
# Methods of a whole model or optimizer, never of the dicts and tensors weights_only loads.
MODEL_METHODS = frozenset({"eval", "train", "parameters", "named_parameters", "modules", "children", "forward",
                           "state_dict", "zero_grad", "step", "predict", "generate", "named_modules"})


def torch_unsafe_state(site: CallSite, index: ProjectIndex) -> dict | None:
    """How the checkpoint load at `site` unpickles (the Match detail), or None when it does not."""
    hub = site.name in HUB_LOADS
    weights_only = keyword_arg(site, "weights_only")
    if hub and weights_only is None and len(site.node.args) > HUB_WEIGHTS_ONLY_POSITION:
        weights_only = site.node.args[HUB_WEIGHTS_ONLY_POSITION]
    if weights_only is not None and not (isinstance(weights_only, ast.Constant) and weights_only.value in (False, None)):
        return None  # True, or a value the code decides at run time (a flag defaulting to True)
    if any(k.arg is None for k in site.node.keywords):  # **options may set weights_only
        return None
    explicit = isinstance(weights_only, ast.Constant) and weights_only.value is False
    pickle_module = None if hub else _pickle_module(site)
    detail: dict = {"torch": "hub" if hub else "explicit" if explicit else "pickle_module" if pickle_module is not None else "default"}
    if pickle_module is not None:
        resolved = site.module.resolve(pickle_module) if isinstance(pickle_module, (ast.Name, ast.Attribute)) else None
        if resolved in PICKLE_MODULES:
            detail["drop_pickle_module"] = True
        else:
            shown = ast.unparse(pickle_module)
            detail["unfixable"] = (f"the checkpoint is read with pickle_module={shown}, which exists to load objects the "
                                   "standard pickle cannot: weights_only=True refuses any pickle_module; store tensors "
                                   "and plain data (a state_dict) and load them with weights_only=True")
    if detail["torch"] == "default":
        pin = old_torch(index)
        if pin is None:
            return None  # torch >= 2.6 loads with weights_only=True by default
        detail["pin"] = pin[0]
        if pin[1] < (1, 13):
            detail["unfixable"] = (f"the project supports torch {pin[0]}, which has no weights_only option (added "
                                   "in torch 1.13): require torch >= 1.13 and load with weights_only=True")
    return detail


def torch_message(site: CallSite, detail: dict) -> str:
    mode = detail["torch"]
    if mode == "hub":
        return (f"`{site.name}()` downloads a checkpoint from a URL an attacker controls and unpickles it: "
                "its weights_only defaults to False")
    if mode == "explicit":
        return f"`{site.name}(weights_only=False)` unpickles a checkpoint an attacker controls"
    if mode == "pickle_module":
        return (f"`{site.name}()` with a pickle_module unpickles a checkpoint an attacker controls: an explicit "
                "pickle_module turns weights_only off")
    return (f"`{site.name}()` unpickles a checkpoint an attacker controls on torch < 2.6, which the project "
            f"supports ({detail.get('pin', 'an old torch')}): it loads with weights_only=False there")


def _pickle_module(site: CallSite) -> ast.expr | None:
    """The `pickle_module` argument of `torch.load(f, map_location, pickle_module)`, None when absent or None."""
    node = keyword_arg(site, "pickle_module")
    if node is None and len(site.node.args) > 2:
        node = site.node.args[2]
    return None if node is None or (isinstance(node, ast.Constant) and node.value is None) else node


def old_torch(index: ProjectIndex) -> tuple[str, tuple[int, int]] | None:
    """(what shows it, the highest torch release allowed as (major, minor)) when the project supports
    torch < 2.6: a `setup.py` requirement keeping torch below 2.6, or code setting
    TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD (the old default on any release). None otherwise."""
    for f in index.files:
        if f.path.rpartition("/")[2] == "setup.py":
            for found in _PIN.finditer(f.text):
                top = _highest(found.group("spec"))
                if top is not None and top < (2, 6):
                    return f"setup.py: torch{found.group('spec').strip()}", top
    for f in index.files:
        if FORCE_OLD_DEFAULT in f.text and not is_test_file(f.path):
            return f"{f.path} sets {FORCE_OLD_DEFAULT}", (2, 6)
    return None


def _highest(spec: str) -> tuple[int, int] | None:
    """The highest (major, minor) a requirement specifier allows, when it has an upper bound."""
    tops = []
    for op, major, minor, micro in _CLAUSE.findall(spec):
        m = int(minor) if minor and minor != "*" else None
        if op == "<":
            if m is None:
                tops.append((int(major) - 1, 99))
            else:
                tops.append((int(major), m - 1) if m > 0 else (int(major) - 1, 99))
        elif op in ("<=", "=="):
            tops.append((int(major), 99 if m is None else m))
        elif op == "~=":
            if micro:  # ~=2.3.0: >=2.3.0, <2.4
                tops.append((int(major), 99 if m is None else m))
            else:  # ~=2.3: >=2.3, <3
                tops.append((int(major), 99))
    return min(tops) if tops else None


# -- whether weights_only=True would break what the project loads ---------------------------------
def torch_whole_objects(index: ProjectIndex, site: CallSite) -> str | None:
    """Why weights_only=True would refuse the project's own checkpoints, or None: a `torch.save` of a
    whole object anywhere in the project (its tests included), or the loaded value used as a model."""
    used = _used_as_model(site)
    if used:
        return (f"what the code loads is used as a whole model ({used}), which weights_only refuses: save "
                "model.state_dict() instead, load it into a model the code builds, and set weights_only=True")
    for f in index.files:
        module = index.module_at(f.path) if "torch" in f.text and "save" in f.text else None
        if module is None:
            continue
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call) and module.resolve(node.func) in SAVES and node.args:
                fn = _function_at(module, node)
                if _holds_objects(node.args[0], module, fn):
                    return (f"the project saves whole objects (`{ast.unparse(node)}` in {module.path}, line "
                            f"{node.lineno}), which weights_only refuses: save state_dict() and plain values instead, "
                            "then load with weights_only=True")
    return None


def _function_at(module: ModuleInfo, node: ast.AST) -> FunctionInfo | None:
    line = getattr(node, "lineno", 0)
    best = None
    for fn in module.functions.values():
        if fn.node.lineno <= line <= (fn.node.end_lineno or fn.node.lineno):
            if best is None or fn.node.lineno >= best.node.lineno:
                best = fn
    return best


def _holds_objects(expr: ast.expr, module: ModuleInfo, fn: FunctionInfo | None, depth: int = 0) -> bool:
    """What `torch.save` is given holds an object weights_only refuses (as far as the code shows)."""
    if depth > 6:
        return False
    if isinstance(expr, ast.Dict):
        return any(_holds_objects(v, module, fn, depth + 1) for v in expr.values if v is not None)
    if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
        return any(_holds_objects(v, module, fn, depth + 1) for v in expr.elts)
    if isinstance(expr, ast.Call):
        if isinstance(expr.func, ast.Attribute) and expr.func.attr in PLAIN_METHODS:
            return False
        resolved = module.resolve(expr.func) or ""
        if resolved in PLAIN_CALLS:
            return any(_holds_objects(a, module, fn, depth + 1) for a in expr.args)
        return False  # a tensor made by torch, or a helper whose result cannot be told
    if isinstance(expr, ast.Name):
        if expr.id == "self":
            return True
        if fn is not None and expr.id not in fn.params:
            value = _assigned_value(fn, expr.id, expr.lineno)
            if value is not None:
                return _holds_objects(value, module, fn, depth + 1)
        return _names_object(expr.id)
    if isinstance(expr, ast.Attribute):
        if module.resolve(expr) in OBJECT_VALUES:
            return True
        return _names_object(expr.attr)
    return False


def _names_object(name: str) -> bool:
    words = set(identifier_words(name))
    return bool(words & OBJECT_WORDS) and not words & STATE_WORDS


def _assigned_value(fn: FunctionInfo, name: str, before: int) -> ast.expr | None:
    found: tuple[int, ast.expr] | None = None
    for node in ast.walk(fn.node):
        if isinstance(node, ast.Assign) and node.lineno <= before and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            if found is None or node.lineno >= found[0]:
                found = (node.lineno, node.value)
    return found[1] if found else None


def _used_as_model(site: CallSite) -> str | None:
    """`torch.load(p).eval()`, or `m = torch.load(p)` then `m.eval()` / `m(x)`: the text of that use."""
    fn = site.function
    tree = fn.node if fn is not None else site.module.tree
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.value is site.node and node.attr in MODEL_METHODS:
            return f"`.{node.attr}()` on it"
        if isinstance(node, ast.Assign) and node.value is site.node:
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    if not names:
        return None
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or getattr(node, "lineno", 0) < site.node.lineno:
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in names \
                and func.attr in MODEL_METHODS:
            return f"`{func.value.id}.{func.attr}()`"
        if isinstance(func, ast.Name) and func.id in names:
            return f"`{func.id}(...)` calls it"
    return None
