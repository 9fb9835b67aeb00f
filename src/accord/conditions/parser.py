"""Parse condition text with the Lark grammar and build a :class:`Condition` tree.

Errors are :class:`~accord.errors.ConditionError` with the column where parsing stopped.

>>> compile_condition("phase ==")
Traceback (most recent call last):
...
accord.errors.ConditionError: condition does not parse at column 9: unexpected end of condition
>>> try:
...     compile_condition("launch(@x)")
... except ConditionError as err:
...     print(err)
unknown function 'launch' (known: count, given, holds, in_effect, in_force, member, obliged)
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib.resources import files
from typing import Any

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

from accord.conditions.fastparse import parse_fast
from accord.conditions.nodes import (
    ActorRef,
    And,
    Call,
    Compare,
    Condition,
    Const,
    Fact,
    In,
    ListNode,
    Node,
    Not,
    Or,
)
from accord.errors import ConditionError

__all__ = ["compile_condition"]

FUNCTIONS = {
    "member": 2,
    "holds": 2,
    "in_force": 1,
    "in_effect": 1,
    "given": 1,
    "count": 1,
    "obliged": 3,
}
# functions that ask the model itself: allowed in scenarios (behaviour rules, outcomes),
# never in a model's own statements (a rule defined by asking the rules would loop)
SCENARIO_ONLY = frozenset({"obliged"})
MAX_LENGTH = 2000
MAX_DEPTH = 60


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = files("accord.conditions").joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=False)


class _Build(Transformer[Token, Node]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.src = text

    def _span(self, meta: Any) -> str:
        if getattr(meta, "empty", True):
            return ""
        return self.src[meta.start_pos : meta.end_pos]

    @v_args(meta=True)
    def or_(self, meta: Any, c: list[Node]) -> Node:
        return Or(c[0], c[1], self._span(meta))

    @v_args(meta=True)
    def and_(self, meta: Any, c: list[Node]) -> Node:
        return And(c[0], c[1], self._span(meta))

    @v_args(meta=True)
    def not_(self, meta: Any, c: list[Node]) -> Node:
        return Not(c[0], self._span(meta))

    @v_args(meta=True)
    def compare(self, meta: Any, c: list[Any]) -> Node:
        return Compare(str(c[1]), c[0], c[2], self._span(meta))

    @v_args(meta=True)
    def in_(self, meta: Any, c: list[Node]) -> Node:
        return In(c[0], c[1], False, self._span(meta))

    @v_args(meta=True)
    def not_in(self, meta: Any, c: list[Node]) -> Node:
        return In(c[0], c[1], True, self._span(meta))

    def date(self, c: list[Token]) -> Node:
        try:
            return Const(date.fromisoformat(str(c[0])), str(c[0]))
        except ValueError:
            raise ConditionError(
                f"impossible date {str(c[0])!r}", column=c[0].column or 1, pos=c[0].start_pos
            ) from None

    def number(self, c: list[Token]) -> Node:
        s = str(c[0])
        return Const(float(s) if "." in s else int(s), s)

    def string(self, c: list[Token]) -> Node:
        return Const(str(c[0])[1:-1], str(c[0]))

    def true(self, c: list[Any]) -> Node:
        return Const(True, "true")

    def false(self, c: list[Any]) -> Node:
        return Const(False, "false")

    def actor_ref(self, c: list[Token]) -> Node:
        return ActorRef(str(c[0]), "@" + str(c[0]))

    @v_args(meta=True)
    def fact(self, meta: Any, c: list[Token]) -> Node:
        path = tuple(str(t) for t in c)
        return Fact(path, ".".join(path))

    @v_args(meta=True)
    def call(self, meta: Any, c: list[Any]) -> Node:
        name = str(c[0])
        args: list[Node] = c[1] if len(c) > 1 else []
        if name not in FUNCTIONS:
            raise ConditionError(
                f"unknown function {name!r} (known: {', '.join(sorted(FUNCTIONS))})",
                column=c[0].column or 1,
                pos=c[0].start_pos,
            )
        if len(args) != FUNCTIONS[name]:
            raise ConditionError(
                f"{name}() takes {FUNCTIONS[name]} argument(s), got {len(args)}",
                column=c[0].column or 1,
                pos=c[0].start_pos,
            )
        if name == "given" and not isinstance(args[0], Fact):
            raise ConditionError(
                "given() takes the name of a fact", column=c[0].column or 1, pos=c[0].start_pos
            )
        return Call(name, args, self._span(meta))

    @v_args(meta=True)
    def list_(self, meta: Any, c: list[Any]) -> Node:
        return ListNode(c[0] if c else [], self._span(meta))

    def args(self, c: list[Node]) -> list[Node]:
        return list(c)


def _walk(node: Node) -> list[Node]:
    out = [node]
    for v in vars(node).values():
        if isinstance(v, Node):
            out.extend(_walk(v))
        elif isinstance(v, list):
            for x in v:
                if isinstance(x, Node):
                    out.extend(_walk(x))
    return out


def compile_condition(text: str) -> Condition:
    """Parse and compile one condition; raise :class:`ConditionError` if it is bad."""
    if not isinstance(text, str):
        raise ConditionError("a condition must be text")
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"condition longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ConditionError("empty condition")
    try:
        return _compile(text)
    except RecursionError:
        raise ConditionError("condition nested too deeply", text=text) from None


def _fast_tree(text: str) -> Node | None:
    """The hand-written parser's tree, if it read the text and every call is well formed."""
    root = parse_fast(text)
    if root is None:
        return None
    for n in _walk(root):
        if isinstance(n, Call) and (
            FUNCTIONS.get(n.name) != len(n.args)
            or (n.name == "given" and not isinstance(n.args[0], Fact))
        ):
            return None  # let the grammar below report it
    return root


class _BadCall(Exception):
    """A call the hand-written parser read but the grammar's builder would refuse."""


def _compile(text: str) -> Condition:
    root = parse_fast(text)
    if root is not None:
        try:
            return _finish(text, root, check_calls=True)
        except _BadCall:
            pass  # the grammar below reads it again and reports the problem
    return _finish(text, _lark_tree(text))


def lark_tree(text: str) -> Node:
    """The tree the Lark grammar gives (the reference for the hand-written parser)."""
    return _lark_tree(text)


def _lark_tree(text: str) -> Node:
    try:
        tree = _parser().parse(text)
    except UnexpectedEOF:
        raise ConditionError(
            f"condition does not parse at column {len(text) + 1}: unexpected end of condition",
            column=len(text) + 1,
            text=text,
            pos=len(text),
        ) from None
    except UnexpectedToken as err:
        at_end = err.token.type == "$END"
        col = len(text) + 1 if at_end or not isinstance(err.column, int) else err.column
        what = "end of condition" if at_end else repr(str(err.token))
        start = getattr(err.token, "start_pos", None)
        raise ConditionError(
            f"condition does not parse at column {col}: unexpected {what}",
            column=col,
            text=text,
            pos=len(text) if at_end or not isinstance(start, int) else start,
        ) from None
    except UnexpectedCharacters as err:
        pos = err.pos_in_stream if isinstance(err.pos_in_stream, int) else len(text)
        col = err.column if isinstance(err.column, int) else pos + 1
        raise ConditionError(
            f"condition does not parse at column {col}: unexpected character {text[pos]!r}"
            if pos < len(text)
            else f"condition does not parse at column {col}",
            column=col,
            text=text,
            pos=pos,
        ) from None
    except LarkError as err:  # pragma: no cover - any other grammar failure
        raise ConditionError(f"condition does not parse: {err}", text=text) from None
    try:
        root = _Build(text).transform(tree) if isinstance(tree, Tree) else tree
    except ConditionError:
        raise
    except LarkError as err:
        inner = getattr(err, "orig_exc", None)
        if isinstance(inner, ConditionError):
            raise inner from None
        raise ConditionError(f"condition does not compile: {err}", text=text) from None
    return root


_SPECIAL_FACTS = (("actor",), ("date",), ("object",))


def _finish(text: str, root: Node, *, check_calls: bool = False) -> Condition:
    """Check the depth and gather what the condition reads, in one walk of the tree; with
    ``check_calls``, raise ``_BadCall`` at a call with the wrong arguments (as
    :func:`_fast_tree` does)."""
    facts: set[str] = set()
    actors: set[str] = set()
    calls: set[str] = set()
    call_refs: set[tuple[str, int, str]] = set()
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, d = stack.pop()
        if d > MAX_DEPTH:
            if check_calls and _fast_tree(text) is None:  # a bad call is reported first
                raise _BadCall
            raise ConditionError(f"condition nested more than {MAX_DEPTH} levels deep", text=text)
        if isinstance(node, Fact):
            if node.path not in _SPECIAL_FACTS:
                facts.add(".".join(node.path))
            continue
        if isinstance(node, ActorRef):
            actors.add(node.name)
            continue
        if isinstance(node, Call):
            if check_calls and (
                FUNCTIONS.get(node.name) != len(node.args)
                or (node.name == "given" and not isinstance(node.args[0], Fact))
            ):
                raise _BadCall
            calls.add(node.name)
            call_refs.update(
                (node.name, k, a.name) for k, a in enumerate(node.args) if isinstance(a, ActorRef)
            )
        for v in vars(node).values():
            if isinstance(v, Node):
                stack.append((v, d + 1))
            elif isinstance(v, list):
                stack.extend((x, d + 1) for x in v if isinstance(x, Node))
    return Condition(
        text, root, frozenset(facts), frozenset(actors), frozenset(calls), frozenset(call_refs)
    )
