"""The one exceptions module: every error a user can cause has a class here and a one-line message."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from provenfix.model import Report


class ProvenFixError(Exception):
    """Base class; ``str(exc)`` is the one line the CLI prints."""


class UsageError(ProvenFixError):
    """Bad paths or flags: the CLI exits 2."""


class ApplyError(ProvenFixError):
    """`fix --apply` did not write everything it verified: one line per file refused or write failed.

    The run's work is not lost: ``report`` is the whole report (its ``applied`` says what was written).
    """

    def __init__(self, lines: list[str], report: Report) -> None:
        super().__init__("; ".join(lines))
        self.lines = lines
        self.report = report


class ApplyInterrupted(KeyboardInterrupt):
    """Ctrl-C during `--apply`: no temporary is left, and ``written`` says which files were replaced."""

    def __init__(self, written: list[str]) -> None:
        self.written = written
        done = f"after writing {', '.join(written)}" if written else "nothing was written"
        super().__init__(f"interrupted during --apply; {done}")
