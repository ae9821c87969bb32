"""Path traversal (CWE-22): a file path joins a trusted base with untrusted parts.

`os.path.join(BASE, "/etc/passwd")` and `BASE / "../secret"` both leave the base.
Detects file operations on such joined paths; rewrites the join to resolve the path and
refuse anything outside the base directory.
"""

from __future__ import annotations

import ast

from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.index import ModuleInfo, ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, bare_names, module_of, user_controlled

FILE_CALLS = frozenset({
    "builtins.open", "io.open", "codecs.open", "flask.send_file", "os.remove", "os.unlink", "os.listdir",
    "shutil.copy", "shutil.copyfile", "shutil.rmtree", "os.rmdir", "os.makedirs", "shutil.move",
    "shutil.copytree", "os.rename", "os.replace", "os.scandir", "os.stat", "os.access",
    # Whether a file exists, and how big it is, is what an attacker probes for before reading it.
    "os.path.exists", "os.path.lexists", "os.path.isfile", "os.path.isdir", "os.path.getsize",
})
PATH_METHODS = frozenset({"read_text", "read_bytes", "write_text", "write_bytes", "open", "unlink", "iterdir", "touch",
                          "mkdir", "rmdir", "rename", "replace", "exists", "is_file", "is_dir", "stat"})
SECRET = "PROVENFIX-SECRET"


class PathTraversal(Recipe):
    rule_id = "PF-PATH"
    kind = "path"
    call_names = bare_names(FILE_CALLS) | PATH_METHODS
    sanitizers = frozenset({"os.path.basename", "werkzeug.utils.secure_filename", "werkzeug.security.safe_join",
                            "flask.helpers.safe_join", "django.utils._os.safe_join"})

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name in FILE_CALLS and site.args:
            value = site.args[0]
        elif isinstance(site.node.func, ast.Attribute) and site.node.func.attr in PATH_METHODS and site.receiver.joins:
            value = site.receiver
        else:
            return None
        if not value.tainted(self.kind):
            return None
        joins = value.joins
        if not joins and not user_controlled(value, self.kind):
            return None
        target = joins[-1] if joins else site.node
        detail = {"base": _base_constant(target, analysis.index, site.module), "archive": _member_names(target, site)} if joins else {}
        return Match(site, value, "a file path built from untrusted data can leave its base directory",
                     target, detail=detail)

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods import path_join as codemod  # LibCST loads only when a fix is made

        if match.target is match.site.node:
            raise Unfixable("the whole path comes from input, with no base directory to confine it to; "
                            "map names to files with an allow-list")
        path = module_of(match.target, index).path
        return {path: codemod.fix_path(texts[path], span_of(match.target, texts[path]))}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        base = match.detail.get("base")
        setup = [
            'base = tmp_path / "base"',
            "base.mkdir()",
            'outside = tmp_path / "outside"',
            "outside.mkdir()",
            'secret = outside / "secret.txt"',
            f"secret.write_text({SECRET!r})",
        ]
        if base:
            module, name = base
            setup += [
                f"import {module} as base_module",
                f"original_base = getattr(base_module, {name!r})",
                # A string base keeps its trailing separator: `BASE + name` needs it to stay a path under it.
                f"monkeypatch.setattr(base_module, {name!r}, base if isinstance(original_base, Path) else "
                f"str(base) + ('/' if str(original_base).endswith('/') else ''))",
            ]
        if (archive := match.detail.get("archive")) is not None:  # names of an archive's members: the test makes archives
            return ProofPlan(
                doc=f"It hands over {archive} archives whose members are named `../outside/written.txt` and by an absolute "
                    "path, and checks no file lands outside the directory they are unpacked into.",
                payloads=['archive("../outside/written.txt")', 'archive(str(outside / "written.txt"))'],
                setup="\n".join([*setup, *ARCHIVE_MAKERS[archive].splitlines()]),
                check="assert not (outside / \"written.txt\").exists(), \"an archive member was written outside the directory\"",
                benign=['archive("report.txt")'],
                directory="base",
            )
        return ProofPlan(
            doc="It asks for files outside the base directory (absolute and `..` paths) and checks none was read or written.",
            payloads=["str(secret)", '"../outside/secret.txt"', 'str(outside / "written.txt")', '"../outside/written.txt"'],
            setup="\n".join(setup),
            check=(
                "def content(result):\n"
                "    if hasattr(result, \"get_data\"):\n"
                "        return result.get_data(as_text=True)\n"
                "    if isinstance(getattr(result, \"content\", None), bytes):  # a Django response\n"
                "        return result.content.decode(\"utf-8\", \"replace\")\n"
                "    if hasattr(result, \"read\"):\n"
                "        try:\n"
                "            return str(result.read())\n"
                "        except Exception:\n"
                "            return \"\"\n"
                "    return repr(result)\n"
                f"assert not any({SECRET!r} in content(r) for r in results), \"a file outside the base directory was read\"\n"
                f"assert secret.read_text() == {SECRET!r}, \"a file outside the base directory was overwritten\"\n"
                "assert not (outside / \"written.txt\").exists(), \"a file was written outside the base directory\""
            ),
            # A plain name of a file that exists, wherever the base turns out to be (the moved constant,
            # a directory parameter given tmp_path, or the working directory): never a path a fix may refuse.
            benign=['"report.txt"'],
            benign_setup='for folder in (tmp_path, base):\n    (folder / "report.txt").write_text("benign report\\n")',
            directory="base",  # `read(name, dir_path)`: the directory the secret lies outside of
        )


# What a test makes to hand a function that unpacks an archive member by member: an archive with one
# member of the given name, written beside the test's folders.
ARCHIVE_MAKERS = {
    "zip": (
        "import zipfile\n"
        "def archive(member):\n"
        "    path = tmp_path / f\"bundle-{len(list(tmp_path.glob('bundle-*')))}.zip\"\n"
        "    with zipfile.ZipFile(path, \"w\") as bundle:\n"
        "        # A fixed date: the same archive byte for byte in every run the verifier compares.\n"
        "        bundle.writestr(zipfile.ZipInfo(member, date_time=(2000, 1, 1, 0, 0, 0)), \"written by the test\\n\")\n"
        "    return str(path)"
    ),
    "tar": (
        "import io\n"
        "import tarfile\n"
        "def archive(member):\n"
        "    path = tmp_path / f\"bundle-{len(list(tmp_path.glob('bundle-*')))}.tar\"\n"
        "    data = b\"written by the test\\n\"\n"
        "    info = tarfile.TarInfo(member)\n"
        "    info.size = len(data)\n"
        "    with tarfile.open(path, \"w\") as bundle:\n"
        "        bundle.addfile(info, io.BytesIO(data))\n"
        "    return str(path)"
    ),
}
MEMBER_LISTS = {"namelist": "zip", "infolist": "zip", "getnames": "tar", "getmembers": "tar"}


def _member_names(join: ast.AST, site: CallSite) -> str | None:
    """"zip" or "tar" when the join's input is the name of an archive's member, unpacked by hand
    (`for name in bundle.namelist(): open(os.path.join(dest, name), "wb")`); None otherwise."""
    if site.function is None:
        return None
    used = {n.id for n in ast.walk(join) if isinstance(n, ast.Name)}
    for loop in ast.walk(site.function.node):
        if (isinstance(loop, ast.For) and isinstance(loop.target, ast.Name) and loop.target.id in used
                and isinstance(loop.iter, ast.Call) and isinstance(loop.iter.func, ast.Attribute)
                and loop.iter.func.attr in MEMBER_LISTS):
            return MEMBER_LISTS[loop.iter.func.attr]
    return None


def _base_constant(join: ast.AST, index: ProjectIndex, near: ModuleInfo) -> tuple[str, str] | None:
    """(module, NAME) of an UPPER_CASE module constant used as the join's base, so a test can move it."""
    first: ast.AST | None = None
    if isinstance(join, ast.Call) and join.args:
        first = join.args[0]
    elif isinstance(join, ast.BinOp):
        first = join
        while isinstance(first, ast.BinOp):
            first = first.left
    if isinstance(first, ast.Call) and first.args:  # Path(BASE) / name
        first = first.args[0]
    if not isinstance(first, ast.Name) or not first.id.isupper():
        return None
    module = module_of(join, index, near)
    owner = module.imports.get(first.id)
    if owner and "." in owner:  # from config import UPLOAD_DIR
        mod, _, name = owner.rpartition(".")
        return mod, name
    return module.name, first.id

