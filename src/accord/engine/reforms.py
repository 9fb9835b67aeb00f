"""Reforms: named overlays on a model, effective from a date; the baseline never changes.

Applying a reform gives a *new* :class:`~accord.engine.model.Model` in which

- added statements apply from the reform's date (unless they give their own ``valid``);
- a replaced or changed statement keeps applying until the day before, and its new version,
  with the id ``ID@REFORM``, applies from that date;
- a removed statement stops applying the day before.

Reforms chain: ``base: [other-reform]`` applies the others first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from accord.conditions import Condition, compile_condition
from accord.model.elements import IntervalSpec, Statement
from accord.model.procedures import Reform
from accord.model.recurrence import parse_recurrence
from accord.time import Bound, PartialDate

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = ["apply_reform", "apply_reforms"]


def _day_before(d: PartialDate) -> Bound:
    prev = d.earliest - timedelta(days=1)
    return Bound.at(PartialDate(prev, prev, prev.isoformat()))


def _ending(s: Statement, end: Bound) -> Statement:
    start = s.valid.start if s.valid is not None else Bound.open()
    return s.model_copy(update={"valid": IntervalSpec.model_construct(start=start, end=end)})


def _starting(s: Statement, start: PartialDate, sid: str | None = None) -> Statement:
    update: dict[str, object] = {}
    if s.valid is None:
        update["valid"] = IntervalSpec.model_construct(start=Bound.at(start), end=Bound.open())
    if sid is not None:
        update["id"] = sid
    return s.model_copy(update=update)


def apply_reform(model: Model, reform: Reform) -> Model:
    """The model with ``reform`` applied (the reform must have been checked against it)."""
    eff = reform.effective
    end = _day_before(eff)
    statements: dict[str, Statement] = dict(model.statements)
    conditions: dict[str, Condition] = dict(model.conditions)

    def put(s: Statement) -> None:
        statements[s.id] = s
        if s.condition is not None:
            conditions[s.id] = compile_condition(s.condition)

    for s in reform.add:
        put(_starting(s, eff))
    for s in reform.replace:
        statements[s.id] = _ending(statements[s.id], end)
        put(_starting(s, eff, f"{s.id}@{reform.id}"))
    for sid in reform.remove:
        statements[sid] = _ending(statements[sid], end)
    for ch in reform.change:
        old = statements[ch.statement]
        update: dict[str, object] = {}
        if ch.recurrence is not None:
            update["recurrence"] = parse_recurrence(ch.recurrence)
        for field in ("condition", "deontic", "exclusive"):
            if getattr(ch, field) is not None:
                update[field] = getattr(ch, field)
        new = old.model_copy(update={**update, "valid": None})
        statements[old.id] = _ending(old, end)
        put(_starting(new, eff, f"{old.id}@{reform.id}"))
    manifest = model.manifest.model_copy(
        update={"title": f"{model.manifest.title} + reform {reform.id}"}
    )
    return replace(
        model,
        statements=statements,
        conditions=conditions,
        manifest=manifest,
        reforms=(*model.reforms, reform.id),
    )


def apply_reforms(model: Model, reforms: Mapping[str, Reform], chain: list[str]) -> Model:
    """Apply reforms in order, following each one's ``base`` first (each at most once)."""
    done: list[str] = list(model.reforms)
    out = model

    def visit(rid: str) -> None:
        nonlocal out
        if rid in done:
            return
        for b in reforms[rid].base:
            visit(b)
        out = apply_reform(out, reforms[rid])
        done.append(rid)

    for rid in chain:
        visit(rid)
    return out
