"""Baseline against reform: a standard battery of questions, and exactly what changes.

The battery is the model's own ``ask`` questions plus, for every aim any statement of the
baseline or the reform regulates, every actor such a statement addresses, asked in every
phase of every procedure (and with no phase), on the reform's effective date. Each answer
that changes is reported with both verdicts and the statements that made the difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = ["Change", "battery", "diff_models"]


@dataclass(frozen=True)
class Probe:
    actor: str
    action: str
    object: str | None
    day: date
    situation: tuple[tuple[str, Any], ...]
    label: str


@dataclass(frozen=True)
class Change:
    probe: Probe
    before: str
    after: str
    before_summary: str
    after_summary: str
    gained: tuple[str, ...]
    lost: tuple[str, ...]
    citations: tuple[dict[str, Any], ...]
    details: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        p = self.probe
        return {
            "question": p.label,
            "actor": p.actor,
            "action": p.action,
            "object": p.object,
            "date": p.day.isoformat(),
            "situation": dict(p.situation),
            "baseline": self.before,
            "reform": self.after,
            "baseline_summary": self.before_summary,
            "reform_summary": self.after_summary,
            "statements_gained": list(self.gained),
            "statements_lost": list(self.lost),
            "citations": list(self.citations),
            "details": list(self.details),
        }


def battery(base: Model, reform: Model, day: date) -> list[Probe]:
    probes: list[Probe] = []
    seen: set[tuple[Any, ...]] = set()

    def add(p: Probe) -> None:
        key = (p.actor, p.action, p.object, p.day, p.situation)
        if key not in seen:
            seen.add(key)
            probes.append(p)

    for q in base.questions.values():
        if q.ask is not None and q.date is not None:
            add(
                Probe(
                    q.ask.actor,
                    q.ask.action,
                    q.ask.object,
                    q.date.earliest,
                    tuple(sorted((k, _h(v)) for k, v in q.situation.items())),
                    q.id,
                )
            )
    phases: list[str | None] = [None]
    for proc in getattr(base, "procedures", {}).values():
        phases += [ph.id for ph in proc.phases if ph.id not in phases]
    contributors: set[str] = set()
    for proc in getattr(base, "procedures", {}).values():
        contributors.update(proc.concerns)
    for model in (base, reform):
        for aim, stmts in model.by_aim.items():
            # ask in each phase only where a statement with this aim reads the phase
            by_phase = any(
                "phase" in m.conditions[x.id].facts
                for m in (base, reform)
                for x in m.by_aim.get(aim, ())
                if x.id in m.conditions
            )
            for s in stmts:
                if s.attribute is None:
                    continue
                actors = {s.attribute, *contributors}
                for actor in sorted(actors):
                    for ph in phases if by_phase else [None]:
                        sit: dict[str, Any] = {} if ph is None else {"phase": ph}
                        if ph is not None and contributors:
                            sit["contributors"] = sorted(contributors)
                        add(
                            Probe(
                                actor,
                                aim,
                                s.object,
                                day,
                                tuple(sorted((k, _h(v)) for k, v in sit.items())),
                                f"{actor} {aim}{' ' + s.object if s.object else ''}"
                                f"{' in ' + ph if ph else ''}",
                            )
                        )
    return probes


_COMPARED = ("deontic", "recurrence", "condition", "exclusive", "attribute", "object")


def _details(base: Model, reform: Model, gained: set[str]) -> tuple[str, ...]:
    """For a new version ``ID@REFORM`` of a statement: which of its parts changed."""
    out = []
    for sid in sorted(gained):
        old_id = sid.split("@")[0]
        if "@" not in sid or old_id not in base.statements:
            continue
        old, new = base.statements[old_id], reform.statements[sid]
        for f in _COMPARED:
            a, b = getattr(old, f), getattr(new, f)
            if a != b:
                out.append(f"{old_id} {f}: {a} → {b}")
    return tuple(out)


def _h(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


def diff_models(base: Model, reform: Model, day: date) -> tuple[list[Change], int]:
    """Every probe whose verdict or deciding statements differ; and how many were asked."""
    changes = []
    probes = battery(base, reform, day)
    for p in probes:
        sit = {k: (list(v) if isinstance(v, tuple) else v) for k, v in p.situation}
        if p.actor not in reform.actors:
            continue
        a = base.ask(p.actor, p.action, object=p.object, day=p.day, situation=sit)
        b = reform.ask(p.actor, p.action, object=p.object, day=p.day, situation=sit)
        sa = {s.statement for s in a.applied}
        sb = {s.statement for s in b.applied}
        if a.verdict != b.verdict or sa != sb:
            changes.append(
                Change(
                    p,
                    a.verdict,
                    b.verdict,
                    a.summary,
                    b.summary,
                    tuple(sorted(sb - sa)),
                    tuple(sorted(sa - sb)),
                    tuple(c for c in b.citations if c not in a.citations),
                    _details(base, reform, sb - sa),
                )
            )
    return changes, len(probes)
