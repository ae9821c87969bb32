"""Create a file with owner-only permissions: ``open(p, "w")`` → ``open(p, "w", opener=_owner_only)``.

The fix of secrets written with the default mode (0o666 less the umask: readable by every user).
The inserted opener creates the file with mode 0o600 and sets that mode on a file that existed
already, so its first byte is never readable by others. The mode arguments of ``os.chmod``,
``os.open`` and ``os.umask`` are plain values: ``keywords.set_value`` and ``set_keywords`` change them.

Folders for secrets: ``private_folder`` gives ``os.makedirs`` / ``os.mkdir`` / ``Path.mkdir`` the
mode 0o700 and, where ``exist_ok`` lets the call find the folder made already (with whatever mode
it had), adds ``os.chmod(path, 0o700)`` (``path.chmod(0o700)``) after it.
"""

from __future__ import annotations

import libcst as cst

from provenfix.codemods._cst import Document, Edits, code_of, keyword, positional
from provenfix.codemods.base import Span, Unfixable
from provenfix.codemods.keywords import _with_keywords

OPENER = "_owner_only"
OPENER_CODE = '''\
def _owner_only(path, flags):
    """An opener for open(): the file is created readable and writable by its owner only (0o600),
    and a file that already existed is made so too."""
    import os

    fd = os.open(path, flags, 0o600)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o600)
    return fd
'''


def open_owner_only(source: str, call: Span) -> str:
    doc = Document(source)
    node = doc.locate(call, cst.Call, "call")
    if any(arg.star == "**" for arg in node.args):
        raise Unfixable("the call passes **keyword arguments, which may set an opener already")
    if any(arg.keyword is not None and arg.keyword.value == "opener" for arg in node.args) or len(
            [a for a in node.args if a.keyword is None]) > 7:
        raise Unfixable("the call passes its own opener")
    edits = Edits()
    edits.add_helper(OPENER, OPENER_CODE)
    edits.put_call(node, lambda updated: _with_keywords(updated, {"opener": OPENER}))
    return doc.apply(edits)


# Calls that give the same path when made again, as the path of the chmod after the call is.
PURE_CALLS = frozenset({
    "Path", "PurePath", "PosixPath", "join", "expanduser", "expandvars", "abspath", "realpath", "normpath", "str",
    "fspath", "joinpath", "resolve", "absolute", "home", "get", "secure_filename", "format", "dirname",
})


def private_folder(source: str, call: Span, mode_at: int, mode: str, *, chmod: bool, on_receiver: bool) -> str:
    """``os.makedirs(p, exist_ok=True)`` → ``os.makedirs(p, exist_ok=True, mode=0o700)`` and, with
    ``chmod``, ``os.chmod(p, 0o700)`` after it; ``on_receiver``: ``p.mkdir(...)`` then ``p.chmod(0o700)``.
    ``mode_at``: the mode's position among the call's arguments."""
    doc = Document(source)
    node = doc.locate(call, cst.Call, "call")
    if any(arg.star for arg in node.args):
        raise Unfixable("the call passes *arguments or **keyword arguments, which may hold the mode")
    edits = Edits()
    if chmod:
        expression = doc.parent(node)
        line = doc.parent(expression) if isinstance(expression, cst.Expr) else None
        if not (isinstance(line, cst.SimpleStatementLine)
                and len(line.body) == 1 and isinstance(doc.parent(line), (cst.IndentedBlock, cst.Module))):
            raise Unfixable("the call is part of a larger statement: the chmod that a folder made before needs "
                            "cannot be put after it")
        if on_receiver:
            assert isinstance(node.func, cst.Attribute)
            folder, change = node.func.value, "{folder}.chmod({mode})"
        else:
            named = keyword(node, "path") or keyword(node, "name")
            folder = named.value if named else positional(node)[0].value
            change = doc.module_name(node, "os", edits) + ".chmod({folder}, {mode})"
        if not _repeatable(folder):
            raise Unfixable("the folder's path is computed by a call that may give another path when made again")
        edits.insert_after(line, cst.parse_statement(change.format(folder=code_of(folder), mode=mode)))
    edits.put_call(node, lambda updated: _with_mode(updated, mode_at, mode))
    return doc.apply(edits)


def _with_mode(call: cst.Call, mode_at: int, mode: str) -> cst.Call:
    given = keyword(call, "mode")
    if given is None and len(positional(call)) > mode_at:
        given = positional(call)[mode_at]
    if given is None:
        return _with_keywords(call, {"mode": mode})
    args = [arg.with_changes(value=cst.parse_expression(mode)) if arg is given else arg for arg in call.args]
    return call.with_changes(args=args)


def _repeatable(node: cst.BaseExpression) -> bool:
    """Names, attributes, literals, operators and the calls of PURE_CALLS: evaluating it again gives the same path."""
    if isinstance(node, (cst.Name, cst.SimpleString, cst.Integer)):
        return True
    if isinstance(node, cst.Attribute):
        return _repeatable(node.value)
    if isinstance(node, cst.BinaryOperation):
        return _repeatable(node.left) and _repeatable(node.right)
    if isinstance(node, cst.ConcatenatedString):
        return _repeatable(node.left) and _repeatable(node.right)
    if isinstance(node, cst.FormattedString):
        return all(_repeatable(part.expression) for part in node.parts if isinstance(part, cst.FormattedStringExpression))
    if isinstance(node, cst.Subscript):
        return _repeatable(node.value) and all(
            isinstance(e.slice, cst.Index) and _repeatable(e.slice.value) for e in node.slice)
    if isinstance(node, cst.Call):
        func = node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
        return (name in PURE_CALLS and (not isinstance(func, cst.Attribute) or _repeatable(func.value))
                and all(not arg.star and _repeatable(arg.value) for arg in node.args))
    return False
