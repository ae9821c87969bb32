"""Split a bundle of ``---``-separated resources and index them by kind."""

from collections import defaultdict

import yaml


def split_documents(text: str) -> list[dict]:
    """All non-empty documents of the stream, in order."""
    docs = list(yaml.load_all(text, Loader=yaml.Loader))
    return [d for d in docs if d]


def by_kind(docs: list[dict]) -> dict[str, list[str]]:
    """Map each resource kind to the names of its resources."""
    index: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        index[doc.get("kind", "Unknown")].append(doc.get("metadata", {}).get("name", "?"))
    return dict(index)
