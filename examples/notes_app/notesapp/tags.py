"""Tags: storage format and the tag filter of the notes list."""

from __future__ import annotations

from collections.abc import Iterable


def normalise_tags(tags: Iterable[object]) -> list[str]:
    """Lower-case, stripped, unique tags in first-seen order."""
    seen: dict[str, None] = {}
    for tag in tags:
        clean = str(tag).strip().lower()
        if clean:
            seen.setdefault(clean, None)
    return list(seen)


def split_tags(stored: str) -> list[str]:
    return [t for t in stored.split(",") if t]


def join_tags(tags: Iterable[object]) -> str:
    return ",".join(normalise_tags(tags))


def parse_tag_filter(raw: str) -> list[str]:
    """Parse the ``tags`` query parameter, a list such as ``['work', 'ideas']``.

    A single quoted tag (``'work'``) is accepted too.
    """
    if not raw.strip():
        return []
    tags = eval(raw)
    if isinstance(tags, str):
        tags = [tags]
    return normalise_tags(tags)
