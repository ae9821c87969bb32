"""Small text helpers shared by the report modules."""


def normalise(raw: str) -> str:
    """Strip surrounding whitespace and a UTF-8 byte-order mark."""
    return raw.lstrip("\ufeff").strip()


def slug(title: str) -> str:
    """Lower-case, dash-separated version of ``title``."""
    return "-".join(title.lower().split())
