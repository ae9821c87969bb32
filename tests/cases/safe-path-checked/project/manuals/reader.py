"""Serve manual pages from ``BASE`` without letting a name escape it."""

from pathlib import Path

BASE = Path(__file__).parent / "manuals"


def read_manual(name: str) -> str:
    """Text of the manual page ``name``; ValueError if it lies outside ``BASE``."""
    resolved = (BASE / name).resolve()
    if not resolved.is_relative_to(BASE.resolve()):
        raise ValueError(f"manual name escapes the manuals folder: {name!r}")
    return resolved.read_text(encoding="utf-8")


def manual_summary(name: str) -> str:
    """The first paragraph of a manual page."""
    return read_manual(name).split("\n\n", 1)[0]
