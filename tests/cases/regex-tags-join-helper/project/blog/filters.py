"""Filtering posts by tag."""

import re


def tagged(posts, tags):
    """The posts carrying any of `tags` (whole tags, any case)."""
    wanted = re.compile("|".join(tags), re.IGNORECASE)
    return [p for p in posts if any(wanted.fullmatch(t) for t in p["tags"])]
