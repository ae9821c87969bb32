"""Search-result snippets: the words a user searched for, marked in the text shown."""

import html
import re


def highlight(text: str, word: str) -> str:
    """`text` as HTML with every whole-word occurrence of `word` wrapped in <mark>, in any case."""
    escaped = html.escape(text)
    return re.sub(rf"\b({word})\b", r"<mark>\1</mark>", escaped, flags=re.IGNORECASE)


def snippet(text: str, word: str, width: int = 40) -> str:
    """The first `width` characters of `text`, highlighted."""
    return highlight(text[:width], word)
