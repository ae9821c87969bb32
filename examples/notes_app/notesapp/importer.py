"""Import notes exported by the old desktop client (YAML)."""

from __future__ import annotations

import yaml

from notesapp.tags import normalise_tags


class ImportFormatError(ValueError):
    """The document is YAML but not a list of notes."""


def parse_notes_yaml(text: str) -> list[dict]:
    """Notes from an export: a list of ``{title, body, tags}`` mappings.

    The desktop client wraps the list in ``{"notes": [...]}``; both forms
    are accepted.
    """
    data = yaml.load(text, Loader=yaml.Loader)
    if data is None:
        return []
    if isinstance(data, dict):
        data = data.get("notes", [])
    if not isinstance(data, list):
        raise ImportFormatError("expected a list of notes")
    notes = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not item.get("title"):
            raise ImportFormatError(f"note {number}: a title is required")
        notes.append(
            {
                "title": str(item["title"]),
                "body": str(item.get("body") or ""),
                "tags": normalise_tags(item.get("tags") or []),
            }
        )
    return notes
