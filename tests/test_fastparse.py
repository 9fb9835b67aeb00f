"""The hand-written condition parser agrees with the Lark grammar, tree for tree."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.conditions.fastparse import parse_fast
from accord.conditions.nodes import Node
from accord.conditions.parser import _fast_tree, lark_tree
from accord.errors import ConditionError


def dump(n: Node) -> Any:
    out: list[Any] = [type(n).__name__]
    for k, v in vars(n).items():
        if isinstance(v, Node):
            out.append((k, dump(v)))
        elif isinstance(v, list):
            out.append((k, [dump(x) if isinstance(x, Node) else x for x in v]))
        else:
            out.append((k, v))
    return tuple(out)


def agree(text: str) -> None:
    fast = _fast_tree(text)
    try:
        ref = lark_tree(text)
    except (ConditionError, RecursionError):
        assert fast is None, text  # the fast parser must never accept what the grammar refuses
        return
    if fast is not None:
        assert dump(fast) == dump(ref), text


VOCAB = [
    "phase",
    "actor",
    "x.y",
    "@eu",
    "'crisis'",
    '"a b"',
    "3",
    "-2.5",
    "2001-05-17",
    "2001-02-30",
    "true",
    "false",
    "and",
    "or",
    "not",
    "in",
    "==",
    "!=",
    "<=",
    ">",
    "(",
    ")",
    "[",
    "]",
    ",",
    ".",
    "member(",
    "given(",
    "count(",
    "launch(",
    "@",
    "and-x",
    "notes",
    "  ",
    "\n",
    "\u00a0",
    "٣",
]

ATOMS = st.sampled_from(
    ["phase", "actor", "a.b", "@eu", "'x'", "3", "0.5", "2000-12-09", "true", "contributors"]
)


@st.composite
def conditions(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 3 or draw(st.booleans()):
        a = draw(ATOMS)
        kind = draw(st.sampled_from(["atom", "cmp", "in", "notin", "call", "list"]))
        b = draw(ATOMS)
        return {
            "atom": a,
            "cmp": f"{a} {draw(st.sampled_from(['==', '!=', '<', '>=']))} {b}",
            "in": f"{a} in [{b}, {a}]",
            "notin": f"{a} not in {b}",
            "call": f"member({a}, {b})",
            "list": f"[{a}]",
        }[kind]
    left, right = draw(conditions(depth + 1)), draw(conditions(depth + 1))
    form = draw(st.sampled_from(["and", "or", "not", "paren"]))
    if form == "not":
        return f"not {left}"
    if form == "paren":
        return f"({left}) {draw(st.sampled_from(['and', 'or']))} {right}"
    return f"{left} {form} {right}"


@settings(max_examples=400, deadline=None)
@given(conditions())
def test_well_formed_conditions_parse_alike(text: str) -> None:
    assert parse_fast(text) is not None, text
    agree(text)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=8).map(" ".join))
def test_token_soups_never_diverge(text: str) -> None:
    agree(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_text_never_diverges(text: str) -> None:
    agree(text)


def _reference_compile_error(text: str) -> str | None:
    """What compiling used to report: the grammar's path whenever the fast tree has a bad
    call, otherwise the fast tree checked as a whole."""
    from accord.conditions.parser import _finish, _lark_tree

    try:
        root = _fast_tree(text)
        _finish(text, root if root is not None else _lark_tree(text))
    except ConditionError as err:
        return str(err)
    except RecursionError:
        return "condition nested too deeply"
    return None


@given(
    st.integers(min_value=0, max_value=80),
    st.sampled_from(["phase == 'x'", "member(actor)", "holds(actor, @eu)", "given(3)"]),
)
@example(70, "member(actor)")  # too deep, and a bad call
@example(70, "phase == 'x'")  # too deep only
@settings(max_examples=60, deadline=None)
def test_compiling_reports_as_the_grammar_path_would(depth: int, inner: str) -> None:
    """Calls are checked in the same walk as the depth: a condition too deep *and* with a
    bad call still reports what the grammar's path reports."""
    from accord.conditions import compile_condition

    text = "not (" * depth + inner + ")" * depth
    try:
        compile_condition(text)
        got = None
    except ConditionError as err:
        got = str(err)
    assert got == _reference_compile_error(text)
