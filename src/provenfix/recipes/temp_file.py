"""Insecure temporary files (CWE-377): a file made under a name another local user can know first.

`tempfile.mktemp()` only picks a name that is free now: between that and the `open()`, anyone on
the machine can create the name themselves (a symbolic link to a file of the victim's, say). A
fixed name in a world-writable directory (`open("/tmp/report.csv", "w")`,
`os.path.join("/tmp", ...)`, `Path("/tmp") / ...`) is worse: it can be claimed any time before.
The process then writes through the link into whatever it points to, with its own rights.
Detects `mktemp` and files written under a fixed name in /tmp, /var/tmp or /dev/shm; the fix
creates the file at once with `tempfile.mkstemp` (a random name, O_EXCL, mode 0o600) and keeps
handing the code a name, as before.
"""

from __future__ import annotations

import ast
import re

from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.index import FunctionInfo, ModuleInfo, ProjectIndex
from provenfix.flow.taint import EMPTY, Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, argument, assignments, own_nodes, route_or_function

SHARED_DIRS = ("/tmp", "/var/tmp", "/dev/shm")  # world-writable everywhere (Bandit's B108 list)
MKTEMP = frozenset({"tempfile.mktemp"})
OPENS = frozenset({"builtins.open", "io.open", "codecs.open"})
WRITE_METHODS = frozenset({"write_text", "write_bytes"})
PATH_TYPES = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"})
JOINS = frozenset({"os.path.join", "posixpath.join"})
# What a mktemp name may be made into that a file made in its place would break.
NOT_A_FILE = frozenset({"os.mkdir", "os.makedirs", "os.mkfifo", "os.mknod", "os.symlink", "os.link", "shutil.copytree",
                        "os.path.exists", "os.path.isfile", "os.path.lexists", "os.access"})

HELPER = "_new_temp_file"
HELPER_CODE = '''\
def _new_temp_file(suffix="", prefix="tmp", dir=None):
    """The name tempfile.mktemp() would give, but the file is created at once (mkstemp: O_EXCL,
    mode 0o600), so no other user can claim the name first."""
    import os
    import tempfile

    fd, name = tempfile.mkstemp(suffix, prefix, dir)
    os.close(fd)
    return name
'''
PATH_HELPER = "_unique_temp_path"
PATH_HELPER_CODE = '''\
def _unique_temp_path(path):
    """A new, private file in place of the fixed temporary name `path`: created at once by
    mkstemp in the same folder (a random name, O_EXCL, mode 0o600), so no other user can create
    the name first or link it elsewhere. Same stem and extension; a str or a Path, as given."""
    import os
    import tempfile

    folder, name = os.path.split(os.fspath(path))
    stem, suffix = os.path.splitext(name)
    fd, new = tempfile.mkstemp(suffix=suffix, prefix=stem + "-", dir=folder or None)
    os.close(fd)
    return type(path)(new)
'''


def _shared(text: object) -> bool:
    return isinstance(text, str) and any(text == d or text.startswith(d + "/") for d in SHARED_DIRS)


def _write_mode(mode: ast.expr | None) -> bool | None:
    """True for a mode that creates or truncates a file by name (not "x": it refuses a name that exists);
    None when the mode is not a constant."""
    if mode is None:
        return False
    if not (isinstance(mode, ast.Constant) and isinstance(mode.value, str)):
        return None
    return "x" not in mode.value and any(c in mode.value for c in "wa+")


class TempPath:
    """What the code writes to: a path in a shared temporary folder, and where it is built."""

    def __init__(self, text: str, built: ast.expr, const: str | None = None) -> None:
        self.text = text  # the path's constant start, as the code writes it ("/tmp/report_")
        self.built = built  # the expression that builds it: what the fix wraps
        self.const = const  # a module-level constant it is taken from, if so


def shared_temp_path(expr: ast.expr, fn: FunctionInfo | None, module: ModuleInfo, depth: int = 0) -> TempPath | None:
    """`expr` names a file in /tmp (or /var/tmp, /dev/shm) under a name fixed by the code: a literal,
    an f-string or concatenation starting with one, a join or Path of such a folder, or a variable
    assigned one of those once."""
    if depth > 4:
        return None
    if isinstance(expr, ast.Constant) and _shared(expr.value):
        return TempPath(expr.value, expr)
    if isinstance(expr, ast.JoinedStr) and expr.values and isinstance(expr.values[0], ast.Constant) \
            and _shared(expr.values[0].value.split("{")[0] if isinstance(expr.values[0].value, str) else None):
        return TempPath(expr.values[0].value, expr)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Mod, ast.Div)):
        if isinstance(expr.op, ast.Div) or isinstance(expr.op, ast.Add):
            inner = shared_temp_path(expr.left, fn, module, depth + 1)
            if inner is not None:
                return TempPath(inner.text, expr, inner.const)
        elif isinstance(expr.left, ast.Constant) and _shared(expr.left.value):
            return TempPath(expr.left.value, expr)
        return None
    if isinstance(expr, ast.Call):
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr == "format" and isinstance(func.value, ast.Constant) \
                and _shared(func.value.value):
            return TempPath(func.value.value, expr)
        name = module.resolve(func)
        if name in JOINS | PATH_TYPES and expr.args and not isinstance(expr.args[0], ast.Starred):
            inner = shared_temp_path(expr.args[0], fn, module, depth + 1)
            if inner is not None:
                return TempPath(inner.text, expr, inner.const)
        return None
    if isinstance(expr, ast.Name):
        scope = fn.node if fn is not None else module.tree
        assigned = assignments(scope, expr.id)
        if fn is not None and assigned and len(assigned) == 1:
            return shared_temp_path(assigned[0].value, fn, module, depth + 1)
        if fn is not None and not assigned and not _is_param(fn, expr.id):
            top = assignments(module.tree, expr.id, top_level=True)
            if len(top) == 1 and (found := shared_temp_path(top[0].value, None, module, depth + 1)) is not None:
                return TempPath(found.text, expr, expr.id)
    return None


def _is_param(fn: FunctionInfo, name: str) -> bool:
    return name in fn.params


def _written_path(site: CallSite) -> tuple[ast.expr, str] | None:
    """The path a call writes a file at, by name, and how ("open", "write_text"); None for other calls."""
    node = site.node
    if site.name in OPENS:
        path = argument(site, 0, "file")
        mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
        return (path[0], "open") if path is not None and _write_mode(mode) else None
    if isinstance(node.func, ast.Attribute) and node.func.attr in WRITE_METHODS:
        return node.func.value, node.func.attr
    if isinstance(node.func, ast.Attribute) and node.func.attr == "open" and site.name not in OPENS:
        mode = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "mode"), None)
        if _write_mode(mode) and not (site.name or "").startswith(("os.", "io.", "codecs.", "gzip.", "bz2.", "lzma.")):
            return node.func.value, "open"
    return None


class TempFile(Recipe):
    rule_id = "PF-TEMP"
    kind = "tempfile"
    call_names = frozenset({"mktemp", "open", "write_text", "write_bytes"})
    equivalent_ids = frozenset({"B306", "B108", "S306", "S108"})
    without_input = frozenset({"tempfile", "os", "pathlib", "builtins"})  # `open("/tmp/...")` needs no import
    without_input_text = r"mktemp|/(?:tmp|var/tmp|dev/shm)\b"

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.function is None:
            return None  # module-level code runs on import: no entry point a proof could call twice
        if site.name in MKTEMP:
            return Match(site, EMPTY, "`tempfile.mktemp()` returns a name that is only free for now: another user "
                         "can create it (a link to another file) before this code opens it", site.node,
                         detail={"shape": "mktemp", "entry": route_or_function(site)})
        written = _written_path(site)
        if written is None:
            return None
        path_expr, how = written
        found = shared_temp_path(path_expr, site.function, site.module)
        if found is None:
            return None
        folder = next(d for d in SHARED_DIRS if found.text == d or found.text.startswith(d + "/"))
        shown = re.sub(r"\s+", " ", ast.get_source_segment(site.module.source, found.built) or ast.unparse(found.built))
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        return Match(site, EMPTY, f"the file is written in {folder}, a folder every user can write to, under a name "
                     f"known in advance (`{shown}`): another user can create it first, as a link to a file of "
                     "yours, and this code then writes through the link", found.built, confidence="high" if folder != "/dev/shm" else "medium",
                     detail={"shape": "fixed", "how": how, "text": found.text, "const": found.const,
                             "entry": route_or_function(site)})

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.wrap import call_helper_instead, wrap_in_helper  # LibCST loads only when a fix is made

        path = match.site.module.path
        if match.detail["shape"] == "mktemp":
            _check_mktemp_use(match)
            return {path: call_helper_instead(texts[path], span_of(match.target, texts[path]), HELPER, HELPER_CODE)}
        _check_fixed_name(match, index)
        return {path: wrap_in_helper(texts[path], [span_of(match.target, texts[path])], PATH_HELPER, PATH_HELPER_CODE)}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        returns_path = _returns_name(match)
        return ProofPlan(
            doc="It plays the other local user: the moment the code opens a file for writing in a shared temporary "
                "folder under a name that is still free, it puts a link to a canary file there first, and checks "
                "the canary was not overwritten through it.",
            payloads=['"provenfix"'],
            setup=PLANTER,
            before_each="attack[0] = True",
            check=(
                "attack[0] = False\n"
                "for link in planted:\n"
                "    if os.path.islink(link):\n"
                "        os.remove(link)\n"
                "assert canary.read_text() == \"provenfix canary\", (\n"
                "    f\"the code wrote through a link planted at its temporary file name {planted}: {canary.read_text()[:80]!r}\")"
            ),
            benign=['"provenfix"'],
            # A fix names the file anew on every call: a returned name can only keep its type.
            observe="type" if returns_path else "value",
        )


# The attacker, as an audit hook: when the code is about to open a file for writing by a name in a
# shared temporary folder that nobody has taken yet, a link to the canary is made there first.
# Names the code made itself earlier in the test stay (the sticky folder keeps them its own); a file
# left under the same fixed name by an earlier run is replaced (the attacker could have been first).
PLANTER = '''\
import os
import sys
import tempfile
import time

canary.write_text("provenfix canary")
shared = {os.path.realpath(d) for d in ("/tmp", "/var/tmp", "/dev/shm", tempfile.gettempdir())}
started = time.time_ns()
attack, planted = [False], []

def _in_shared(path):
    return os.path.realpath(os.path.dirname(os.path.abspath(path))) in shared

def _plant(event, args):
    if not attack[0] or event != "open" or planted or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path, mode, flags = args
    if not isinstance(flags, int) or not flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
        return
    path = os.fsdecode(path)
    if not _in_shared(path):
        return
    try:
        if os.path.lexists(path):
            if os.path.islink(path) or os.lstat(path).st_mtime_ns >= started:
                return
            os.remove(path)
        os.symlink(canary, path)
        planted.append(path)
    except OSError:
        pass

sys.addaudithook(_plant)'''


def _returns_name(match: Match) -> bool:
    """The function hands out the name (or something holding it): what it returns changes with the fix."""
    fn = match.site.function
    assert fn is not None
    names = {n.id for n in ast.walk(match.target) if isinstance(n, ast.Name)}
    holder = _holder(fn, match.target)
    if holder:
        names.add(holder)
    for node in own_nodes(fn.node):
        if isinstance(node, ast.Return) and node.value is not None:
            if any(n is match.target for n in ast.walk(node.value)):
                return True
            if any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node.value)):
                return True
    return False


def _holder(fn: FunctionInfo, expr: ast.AST) -> str | None:
    """The variable `expr` is assigned to, if it is the whole value of an assignment."""
    for node in own_nodes(fn.node):
        if isinstance(node, ast.Assign) and node.value is expr and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            return node.targets[0].id
    return None


def _check_mktemp_use(match: Match) -> None:
    fn = match.site.function
    assert fn is not None
    name = _holder(fn, match.site.node)
    for node in own_nodes(fn.node):
        if not isinstance(node, ast.Call):
            continue
        callee = match.site.module.resolve(node.func) or ""
        uses = [a for a in node.args if (isinstance(a, ast.Name) and a.id == name) or a is match.site.node]
        if uses and (callee in NOT_A_FILE or callee.endswith(".bind")):
            raise Unfixable(f"the name is handed to `{callee}()`, which needs it not to exist yet: make a folder with "
                            "tempfile.mkdtemp() and use a name inside it instead")


def _check_fixed_name(match: Match, index: ProjectIndex) -> None:
    detail = match.detail
    node = match.site.node
    mode = None
    if detail["how"] == "open":
        at = 1 if match.site.name in OPENS else 0  # open(path, mode) or path.open(mode)
        mode = node.args[at] if len(node.args) > at else next((k.value for k in node.keywords if k.arg == "mode"), None)
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str) and "a" in mode.value:
        raise Unfixable("the code appends to the file under its fixed name on every call: keep it in a private "
                        "folder (one made by tempfile.mkdtemp(), or the user's own data folder) instead of a shared one")
    if detail.get("const"):
        raise Unfixable(f"the name comes from the module constant `{detail['const']}`, which other code may rely on: "
                        "make it a private folder (tempfile.mkdtemp()) or a file from tempfile.mkstemp()")
    text = detail["text"].split("{")[0]
    if len(text.rstrip("/")) > len("/tmp"):  # a fixed name other code may read back: look for it elsewhere
        fn = match.site.function
        assert fn is not None
        literal = re.compile(re.escape(text))
        own = ast.get_source_segment(fn.module.source, fn.node) or ""
        for module in index.modules.values():
            source = module.source.replace(own, "") if module is fn.module else module.source
            if literal.search(source):
                raise Unfixable(f"`{text}` is also named in {module.path}: code there relies on the fixed name, which "
                                "a unique name would break; share a private folder (tempfile.mkdtemp()) instead")
