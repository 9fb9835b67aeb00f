"""Run a model's question files: tests written as data, asked of the model itself.

Each question is answered by the engine (never looked up) and compared with its
``expect``; a failure carries a readable diff of expected against got.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from accord.engine.state import holders_at, instrument_status, members_at
from accord.errors import AccordError
from accord.model.elements import Question

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = ["QuestionResult", "run_question", "run_questions"]


@dataclass(frozen=True)
class QuestionResult:
    question: str
    query: str
    ok: bool
    diffs: tuple[str, ...] = ()
    got: dict[str, Any] = field(default_factory=dict)
    origin: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "query": self.query,
            "ok": self.ok,
            "diffs": list(self.diffs),
            "got": self.got,
            "origin": self.origin,
        }


def _tri(v: Any) -> Any:
    return "uncertain" if v is None else v


def _strand_of(model: Model, eid: str) -> str | None:
    for p in model.programmes.values():
        if eid == p.id or any(pr.id == eid for pr in p.projects):
            return p.strand
    for s in model.strands.values():
        if any(a.id == eid for a in s.issue_areas):
            return s.id
    for p in model.programmes.values():
        if eid in p.issue_areas or any(eid in pr.issue_areas for pr in p.projects):
            return p.strand
    return None


def _compare_sets(diffs: list[str], got: list[str], e: Any) -> None:
    if e.actors is not None and sorted(set(got)) != sorted(set(e.actors)):
        diffs.append(f"actors: expected {sorted(set(e.actors))}, got {sorted(set(got))}")
    for a in e.includes:
        if a not in got:
            diffs.append(f"expected {a!r} among {sorted(got)}")
    for a in e.excludes:
        if a in got:
            diffs.append(f"expected {a!r} not among {sorted(got)}")


def run_question(model: Model, q: Question) -> QuestionResult:
    diffs: list[str] = []
    got: dict[str, Any] = {}
    e = q.expect
    day = q.date.earliest if q.date is not None else None
    try:
        if q.ask is not None:
            ans = model.ask(
                q.ask.actor,
                q.ask.action,
                object=q.ask.object,
                day=day,
                situation=q.situation,
                reading=q.reading,
            )
            applied = [s.statement for s in ans.applied]
            got = {
                "verdict": ans.verdict,
                "statements": applied,
                "summary": ans.summary,
                "by_reading": ans.by_reading,
            }
            if e.verdict is not None and ans.verdict != e.verdict:
                diffs.append(f"verdict: expected {e.verdict}, got {ans.verdict} ({ans.summary})")
            for s in e.statements:
                if s not in applied:
                    diffs.append(f"expected statement {s!r} to apply; applied: {applied or 'none'}")
            for label, v in e.readings.items():
                found = next((val for k, val in ans.by_reading.items() if label in k), None)
                if found != v:
                    diffs.append(f"reading {label}: expected {v}, got {found}")
        elif q.who is not None:
            w = model.who(
                q.who.action,
                object=q.who.object,
                deontic=q.who.deontic,
                day=day,
                situation=q.situation,
                reading=q.reading,
            )
            want = {
                "must": ("obliged",),
                "may": ("obliged", "permitted"),
                "must-not": ("forbidden",),
                None: ("obliged", "permitted"),
            }[q.who.deontic]
            actors = w.actors(*want)
            got = {"actors": actors}
            _compare_sets(diffs, actors, e)
        elif q.status is not None:
            assert day is not None
            st = instrument_status(model, model.instruments[q.status], day)
            got = {
                "label": st.label,
                "in_force": _tri(st.in_force),
                "in_effect": _tri(st.in_effect),
                "suspended": _tri(st.suspended),
            }
            for k in ("in_force", "in_effect", "suspended"):
                want_v = getattr(e, k)
                if want_v is not None and got[k] != want_v:
                    diffs.append(f"{k}: expected {want_v}, got {got[k]} ({st.label})")
            if e.status is not None and e.status != st.label:
                diffs.append(f"status: expected {e.status!r}, got {st.label!r}")
        elif q.members is not None:
            assert day is not None
            ms = [m for m, _, c in members_at(model, q.members, day)]
            got = {"members": ms}
            _compare_sets(diffs, ms, e)
        elif q.holder is not None:
            assert day is not None
            hs = [h for h, _, _ in holders_at(model, q.holder, day)]
            got = {"holders": hs}
            _compare_sets(diffs, hs, e)
        elif q.recurrence is not None:
            r = model.statements[q.recurrence].recurrence
            if r is None:
                diffs.append(f"{q.recurrence} has no recurrence")
            else:
                got = {"recurrence": r.text, "per_year": r.per_year}
                if e.times is not None:
                    per = e.per or "year"
                    want_rate = (
                        e.times * {"day": 365.0, "week": 52.0, "month": 12.0, "year": 1.0}[per]
                    )
                    if abs(want_rate - r.per_year) > 1e-9:
                        diffs.append(f"recurrence: expected {e.times} per {per}, got {r.text!r}")
        elif q.strand_of is not None:
            strand = _strand_of(model, q.strand_of)
            got = {"strand": strand}
            if e.strand is not None and strand != e.strand:
                diffs.append(f"strand: expected {e.strand}, got {strand}")
    except AccordError as err:
        diffs.append(f"error: {err}")
    origin = model.origins.get(f"questions/{q.id}")
    return QuestionResult(
        q.id, q.query, not diffs, tuple(diffs), got, f"{origin[0]}:{origin[1]}" if origin else ""
    )


def run_questions(model: Model) -> list[QuestionResult]:
    return [run_question(model, q) for q in model.questions.values()]
