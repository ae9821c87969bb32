"""Baselines: the findings a project has accepted for now, so that only new ones block new work.

A finding's id is already a fingerprint without a line number: rule + path + enclosing function
+ the sink's normalised text + an occurrence counter (see `detect._finding`), so moved code keeps
it. Editing the sink's own line (a comment, a changed argument) changes the id while the bug stays:
such a finding still matches an entry of the same rule, file, function and sink call that no exact
match claimed. Each entry is claimed once, so a bug added beside a baselined one is new.

The file is JSON (`{"version": 1, "findings": [...]}`), sorted, without line numbers, so that it
changes only when findings do. It may come from the scanned repository: anything malformed is a
one-line UsageError.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from provenfix.errors import UsageError
from provenfix.model import Finding

VERSION = 1
MAX_BYTES = 32 * 1024 * 1024  # far beyond any real baseline; a bigger file is not one


class Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="the finding's fingerprint (its id in every report format)")
    rule_id: str
    path: str
    qualname: str | None = None
    sink: str = Field("", description="what the data reached, e.g. reaches `os.system()`")

    @property
    def place(self) -> tuple[str, str, str | None, str]:
        """What stays true of a bug when the line it is on is edited."""
        return (self.rule_id, self.path, self.qualname, self.sink)


class Baseline(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Literal[1]
    findings: list[Entry]

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Baseline:
        """The baseline accepting every open (not suppressed) finding."""
        entries = {_entry(f) for f in findings if f.suppressed is None}
        return cls(version=VERSION, findings=sorted(entries, key=lambda e: (e.path, e.rule_id, e.qualname or "", e.sink, e.id)))

    def new(self, findings: list[Finding]) -> list[Finding]:
        """The findings this baseline does not account for, in their order."""
        exact = {e.id for e in self.findings}
        claimed = {f.id for f in findings} & exact
        unclaimed = Counter(e.place for e in self.findings if e.id not in claimed)
        fresh: list[Finding] = []
        for f in findings:
            if f.id in exact:
                continue
            place = _entry(f).place
            if unclaimed[place] > 0:  # the same bug, its line edited
                unclaimed[place] -= 1
            else:
                fresh.append(f)
        return fresh


def load(path: Path) -> Baseline:
    """Read a baseline file; every way it can be wrong is one UsageError line naming the file."""
    def bad(reason: str) -> UsageError:
        return UsageError(f"--baseline {path}: {reason}")

    try:
        if path.stat().st_size > MAX_BYTES:
            raise bad(f"larger than {MAX_BYTES:,} bytes, not a ProvenFix baseline")
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise bad("no such file (create one with provenfix scan PATH --write-baseline FILE)") from None
    except OSError as exc:
        raise bad(f"cannot read ({exc.strerror or exc})") from None
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
        raise bad(f"not JSON ({_short(str(exc))})") from None
    version = data.get("version") if isinstance(data, dict) else None
    if version is not None and (type(version) is not int or version != VERSION):  # `true` would pass as 1
        raise bad(f"version {_short(json.dumps(version))} is not supported (this ProvenFix reads version {VERSION})")
    try:
        return Baseline.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise bad(f"not a ProvenFix baseline ({_short(where)}: {first['msg']})") from None


def check_destination(path: Path) -> None:
    """Before any work: a baseline with nowhere to go would be lost."""
    if path.is_dir():
        raise UsageError(f"--write-baseline {path}: is a folder")
    if not path.parent.is_dir():
        raise UsageError(f"--write-baseline {path}: folder {path.parent} does not exist")


def write(baseline: Baseline, path: Path) -> None:
    """Write atomically: a temporary beside the file, then renamed over it (a symlink there is
    replaced, never followed)."""
    text = json.dumps(baseline.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as exc:
        raise UsageError(f"--write-baseline {path}: cannot write ({exc.strerror or exc})") from None


def _entry(f: Finding) -> Entry:
    sink = next((step.description for step in reversed(f.evidence) if step.kind == "sink"), "")
    return Entry(id=f.id, rule_id=f.rule_id, path=f.location.path, qualname=f.location.qualname, sink=sink)


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
