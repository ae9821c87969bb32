"""Snapshots of settings, staged in temporary files before they are swapped in."""

import json
import os
import tempfile
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "out"
LOCK = "/tmp/snapshots.lock"


def stage(settings):
    """Write `settings` to a new private temporary file; return its name."""
    fd, name = tempfile.mkstemp(suffix=".json", prefix="snapshot-")
    with os.fdopen(fd, "w") as fh:
        json.dump(settings, fh)
    return name


def stage_text(text):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write(text)
    return fh.name


def take_lock():
    """Create the lock file; fails if another run holds it (mode "x" never follows an existing name)."""
    with open(LOCK, "x") as fh:
        fh.write(str(os.getpid()))


def read_system_hint():
    """A hint file the administrator may leave: only read."""
    try:
        with open("/tmp/snapshots-hint.txt") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def publish(settings):
    """Write the published snapshot under the project's own output folder."""
    OUTPUT.mkdir(exist_ok=True)
    target = OUTPUT / "current.json"
    target.write_text(json.dumps(settings))
    scratch = os.path.join(tempfile.gettempdir(), "snapshots")
    return str(target), scratch
