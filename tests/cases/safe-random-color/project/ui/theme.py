"""Avatar colours for users without a profile picture."""

import random

COLORS = ["#e57373", "#64b5f6", "#81c784", "#ffb74d", "#ba68c8"]


def pick_color() -> str:
    """A random background colour for a new avatar."""
    return random.choice(COLORS)


def initials(name: str) -> str:
    """Up to two initials from a display name."""
    return "".join(part[0].upper() for part in name.split()[:2]) or "?"


def avatar(name: str) -> dict[str, str]:
    """Everything the template needs to draw a placeholder avatar."""
    return {"initials": initials(name), "color": pick_color()}
