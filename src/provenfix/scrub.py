"""What a sandboxed run printed, made safe to show: no secrets, no terminal control bytes, a bounded excerpt.

The scanned project's tests run on this machine and may print what they read (an environment variable,
a key file) or bytes that drive the reader's terminal (an OSC title, a screen clear, a bidi override).
The model validators in `provenfix.model` call these on everything that came out of a run, so every
report format gets the same cleaned text whatever renders it.

It sits next to `model` rather than in `verify/` or `report/` because `model` imports it: both packages'
`__init__` import `model`, so a module inside either would be a circular import.
"""

from __future__ import annotations

import functools
import json
import os
import re
import unicodedata
from typing import Any

# The model engine's redactor, so reports and prompts agree on what a secret is. It imports only the
# standard library (not pydantic-ai): cheap enough for `model` to import.
from provenfix.llm.redact import PREFIX, redact

OUTPUT_LINES = 20  # a run's excerpt: its last lines (pytest's summary is at the end) ...
OUTPUT_LINE_CHARS = 200  # ... each cut to this many characters
LINE_CHARS = 500  # a one-line text: a rejection reason, a provider's error
MARK = "[REDACTED:{kind}]"  # the redactor's _MASK reads this as a mask, so a second scrub leaves it alone

_RAW_LINES, _RAW_LINE_CHARS = 200, 8192  # what the redactor sees: enough context for a PEM block, bounded work
_GLOBAL_MIN = 6  # a secret value this long is replaced wherever it occurs; a shorter one would garble prose

# Every line break str.splitlines() knows; a lone \r would let a line overwrite what came before it.
_BREAK = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Whole escape sequences are dropped (they only style or drive the terminal; their bytes say nothing):
# CSI (colours, cursor moves, clear screen), string commands up to BEL/ST or the line's end (OSC window
# title and hyperlink, DCS, APC, PM, SOS), then any other ESC with its intermediate and final bytes.
_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b[P\]X^_][^\x07\x1b\n]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]?"
                       r"|\x9b[0-?]*[ -/]*[@-~]?|[\x90\x9d\x98\x9e\x9f][^\x07\x1b\x9c\n]*(?:\x07|\x9c)?")
_NOT_PLAIN = re.compile(r"[^\t\n -~]")  # the fast path: most output is printable ASCII
# Controls, format characters (bidi, zero-width, tags), surrogates, unassigned, U+2028/9, private use.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Cn", "Zl", "Zp", "Co"})
_PLACEHOLDER = re.compile(re.escape(PREFIX) + "[0-9]+")
_MARKED = re.compile(r"\[REDACTED:[a-z0-9-]+\]")
_STAND_IN = 0xE000  # private use: escaped before the redactor runs, so free to stand in for marks
# `name=value` anywhere in a line: the redactor reads one after other words as prose (its rules want a
# setting at the start of a line), but a test that raises "... aws_secret_access_key=<key>" leaked one.
# pytest cuts its summary line at the terminal's width: "AssertionError: AKIAQWE..." starts a secret
# that the line's own traceback shows in full (there it is found) or that the environment holds.
_CUT_SHORT = re.compile(r"[A-Za-z0-9+/_\-]{3,}(?=\.\.\.|…)")
_PAIR = re.compile(r"(?<![\w.\-])[A-Za-z_][\w.\-]*[ \t]*[=:][ \t]*[^\s'\"]+")


def strip_controls(text: str) -> str:
    """What a program printed, with \\n and \\t as its only control characters: line breaks become \\n,
    escape sequences are dropped, any other control, bidi or invisible character is shown escaped."""
    return show_controls(_unsequenced(text))


def show_controls(text: str) -> str:
    """Text for a report with every control, bidi or invisible character but \\n and \\t shown escaped
    (\\x1b, \\u202e): code reads as it is, yet cannot drive the reader's terminal. \\r\\n becomes \\n."""
    return _NOT_PLAIN.sub(_shown, text.replace("\r\n", "\n"))


def json_safe(document: str) -> str:
    """A JSON document with no raw control, bidi or invisible character: each becomes its \\u escape, which
    decodes to the same string (json.dumps with ensure_ascii=False leaves C1, U+2028 and U+202E raw)."""
    return _NOT_PLAIN.sub(lambda m: json.dumps(m.group())[1:-1] if _hidden(m.group()) else m.group(), document)


def scrub_output(text: str) -> str:
    """A run's output as a report shows it: controls out, secrets redacted, its last `OUTPUT_LINES` lines."""
    lines = _unsequenced(text[-_RAW_LINES * _RAW_LINE_CHARS:]).split("\n")[-_RAW_LINES:]
    lines = _clean("\n".join(line[:_RAW_LINE_CHARS] for line in lines)).split("\n")
    return "\n".join(_cut(line, OUTPUT_LINE_CHARS) for line in lines[-OUTPUT_LINES:]).strip("\n")


def scrub_line(text: str, limit: int = LINE_CHARS) -> str:
    """One line for a report (a rejection reason): controls out, secrets redacted, whitespace runs and
    line breaks as one space, at most `limit` characters."""
    return _cut(" ".join(_clean(_unsequenced(text[: _RAW_LINES * _RAW_LINE_CHARS])).split()), limit)


def scrub_value(value: Any) -> Any:
    """Every string in observed data (lists, dicts) redacted and free of controls; the shape kept."""
    if isinstance(value, str):
        return _clean(_unsequenced(value))
    if isinstance(value, list):
        return [scrub_value(v) for v in value]
    if isinstance(value, dict):
        return {scrub_value(k): scrub_value(v) for k, v in value.items()}
    return value


def _hidden(char: str) -> bool:
    return unicodedata.category(char) in _HIDDEN


def _shown(match: re.Match[str]) -> str:
    return ascii(match.group())[1:-1] if _hidden(match.group()) else match.group()


def _unsequenced(text: str) -> str:
    return _SEQUENCE.sub("", _BREAK.sub("\n", text))


def _cut(line: str, limit: int) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _clean(text: str) -> str:
    """Redacted, then every control shown escaped. The redactor sees them raw, as the word breaks they
    are: escaped first, "\\u2066ghp_..." would glue a token to the text before it and hide it."""
    text = _NOT_PLAIN.sub(lambda m: ascii(m.group())[1:-1] if unicodedata.category(m.group()) == "Co"
                          else m.group(), text)  # frees the private-use code points for `_redact`
    return show_controls(_redact(text))


def _redact(text: str) -> str:
    """Secrets by the redactor's rules at their place, and every secret value it finds in a `name=value`
    of this text or of this process's environment, wherever that value stands."""
    if not text:
        return text
    # Marks of an earlier scrub (a Verdict's reason becomes a Fix's) stand aside: in a PEM block the
    # redactor would take their letters for the key's base64.
    marks = sorted(set(_MARKED.findall(text)))
    for number, mark in enumerate(marks):
        text = text.replace(mark, chr(_STAND_IN + number))
    found = redact(text, output=True)
    text = found.text
    words = _NOT_PLAIN.sub(lambda m: "\n" if _hidden(m.group()) else m.group(), text)  # a control ends a pair
    pairs = "\n".join(m.group() for m in _PAIR.finditer(words))
    values = {**_secret_values(pairs), **_environment_secrets(tuple(sorted(os.environ.items())))}
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, MARK.format(kind=values[value]))
    known = {**{value: found.kinds[p] for p, value in found.secrets.items()}, **values}
    text = _CUT_SHORT.sub(lambda m: _cut_secret(m.group(), known), text)
    text = _PLACEHOLDER.sub(lambda m: MARK.format(kind=found.kinds[m.group()]) if m.group() in found.kinds
                            else m.group(), text)
    for number, mark in enumerate(marks):
        text = text.replace(chr(_STAND_IN + number), mark)
    return text


def _cut_secret(word: str, known: dict[str, str]) -> str:
    """A mark for `word` if it is the start of a known secret, else `word`."""
    kind = next((kind for value, kind in known.items() if len(value) > len(word) and value.startswith(word)), None)
    return word if kind is None else MARK.format(kind=kind)


def _secret_values(settings: str) -> dict[str, str]:
    """Secret value -> kind, for each secret the redactor finds in `settings` that is long enough to replace."""
    if not settings:
        return {}
    found = redact(settings, output=True)
    return {value: found.kinds[p] for p, value in found.secrets.items() if len(value) >= _GLOBAL_MIN}


@functools.lru_cache(maxsize=4)
def _environment_secrets(environ: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """The secrets in this process's environment (DATABASE_URL's password, GH_PAT): a test that read one
    and printed it bare ("AssertionError: <value>") gives no name to recognise it by."""
    return _secret_values("\n".join(f"{name}={value}" for name, value in environ))
