"""Evaluate a compiled condition over many variants at once, as numpy arrays.

Facts that vary between variants are columns (arrays); the rest are plain values. Truth
values are coded ``0`` false, ``1`` unknown, ``2`` true, so that Kleene's ``and`` is the
minimum, ``or`` the maximum and ``not`` is ``2 - x``.

>>> import numpy as np
>>> from accord.conditions import compile_condition
>>> c = compile_condition("phase == 'crisis' and interest >= 0.5")
>>> evaluate_many(c, {"phase": "crisis"}, {"interest": np.array([0.2, 0.7])}, 2).tolist()
[0, 2]
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np

from accord.conditions.nodes import (
    UNKNOWN,
    ActorRef,
    And,
    Call,
    Compare,
    Condition,
    Const,
    Env,
    Fact,
    In,
    ListNode,
    Node,
    Not,
    Or,
    World,
    _coerce_pair,
    _norm,
)

__all__ = ["F", "NotVectorisable", "T", "U", "evaluate_many"]

F, U, T = 0, 1, 2


class NotVectorisable(Exception):
    """This condition mixes arrays in a way the vector evaluator does not handle."""


def _tri_scalar(v: Any) -> int:
    if v is UNKNOWN:
        return U
    return T if bool(v) else F


def _tri(v: Any, n: int) -> np.ndarray:
    if isinstance(v, np.ndarray):
        if v.dtype == np.int8:
            return v
        return np.where(v.astype(bool), T, F).astype(np.int8)
    return np.full(n, _tri_scalar(v), dtype=np.int8)


_NP_OPS = {
    "==": np.equal,
    "!=": np.not_equal,
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
}


class _Vec:
    def __init__(
        self,
        facts: Mapping[str, Any],
        columns: Mapping[str, np.ndarray],
        n: int,
        actor: str | None,
        day: date | None,
        world: World | None,
    ) -> None:
        self.facts = facts
        self.columns = columns
        self.n = n
        self.env = Env(situation=facts, actor=actor, day=day, world=world)
        self.world = world

    def ev(self, node: Node) -> Any:
        if isinstance(node, Const | ActorRef):
            return node.eval(self.env)
        if isinstance(node, Fact):
            name = ".".join(node.path)
            if name in self.columns:
                return self.columns[name]
            return node.eval(self.env)
        if isinstance(node, ListNode):
            items = [self.ev(i) for i in node.items]
            if any(isinstance(i, np.ndarray) for i in items):
                raise NotVectorisable("a list built from varying facts")
            return items
        if isinstance(node, Not):
            v = self.ev(node.operand)
            return (
                (T - _tri(v, self.n)).astype(np.int8)
                if isinstance(v, np.ndarray)
                else (UNKNOWN if v is UNKNOWN else not bool(v))
            )
        if isinstance(node, And | Or):
            a, b = self.ev(node.left), self.ev(node.right)
            if not isinstance(a, np.ndarray) and not isinstance(b, np.ndarray):
                ta, tb = _tri_scalar(a), _tri_scalar(b)
                r = min(ta, tb) if isinstance(node, And) else max(ta, tb)
                return UNKNOWN if r == U else r == T
            ta_, tb_ = _tri(a, self.n), _tri(b, self.n)
            return (np.minimum(ta_, tb_) if isinstance(node, And) else np.maximum(ta_, tb_)).astype(
                np.int8
            )
        if isinstance(node, Compare):
            a, b = self.ev(node.left), self.ev(node.right)
            if not isinstance(a, np.ndarray) and not isinstance(b, np.ndarray):
                return _scalar_binary(node, a, b)
            if a is UNKNOWN or b is UNKNOWN:
                return np.full(self.n, U, dtype=np.int8)
            if not isinstance(a, np.ndarray):
                a, _ = _coerce_pair(a, b[0] if len(b) else a)
            if not isinstance(b, np.ndarray):
                _, b = _coerce_pair(a[0] if len(a) else b, b)
            try:
                res = _NP_OPS[node.op](a, b)
            except TypeError as err:
                raise NotVectorisable(str(err)) from None
            return np.where(res, T, F).astype(np.int8)
        if isinstance(node, In):
            a, coll = self.ev(node.item), self.ev(node.collection)
            if isinstance(coll, np.ndarray):
                raise NotVectorisable("membership in a varying collection")
            if not isinstance(a, np.ndarray):
                return _scalar_binary(node, a, coll)
            if coll is UNKNOWN:
                return np.full(self.n, U, dtype=np.int8)
            coll_list = [coll] if isinstance(coll, str) else list(_norm(coll))
            res = np.isin(a, coll_list)
            if node.negate:
                res = ~res
            return np.where(res, T, F).astype(np.int8)
        if isinstance(node, Call):
            vals = [self.ev(a) for a in node.args]
            if any(isinstance(v, np.ndarray) for v in vals):
                raise NotVectorisable(f"{node.name}() of a varying fact")
            if node.name == "obliged" and self.columns:
                model = getattr(self.world, "model", None)
                reads = (
                    set()
                    if model is None
                    else {
                        f
                        for s in model.by_aim.get(str(vals[1]), ())
                        if s.id in model.conditions
                        for f in model.conditions[s.id].facts
                    }
                )
                if model is None or reads & set(self.columns):
                    raise NotVectorisable("obliged() of rules that read a varying fact")
            return node.eval(self.env)
        raise NotVectorisable(type(node).__name__)  # pragma: no cover


def _scalar_binary(node: Compare | In, a: Any, b: Any) -> Any:
    """A comparison or membership whose operands are already plain values."""
    if isinstance(node, Compare):
        return Compare(node.op, Const(a), Const(b)).eval(Env())
    return In(Const(a), Const(_norm(b)), node.negate).eval(Env())


def evaluate_many(
    cond: Condition,
    facts: Mapping[str, Any],
    columns: Mapping[str, np.ndarray],
    n: int,
    *,
    actor: str | None = None,
    day: date | None = None,
    world: World | None = None,
) -> np.ndarray:
    """Truth of ``cond`` for ``n`` variants, coded 0/1/2 (false/unknown/true)."""
    vec = _Vec(facts, columns, n, actor, day, world)
    try:
        return _tri(vec.ev(cond.root), n)
    except NotVectorisable:
        # exact fallback: one variant at a time (same semantics, slower)
        out = np.empty(n, dtype=np.int8)
        for i in range(n):
            sit = dict(facts)
            for k, col in columns.items():
                sit[k] = col[i].item() if hasattr(col[i], "item") else col[i]
            v = cond.evaluate(Env(situation=sit, actor=actor, day=day, world=world))
            out[i] = U if v is None else (T if v else F)
        return out
