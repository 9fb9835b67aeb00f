"""From a model to the obligations the monitor checks: the one place that reads a model.

A recurring obligation is a regulative statement with ``deontic: must`` and a
``recurrence``. Its timeline says, day by day, whether it was due; it is computed with the
engine's own :func:`~accord.engine.state.instrument_status` and
:func:`~accord.engine.state.statement_in_effect`, evaluated at every date where anything
it depends on can change (the ends of the instrument's force and effect intervals, its
suspensions and replacement, the statement's validity, the attribute body's existence).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from accord.conditions import Env
from accord.engine.state import ModelWorld, instrument_status, statement_in_effect
from accord.errors import QueryError
from accord.monitor.periods import grid_for
from accord.monitor.records import MatchRule, Obligation, Segment
from accord.time import Interval, Truth

if TYPE_CHECKING:
    from accord.engine.model import Model
    from accord.model.elements import Statement

__all__ = ["obligations_from_model", "recurring_statements"]

ONE = timedelta(days=1)


def recurring_statements(model: Model) -> list[Statement]:
    """The statements the monitor checks: regulative, ``must``, with a recurrence."""
    return [
        s
        for s in model.statements.values()
        if s.type == "regulative" and s.deontic == "must" and s.recurrence is not None
    ]


def _span(iv: Interval) -> str:
    return f"{iv.start} to {iv.end}"


def _bound_days(iv: Interval) -> Iterable[date]:
    for b in (iv.start, iv.end):
        if b.kind == "date" and b.date is not None:
            e, last = b.date.earliest, b.date.latest
            yield from (e, last, e + ONE, last + ONE)


def _intervals(model: Model, s: Statement) -> list[Interval]:
    """Every interval whose ends can change the obligation's state."""
    ins = model.instruments[s.instrument]
    out: list[Interval] = []
    for spec in (ins.in_force, ins.in_effect, s.valid):
        if spec is not None:
            out.append(model.interval(spec))
    if ins.replaced_by is not None:
        on = model.resolve(ins.replaced_by.date)
        out.append(Interval(on, on))
    out.extend(model.interval(sus.during) for sus in ins.suspensions)
    out.extend(entry[2] for entry in model.suspended_provisions.get(s.id, ()))
    actor = model.actors.get(s.attribute or "")
    if actor is not None and actor.exists is not None:
        out.append(model.interval(actor.exists))
    return out


def _state_on(model: Model, s: Statement, day: date) -> tuple[str, str, tuple[str, ...]]:
    """The obligation's state on one day: due, not-due, suspended or uncertain.

    Order of the tests: (1) the instrument not in force, replaced, or the statement outside
    its validity → not due; (2) a suspension in force that day (the instrument's whole
    suspension, or a partial one naming the statement) → suspended; (3) the attribute body
    not existing that day → not due; (4) otherwise the engine's ``statement_in_effect``.
    Any uncertain step (a partial date, an ``unknown`` end) makes the day uncertain.
    """
    ins = model.instruments[s.instrument]
    st = instrument_status(model, ins, day)
    if st.replaced_by:
        return "not-due", f"{ins.id} replaced by {st.replaced_by}", (ins.id, st.replaced_by)
    if st.in_force is False:
        return "not-due", f"{ins.id}: {st.label}", (ins.id,)
    unsure: list[str] = []
    refs: list[str] = [s.id]
    if st.in_force is None:
        unsure.append(f"{ins.id}: {st.label}")
    if s.valid is not None:
        iv = model.interval(s.valid)
        v = iv.contains(day)
        if v is False:
            return "not-due", f"{s.id} applies only {_span(iv)}", (s.id,)
        if v is None:
            unsure.append(f"{s.id} applies {_span(iv)}")
    sure_sus: list[tuple[str, str, Interval]] = []
    candidates: list[tuple[str, str, Interval, str | None]] = [
        (ins.id, sus.id, model.interval(sus.during), sus.reading)
        for sus in ins.suspensions
        if sus.scope == "whole"
    ]
    candidates += [(e[0], e[1], e[2], e[3]) for e in model.suspended_provisions.get(s.id, ())]
    for iid, sid, iv, under in candidates:
        c = iv.contains(day)
        if c is False:
            continue
        if under is not None:  # a suspension one reading of a disagreement records
            unsure.append(f"suspended by {sid} of {iid} only under the reading {under}")
            refs.append(sid)
        elif c is True:
            sure_sus.append((iid, sid, iv))
        else:
            unsure.append(f"possibly suspended by {sid} of {iid} ({_span(iv)})")
            refs.append(sid)
    if sure_sus:
        iid, sid, iv = sure_sus[0]
        return "suspended", f"suspended by {sid} of {iid} ({_span(iv)})", (sid, iid)
    actor = model.actors.get(s.attribute or "")
    if actor is not None and actor.exists is not None:
        iv = model.interval(actor.exists)
        e = iv.contains(day)
        if e is False:
            why = f"{actor.id} does not exist on this day (exists {_span(iv)})"
            if actor.replaced_by:
                why += f"; replaced by {actor.replaced_by}"
            return "not-due", why, (actor.id,) + ((actor.replaced_by,) if actor.replaced_by else ())
        if e is None:
            unsure.append(f"{actor.id} exists {_span(iv)}")
            refs.append(actor.id)
    truth, why = statement_in_effect(model, s, day)
    if truth is False:
        return "not-due", why, (s.id, ins.id)
    if truth is None or unsure:
        return "uncertain", "; ".join(unsure or [why]), tuple(dict.fromkeys(refs))
    return "due", why, (s.id, ins.id)


def timeline(model: Model, s: Statement) -> tuple[Segment, ...]:
    """The obligation's state as segments of days, from the beginning to the end of time."""
    points = sorted({d for iv in _intervals(model, s) for d in _bound_days(iv)})
    if not points:
        st, why, refs = _state_on(model, s, date(2000, 1, 1))
        return (Segment(None, None, st, why, refs),)
    probes: list[tuple[date | None, date]] = [(None, points[0] - ONE)]
    probes += [(p, p) for p in points]
    segs: list[Segment] = []
    for i, (start, probe) in enumerate(probes):
        end = points[i] - ONE if i < len(points) else None
        st, why, refs = _state_on(model, s, probe)
        if segs and segs[-1].state == st and segs[-1].reason == why:
            last = segs[-1]
            segs[-1] = Segment(last.start, end, st, why, last.refs)
        else:
            segs.append(Segment(start, end, st, why, refs))
    return tuple(segs)


def _rule(model: Model, s: Statement) -> MatchRule:
    obs = getattr(s, "observed_as", None)
    obj = s.object if s.object in model.actors else None
    if obs is not None:
        cats = getattr(obs, "category", None) or ("CONSULT",)
        if isinstance(cats, str):
            cats = (cats,)
        return MatchRule(
            body=getattr(obs, "body", None) or s.attribute or "",
            categories=tuple(cats),
            object=obj,
            participants=tuple(getattr(obs, "participants", ()) or ()),
            kind=getattr(obs, "kind", None),
            source="observed_as",
        )
    return MatchRule(body=s.attribute or "", object=obj)


def _cites(s: Statement) -> tuple[dict[str, Any], ...]:
    return tuple(
        {k: v for k, v in c.model_dump(by_alias=True).items() if v is not None} for c in s.cite
    )


def obligations_from_model(
    model: Model,
    *,
    ids: Iterable[str] | None = None,
    situation: Mapping[str, Any] | None = None,
    window: tuple[date, date] | None = None,
    tolerance_days: int | None = None,
) -> list[Obligation]:
    """The model's recurring obligations (or those named by ``ids``), with timelines.

    Activation conditions are evaluated against ``situation`` at the start of each period
    of ``window``: false → that period is not due; undecided → assumed to hold, and the
    obligation lists the assumption.
    """
    stmts = recurring_statements(model)
    if ids is not None:
        wanted = list(dict.fromkeys(ids))
        by_id = {s.id: s for s in stmts}
        bad = [i for i in wanted if i not in by_id]
        if bad:
            known = ", ".join(sorted(by_id)) or "none"
            raise QueryError(
                f"not a recurring obligation of this model: {', '.join(bad)} "
                f"(the recurring obligations are: {known})"
            )
        stmts = [by_id[i] for i in wanted]
    sit = dict(situation or {})
    world = ModelWorld(model)
    out = []
    for s in stmts:
        assert s.recurrence is not None
        segs = timeline(model, s)
        first = next((g.start for g in segs if g.state != "not-due" and g.start), None)
        r = s.recurrence
        grid, required = grid_for(r.times, r.length, r.unit, first_day=first)
        assumptions: list[str] = []
        overrides: dict[int, tuple[str, str]] = {}
        cond = model.conditions.get(s.id)
        if cond is not None and s.condition and window is not None:
            undecided = False
            for i in range(grid.index(window[0]), grid.index(window[1]) + 1):
                env = Env(situation=sit, actor=s.attribute, day=grid.start(i), world=world)
                v: Truth = cond.evaluate(env)
                if v is False:
                    overrides[i] = ("not-due", f"condition false: {s.condition}")
                elif v is None:
                    undecided = True
            if undecided:
                need = ", ".join(sorted(getattr(cond, "facts", ()) or ())) or "facts"
                assumptions.append(
                    f"activation condition {s.condition!r} not decided by the situation "
                    f"(give {need} with --set): assumed to hold"
                )
        out.append(
            Obligation(
                id=s.id,
                text=s.text,
                instrument=s.instrument,
                recurrence=str(r),
                grid=grid,
                required=required,
                rule=_rule(model, s),
                segments=segs,
                tolerance_days=grid.tolerance_days() if tolerance_days is None else tolerance_days,
                cites=_cites(s),
                assumptions=tuple(assumptions),
                period_overrides=overrides,
            )
        )
    return out


def model_event_rows(model: Model) -> list[dict[str, Any]]:
    """The model's events as rows of the event table (the same columns as the store)."""
    rows = []
    for e in model.events.values():
        c = e.cite[0] if e.cite else None
        src = None
        if c is not None:
            src = f"{c.source}" + (f" {c.at}" if c.at else "") + (f" <{c.url}>" if c.url else "")
        rows.append(
            {
                "id": e.id,
                "date": str(e.date),
                "date_start": e.date.earliest,
                "date_end": e.date.latest,
                "actors": list(e.participants),
                "recipients": [],
                "category": e.category,
                "mode": e.mode,
                "context": list(e.context),
                "source": src,
                "body": e.body,
                "kind": e.kind,
                "title": e.title,
                "confidence": e.confidence,
                "instrument": e.instrument,
            }
        )
    return rows
