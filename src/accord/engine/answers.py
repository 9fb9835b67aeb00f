"""Answers as data: every verdict carries the statements, conditions, facts and citations
behind it. The CLI, the JSON output and (later) the web pages all render these records.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from accord.time import Truth

__all__ = ["Answer", "BodyState", "InstrumentStatus", "State", "Step", "WhoAnswer"]

VERDICTS = ("obliged", "permitted", "forbidden", "not-regulated", "contested")


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def truth_word(t: Truth) -> str:
    return {True: "yes", False: "no", None: "uncertain"}[t]


@dataclass(frozen=True)
class Step:
    """One statement the engine considered, and what became of it."""

    statement: str
    instrument: str
    text: str
    deontic: str | None
    attribute: str | None
    status: str  # applied | excludes-actor | not-in-effect | other-actor | object-differs
    #              | condition-false | condition-unknown | overridden | other-reading
    reason: str
    reading: str | None = None
    match: str | None = None
    condition: str | None = None
    condition_value: Truth = None
    condition_trace: tuple[tuple[str, Any], ...] = ()
    exclusive: bool = False
    overridden_by: str | None = None
    recurrence: str | None = None
    uncertainty: str | None = None  # why this statement only possibly applies
    suspended_under: tuple[str, ...] = ()  # readings under which a suspension sets it aside
    cites: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["condition_trace"] = [{"expr": e, "value": _jsonable(v)} for e, v in self.condition_trace]
        return _jsonable(d)


@dataclass(frozen=True)
class Answer:
    """The verdict for (actor, action, situation, date), with its whole explanation."""

    verdict: str
    actor: str
    action: str
    object: str | None
    day: date
    situation: dict[str, Any]
    reading_choice: dict[str, str]
    summary: str
    applied: tuple[Step, ...] = ()
    set_aside: tuple[Step, ...] = ()
    by_reading: dict[str, str] = field(default_factory=dict)
    facts: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    citations: tuple[dict[str, Any], ...] = ()
    uncertain: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "uncertain": list(self.uncertain),
            "actor": self.actor,
            "action": self.action,
            "object": self.object,
            "date": self.day.isoformat(),
            "situation": _jsonable(self.situation),
            "reading": dict(self.reading_choice),
            "summary": self.summary,
            "by_reading": dict(self.by_reading),
            "applied": [s.to_dict() for s in self.applied],
            "set_aside": [s.to_dict() for s in self.set_aside],
            "facts": list(self.facts),
            "needs": list(self.needs),
            "citations": [_jsonable(c) for c in self.citations],
        }


@dataclass(frozen=True)
class WhoAnswer:
    action: str
    object: str | None
    deontic: str | None
    day: date
    situation: dict[str, Any]
    answers: tuple[Answer, ...]

    def actors(self, *verdicts: str) -> list[str]:
        want = set(verdicts) or {"obliged", "permitted"}
        return [a.actor for a in self.answers if a.verdict in want]

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "object": self.object,
            "deontic": self.deontic,
            "date": self.day.isoformat(),
            "situation": _jsonable(self.situation),
            "answers": [a.to_dict() for a in self.answers],
        }


@dataclass(frozen=True)
class InstrumentStatus:
    instrument: str
    title: str
    label: str
    signed: Truth
    in_force: Truth
    in_effect: Truth
    suspended: Truth
    suspended_provisions: tuple[str, ...] = ()
    suspensions: tuple[str, ...] = ()
    replaced_by: str | None = None
    reasons: tuple[str, ...] = ()
    uncertain_provisions: tuple[str, ...] = ()  # suspended only possibly, or under a reading

    def truths(self) -> dict[str, Truth]:
        return {
            "in_force": self.in_force,
            "in_effect": self.in_effect,
            "suspended": self.suspended,
            "signed": self.signed,
        }

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class BodyState:
    actor: str
    name: str
    kind: str
    members: tuple[tuple[str, str | None, Truth], ...]  # (actor, role, certain?)
    holders: tuple[tuple[str, Truth], ...]
    replaced_by: str | None = None
    direct: tuple[tuple[str, str | None, Truth, int], ...] = ()  # (actor, role, certain?, size)

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "name": self.name,
            "kind": self.kind,
            "members": [{"actor": a, "role": r, "certain": c is True} for a, r, c in self.members],
            "holders": [{"actor": a, "certain": c is True} for a, c in self.holders],
            "direct_members": [
                {"actor": a, "role": r, "certain": c is True, "members": n}
                for a, r, c, n in self.direct
            ],
            "replaced_by": self.replaced_by,
        }


@dataclass(frozen=True)
class State:
    """The framework as it stood on one day."""

    day: date
    model: str
    instruments: tuple[InstrumentStatus, ...]
    bodies: tuple[BodyState, ...]
    statements: tuple[tuple[str, str, Truth], ...]  # (statement, instrument, in effect?)
    events: tuple[str, ...] = ()

    def instrument(self, iid: str) -> InstrumentStatus:
        return next(i for i in self.instruments if i.instrument == iid)

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "model": self.model,
            "instruments": [i.to_dict() for i in self.instruments],
            "bodies": [b.to_dict() for b in self.bodies],
            "statements": [
                {"statement": s, "instrument": i, "in_effect": truth_word(t)}
                for s, i, t in self.statements
            ],
            "events": list(self.events),
        }
