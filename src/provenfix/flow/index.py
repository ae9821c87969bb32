"""The project as a set of parsed modules: what every name means and where every function is.

Names are resolved to canonical dotted names (`sh` → `subprocess.run`, `y.load` →
`yaml.load`, `cmds.build_cmd` → `pkg.cmds.build_cmd`) so detectors match on meaning,
not on spelling.
"""

from __future__ import annotations

import ast
import builtins
import re
import weakref
from dataclasses import dataclass, field

from provenfix.flow.syntax import parse_module
from provenfix.workspace import SourceFile

BUILTINS = frozenset(dir(builtins))
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass
class FunctionInfo:
    # A weak back-reference: with a strong one every module and its functions would form a
    # reference cycle, and a large tree's analysis could only be freed by a multi-second
    # cyclic collection instead of by reference counting.
    module_ref: "weakref.ref[ModuleInfo]"
    node: FunctionNode
    qualname: str  # within the module: "f", "Cls.method", "outer.<locals>.inner"
    class_name: str | None
    nested: bool

    @property
    def module(self) -> "ModuleInfo":
        module = self.module_ref()
        assert module is not None, "a function outlived its project index"
        return module

    @property
    def full_name(self) -> str:
        return f"{self.module.name}.{self.qualname}"

    @property
    def params(self) -> list[str]:
        a = self.node.args
        names = [p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)]
        if a.vararg:
            names.append(a.vararg.arg)
        if a.kwarg:
            names.append(a.kwarg.arg)
        return names

    @property
    def positional(self) -> list[str]:
        a = self.node.args
        names = [p.arg for p in (*a.posonlyargs, *a.args)]
        if self.class_name and names and not self._is_static():
            return names[1:]
        return names

    def _is_static(self) -> bool:
        return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in self.node.decorator_list)

    @property
    def is_async(self) -> bool:
        return isinstance(self.node, ast.AsyncFunctionDef)


@dataclass
class ModuleInfo:
    path: str
    name: str
    source: str
    tree: ast.Module
    imports: dict[str, str] = field(default_factory=dict)  # local name → canonical dotted name
    functions: dict[str, FunctionInfo] = field(default_factory=dict)  # qualname → info
    constants: set[str] = field(default_factory=set)  # module-level assigned names
    # Module-level names bound once, to what a call made: `log = logging.getLogger()` → "logging.getLogger()".
    object_types: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    memo: dict = field(default_factory=dict)  # facts derived from the tree once, by whoever needs them

    @property
    def imported_roots(self) -> set[str]:
        """Top-level packages the module imports from (`django` for `from django.db import x`)."""
        if "imported_roots" not in self.memo:
            self.memo["imported_roots"] = {c.partition(".")[0] for c in self.imports.values()}
        return self.memo["imported_roots"]

    def resolve(self, node: ast.expr) -> str | None:
        """Canonical dotted name of a Name/Attribute chain, or None when it is not a plain reference."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        head = node.id
        if head in self.imports:
            base = self.imports[head]
        elif head in self.functions or head in self.constants:
            base = f"{self.name}.{head}"
        elif head in BUILTINS:
            base = f"builtins.{head}"
        else:
            base = head
        return ".".join([base, *reversed(parts)])


def module_name(path: str) -> str:
    parts = path[:-3].split("/")
    if parts[0] == "src" and len(parts) > 1:
        parts = parts[1:]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or "__init__"


class ProjectIndex:
    """The project's modules, parsed when first asked for, and a lookup from canonical name to function.

    Parsing is most of a scan's cost, so a module is parsed only when something needs it: the
    units a scan walks, and the helpers their calls reach. `modules` parses the rest on demand.
    """

    def __init__(self, files: list[SourceFile], warnings: list[str]) -> None:
        self.files = files
        self.warnings = warnings
        self._by_path = {f.path: f for f in files}
        self._by_name = {module_name(f.path): f for f in files}  # a later duplicate wins, as on sys.path
        self._parsed: dict[str, ModuleInfo | None] = {}  # path → module, None when it does not parse
        self._definers: dict[str, list[str]] | None = None  # bare function name → paths that may define it
        self._functions: dict[str, FunctionInfo | None] = {}  # canonical name → function, as answered

    def module_at(self, path: str) -> ModuleInfo | None:
        """The module of a project file, parsed now if it was not yet; None when it cannot be parsed."""
        if path not in self._parsed:
            self._parsed[path] = self._parse(self._by_path[path])
        return self._parsed[path]

    def text_of(self, path: str) -> str:
        return self._by_path[path].text

    def module(self, name: str) -> ModuleInfo | None:
        f = self._by_name.get(name)
        return self.module_at(f.path) if f else None

    @property
    def modules(self) -> dict[str, ModuleInfo]:
        """Every module, by name, in file order (parses what was not parsed yet)."""
        out = {}
        for f in self.files:
            if (info := self.module_at(f.path)) is not None:
                out[info.name] = info
        return out

    def parsed(self) -> list[ModuleInfo]:
        """The modules parsed so far (without parsing the rest)."""
        return [m for m in self._parsed.values() if m is not None]

    def function(self, canonical: str | None) -> FunctionInfo | None:
        """The project function a canonical name means, or None (answers are kept: asked per call)."""
        if canonical is None:
            return None
        if canonical not in self._functions:
            self._functions[canonical] = self._function(canonical)
        return self._functions[canonical]

    def _function(self, canonical: str) -> FunctionInfo | None:
        head, _, tail = canonical.rpartition(".")
        if not head:  # a bare, unresolved name: a local variable or parameter, not a project function
            return None
        # "pkg.mod.f" or "pkg.mod.Cls.method": the module is the longest prefix that is a project module.
        parts = canonical.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            if (module := self.module(".".join(parts[:cut]))) is not None:
                fn = module.functions.get(".".join(parts[cut:]))
                if fn is not None:
                    return fn
        # `from pkg import mod` then `mod.f` resolves to "pkg.mod.f"; a package re-export
        # "pkg.f" defined in pkg/impl.py is matched on the last two parts.
        for path in self._definers_of(tail):
            name = module_name(path)
            if not (name.startswith(head) or head.startswith(name)):
                continue  # decided on the name, before paying for a parse
            module = self.module_at(path)
            fn = module.functions.get(tail) if module else None
            if fn is not None and not fn.nested and not fn.class_name:
                return fn
        return None

    def _definers_of(self, name: str) -> list[str]:
        """Files whose text may define a function `name` (a superset: parsing confirms it)."""
        if self._definers is None:
            self._definers = {}
            for f in self.files:
                for found in dict.fromkeys(_DEF.findall(f.text)):
                    self._definers.setdefault(found, []).append(f.path)
        return self._definers.get(name, [])

    def _parse(self, f: SourceFile) -> ModuleInfo | None:
        try:
            tree = parse_module(f.text, f.path)
        except (SyntaxError, ValueError) as exc:
            line = getattr(exc, "lineno", None)
            self.warnings.append(f"{f.path}: skipped, syntax error{f' at line {line}' if line else ''}: {getattr(exc, 'msg', exc)}")
            return None
        except RecursionError:
            self.warnings.append(f"{f.path}: skipped, nested too deeply to parse")
            return None
        info = ModuleInfo(f.path, module_name(f.path), f.text, tree, lines=f.text.splitlines())
        _collect(info)
        return info


# A loose superset (a literal prefix keeps it 15x faster than anchoring at line starts); parsing confirms.
_DEF = re.compile(r"def[ \t]+(\w+)")


def _collect(info: ModuleInfo) -> None:
    package = info.name if info.path.endswith("__init__.py") else info.name.rpartition(".")[0]
    for node in _statements(info.tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    info.imports[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    info.imports[top] = top
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".") if package else []
                anchor = anchor[: len(anchor) - (node.level - 1)] if node.level > 1 else anchor
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                info.imports[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
    made: dict[str, str | None] = {}
    for stmt in info.tree.body:
        for target in _assigned_names(stmt):
            info.constants.add(target)
            made[target] = None if target in made else _made_by(stmt, info)
            # `yaml = YAML(typ="rt")` after `import yaml`: the name now means the object, not the module.
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
                info.imports.pop(target, None)
    info.object_types = {name: kind for name, kind in made.items() if kind}
    _collect_functions(info, info.tree.body, prefix="", class_name=None, nested=False)


def _made_by(stmt: ast.stmt, info: ModuleInfo) -> str | None:
    """What `name = library.Thing(...)` binds: "library.Thing()" (the name's imports are still in place)."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.value, ast.Call):
        name = info.resolve(stmt.value.func)
        if name and "." in name and not name.startswith(info.name + "."):
            return f"{name}()"
    return None


_IMPORTS = (ast.Import, ast.ImportFrom)
_BLOCKS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor, ast.While,
           ast.With, ast.AsyncWith, ast.Try, ast.TryStar, ast.Match)


def _statements(body: list[ast.stmt], out: list[ast.stmt] | None = None) -> list[ast.stmt]:
    """The import statements, nested ones included, in order, without visiting expressions (a tree
    has ten times more expression nodes than statements) or looking into simple statements."""
    out = [] if out is None else out
    for stmt in body:
        if isinstance(stmt, _IMPORTS):
            out.append(stmt)
        elif isinstance(stmt, _BLOCKS):
            for block in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, block, None)
                if inner:
                    _statements(inner, out)
            for handler in getattr(stmt, "handlers", ()):
                _statements(handler.body, out)
            for case in getattr(stmt, "cases", ()):
                _statements(case.body, out)
    return out


def _assigned_names(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, ast.Assign):
        return [t.id for t in stmt.targets if isinstance(t, ast.Name)]
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id]
    return []


def _collect_functions(info: ModuleInfo, body: list[ast.stmt], prefix: str, class_name: str | None, nested: bool) -> None:
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            qualname = f"{prefix}{stmt.name}"
            if qualname in info.functions:
                # Redefined: the later one is what a call runs, but the earlier one is code too and is
                # analysed under a name of its own.
                earlier = info.functions.pop(qualname)
                earlier.qualname = f"{qualname}@{earlier.node.lineno}"
                info.functions[earlier.qualname] = earlier
            info.functions[qualname] = FunctionInfo(weakref.ref(info), stmt, qualname, class_name, nested)
            _collect_functions(info, stmt.body, f"{qualname}.<locals>.", None, True)
        elif isinstance(stmt, ast.ClassDef):
            _collect_functions(info, stmt.body, f"{prefix}{stmt.name}.", stmt.name if not nested else None, nested)
        elif isinstance(stmt, (ast.If, ast.Try, ast.With)):
            for block in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(stmt, block, [])
                if block == "handlers":
                    for handler in inner:
                        _collect_functions(info, handler.body, prefix, class_name, nested)
                else:
                    _collect_functions(info, inner, prefix, class_name, nested)
