"""Static help pages stored as text files under ``BASE_DIR``."""

import os

BASE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pages")


def list_pages() -> list[str]:
    """Names of the available pages, sorted."""
    if not os.path.isdir(BASE_DIR):
        return []
    return sorted(entry for entry in os.listdir(BASE_DIR) if entry.endswith(".txt"))


def read_page(name: str) -> str:
    """Return the text of the help page ``name`` (e.g. ``"billing.txt"``)."""
    with open(os.path.join(BASE_DIR, name), encoding="utf-8") as fh:
        return fh.read()


def page_title(name: str) -> str:
    """First line of a page, used as its title in the index."""
    text = read_page(name)
    return text.splitlines()[0].strip() if text else name
