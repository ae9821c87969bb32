"""Scan results keyed by the exact content of every file analysed, so an unchanged tree re-scans at once.

The cache lives outside the user's tree (``$PROVENFIX_CACHE_DIR``, else ``$XDG_CACHE_HOME/provenfix``,
else ``~/.cache/provenfix``): a scan never writes to the project it reads. The key covers the
tool version, the targeted paths and every file's path and bytes, because a helper in any
module can change what a sink in another receives.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

from provenfix import __version__
from provenfix.model import Finding
from provenfix.workspace import SourceFile


def cache_dir() -> Path:
    explicit = os.environ.get("PROVENFIX_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "provenfix"


def scan_key(files: list[SourceFile], targeted: set[str], scope: object = None) -> str:
    """Names a scan's result: the files, the targets, what counts as input (`scope`) and the
    detection code itself (so a changed engine never serves an old answer under the same version)."""
    digest = hashlib.sha256(f"provenfix {__version__} {_engine_digest()} {scope!r}\n".encode())
    for path in sorted(targeted):
        digest.update(f"target {path}\n".encode())
    for f in files:
        digest.update(f"file {f.path} {len(f.text)}\n".encode())
        digest.update(f.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@functools.cache
def _engine_digest() -> str:
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted([*package.glob("flow/*.py"), *package.glob("recipes/*.py"), package / "detect.py",
                        package / "callers.py", package / "suppress.py", package / "knowledge" / "rules.toml"]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load(key: str) -> tuple[list[Finding], list[str]] | None:
    """(findings, warnings from parsing) of an earlier scan of exactly these files."""
    try:
        data = json.loads((cache_dir() / "scan" / f"{key}.json").read_text(encoding="utf-8"))
        return [Finding.model_validate(f) for f in data["findings"]], [str(w) for w in data["warnings"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a missing or damaged entry is a miss, never an error


def store(key: str, findings: list[Finding], warnings: list[str]) -> None:
    folder = cache_dir() / "scan"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"findings": [f.model_dump(mode="json") for f in findings], "warnings": warnings}, fh)
        os.replace(tmp, folder / f"{key}.json")
    except OSError:
        pass  # a read-only home only costs speed
