"""The target project as ProvenFix sees it: its root, its Python files, how to run its tests.

Reading is defensive: a file that cannot be read as Python source (binary, not in its
declared encoding, huge, a symlink leaving the project or looping) is skipped with a one-line
warning and the rest of the project is still scanned. Files are decoded as the interpreter
decodes them: UTF-8 unless a BOM or a PEP 263 coding line says otherwise.
"""

from __future__ import annotations

import fnmatch
import io
import os
import shlex
import sys
import tokenize
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from provenfix.config import unknown_keys
from provenfix.errors import UsageError

ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "env", ".env", "node_modules", "__pycache__", ".tox", ".nox",
     ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist", ".eggs", "site-packages", ".provenfix-cache"}
)
MAX_FILE_BYTES = 2_000_000


@dataclass(frozen=True)
class SourceFile:
    path: str  # POSIX, relative to the workspace root
    text: str


@dataclass
class Workspace:
    root: Path
    targets: list[Path]  # what the user named: the root itself, sub-folders or single files
    python: str
    test_command: list[str] | None
    warnings: list[str] = field(default_factory=list)
    config: dict = field(default_factory=dict)  # [tool.provenfix] of pyproject.toml

    def files(self) -> list[SourceFile]:
        """Every readable Python file of the project (plus targeted files, even if ignored), in a stable order."""
        seen: dict[str, SourceFile] = {}
        # Targets are walked too: a folder the project walk skips (vendored, ignored) is still scanned when named.
        paths = _walk(self.root, self.root, self.warnings)
        for target in self.targets:
            if target.is_file():
                paths.append(target)
            elif target != self.root:
                paths += _walk(target, self.root, [])
        for path in paths:
            rel = path.relative_to(self.root).as_posix()
            if rel not in seen and (text := read_source(path, rel, self.warnings)) is not None:
                seen[rel] = SourceFile(rel, text)
        return [seen[k] for k in sorted(seen)]


def open_workspace(paths: list[str], python: str | None = None) -> Workspace:
    if not paths:
        raise UsageError("no path given")
    resolved: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise UsageError(f"{raw}: no such file or directory")
        if p.is_file() and p.suffix != ".py":
            raise UsageError(f"{raw}: not a Python file")
        resolved.append(p.resolve())
    root = find_root(resolved[0])
    for p in resolved[1:]:
        if not p.is_relative_to(root):
            raise UsageError(f"{p}: outside the project at {root}")
    config = tool_config(root)
    warnings = unknown_keys(config)  # said once per run, here where the project is loaded
    config = config if isinstance(config, dict) else {}
    return Workspace(
        root=root,
        targets=resolved,
        python=python or _project_python(root),
        test_command=_test_command(config),
        warnings=warnings,
        config=config,
    )


def is_test_file(rel: str) -> bool:
    """Test code: analysed for flows, but its sinks run on fixtures, so it is not reported by default."""
    parts = rel.strip("/").split("/")
    name = parts[-1]
    return (any(p in ("tests", "test") for p in parts[:-1]) or name.startswith("test_")
            or name.endswith("_test.py") or name == "conftest.py")


def find_root(path: Path) -> Path:
    """Nearest enclosing folder with a project marker; a lone folder is its own project."""
    start = path if path.is_dir() else path.parent
    for candidate in (start, *start.parents):
        if any((candidate / m).exists() for m in ROOT_MARKERS):
            return candidate
    return start


def read_source(path: Path, rel: str, warnings: list[str]) -> str | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            warnings.append(f"{rel}: skipped, {size // 1024} KiB is too large to be hand-written code")
            return None
        data = path.read_bytes()
    except OSError as exc:
        warnings.append(f"{rel}: skipped, cannot read ({exc.strerror or exc})")
        return None
    if b"\0" in data:
        warnings.append(f"{rel}: skipped, binary content")
        return None
    try:
        return decode_source(data)[0]
    except SyntaxError as exc:  # a coding line naming an unknown codec, or contradicting the BOM
        warnings.append(f"{rel}: skipped, bad encoding declaration ({exc.msg})")
    except UnicodeDecodeError as exc:
        label = "UTF-8" if exc.encoding.lower().startswith("utf-8") else exc.encoding
        warnings.append(f"{rel}: skipped, not {label} (byte {exc.start})")
    return None


def decode_source(data: bytes) -> tuple[str, str]:
    """(text, encoding) of Python source, as the interpreter reads it: a BOM gives "utf-8-sig"
    (the BOM is not in the text), a PEP 263 coding line its codec. No newline translation."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        data.decode("utf-8")  # first lines neither UTF-8 nor declared: say so, with the byte offset
        raise
    return data.decode(encoding), encoding


def _walk(top: Path, root: Path, warnings: list[str]) -> list[Path]:
    ignored = _gitignore_patterns(root)
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        here = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            sub = here / d
            if d in SKIP_DIRS or d.endswith(".egg-info") or _ignored(sub, root, ignored):
                continue
            if sub.is_symlink():
                warnings.append(f"{_rel(sub, root)}: skipped, symlinked folder")
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            path = here / name
            if not name.endswith(".py") or _ignored(path, root, ignored):
                continue
            if path.is_symlink():
                try:
                    real = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    warnings.append(f"{_rel(path, root)}: skipped, broken or looping symlink")
                    continue
                if not real.is_relative_to(root):
                    warnings.append(f"{_rel(path, root)}: skipped, symlink points outside the project")
                    continue
            found.append(path)
    return found


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _gitignore_patterns(root: Path) -> list[str]:
    try:
        lines = (root / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return [ln.strip().rstrip("/") for ln in lines if ln.strip() and not ln.startswith(("#", "!"))]


def _ignored(path: Path, root: Path, patterns: list[str]) -> bool:
    rel = _rel(path, root)
    return any(fnmatch.fnmatch(rel, p.lstrip("/")) or fnmatch.fnmatch(path.name, p) for p in patterns)


def tool_config(root: Path) -> dict:
    """`[tool.provenfix]`, as written: not necessarily a table (`config.unknown_keys` says so)."""
    try:
        with (root / "pyproject.toml").open("rb") as fh:
            tool = tomllib.load(fh).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return tool.get("provenfix", {}) if isinstance(tool, dict) else {}


def _test_command(config: dict) -> list[str] | None:
    """pytest arguments for the project's suite; `[tool.provenfix] test-command` overrides."""
    command = config.get("test-command")
    if isinstance(command, str):
        parts = shlex.split(command)
        # "pytest -x tests" or "python -m pytest tests": keep what follows pytest.
        if "pytest" in parts:
            return parts[parts.index("pytest") + 1 :]
        return parts
    return []


def _project_python(root: Path) -> str:
    for venv in (".venv", "venv"):
        candidate = root / venv / "bin" / "python"
        if candidate.exists():
            return str(candidate)
    return sys.executable
