"""Unsafe YAML deserialization (CWE-502): a loader that can build arbitrary Python objects.

Detects `yaml.load` with no, `Loader`, `UnsafeLoader` or `FullLoader`, and the
`unsafe_load`/`full_load` families; rewrites them to `safe_load`/`safe_load_all`.
Reported when the document (or the name of its file) comes from input.
"""

from __future__ import annotations

import ast

from provenfix.codemods.base import span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Recipe, bare_names, Match, ProofPlan, keyword_arg

UNSAFE_ALWAYS = frozenset({"yaml.unsafe_load", "yaml.full_load", "yaml.unsafe_load_all", "yaml.full_load_all"})
LOADER_CHOICE = frozenset({"yaml.load", "yaml.load_all"})
SAFE_LOADERS = ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")
SAFE_CONSTRUCTORS = ("SafeConstructor", "BaseConstructor")  # what a project's own loader may be built on
FILE_OPENERS = frozenset({"builtins.open", "io.open", "pathlib.Path", "codecs.open"})


class UnsafeYaml(Recipe):
    rule_id = "PF-YAML"
    kind = "yaml"
    call_names = bare_names(UNSAFE_ALWAYS | LOADER_CHOICE)
    equivalent_ids = frozenset({"B506", "S506"})
    reports_pass_through = True

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name in LOADER_CHOICE:
            loader = keyword_arg(site, "Loader") or (site.node.args[1] if len(site.node.args) > 1 else None)
            loader_name = site.module.resolve(loader) if loader is not None else None
            if loader_name and _safe_loader(loader_name, analysis.index):
                return None
        elif site.name not in UNSAFE_ALWAYS:
            return None
        value = site.args[0] if site.args else site.keywords.get("stream")
        if value is None or not value.tainted(self.kind):
            return None  # the project's own document (a constant, a bundled file) is not an attack
        return Match(site, value, f"`{site.name}()` can construct arbitrary Python objects from the document",
                     site.node, detail={"file_payload": _reads_file(site)})

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods import yaml_load as codemod  # LibCST loads only when a fix is made

        path = match.site.module.path
        return {path: codemod.fix_yaml(texts[path], span_of(match.target, texts[path]))}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        return ProofPlan(
            doc="It loads documents with Python tags and checks that no command ran and no Python name was resolved.",
            payloads=['f\'!!python/object/apply:os.system ["touch {canary}"]\'', '"key: !!python/name:os.system"'],
            setup=(
                "import yaml.constructor\n"
                "resolved = []\n"
                "_real_find = yaml.constructor.FullConstructor.find_python_name\n"
                "def _recording_find(self, name, mark, unsafe=False):\n"
                "    resolved.append(name)\n"
                "    return _real_find(self, name, mark, unsafe)\n"
                "monkeypatch.setattr(yaml.constructor.FullConstructor, \"find_python_name\", _recording_find)"
            ),
            check=(
                'assert not canary.exists(), "the YAML document ran a shell command"\n'
                'assert not resolved, f"the YAML document resolved Python objects: {resolved}"'
            ),
            file_payload=match.detail.get("file_payload", False),
            benign=[repr("- title: hello\n  body: world\n  tags: [a, b]\n"), repr("name: demo\nitems: [1, 2]\nenabled: true\n")],
        )


def _safe_loader(name: str, index: ProjectIndex, depth: int = 4) -> bool:
    """PyPI yaml's safe loaders, or a project class built on them or on `SafeConstructor`
    (`class AnsibleLoader(Reader, Scanner, Parser, Composer, SafeConstructor, Resolver)`)."""
    if name.endswith(SAFE_LOADERS + SAFE_CONSTRUCTORS):
        return True
    module_name, _, class_name = name.rpartition(".")
    module = index.module(module_name) if depth else None
    node = next((s for s in module.tree.body if isinstance(s, ast.ClassDef) and s.name == class_name), None) if module else None
    if node is None:
        return False
    bases = [module.resolve(b) for b in node.bases]
    constructors = [b for b in bases if b and b.rpartition(".")[2].endswith("Constructor")]
    if constructors:  # the constructor decides what a document can build
        return all(_safe_loader(b, index, depth - 1) for b in constructors)
    return any(b and _safe_loader(b, index, depth - 1) for b in bases)


def _reads_file(site: CallSite) -> bool:
    """The document comes from a file the tainted parameter names (`open(path)`), not from the text itself."""
    fn = site.function
    if fn is None:
        return False
    params = set(fn.params)
    for node in ast.walk(fn.node):
        if isinstance(node, ast.Call) and site.module.resolve(node.func) in FILE_OPENERS and node.args:
            if isinstance(node.args[0], ast.Name) and node.args[0].id in params:
                return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("read_text", "open"):
            base = node.func.value
            if isinstance(base, ast.Name) and base.id in params:
                return True
    return False
