"""Benchmark cases: a folder per case holding ``case.toml``, ``project/`` and ``hidden/``.

The format is documented in ``docs/cases.md``; ``tests/cases/`` is the shipped suite.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from provenfix.errors import ProvenFixError

Expect = Literal["fixed", "unfixed", "safe"]
_EXPECTS: tuple[str, ...] = ("fixed", "unfixed", "safe")


class BenchError(ProvenFixError):
    """A case folder is malformed, or a benchmark tool (Bandit) could not be run."""


@dataclass(frozen=True)
class Case:
    """One case of a suite, as declared by its ``case.toml``."""

    id: str
    cwe: int
    rule: str  # "" for safe look-alikes
    expect: Expect
    description: str
    entry: str  # "path/inside/project.py:qualname"; "" for safe look-alikes
    root: Path  # the case folder

    @property
    def project(self) -> Path:
        return self.root / "project"

    @property
    def vulnerable(self) -> bool:
        return self.expect != "safe"

    @property
    def entry_path(self) -> str:
        return self.entry.partition(":")[0]

    @property
    def entry_qualname(self) -> str:
        return self.entry.partition(":")[2]

    @property
    def hidden_tests(self) -> list[Path]:
        hidden = self.root / "hidden"
        return sorted(hidden.glob("test_*.py")) if hidden.is_dir() else []


def load_case(folder: Path) -> Case:
    """Read and check one case folder; raises :class:`BenchError` when it is malformed."""
    meta_path = folder / "case.toml"
    try:
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BenchError(f"{meta_path}: {exc}") from exc
    try:
        case = Case(
            id=str(meta["id"]),
            cwe=int(meta.get("cwe", 0)),
            rule=str(meta.get("rule", "")),
            expect=meta["expect"],
            description=str(meta.get("description", "")),
            entry=str(meta.get("entry", "")),
            root=folder,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BenchError(f"{meta_path}: missing or bad field {exc}") from exc
    if case.expect not in _EXPECTS:
        raise BenchError(f"{meta_path}: expect must be one of {', '.join(_EXPECTS)}, not {case.expect!r}")
    if not case.project.is_dir():
        raise BenchError(f"{folder}: no project/ folder")
    if case.vulnerable:
        if not case.rule or ":" not in case.entry:
            raise BenchError(f"{meta_path}: a vulnerable case needs rule and entry = \"path:qualname\"")
        if not (case.project / case.entry_path).is_file():
            raise BenchError(f"{meta_path}: entry file {case.entry_path} is not in project/")
        if not case.hidden_tests:
            raise BenchError(f"{folder}: a vulnerable case needs hidden/test_*.py")
    return case


def load_suite(suite_dir: Path) -> list[Case]:
    """Every case folder (a sub-folder with ``case.toml``) of ``suite_dir``, sorted by name."""
    if not suite_dir.is_dir():
        raise BenchError(f"not a folder: {suite_dir}")
    cases = [load_case(p) for p in sorted(suite_dir.iterdir()) if (p / "case.toml").is_file()]
    if not cases:
        raise BenchError(f"no cases (folders with case.toml) in {suite_dir}")
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise BenchError(f"duplicate case id {case.id!r} in {suite_dir}")
        seen.add(case.id)
    return cases
