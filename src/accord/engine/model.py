"""The compiled model: immutable records plus the indexes queries need.

A :class:`Model` is built once by :func:`accord.load_model` after every check has passed.
It never changes afterwards; queries (``at``, ``ask``, ``who``) are pure functions of the
model, a date and a situation, exposed here as methods for convenience.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from accord.conditions import Condition
from accord.loading.texts import SourceText
from accord.model.elements import (
    Actor,
    Assessment,
    Disagreement,
    Event,
    Instrument,
    IntervalSpec,
    Manifest,
    Programme,
    Question,
    Source,
    Statement,
    Strand,
)
from accord.model.procedures import Procedure
from accord.time import Bound, Interval, Truth

if TYPE_CHECKING:
    from accord.engine.answers import Answer, State, WhoAnswer

__all__ = ["Model", "Tie"]


@dataclass(frozen=True)
class Tie:
    """A dated link between two actors (membership or office-holding) with its record."""

    actor: str
    interval: Interval
    role: str | None = None
    cites: tuple[Any, ...] = ()


def _freeze(d: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(d))


@dataclass(frozen=True)
class Model:
    """A loaded, checked framework model. Build it with :func:`accord.load_model`."""

    manifest: Manifest
    path: Path
    sources: Mapping[str, Source]
    actors: Mapping[str, Actor]
    instruments: Mapping[str, Instrument]
    statements: Mapping[str, Statement]
    events: Mapping[str, Event]
    strands: Mapping[str, Strand]
    programmes: Mapping[str, Programme]
    assessments: Mapping[str, Assessment]
    disagreements: Mapping[str, Disagreement]
    questions: Mapping[str, Question]
    texts: Mapping[str, SourceText]
    conditions: Mapping[str, Condition]
    origins: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    procedures: Mapping[str, Procedure] = field(default_factory=dict)
    reforms: tuple[str, ...] = ()  # the reforms applied to this model, in order

    # ---- time ---------------------------------------------------------------------------
    def resolve(self, bound: Bound) -> Bound:
        """An interval end written as ``{event: ID}`` becomes that event's date."""
        if bound.kind == "event" and bound.event is not None:
            return Bound.at(self.events[bound.event].date, bound.event)
        return bound

    def interval(self, spec: IntervalSpec | None) -> Interval:
        if spec is None:
            return Interval.always()
        # the same spec gives the same (immutable) interval: queries ask again and again
        got = self._intervals.get(id(spec))
        if got is not None and got[0] is spec:
            return got[1]
        iv = Interval(self.resolve(spec.start), self.resolve(spec.end))
        self._intervals[id(spec)] = (spec, iv)  # the spec is kept, so its id stays its own
        return iv

    @cached_property
    def _intervals(self) -> dict[int, tuple[IntervalSpec, Interval]]:
        return {}

    @cached_property
    def _cite_dicts(self) -> dict[str, tuple[dict[str, Any], ...]]:
        """statement id -> its citations as answers give them (filled as asked for)."""
        return {}

    # ---- indexes (built lazily, once; the model stays immutable) -------------------------
    @cached_property
    def by_aim(self) -> Mapping[str, tuple[Statement, ...]]:
        idx: dict[str, list[Statement]] = defaultdict(list)
        for s in self.statements.values():
            if s.aim is not None:
                idx[s.aim].append(s)
        return _freeze({k: tuple(v) for k, v in idx.items()})

    @cached_property
    def members_of(self) -> Mapping[str, tuple[Tie, ...]]:
        return _freeze(
            {
                a.id: tuple(
                    Tie(
                        t.actor,
                        Interval(self.resolve(t.start), self.resolve(t.end)),
                        t.role,
                        t.cite,
                    )
                    for t in a.members
                )
                for a in self.actors.values()
                if a.members
            }
        )

    @cached_property
    def holders_of(self) -> Mapping[str, tuple[Tie, ...]]:
        return _freeze(
            {
                a.id: tuple(
                    Tie(
                        t.actor,
                        Interval(self.resolve(t.start), self.resolve(t.end)),
                        t.role,
                        t.cite,
                    )
                    for t in a.holders
                )
                for a in self.actors.values()
                if a.holders
            }
        )

    @cached_property
    def groups_of(self) -> Mapping[str, tuple[tuple[str, Tie], ...]]:
        """Reverse membership: member id -> (group id, tie)."""
        idx: dict[str, list[tuple[str, Tie]]] = defaultdict(list)
        for group, ties in self.members_of.items():
            for t in ties:
                idx[t.actor].append((group, t))
        return _freeze({k: tuple(v) for k, v in idx.items()})

    @cached_property
    def offices_of(self) -> Mapping[str, tuple[tuple[str, Tie], ...]]:
        idx: dict[str, list[tuple[str, Tie]]] = defaultdict(list)
        for office, ties in self.holders_of.items():
            for t in ties:
                idx[t.actor].append((office, t))
        return _freeze({k: tuple(v) for k, v in idx.items()})

    @cached_property
    def suspended_provisions(
        self,
    ) -> Mapping[str, tuple[tuple[str, str, Interval, str | None], ...]]:
        """statement id -> (instrument, suspension, interval, reading) for partial ones."""
        idx: dict[str, list[tuple[str, str, Interval, str | None]]] = defaultdict(list)
        for ins in self.instruments.values():
            for sus in ins.suspensions:
                if sus.scope == "partial":
                    for p in sus.provisions:
                        idx[p].append((ins.id, sus.id, self.interval(sus.during), sus.reading))
        return _freeze({k: tuple(v) for k, v in idx.items()})

    @cached_property
    def exclusive_by_aim(self) -> Mapping[str, tuple[Statement, ...]]:
        return _freeze(
            {aim: tuple(s for s in ss if s.exclusive) for aim, ss in self.by_aim.items()}
        )

    # ---- reading the model ---------------------------------------------------------------
    # the tables of elements, by attribute name, in the order lookups try them
    TABLES = (
        "actors",
        "instruments",
        "statements",
        "events",
        "sources",
        "strands",
        "programmes",
        "assessments",
        "disagreements",
        "procedures",
        "questions",
    )

    def table_of(self, eid: str) -> str | None:
        """The name of the table that holds ``eid`` (``"actors"`` …), if any."""
        for name in self.TABLES:
            if eid in getattr(self, name):
                return name
        return None

    def element(self, eid: str) -> Any:
        name = self.table_of(eid)
        return None if name is None else getattr(self, name)[eid]

    def name(self, eid: str) -> str:
        el = self.element(eid)
        for attr in ("name", "title"):
            v = getattr(el, attr, None)
            if isinstance(v, str):
                return v
        return eid

    def __repr__(self) -> str:
        return (
            f"<Model {self.manifest.id}: {len(self.actors)} actors, {len(self.instruments)} "
            f"instruments, {len(self.statements)} statements, {len(self.events)} events>"
        )

    # ---- queries (thin wrappers; the work is in accord.engine) ---------------------------
    def at(self, day: date | str | None = None) -> State:
        from accord.engine.state import state_at

        return state_at(self, day)

    def ask(
        self,
        actor: str,
        action: str,
        *,
        object: str | None = None,
        day: date | str | None = None,
        situation: Mapping[str, Any] | None = None,
        reading: Mapping[str, str] | None = None,
    ) -> Answer:
        from accord.engine.deontic import ask

        return ask(
            self, actor, action, object=object, day=day, situation=situation, reading=reading
        )

    def who(
        self,
        action: str,
        *,
        object: str | None = None,
        deontic: str | None = None,
        day: date | str | None = None,
        situation: Mapping[str, Any] | None = None,
        reading: Mapping[str, str] | None = None,
    ) -> WhoAnswer:
        from accord.engine.deontic import who

        return who(
            self,
            action,
            object=object,
            deontic=deontic,
            day=day,
            situation=situation,
            reading=reading,
        )

    def instrument_truths(self, iid: str, day: date) -> dict[str, Truth]:
        from accord.engine.state import instrument_status

        return instrument_status(self, self.instruments[iid], day).truths()

    def ids(self, kinds: Iterable[str] | None = None) -> set[str]:
        tables = {
            "actors": self.actors,
            "instruments": self.instruments,
            "statements": self.statements,
            "events": self.events,
            "sources": self.sources,
        }
        out: set[str] = set()
        for k, t in tables.items():
            if kinds is None or k in kinds:
                out.update(t)
        return out
