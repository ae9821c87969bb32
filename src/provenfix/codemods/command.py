"""OS command injection (CWE-78): run the program directly with an argv list, no shell.

Rewrites, at the call the Span points to:

- ``os.system(X)`` → ``subprocess.run(ARGV, check=False).returncode`` (adds ``import subprocess``)
- ``os.popen(X).read()`` → ``subprocess.run(ARGV, capture_output=True, text=True, check=False).stdout``
- ``os.popen(X)`` read later → ``io.StringIO(subprocess.run(ARGV, stdout=subprocess.PIPE, text=True, check=False).stdout)``:
  the same lines, read however the code reads them (its ``close()`` returns None, not an exit status)
- ``subprocess.run/call/check_call/check_output/Popen(X, ..., shell=True, ...)`` → the same call with
  ``ARGV`` for ``X`` and without ``shell=True``; every other argument stays.

Any import alias works (``sp.run``, ``from subprocess import run as sh``, ``from os import system``).
``X`` is a string built from literals: ``+``, f-strings, ``%``, ``str.format``, ``" ".join([...])``,
or a local name assigned once earlier in the same function, in the call's block or one
enclosing it, plus ``+=`` augmentations in that same block. ARGV is
the literal text split with POSIX shell rules where each spliced value stays one argument:
``"ping -c 1 " + host`` → ``["ping", "-c", "1", host]``; ``"--name=" + n`` → ``f"--name={n}"``;
quotes around a value are dropped (``"grep '" + p + "' f"`` → ``["grep", p, "f"]``). A value
whose type formatting hid (an f-string field, ``%s``, ``%d``, a ``format`` field) becomes
``str(x)``, since argv elements must be strings, unless it is known to be one (a ``+``
operand, a join element, a parameter annotated ``str``). For a local ``cmd`` read nowhere else, the assignments themselves
are rewritten to build the list (``+=`` statements become list extensions, or are folded into
the first assignment when a word straddles two statements); otherwise ARGV is inlined at the
call and the assignment stays.

``fix_command_helper`` rewrites a project function whose single ``return`` builds a command
string so it returns the argv list instead; callers are then fixed with
``command_from_helper=True``, which only drops the shell.

A literal ``2>&1`` word becomes ``stderr=subprocess.STDOUT`` (with ``stdout=PIPE`` where the
output was captured), the one redirection an argv call can say itself.

Refuses (``Unfixable``) when the literal text needs a shell: pipes, other redirection, ``;``,
``&&``/``||``/``&``, ``$(...)``/backticks, ``$VAR``, globbing ``* ? [``, ``~``, brace
expansion, builtins such as ``cd``, ``VAR=x cmd``; when the program name itself is spliced
in; when ``X`` is not built from literals (a parameter passed straight in, a call we cannot
see into); when the variable is built conditionally or re-read in ways that cannot be
tracked; ``shell=`` other than the literal ``True``;
an ``executable=`` argument.

Behaviour notes for reviewers: ``os.system`` returned a wait status (exit code * 256 on POSIX)
where ``returncode`` is the plain exit code, so comparisons against 0 keep working; a missing
program now raises ``FileNotFoundError`` instead of the shell's exit status 127.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from provenfix.codemods import _binding
from provenfix.codemods._cst import (
    Document,
    Edits,
    keyword,
    plain_call,
    positional,
    single_return,
    str_parameters,
    without_args,
)
from provenfix.codemods._shell import Word, split_words, without_stderr_redirect
from provenfix.codemods._strings import Part, Value, Words, flatten, quote_of, string_literal, value_expression, with_origin
from provenfix.codemods.base import Span, Unfixable

_SUBPROCESS = {f"subprocess.{name}" for name in ("run", "call", "check_call", "check_output", "Popen")}
_LIST_OF_STR = "list[str]"
Position = tuple[int, int]


def fix_command(source: str, call: Span, *, command_from_helper: bool = False) -> str:
    """Rewrite the shell command call at ``call`` to run an argv list without a shell."""
    doc = Document(source)
    node = doc.locate(call, cst.Call, "call")
    names = doc.qualified_names(node.func)
    edits = Edits()
    if "os.system" in names:
        argv, merged = _argv(doc, _only_argument(node, "os.system"), edits, command_from_helper)
        run = _run(doc, node, edits, argv, **_stderr_to_stdout(doc, node, edits, merged))
        edits.put(node, cst.Attribute(value=run, attr=cst.Name("returncode")))
    elif "os.popen" in names:
        _popen(doc, node, edits, command_from_helper)
    elif names & _SUBPROCESS:
        _subprocess(doc, node, edits, command_from_helper)
    else:
        raise Unfixable("not os.system, os.popen or a subprocess call")
    return doc.apply(edits)


def fix_command_helper(source: str, function: Span) -> str:
    """Make the function at ``function`` return an argv list instead of a command string."""
    doc = Document(source)
    func = doc.locate(function, cst.FunctionDef, "function definition")
    returned = single_return(func)
    edits = Edits()
    assert returned.value is not None
    argv, merged = _argv(doc, returned.value, edits, from_helper=False)
    if merged:
        raise Unfixable("the command sends stderr to stdout (2>&1); its callers would have to say so themselves")
    if argv is not returned.value:
        edits.put(returned, returned.with_changes(value=argv))
    if func.returns is not None and _is_str_annotation(func.returns.annotation):
        edits.put(func.returns.annotation, cst.parse_expression(_LIST_OF_STR))
    return doc.apply(edits)


# -- sinks ----------------------------------------------------------------------------------
def _only_argument(node: cst.Call, what: str) -> cst.BaseExpression:
    args = positional(node)
    if len(node.args) != 1 or len(args) != 1:
        raise Unfixable(f"{what} is called with other than one positional argument")
    return args[0].value


def _run(
    doc: Document, at: cst.CSTNode, edits: Edits, argv: cst.BaseExpression, **extra: cst.BaseExpression
) -> cst.Call:
    module = doc.module_name(at, "subprocess", edits)
    return plain_call(
        cst.Attribute(value=cst.Name(module), attr=cst.Name("run")), argv, **extra, check=cst.Name("False")
    )


def _popen(doc: Document, node: cst.Call, edits: Edits, from_helper: bool) -> None:
    attribute = doc.parent(node)
    read = doc.parent(attribute) if attribute is not None else None
    read_at_once = (isinstance(attribute, cst.Attribute) and attribute.attr.value == "read" and isinstance(read, cst.Call)
                    and read.func is attribute and not read.args)
    args = node.args
    if any(arg.keyword or arg.star for arg in args) or not 1 <= len(args) <= 2:
        raise Unfixable("os.popen with keyword or starred arguments is not supported")
    if len(args) == 2 and not (isinstance(args[1].value, cst.SimpleString) and args[1].value.evaluated_value == "r"):
        raise Unfixable("os.popen with a mode other than 'r' is not supported")
    argv, merged = _argv(doc, args[0].value, edits, from_helper)
    if not read_at_once:  # a stream read later, line by line or in a loop: the same output as a text stream
        run = _run(doc, node, edits, argv, stdout=_subprocess_name(doc, node, edits, "PIPE"),
                   **_stderr_to_stdout(doc, node, edits, merged), text=cst.Name("True"))
        stream = cst.Attribute(value=cst.Name(doc.module_name(node, "io", edits)), attr=cst.Name("StringIO"))
        edits.put(node, cst.Call(func=stream, args=[cst.Arg(cst.Attribute(value=run, attr=cst.Name("stdout")))]))
        return
    output = {"stdout": _subprocess_name(doc, node, edits, "PIPE")} if merged else {"capture_output": cst.Name("True")}
    run = _run(doc, node, edits, argv, **output, **_stderr_to_stdout(doc, node, edits, merged), text=cst.Name("True"))
    edits.put(read, cst.Attribute(value=run, attr=cst.Name("stdout")))


def _subprocess(doc: Document, node: cst.Call, edits: Edits, from_helper: bool) -> None:
    shell = keyword(node, "shell")
    if shell is None:
        raise Unfixable("the call does not use shell=True; nothing to take the shell out of")
    if not (isinstance(shell.value, cst.Name) and shell.value.value == "True"):
        raise Unfixable("shell= is not the literal True; cannot tell whether a shell runs")
    if keyword(node, "executable") is not None:
        raise Unfixable("executable= replaces the shell; dropping the shell would change which program runs")
    leading = positional(node)
    command = keyword(node, "args") or (leading[0] if leading else None)
    if command is None:
        raise Unfixable("cannot find the command argument")
    argv, merged = _argv(doc, command.value, edits, from_helper)
    if merged and keyword(node, "stderr") is not None:
        raise Unfixable("the command sends stderr to stdout (2>&1) and the call sets stderr= too")
    captured = keyword(node, "capture_output")
    extra = _stderr_to_stdout(doc, node, edits, merged)
    if merged and captured is not None:  # capture_output= cannot go with stderr=: say what it meant
        extra = {"stdout": _subprocess_name(doc, node, edits, "PIPE"), **extra}

    def rewrite(updated: cst.Call) -> cst.Call:
        index = list(node.args).index(command)
        args = list(updated.args)
        args[index] = args[index].with_changes(value=argv)
        args += plain_call(cst.Name("_"), **extra).args
        dropped = {"shell", "capture_output"} if extra.get("stdout") else {"shell"}
        return without_args(updated.with_changes(args=args), lambda arg: arg.keyword is not None and arg.keyword.value in dropped)

    edits.put_call(node, rewrite)


# -- building ARGV --------------------------------------------------------------------------
def _argv(doc: Document, command: cst.BaseExpression, edits: Edits, from_helper: bool) -> tuple[cst.BaseExpression, bool]:
    """The expression to pass instead of ``command``, and whether the command sent stderr to stdout
    (``2>&1``); records edits to local assignments."""
    if from_helper:
        if not isinstance(command, cst.Call):
            raise Unfixable("command_from_helper expects the command to be a call of the helper")
        return command, False
    style = _Style(quote_of(command), str_parameters(doc.enclosing_scope(command)))
    if isinstance(command, cst.Name):
        return _argv_from_local(doc, command, edits, style), False
    parts = flatten(command, _constants(doc))
    if parts is None:
        raise Unfixable("the command is not a string built from literals (e.g. a value passed straight in)")
    parts, merged = without_stderr_redirect(parts)
    return _argv_list(split_words(parts), style), merged


def _subprocess_name(doc: Document, at: cst.CSTNode, edits: Edits, name: str) -> cst.Attribute:
    return cst.Attribute(value=cst.Name(doc.module_name(at, "subprocess", edits)), attr=cst.Name(name))


def _stderr_to_stdout(doc: Document, at: cst.CSTNode, edits: Edits, merged: bool) -> dict[str, cst.BaseExpression]:
    return {"stderr": _subprocess_name(doc, at, edits, "STDOUT")} if merged else {}


@dataclass(frozen=True)
class _Style:
    quote: str  # of the original literal, reused for the new ones
    str_names: frozenset[str]  # parameters annotated `str`: no str() needed around them


def _constants(doc: Document):
    return lambda name: _binding.constant_texts(doc, name)


def _argv_list(words: list[Word], style: _Style) -> cst.List:
    elements: list[cst.BaseElement] = []
    for word in words:
        if len(word.parts) == 1 and isinstance(word.parts[0], Words):
            split = cst.Call(func=cst.Attribute(value=word.parts[0].expr, attr=cst.Name("split")))
            elements.append(cst.StarredElement(split))
        else:
            elements.append(cst.Element(_element(word.parts, style)))
    return cst.List(elements)


def _element(parts: list[Part], style: _Style) -> cst.BaseExpression:
    if not parts:  # an empty quoted word such as ''
        return string_literal("", style.quote)
    return value_expression(parts, style.quote, stringify=True, str_names=style.str_names)


def _argv_from_local(doc: Document, sink: cst.Name, edits: Edits, style: _Style) -> cst.BaseExpression:
    binding = _binding.resolve(doc, sink)
    if not binding.straight_line:
        raise Unfixable(f"`{sink.value}` is built conditionally; cannot turn it into one argv list safely")
    streams: list[list[Part]] = []
    for origin, definition in enumerate(binding.definitions):
        parts = flatten(definition.value, _constants(doc))
        if parts is None and origin:
            parts = [Value(definition.value)]  # `cmd += x` on a string: x is a str
        if parts is None:
            raise Unfixable(f"`{sink.value}` is not a string built from literals")
        streams.append(with_origin(parts, origin))
    words = split_words([part for stream in streams for part in stream])
    style = _Style(quote_of(binding.definitions[0].value), style.str_names)
    if binding.used_elsewhere:
        end = doc.end(binding.sink_outer)
        if not all(_movable(doc, binding, d, doc.start(d.node), end) for d in binding.definitions):
            raise Unfixable(
                f"`{sink.value}` is used elsewhere and its parts cannot safely be evaluated again at the call"
            )
        return _argv_list(words, style)
    if all(len(word.origins) == 1 for word in words):
        _per_statement(binding, words, style, edits)
    else:
        _folded(doc, binding, words, style, edits)
    return sink


def _per_statement(binding: _binding.Binding, words: list[Word], style: _Style, edits: Edits) -> None:
    """Each statement builds its own slice of the list: ``cmd = [...]`` then ``cmd += [...]``."""
    for origin, definition in enumerate(binding.definitions):
        mine = [word for word in words if origin in word.origins]
        if origin and not mine and definition.alone:
            edits.remove(definition.line)  # contributed only whitespace
            continue
        _set_value(definition, _argv_list(mine, style), edits)


def _folded(doc: Document, binding: _binding.Binding, words: list[Word], style: _Style, edits: Edits) -> None:
    """A word straddles statements: build the whole list in the first assignment, drop the ``+=``."""
    if not all(d.alone for d in binding.definitions[1:]):
        raise Unfixable(f"`{binding.name}` is extended on a line shared with other statements")
    first = binding.definitions[0]
    if not all(_movable(doc, binding, d, doc.start(first.node), doc.start(d.node)) for d in binding.definitions[1:]):
        raise Unfixable(f"`{binding.name}` is extended with values that cannot move to its first assignment")
    _set_value(binding.definitions[0], _argv_list(words, style), edits)
    for definition in binding.definitions[1:]:
        edits.remove(definition.line)


def _set_value(definition: _binding.Definition, value: cst.List, edits: Edits) -> None:
    node = definition.node
    if isinstance(node, cst.AnnAssign):
        edits.put(
            node,
            node.with_changes(
                value=value, annotation=node.annotation.with_changes(annotation=cst.parse_expression(_LIST_OF_STR))
            ),
        )
    else:
        edits.put(node, node.with_changes(value=value))


def _movable(
    doc: Document, binding: _binding.Binding, definition: _binding.Definition, start: Position, end: Position
) -> bool:
    """The values ``definition`` splices in read the same anywhere between ``start`` and ``end``."""
    parts = flatten(definition.value) or [Value(definition.value)]
    for part in parts:
        if isinstance(part, Value) and (
            not _binding.is_pure(part.expr)
            or _binding.rebound_between(doc, binding.scope, _binding.names_in(part.expr), start, end)
        ):
            return False
    return True


def _is_str_annotation(annotation: cst.BaseExpression) -> bool:
    return isinstance(annotation, cst.Name) and annotation.value == "str"
