"""Turn ``key=value`` lines from the settings screen into Python values."""

import ast


def parse_value(raw: str) -> object:
    """A Python literal when ``raw`` is one, otherwise the stripped string."""
    text = raw.strip()
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def parse_settings(text: str) -> dict[str, object]:
    """Parse ``key = value`` lines, ignoring blanks and ``#`` comments."""
    settings = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, raw = line.partition("=")
        settings[key.strip()] = parse_value(raw)
    return settings
