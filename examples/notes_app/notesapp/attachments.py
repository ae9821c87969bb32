"""Files attached to notes, shared by the whole team."""

from __future__ import annotations

import os

from werkzeug.utils import secure_filename

ATTACHMENTS_DIR = "/var/lib/notesapp/attachments"


def save_attachment(filename: str, data: bytes) -> str:
    """Store an uploaded file; returns the (sanitised) name it was saved as."""
    name = secure_filename(filename)
    if not name:
        raise ValueError(f"unusable file name: {filename!r}")
    os.makedirs(ATTACHMENTS_DIR, exist_ok=True)
    with open(os.path.join(ATTACHMENTS_DIR, name), "wb") as fh:
        fh.write(data)
    return name


def list_attachments() -> list[str]:
    if not os.path.isdir(ATTACHMENTS_DIR):
        return []
    return sorted(os.listdir(ATTACHMENTS_DIR))


def read_attachment(filename: str) -> bytes:
    """Contents of the attachment called ``filename``."""
    with open(os.path.join(ATTACHMENTS_DIR, filename), "rb") as fh:
        return fh.read()
