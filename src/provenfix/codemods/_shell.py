"""Split a flattened command string into argv words the way a POSIX shell would.

Each spliced value is a placeholder that always stays inside one word: that is the point
of the fix (the shell would have re-split and re-interpreted it). Anything in the *literal*
text that only a shell can do (pipes, redirection, expansion, globbing...) makes the split
refuse, naming the feature, because an argv list cannot express it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from provenfix.codemods._strings import Part, Text, Value, Words, characters
from provenfix.codemods.base import Unfixable

# Shell builtins with no program behind them: without a shell there is nothing to run.
_BUILTINS = frozenset(
    "cd export source . alias unalias unset set eval exec exit ulimit umask trap shift readonly "
    "local declare typeset wait jobs fg bg return break continue".split()
)
_OPERATORS = {
    "|": "a pipe '|'",
    "&": "a background job '&'",
    ";": "a command separator ';'",
    "<": "redirection '<'",
    ">": "redirection '>'",
    "(": "a subshell '('",
    ")": "a subshell ')'",
    "`": "command substitution '`'",
    "\n": "a newline (command separator)",
}
_GLOBS = "*?["
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


@dataclass
class Word:
    parts: list[Part] = field(default_factory=list)
    origins: set[int] = field(default_factory=set)

    def add_char(self, ch: str, origin: int) -> None:
        last = self.parts[-1] if self.parts else None
        if isinstance(last, Text):
            self.parts[-1] = Text(last.value + ch, last.origin)
        else:
            self.parts.append(Text(ch, origin))
        self.origins.add(origin)

    @property
    def literal(self) -> str | None:
        texts = [p.value for p in self.parts if isinstance(p, Text)]
        return "".join(texts) if len(texts) == len(self.parts) else None


_Item = tuple[str, int] | Value | Words
# Constant words that split the same with str.split() as with shell rules.
_PLAIN_WORDS = re.compile(r"\s*[^\s'\"\\|&;<>()$`*?\[~#{}]+(?:\s+[^\s'\"\\|&;<>()$`*?\[~#{}]+)*\s*")


# `2>&1` as a word of its own in the literal text: stderr into stdout, which subprocess says itself.
_STDERR_TO_STDOUT = re.compile(r"(?:(?<=\s)|^)2>&1(?=\s|$)")


def without_stderr_redirect(parts: Sequence[Part]) -> tuple[list[Part], bool]:
    """The parts without a literal `2>&1` word, and whether there was one (`stderr=subprocess.STDOUT`)."""
    out, found = [], False
    for part in parts:
        if isinstance(part, Text) and _STDERR_TO_STDOUT.search(part.value):
            part, found = Text(_STDERR_TO_STDOUT.sub("", part.value), part.origin), True
        out.append(part)
    return out, found


def split_words(parts: Sequence[Part]) -> list[Word]:
    """The argv words of the command; raises Unfixable on any shell-only feature."""
    words = _Splitter(characters(parts)).run()
    _check_program(words)
    return words


class _Splitter:
    def __init__(self, items: list[_Item]) -> None:
        self.items = items
        self.words: list[Word] = []
        self.word: Word | None = None

    def _current(self, origin: int) -> Word:
        if self.word is None:
            self.word = Word()
        self.word.origins.add(origin)
        return self.word

    def _end(self) -> None:
        if self.word is not None:
            self.words.append(self.word)
            self.word = None

    def _char(self, index: int) -> str | None:
        if index < len(self.items):
            item = self.items[index]
            if isinstance(item, tuple):
                return item[0]
        return None

    def run(self) -> list[Word]:
        index = 0
        quote: str | None = None
        while index < len(self.items):
            item = self.items[index]
            if isinstance(item, Value):
                word = self._current(item.origin)
                word.parts.append(item)
                index += 1
                continue
            if isinstance(item, Words):
                self._words(item, quote, index)
                index += 1
                continue
            ch, origin = item
            nxt = self._char(index + 1)
            if quote == "'":
                if ch == "'":
                    quote = None
                    self._current(origin)
                else:
                    self._current(origin).add_char(ch, origin)
            elif quote == '"':
                index = self._in_double(index, ch, nxt, origin)
                if ch == '"':
                    quote = None
            elif ch in "'\"":
                quote = ch
                self._current(origin)
            else:
                index = self._unquoted(index, ch, nxt, origin)
            index += 1
        if quote is not None:
            raise Unfixable(f"unterminated {quote} quote in the command")
        self._end()
        return self.words

    def _words(self, item: Words, quote: str | None, index: int) -> None:
        """A constant holding whole words becomes ``*NAME.split()``: its own argv elements."""
        name = item.expr.value
        alternatives = item.alternatives
        if quote is not None or not all(_PLAIN_WORDS.fullmatch(alt) for alt in alternatives):
            raise Unfixable(f"`{name}` holds shell syntax or quoting; its words cannot be split safely")
        if self.word is not None:
            if not all(alt[:1].isspace() for alt in alternatives):
                raise Unfixable(f"`{name}` is glued to the text before it; its words cannot be split safely")
            self._end()
        nxt = self._char(index + 1)
        glued_after = index + 1 < len(self.items) and (nxt is None or not nxt.isspace())
        if glued_after and not all(alt[-1:].isspace() for alt in alternatives):
            raise Unfixable(f"`{name}` is glued to the text after it; its words cannot be split safely")
        self.words.append(Word(parts=[item], origins={item.origin}))

    def _in_double(self, index: int, ch: str, nxt: str | None, origin: int) -> int:
        if ch == '"':
            self._current(origin)
        elif ch == "\\" and nxt is not None and nxt in '$`"\\\n':
            if nxt != "\n":
                self._current(origin).add_char(nxt, origin)
            return index + 1
        elif ch == "$":
            raise Unfixable(_dollar(nxt))
        elif ch == "`":
            raise Unfixable("the command uses command substitution '`'; an argv list cannot express it")
        else:
            self._current(origin).add_char(ch, origin)
        return index

    def _unquoted(self, index: int, ch: str, nxt: str | None, origin: int) -> int:
        fresh = self.word is None
        if ch in " \t":
            self._end()
        elif ch == "\\":
            if nxt is None:
                raise Unfixable("the command escapes a spliced value or ends in a backslash")
            if nxt != "\n":
                self._current(origin).add_char(nxt, origin)
            return index + 1
        elif ch in _OPERATORS:
            feature = _OPERATORS[ch]
            if ch in "|&" and nxt == ch:
                feature = f"'{ch}{ch}'"
            raise Unfixable(f"the command uses {feature}; an argv list cannot express it")
        elif ch == "$":
            raise Unfixable(_dollar(nxt))
        elif ch in _GLOBS:
            raise Unfixable(f"the command uses the glob pattern '{ch}'; an argv list cannot expand it")
        elif ch == "~" and fresh:
            raise Unfixable("the command uses '~' home-directory expansion; an argv list cannot express it")
        elif ch == "#" and fresh:
            raise Unfixable("the command holds a shell comment '#'")
        elif ch == "{" and self._brace_expansion(index):
            raise Unfixable("the command uses brace expansion '{a,b}'; an argv list cannot express it")
        else:
            self._current(origin).add_char(ch, origin)
        return index

    def _brace_expansion(self, index: int) -> bool:
        body: list[str] = []
        for item in self.items[index + 1 :]:
            if not isinstance(item, tuple) or item[0] in " \t\n":
                return False
            if item[0] == "}":
                inner = "".join(body)
                return "," in inner or ".." in inner
            body.append(item[0])
        return False


def _dollar(nxt: str | None) -> str:
    if nxt == "(":
        return "the command uses command substitution '$('; an argv list cannot express it"
    return "the command uses shell variable expansion '$'; an argv list cannot express it"


def _check_program(words: list[Word]) -> None:
    if not words:
        raise Unfixable("the command is empty")
    first = words[0].parts
    if len(first) == 1 and isinstance(first[0], Words):  # a constant the code defines: trusted
        for alternative in first[0].alternatives:
            _check_program_name(alternative.split()[0])
        return
    program = words[0].literal
    if program is None:
        raise Unfixable("the program name itself comes from an expression; an argv list cannot confine it")
    _check_program_name(program)


def _check_program_name(program: str) -> None:
    if _ASSIGNMENT.match(program):
        raise Unfixable("the command starts with an environment assignment (VAR=value); needs a shell")
    if program in _BUILTINS:
        raise Unfixable(f"{program!r} is a shell builtin; there is no program to run without a shell")
