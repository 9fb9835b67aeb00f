"""Who decides, who is consulted, who takes part — phase by phase, with the citing passage.

For each phase of a procedure, the statements whose activation condition reads the phase
and holds in it (other facts may stay unknown: such rows are marked conditional), plus the
deciders of each transition out of the phase.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from accord.conditions import Env
from accord.engine.deontic import cite_dict
from accord.engine.state import ModelWorld, as_day, members_at, statement_in_effect
from accord.model.procedures import Procedure

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = ["PhaseRow", "foreign", "phase_table", "transition_deciders"]


@dataclass(frozen=True)
class PhaseRow:
    phase: str
    statement: str
    who: str
    deontic: str
    aim: str
    object: str | None
    role: str  # decides | consulted | takes part | obliged | may
    conditional: bool
    reading: str | None
    text: str
    recurrence: str | None
    cites: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(self).items()}


def _role(aim: str, proc: Procedure, phase: str, exclusive: bool) -> str:
    if any(t.action == aim and t.from_ == phase for t in proc.transitions) or exclusive:
        return "decides"
    if aim.startswith(("consult", "meet", "inform", "hold-political-dialogue")):
        return "consults"
    if aim in ("attend", "participate", "manage-day-to-day", "contribute", "offer-contribution"):
        return "takes part"
    return "acts"


def _involves(model: Model, eid: str | None, actors: set[str], day: date) -> bool:
    if eid is None or eid not in model.actors:
        return False
    return eid in actors or any(m in actors for m, _, _ in members_at(model, eid, day))


def phase_table(model: Model, proc: Procedure, day: date | str | None = None) -> list[PhaseRow]:
    """The rows for ``proc``. Rows about actors that another procedure concerns, and this
    one does not, are left to that procedure."""
    d = as_day(model, day)
    return [r for r in _all_rows(model, proc, d) if not foreign(model, proc, d, r.who, r.object)]


def foreign(model: Model, proc: Procedure, day: date, *ids: str | None) -> bool:
    """Does a rule about ``ids`` belong to another procedure (one that concerns them, when
    this one does not)?"""
    procs = getattr(model, "procedures", {})
    others = {a for p in procs.values() if p.id != proc.id for a in p.concerns}
    mine = set(proc.concerns)
    return any(
        _involves(model, x, others - mine, day) and not _involves(model, x, mine, day) for x in ids
    )


def _all_rows(model: Model, proc: Procedure, d: date) -> list[PhaseRow]:
    world = ModelWorld(model)
    rows: list[PhaseRow] = []
    for phase in proc.phases:
        for sid, cond in model.conditions.items():
            if "phase" not in cond.facts:
                continue
            s = model.statements[sid]
            if s.attribute is None or s.deontic is None or s.aim is None:
                continue
            if statement_in_effect(model, s, d)[0] is False:
                continue
            v = cond.evaluate(
                Env(situation={"phase": phase.id}, actor=s.attribute, day=d, world=world)
            )
            if v is False:
                continue
            rows.append(
                PhaseRow(
                    phase.id,
                    sid,
                    s.attribute,
                    s.deontic,
                    s.aim,
                    s.object,
                    _role(s.aim, proc, phase.id, s.exclusive),
                    v is None,
                    s.reading,
                    s.text,
                    str(s.recurrence) if s.recurrence else None,
                    tuple(cite_dict(model, c) for c in s.cite),
                )
            )
        # transitions out of the phase whose deciding statements do not read the phase
        for t in proc.transitions:
            if t.from_ != phase.id:
                continue
            for s in model.by_aim.get(t.action, ()):
                if any(r.statement == s.id and r.phase == phase.id for r in rows):
                    continue
                if s.attribute is None or s.deontic not in ("may", "must"):
                    continue
                if statement_in_effect(model, s, d)[0] is False:
                    continue
                rows.append(
                    PhaseRow(
                        phase.id,
                        s.id,
                        s.attribute,
                        s.deontic,
                        s.aim or t.action,
                        s.object,
                        "decides",
                        s.condition is not None,
                        s.reading,
                        s.text,
                        str(s.recurrence) if s.recurrence else None,
                        tuple(cite_dict(model, c) for c in s.cite),
                    )
                )
    return rows


def transition_deciders(rows: list[PhaseRow], phase: str, action: str) -> list[str]:
    return sorted(
        {
            f"{r.who}" + (f" [{r.reading.split('/')[1]}]" if r.reading else "")
            for r in rows
            if r.phase == phase and r.aim == action and r.deontic in ("may", "must")
        }
    )
