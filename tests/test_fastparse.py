"""The hand-written condition parser agrees with the Lark grammar, tree for tree."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
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
