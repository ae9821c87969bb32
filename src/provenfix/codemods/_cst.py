"""LibCST plumbing shared by the codemods: parse, find the node at a Span, apply edits.

A codemod reads a ``Document``, records what to change in an ``Edits`` and calls
``Document.apply``: only the recorded nodes are rebuilt, so every other byte of the file
(comments, blank lines, quote style) comes back exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import (
    ExpressionContext,
    ExpressionContextProvider,
    ImportAssignment,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    QualifiedName,
    QualifiedNameProvider,
    Scope,
    ScopeProvider,
)

from provenfix.codemods.base import Span, Unfixable

Replacement = cst.CSTNode | cst.RemovalSentinel | Callable[[cst.CSTNode], cst.CSTNode]

_EMPTY = cst.Module(body=[])
N = TypeVar("N", bound=cst.CSTNode)


def code_of(node: cst.CSTNode) -> str:
    return _EMPTY.code_for_node(node)


@dataclass
class Edits:
    """What a codemod wants changed, keyed by the identity of the original nodes."""

    replace: dict[int, Replacement] = field(default_factory=dict)
    after: dict[int, list[cst.BaseStatement]] = field(default_factory=dict)
    imports: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    helpers: list[tuple[str, str]] = field(default_factory=list)

    def put(self, original: cst.CSTNode, new: Replacement) -> None:
        """Replace ``original``; ``new`` may be a function of the node with its inner edits applied."""
        if id(original) in self.replace:
            raise Unfixable("two rewrites overlap on the same code")
        self.replace[id(original)] = new

    def put_call(self, original: cst.Call, rewrite: Callable[[cst.Call], cst.BaseExpression]) -> None:
        """Replace a call by a function of it, seeing any edits already made inside its arguments."""

        def apply(updated: cst.CSTNode) -> cst.CSTNode:
            assert isinstance(updated, cst.Call)
            return rewrite(updated)

        self.put(original, apply)

    def remove(self, statement: cst.CSTNode) -> None:
        self.put(statement, cst.RemoveFromParent())

    def insert_after(self, statement: cst.CSTNode, new: cst.BaseStatement) -> None:
        self.after.setdefault(id(statement), []).append(new)

    def add_import(self, module: str, obj: str | None = None, asname: str | None = None) -> None:
        if (module, obj, asname) not in self.imports:
            self.imports.append((module, obj, asname))

    def add_helper(self, name: str, code: str) -> None:
        """A module-level function the rewrite calls; inserted after the imports unless already there."""
        if all(existing != name for existing, _ in self.helpers):
            self.helpers.append((name, code))


class _Apply(cst.CSTTransformer):
    def __init__(self, edits: Edits) -> None:
        super().__init__()
        self._edits = edits

    def on_leave(  # type: ignore[override]  # one generic rule for every node type
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        new = self._edits.replace.get(id(original_node), updated_node)
        if callable(new) and not isinstance(new, cst.CSTNode):
            new = new(updated_node)
        extra = self._edits.after.get(id(original_node))
        if extra and isinstance(new, cst.BaseStatement):
            return cst.FlattenSentinel([new, *extra])
        return new


class Document:
    """One parsed module plus the metadata the codemods ask about."""

    def __init__(self, source: str) -> None:
        try:
            module = cst.parse_module(source)
        except cst.ParserSyntaxError as exc:
            raise Unfixable(f"source does not parse: {exc.message}") from exc
        # unsafe_skip_copy keeps node identity, so metadata and edits refer to the same nodes.
        self.wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        self.module = module
        self.positions = self.wrapper.resolve(PositionProvider)
        self.parents = self.wrapper.resolve(ParentNodeProvider)
        self._qualified: Mapping[cst.CSTNode, Collection[QualifiedName]] | None = None
        self._scopes: Mapping[cst.CSTNode, Scope | None] | None = None
        self._contexts: Mapping[cst.CSTNode, ExpressionContext] | None = None

    # -- finding things -----------------------------------------------------------------
    def locate(self, span: Span, kind: type[N], what: str) -> N:
        for node, where in self.positions.items():
            if isinstance(node, kind) and (where.start.line, where.start.column, where.end.line, where.end.column) == (
                span.line,
                span.col,
                span.end_line,
                span.end_col,
            ):
                return node
        raise Unfixable(f"no {what} at line {span.line}, column {span.col}")

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.parents.get(node)

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        current = self.parents.get(node)
        while current is not None:
            yield current
            current = self.parents.get(current)

    def start(self, node: cst.CSTNode) -> tuple[int, int]:
        where = self.positions[node].start
        return (where.line, where.column)

    def end(self, node: cst.CSTNode) -> tuple[int, int]:
        where = self.positions[node].end
        return (where.line, where.column)

    def qualified_names(self, node: cst.CSTNode) -> set[str]:
        if self._qualified is None:
            self._qualified = self.wrapper.resolve(QualifiedNameProvider)
        found: object = self._qualified.get(node, ())
        if callable(found):  # LibCST hands some values out lazily
            found = found()
        assert isinstance(found, Collection)
        return {q.name for q in found}

    def is_store(self, node: cst.Name) -> bool:
        if self._contexts is None:
            self._contexts = self.wrapper.resolve(ExpressionContextProvider)
        return self._contexts.get(node) in (ExpressionContext.STORE, ExpressionContext.DEL)

    def block_of(self, node: cst.CSTNode) -> tuple[cst.CSTNode, cst.CSTNode]:
        """The statement holding ``node`` that sits directly in a block, and that block."""
        child = node
        for parent in self.ancestors(node):
            if isinstance(parent, (cst.IndentedBlock, cst.Module)):
                return child, parent
            child = parent
        raise Unfixable("node is not inside a statement")

    def enclosing_scope(self, node: cst.CSTNode) -> cst.FunctionDef | cst.Module:
        for parent in self.ancestors(node):
            if isinstance(parent, cst.FunctionDef):
                return parent
        return self.module

    # -- names ----------------------------------------------------------------------------
    def module_name(self, at: cst.CSTNode, module: str, edits: Edits) -> str:
        """The name that refers to ``module`` at ``at``, importing it when nothing binds it.

        Reuses ``import module as alias``; refuses when the plain name is bound to something else.
        """
        if self._scopes is None:
            self._scopes = self.wrapper.resolve(ScopeProvider)
        scope = self._scopes.get(at)
        assignments = list(scope[module]) if scope is not None else []
        if not assignments:
            alias = self._module_alias(module)
            if alias is None:
                edits.add_import(module)
            return alias or module
        if all(isinstance(a, ImportAssignment) and _imports_plainly(a.node, module) for a in assignments):
            return module
        raise Unfixable(f"the name {module!r} is bound to something else here; cannot add `import {module}`")

    def _module_alias(self, module: str) -> str | None:
        for statement in self.module.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if isinstance(small, cst.Import):
                    for alias in small.names:
                        if alias.evaluated_name == module and alias.asname is not None:
                            return alias.evaluated_alias
        return None

    # -- writing --------------------------------------------------------------------------
    def apply(self, edits: Edits) -> str:
        module = self.module.visit(_Apply(edits))
        if edits.imports:
            context = CodemodContext()
            for module_name, obj, asname in edits.imports:
                AddImportsVisitor.add_needed_import(context, module_name, obj, asname)
            module = AddImportsVisitor(context).transform_module(module)
        for name, code in edits.helpers:
            module = _insert_helper(module, name, code)
        return module.code


def _imports_plainly(node: cst.CSTNode, module: str) -> bool:
    """``import module`` (or ``import module.sub``) without an ``as``."""
    if not isinstance(node, cst.Import):
        return False
    return any(
        alias.asname is None and (alias.evaluated_name == module or alias.evaluated_name.startswith(module + "."))
        for alias in node.names
    )


def _insert_helper(module: cst.Module, name: str, code: str) -> cst.Module:
    helper = cst.parse_statement(code)
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
            if code_of(statement.with_changes(leading_lines=())).strip() != code.strip():
                raise Unfixable(f"the module already defines a different {name}()")
            return module  # an earlier fix in this file inserted it
    at = _after_imports(module)
    body = list(module.body)
    body.insert(at, helper.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()]))
    if at + 1 < len(body):
        body[at + 1] = _two_blank_lines_before(body[at + 1])
    return module.with_changes(body=body)


def _after_imports(module: cst.Module) -> int:
    """Index just past the last import of the module header (before the first def/class)."""
    at = 0
    for index, statement in enumerate(module.body):
        if isinstance(statement, cst.SimpleStatementLine):
            if all(isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body):
                at = index + 1
            elif index == 0 and _is_docstring(statement):
                at = 1
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            break
    return at


def _is_docstring(statement: cst.SimpleStatementLine) -> bool:
    first = statement.body[0]
    return isinstance(first, cst.Expr) and isinstance(first.value, (cst.SimpleString, cst.ConcatenatedString))


def _two_blank_lines_before(
    statement: cst.SimpleStatementLine | cst.BaseCompoundStatement,
) -> cst.SimpleStatementLine | cst.BaseCompoundStatement:
    lines = list(statement.leading_lines)
    blank = 0
    while blank < len(lines) and lines[blank].comment is None:
        blank += 1
    if blank >= 2:
        return statement
    return statement.with_changes(leading_lines=[cst.EmptyLine()] * (2 - blank) + lines)


# -- call arguments ---------------------------------------------------------------------------
def without_args(call: cst.Call, drop: Callable[[cst.Arg], bool]) -> cst.Call:
    """``call`` minus the arguments ``drop`` selects, keeping the commas of the rest well-formed."""
    kept = [arg for arg in call.args if not drop(arg)]
    if kept and len(kept) < len(call.args):
        # The last kept argument takes over the original last comma (trailing comma or none).
        kept[-1] = kept[-1].with_changes(comma=call.args[-1].comma)
    return call.with_changes(args=kept)


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    return next((arg for arg in call.args if arg.keyword is not None and arg.keyword.value == name), None)


def positional(call: cst.Call) -> list[cst.Arg]:
    return [arg for arg in call.args if arg.keyword is None and not arg.star]


def plain_call(func: cst.BaseExpression, *args: cst.BaseExpression, **kwargs: cst.BaseExpression) -> cst.Call:
    """``func(args..., key=value...)`` with standard spacing."""
    built = [cst.Arg(value) for value in args]
    built += [
        cst.Arg(
            value,
            keyword=cst.Name(key),
            equal=cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
            ),
        )
        for key, value in kwargs.items()
    ]
    return cst.Call(func=func, args=built)


def dotted(text: str) -> cst.Attribute | cst.Name:
    """``a.b.c`` as a node."""
    expr = cst.parse_expression(text)
    if not isinstance(expr, (cst.Attribute, cst.Name)):
        raise ValueError(text)
    return expr


def single_return(func: cst.FunctionDef) -> cst.Return:
    """The one `return <value>` of ``func`` (nested functions and classes aside)."""
    returns: list[cst.Return] = []

    class _Find(cst.CSTVisitor):
        def visit_Return(self, node: cst.Return) -> None:
            returns.append(node)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is func

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

    func.visit(_Find())
    if len(returns) != 1 or returns[0].value is None:
        raise Unfixable("the helper does not have exactly one `return <value>`")
    return returns[0]


def str_parameters(scope: cst.FunctionDef | cst.Module) -> frozenset[str]:
    """Parameters of ``scope`` annotated ``str``: values known to be text already."""
    if not isinstance(scope, cst.FunctionDef):
        return frozenset()
    params = scope.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    return frozenset(
        p.name.value
        for p in every
        if p.annotation is not None
        and isinstance(p.annotation.annotation, cst.Name)
        and p.annotation.annotation.value == "str"
    )
