"""Follow a local variable back to the statements that built it.

``cmd = "ping -c 1 " + host`` then ``cmd += " -W 2"`` then ``os.system(cmd)``: the sink's
``cmd`` resolves to one plain assignment plus ``+=`` augmentations in the same function.
Anything less tidy (two assignments, a loop, ``cmd`` passed to another call) is reported so
the caller can refuse or fall back, never guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from provenfix.codemods._cst import Document
from provenfix.codemods.base import Unfixable

# Blocks an augmentation may sit in and still run at most once before the sink.
_ONCE = (cst.If, cst.Else, cst.With, cst.IndentedBlock, cst.SimpleStatementLine, cst.SimpleStatementSuite)


@dataclass(frozen=True)
class Definition:
    node: cst.Assign | cst.AnnAssign | cst.AugAssign
    value: cst.BaseExpression
    line: cst.CSTNode  # the SimpleStatementLine (or suite) holding it
    alone: bool  # the only statement on its line, so it can be removed or followed


@dataclass(frozen=True)
class Binding:
    name: str
    scope: cst.FunctionDef | cst.Module
    definitions: list[Definition]  # the plain assignment first, then each `+=` in order
    used_elsewhere: bool  # read anywhere but the sink
    straight_line: bool  # every definition is a statement of the assignment's own block
    sink_outer: cst.CSTNode  # the statement of that block holding the sink: values must hold until its end


def resolve(doc: Document, sink: cst.Name) -> Binding:
    """The straight or conditional definitions of the local ``sink`` refers to."""
    name = sink.value
    scope = doc.enclosing_scope(sink)
    plain: list[cst.Assign | cst.AnnAssign] = []
    augmented: list[cst.AugAssign] = []
    used_elsewhere = False
    for node in _names(scope, name):
        if node is sink:
            continue
        owner = _defining(doc, node)
        if isinstance(owner, cst.AugAssign):
            augmented.append(owner)
        elif owner is not None:
            plain.append(owner)
        else:
            used_elsewhere = True
    if not plain:
        raise Unfixable(
            f"`{name}` is not assigned in this function (a parameter or outside value): not a string built from literals"
        )
    if len(plain) > 1:
        raise Unfixable(f"`{name}` is assigned more than once; cannot tell which value reaches the sink")
    sink_at = doc.start(sink)
    first = plain[0]
    _, home = doc.block_of(first)
    # The sink may sit deeper (inside an if/with/loop) than the assignment, never beside it.
    sink_outer = _child_of(doc, sink, home)
    if sink_outer is None or doc.start(first) >= sink_at:
        raise Unfixable(f"`{name}` is not assigned earlier in a block enclosing its use")
    definitions = [_definition(doc, first)]
    straight = True
    for aug in sorted(augmented, key=doc.start):
        if not doc.start(first) < doc.start(aug) < sink_at:
            raise Unfixable(f"`{name}` is extended after its use or before its assignment")
        statement, block = doc.block_of(aug)
        if block is not home:
            straight = False
            _check_runs_once(doc, aug, home, name)
        elif statement is sink_outer:
            raise Unfixable(f"`{name}` is extended in the statement that uses it")
        definitions.append(_definition(doc, aug))
    return Binding(name, scope, definitions, used_elsewhere, straight, sink_outer)


def _child_of(doc: Document, node: cst.CSTNode, block: cst.CSTNode) -> cst.CSTNode | None:
    """The statement of ``block`` that contains ``node``, if any."""
    child = node
    for parent in doc.ancestors(node):
        if parent is block:
            return child
        child = parent
    return None


def _names(scope: cst.CSTNode, name: str) -> list[cst.Name]:
    found: list[cst.Name] = []

    class _Collect(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            if node.value == name:
                found.append(node)

    scope.visit(_Collect())
    return found


def _defining(doc: Document, name: cst.Name) -> cst.Assign | cst.AnnAssign | cst.AugAssign | None:
    """The statement that assigns to ``name`` as a whole, or None when ``name`` is used another way."""
    parent = doc.parent(name)
    if isinstance(parent, cst.AssignTarget):
        assign = doc.parent(parent)
        if isinstance(assign, cst.Assign) and len(assign.targets) == 1:
            return assign
        return None
    if isinstance(parent, cst.AnnAssign) and parent.target is name and parent.value is not None:
        return parent
    if isinstance(parent, cst.AugAssign) and parent.target is name and isinstance(parent.operator, cst.AddAssign):
        return parent
    return None


def _definition(doc: Document, node: cst.Assign | cst.AnnAssign | cst.AugAssign) -> Definition:
    line = doc.parent(node)
    assert line is not None and node.value is not None
    alone = isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1
    return Definition(node, node.value, line, alone)


def _check_runs_once(doc: Document, node: cst.CSTNode, block: cst.CSTNode, name: str) -> None:
    for ancestor in doc.ancestors(node):
        if ancestor is block:
            return
        if not isinstance(ancestor, _ONCE):
            kind = type(ancestor).__name__.lower()
            raise Unfixable(f"`{name}` is extended inside a {kind}; cannot follow how often")


def names_in(expr: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    class _Collect(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            found.add(node.value)

    expr.visit(_Collect())
    return found


def is_pure(expr: cst.BaseExpression) -> bool:
    """Reading ``expr`` again later has no side effects (names, attributes, constants, str()/int())."""
    if isinstance(expr, (cst.Name, cst.Integer, cst.Float, cst.SimpleString)):
        return True
    if isinstance(expr, cst.Attribute):
        return is_pure(expr.value)
    if isinstance(expr, cst.Subscript):
        return is_pure(expr.value) and all(
            isinstance(e.slice, cst.Index) and is_pure(e.slice.value) for e in expr.slice
        )
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value in ("str", "int", "float"):
        return (
            len(expr.args) == 1 and not expr.args[0].keyword and not expr.args[0].star and is_pure(expr.args[0].value)
        )
    return False


def rebound_between(
    doc: Document, scope: cst.CSTNode, names: set[str], start: tuple[int, int], end: tuple[int, int]
) -> bool:
    """Whether any of ``names`` is assigned (or deleted) strictly between two positions in ``scope``."""
    hit = False

    class _Find(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            nonlocal hit
            if node.value in names and doc.is_store(node) and start < doc.start(node) < end:
                hit = True

    scope.visit(_Find())
    return hit


def free_name(scope: cst.CSTNode, *choices: str) -> str | None:
    """The first of ``choices`` not used anywhere in ``scope``."""
    used = names_in(scope)
    return next((choice for choice in choices if choice not in used), None)


def constant_texts(doc: Document, name: cst.Name) -> tuple[str, ...] | None:
    """The texts a name can hold when the code itself fixes them: ``FLAGS = "-czf "`` (module or
    local, assigned once) or ``flags = "-czf " if compress else "-cf "``. None otherwise."""
    scope = doc.enclosing_scope(name)
    for where in (scope, doc.module) if scope is not doc.module else (doc.module,):
        stores = [n for n in _names(where, name.value) if doc.is_store(n)]
        if where is not doc.module and isinstance(where, cst.FunctionDef):
            params = {p.name.value for p in (*where.params.params, *where.params.kwonly_params, *where.params.posonly_params)}
            if name.value in params:
                return None
        if not stores:
            continue
        if len(stores) != 1:
            return None
        owner = _defining(doc, stores[0])
        if not isinstance(owner, (cst.Assign, cst.AnnAssign)) or owner.value is None:
            return None
        return _literal_alternatives(owner.value)
    return None


def _literal_alternatives(value: cst.BaseExpression) -> tuple[str, ...] | None:
    if isinstance(value, cst.SimpleString):
        text = value.evaluated_value
        return (text,) if isinstance(text, str) else None
    if isinstance(value, cst.IfExp):
        body, orelse = _literal_alternatives(value.body), _literal_alternatives(value.orelse)
        return None if body is None or orelse is None else body + orelse
    return None
