"""Line search helpers, the way grep and find name things."""

import fnmatch
import re
from typing import Iterable, List, Pattern, Union


def grep(lines: Iterable[str], pattern: Union[str, Pattern], ignore_case: bool = False) -> List[str]:
    """The lines matching the regular expression `pattern` (a string or a compiled pattern)."""
    rx = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    return [line for line in lines if rx.search(line)]


def matching_files(names: Iterable[str], glob: str) -> List[str]:
    """The names matching a shell-style glob (`*.py`)."""
    rx = re.compile(fnmatch.translate(glob))
    return [n for n in names if rx.match(n)]


def count_word(text: str, word: str) -> int:
    """How often `word` occurs in `text` as a whole word."""
    return len(re.findall(r"\b" + re.escape(word) + r"\b", text))


def normalise(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text).strip()
