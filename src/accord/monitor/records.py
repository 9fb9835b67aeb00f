"""The monitor's records, free of any model: obligations, periods, results, scores.

An :class:`Obligation` is what the monitor needs from a recurring statement: its grid of
periods, how many occurrences each period requires, which events count (a
:class:`MatchRule`) and, as a timeline of :class:`Segment` s, on which days it was due,
suspended, not due or uncertain, each with its reason. :mod:`accord.monitor.obligations`
builds them from a model; tests and benchmarks can build them directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, NamedTuple, get_args

from accord.model.elements import PLOVER
from accord.monitor.periods import Grid

__all__ = [
    "CONFIDENCE_RANK",
    "PLOVER_CATEGORIES",
    "STATUSES",
    "EvidenceEvent",
    "MatchRule",
    "MonitorReport",
    "Obligation",
    "ObligationResult",
    "PeriodResult",
    "Score",
    "Segment",
]

PLOVER_CATEGORIES: tuple[str, ...] = get_args(PLOVER)  # one list: the model's own

# the statuses of an obligation-period, in the order tables and charts show them
STATUSES = ("met", "late", "missed", "suspended", "not due", "unknown")

CONFIDENCE_RANK = {"quoted": 1, "paraphrased": 2, "inferred": 3}

DayState = str  # "due" | "not-due" | "suspended" | "uncertain"


@dataclass(frozen=True)
class MatchRule:
    """Which recorded events count as occurrences of an obligation.

    An event counts when (1) its ``body`` is ``body`` or ``body`` is among its actors;
    (2) its category is one of ``categories``; (3) when ``object`` is given, that actor
    is among the event's actors or recipients; (4) every actor in ``participants`` is among
    them too; (5) when ``kind`` is given, the event's kind is that word.
    """

    body: str
    categories: tuple[str, ...] = ("CONSULT",)
    object: str | None = None
    participants: tuple[str, ...] = ()
    kind: str | None = None
    source: str = "default"  # "default": derived from the statement; "observed_as": given

    def describe(self) -> str:
        parts = [f"body {self.body}", "category " + "/".join(self.categories)]
        if self.object:
            parts.append(f"with {self.object}")
        if self.participants:
            parts.append("with " + ", ".join(self.participants))
        if self.kind:
            parts.append(f"kind {self.kind}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Segment:
    """A stretch of days on which an obligation's state does not change.

    ``start``/``end`` are inclusive; ``None`` is open (the beginning or end of time).
    ``state`` is ``due``, ``not-due``, ``suspended`` or ``uncertain``; ``refs`` are the
    model elements that decide it (instrument, suspension, statement, body).
    """

    start: date | None
    end: date | None
    state: DayState
    reason: str
    refs: tuple[str, ...] = ()

    def overlap(self, a: date, b: date) -> int:
        lo = a if self.start is None or self.start < a else self.start
        hi = b if self.end is None or self.end > b else self.end
        return max(0, (hi - lo).days + 1)


@dataclass(frozen=True)
class Obligation:
    """A recurring obligation, ready to be monitored."""

    id: str  # the statement id
    text: str
    instrument: str
    recurrence: str
    grid: Grid
    required: int  # occurrences required per period
    rule: MatchRule
    segments: tuple[Segment, ...]
    tolerance_days: int
    cites: tuple[dict[str, Any], ...] = ()
    assumptions: tuple[str, ...] = ()
    # period index -> (state, reason) overriding the timeline (a false activation condition)
    period_overrides: dict[int, tuple[str, str]] = field(default_factory=dict)

    def first_active(self) -> date | None:
        """The first day the obligation may be due or is suspended (``None``: never)."""
        for s in self.segments:
            if s.state != "not-due":
                return s.start or date(1, 1, 1)
        return None

    def last_active(self) -> date | None:
        for s in reversed(self.segments):
            if s.state != "not-due":
                return s.end or date(9999, 12, 31)
        return None


class EvidenceEvent(NamedTuple):
    """A recorded event relied on for a status (a light record: there can be many)."""

    id: str
    date: str
    origin: str  # "model" or the store file the event was imported from
    confidence: str | None
    title: str | None
    source: str | None
    day: dt.date  # the first day of ``date`` (where the event is placed)

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d.pop("day")
        return d


@dataclass(frozen=True)
class PeriodResult:
    period: str
    start: date
    end: date
    status: str
    required: int
    held: int  # occurrences on time (distinct event days in the period that counted for it)
    late: int  # occurrences made up within the tolerance after the period's end
    matched: int  # distinct event days matched in the period
    reason: str
    refs: tuple[str, ...]
    events: tuple[EvidenceEvent, ...] = ()
    late_events: tuple[EvidenceEvent, ...] = ()
    confidence: str | None = None  # the weakest confidence among the events relied on

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["start"], d["end"] = self.start.isoformat(), self.end.isoformat()
        d["events"] = [e.to_dict() for e in self.events]
        d["late_events"] = [e.to_dict() for e in self.late_events]
        d["refs"] = list(self.refs)
        return d


@dataclass(frozen=True)
class Score:
    """Occurrences expected in due periods and how many were held, with a 0–3 level."""

    label: str  # a year, or "overall"
    expected: int
    met: int
    late: int
    missed: int
    periods: dict[str, int]

    @property
    def share_met(self) -> float | None:
        return None if not self.expected else self.met / self.expected

    @property
    def share_held(self) -> float | None:
        return None if not self.expected else (self.met + self.late) / self.expected

    @property
    def level(self) -> int | None:
        """Implementation level in the manner of the Peace Accords Matrix: 3 full (every
        expected occurrence held, on time or late), 2 intermediate (at least half), 1 minimal
        (some), 0 none; ``None`` when nothing was due."""
        s = self.share_held
        if s is None:
            return None
        if s >= 1:
            return 3
        if s >= 0.5:
            return 2
        return 1 if s > 0 else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "expected": self.expected,
            "met": self.met,
            "late": self.late,
            "missed": self.missed,
            "share_met": self.share_met,
            "share_held": self.share_held,
            "level": self.level,
            "periods": dict(self.periods),
        }


@dataclass(frozen=True)
class ObligationResult:
    obligation: Obligation
    periods: tuple[PeriodResult, ...]
    years: tuple[Score, ...]
    overall: Score
    observed_ever: int  # distinct event days in the whole record that match the rule

    def to_dict(self) -> dict[str, Any]:
        o = self.obligation
        return {
            "obligation": o.id,
            "text": o.text,
            "instrument": o.instrument,
            "recurrence": o.recurrence,
            "periods_are": o.grid.describe(),
            "required_per_period": o.required,
            "tolerance_days": o.tolerance_days,
            "match": {
                "body": o.rule.body,
                "categories": list(o.rule.categories),
                "object": o.rule.object,
                "participants": list(o.rule.participants),
                "kind": o.rule.kind,
                "from": o.rule.source,
            },
            "cites": list(o.cites),
            "assumptions": list(o.assumptions),
            "timeline": [
                {
                    "from": s.start.isoformat() if s.start else "open",
                    "to": s.end.isoformat() if s.end else "open",
                    "state": s.state,
                    "reason": s.reason,
                    "refs": list(s.refs),
                }
                for s in o.segments
            ],
            "observed_in_record": self.observed_ever,
            "periods": [p.to_dict() for p in self.periods],
            "years": [y.to_dict() for y in self.years],
            "overall": self.overall.to_dict(),
        }


@dataclass(frozen=True)
class MonitorReport:
    model: str
    window: tuple[date, date]
    record: dict[str, Any]  # span, sources, counts
    rules: dict[str, Any]
    results: tuple[ObligationResult, ...]
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "from": self.window[0].isoformat(),
            "to": self.window[1].isoformat(),
            "record": self.record,
            "rules": self.rules,
            "obligations": [r.to_dict() for r in self.results],
        }

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per obligation-period (the ``--csv`` table)."""
        out = []
        for r in self.results:
            for p in r.periods:
                out.append(
                    {
                        "obligation": r.obligation.id,
                        "period": p.period,
                        "start": p.start.isoformat(),
                        "end": p.end.isoformat(),
                        "status": p.status,
                        "required": p.required,
                        "held": p.held,
                        "late": p.late,
                        "matched": p.matched,
                        "events": ";".join(e.id for e in (*p.events, *p.late_events)),
                        "confidence": p.confidence or "",
                        "reason": p.reason,
                        "refs": ";".join(p.refs),
                    }
                )
        return out
