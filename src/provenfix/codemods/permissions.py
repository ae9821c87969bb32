"""Create a file with owner-only permissions: ``open(p, "w")`` → ``open(p, "w", opener=_owner_only)``.

The fix of secrets written with the default mode (0o666 less the umask: readable by every user).
The inserted opener creates the file with mode 0o600 and sets that mode on a file that existed
already, so its first byte is never readable by others. The mode arguments of ``os.chmod``,
``os.open`` and ``os.umask`` are plain values: ``keywords.set_value`` and ``set_keywords`` change them.
"""

from __future__ import annotations

import libcst as cst

from provenfix.codemods._cst import Document, Edits
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
