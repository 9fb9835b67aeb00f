"""The one-at-a-time scenario runner: every step asked of the model, with its reasons.

A step is an actor doing an action. The runner asks the model whether the actor may (or
must) do it in the current phase and situation. An allowed action is performed: a
transition may move the procedure to another phase, and the action's effects change the
situation's facts. An action the rules do not allow is recorded as a **violation** with
its reasons — never silently dropped, never silently performed.

After each step the runner records the obligations the new phase triggers (consultations
due, in which format) and the members of the procedure's bodies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from accord.conditions import Condition, Env, compile_condition
from accord.engine.state import ModelWorld, members_at, membership_path, statement_in_effect
from accord.errors import AccordError
from accord.model.procedures import Behaviour, Procedure, Scenario, ScriptStep
from accord.procedures.table import foreign

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = ["Trace", "TraceStep", "apply_effect", "obligations_in", "run_scenario"]

ALLOWED = ("obliged", "permitted")


def allowed(proc: Procedure, action: str, verdict: str) -> tuple[bool, str]:
    """May the runner perform this action? A decision that moves the procedure, or an action
    the procedure marks ``needs_permission``, needs a permission; any other action is
    performed unless forbidden or contested (what the texts do not regulate is left to the
    actor's liberty, and the trace says so)."""
    if verdict in ALLOWED:
        return True, ""
    if verdict != "not-regulated":
        return False, verdict
    if any(t.action == action for t in proc.transitions):
        return False, "a decision that moves the procedure needs a permission, and none applies"
    if any(a.id == action and a.needs_permission for a in proc.actions):
        return False, "the procedure says this action needs a permission, and none applies"
    return True, "not regulated by the texts: performed as the actor's own liberty"


@dataclass(frozen=True)
class TraceStep:
    index: int
    phase: str
    actor: str
    action: str
    object: str | None
    verdict: str
    performed: bool
    summary: str
    phase_after: str
    source: str  # "script" or "behaviour:ID (assumption)"
    statements: tuple[str, ...] = ()
    citations: tuple[dict[str, Any], ...] = ()
    triggered: tuple[dict[str, Any], ...] = ()
    bodies: dict[str, list[str]] = field(default_factory=dict)
    violation: str | None = None
    missed: tuple[dict[str, Any], ...] = ()  # obligations of the phase left undone

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "phase": self.phase,
            "actor": self.actor,
            "action": self.action,
            "object": self.object,
            "verdict": self.verdict,
            "performed": self.performed,
            "summary": self.summary,
            "phase_after": self.phase_after,
            "source": self.source,
            "statements": list(self.statements),
            "citations": list(self.citations),
            "triggered": list(self.triggered),
            "bodies": self.bodies,
            "violation": self.violation,
            "missed": list(self.missed),
        }


@dataclass(frozen=True)
class Trace:
    scenario: str
    model: str
    day: date
    steps: tuple[TraceStep, ...]
    final_phase: str
    facts: dict[str, Any]
    decisions: dict[str, str]
    outcomes: dict[str, bool | None]
    assumptions: tuple[dict[str, str], ...] = ()

    pending: tuple[dict[str, Any], ...] = ()  # obligations due in the final phase, not done

    @property
    def violations(self) -> list[TraceStep]:
        return [s for s in self.steps if not s.performed]

    @property
    def omissions(self) -> list[dict[str, Any]]:
        return [m for s in self.steps for m in s.missed]

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "model": self.model,
            "date": self.day.isoformat(),
            "steps": [s.to_dict() for s in self.steps],
            "final_phase": self.final_phase,
            "facts": self.facts,
            "decisions": self.decisions,
            "outcomes": self.outcomes,
            "assumptions": list(self.assumptions),
            "violations": [s.index for s in self.violations],
            "omissions": self.omissions,
            "pending": list(self.pending),
        }


def apply_effect(
    proc: Procedure, action: str, actor: str, obj: str | None, facts: dict[str, Any]
) -> None:
    """Change the facts as the procedure says ``action`` does (data, never code)."""
    spec = next((a for a in proc.actions if a.id == action), None)
    if spec is None:
        return
    e = spec.effect
    for fact, who in ((e.add_actor_to, actor), (e.add_object_to, obj)):
        if fact and who is not None:
            cur = list(facts.get(fact) or [])
            if who not in cur:
                cur.append(who)
            facts[fact] = cur
    if e.remove_object_from and obj is not None:
        facts[e.remove_object_from] = [x for x in facts.get(e.remove_object_from) or [] if x != obj]
    for k, v in e.set.items():
        if isinstance(v, str) and v.startswith("$"):
            facts[k] = (
                list(facts.get(v[1:]) or [])
                if isinstance(facts.get(v[1:]), list)
                else facts.get(v[1:])
            )
        else:
            facts[k] = v


def next_phase(proc: Procedure, phase: str, action: str) -> str:
    for t in proc.transitions:
        if t.from_ == phase and t.action == action:
            return t.to
    return phase


def obligations_in(
    model: Model, day: date, facts: Mapping[str, Any], proc: Procedure | None = None
) -> list[dict[str, Any]]:
    """The obligations whose condition reads the phase and holds now: what becomes due
    (with ``proc``, leaving out those that belong to another procedure)."""
    out = []
    world = ModelWorld(model)
    for sid, cond in model.conditions.items():
        if "phase" not in cond.facts:
            continue
        s = model.statements[sid]
        if s.deontic != "must" or s.attribute is None:
            continue
        if statement_in_effect(model, s, day)[0] is False:
            continue
        if proc is not None and foreign(model, proc, day, s.attribute, s.object):
            continue
        if cond.evaluate(Env(situation=facts, actor=s.attribute, day=day, world=world)):
            out.append(
                {
                    "statement": sid,
                    "who": s.attribute,
                    "aim": s.aim,
                    "object": s.object,
                    "recurrence": str(s.recurrence) if s.recurrence else None,
                    "text": s.text,
                }
            )
    return out


def _bodies(
    model: Model, proc: Procedure, day: date, facts: Mapping[str, Any]
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for b in proc.bodies:
        members = [m for m, _, c in members_at(model, b, day) if c is not False]
        extra = model.actors[b].situation_members
        if extra:
            for m in facts.get(extra) or []:
                if m not in members:
                    members.append(m)
        out[b] = members
    return out


def _pick_behaviour(
    model: Model, rules: tuple[Behaviour, ...], fired: set[str], facts: Mapping[str, Any], day: date
) -> Behaviour | None:
    world = ModelWorld(model)
    for b in rules:
        if b.once and b.id in fired:
            continue
        cond = model_condition(b.when)
        if cond.evaluate(Env(situation=facts, actor=b.actor, day=day, world=world)) is True:
            return b
    return None


@lru_cache(maxsize=4096)
def model_condition(text: str) -> Condition:
    """Behaviour and outcome conditions, compiled once (they were checked at load)."""
    return compile_condition(text)


def run_scenario(
    model: Model, scenario: Scenario, situation: Mapping[str, Any] | None = None
) -> Trace:
    """Run ``scenario`` on ``model`` (``situation`` overrides facts, e.g. from a sweep)."""
    procs: Mapping[str, Procedure] = getattr(model, "procedures", {})
    if scenario.procedure not in procs:
        raise AccordError(f"this model has no procedure {scenario.procedure!r}")
    proc = procs[scenario.procedure]
    day = scenario.date.earliest
    facts: dict[str, Any] = {**proc.start_facts, **scenario.situation, **(situation or {})}
    phase = proc.initial
    facts["phase"] = phase
    steps: list[TraceStep] = []
    fired: set[str] = set()
    decisions: dict[str, str] = {}
    due = _one_off(obligations_in(model, day, facts, proc))  # what the current phase requires

    def todo() -> tuple[ScriptStep | Behaviour, str] | None:
        if scenario.script:
            i = len(steps)
            return (scenario.script[i], "script") if i < len(scenario.script) else None
        b = _pick_behaviour(model, scenario.behaviour, fired, facts, day)
        return (b, f"behaviour:{b.id} (assumption)") if b else None

    while len(steps) < scenario.max_steps:
        nxt = todo()
        if nxt is None:
            break
        step, source = nxt
        if isinstance(step, Behaviour):
            fired.add(step.id)
        ans = model.ask(
            step.actor,
            step.action,
            object=step.object,
            day=day,
            situation=facts,
            reading=scenario.reading,
        )
        ok, note = allowed(proc, step.action, ans.verdict)
        before = phase
        violation = None
        summary = f"{ans.summary} — {note}" if ok and note else ans.summary
        if ok:
            phase = next_phase(proc, phase, step.action)
            apply_effect(proc, step.action, step.actor, step.object, facts)
            facts["phase"] = phase
            if any(t.action == step.action for t in proc.transitions):
                decisions[step.action] = step.actor
        else:
            violation = f"{step.actor} {step.action}: {ans.verdict} — {ans.summary} ({note})"
        if ok:
            due = [d for d in due if not _fulfils(model, day, step, d)]
        missed: list[dict[str, Any]] = []
        triggered = obligations_in(model, day, facts, proc) if phase != before else []
        if phase != before:
            missed = [
                {
                    **d,
                    "phase": before,
                    "reason": f"due in the {before} phase and not "
                    f"done before {step.action} ended it",
                }
                for d in due
            ]
            due = _one_off(triggered)
        steps.append(
            TraceStep(
                index=len(steps) + 1,
                phase=before,
                actor=step.actor,
                action=step.action,
                object=step.object,
                verdict=ans.verdict,
                performed=ok,
                summary=summary,
                phase_after=phase,
                source=source,
                statements=tuple(s.statement for s in ans.applied),
                citations=ans.citations,
                triggered=tuple(triggered),
                bodies=_bodies(model, proc, day, facts),
                violation=violation,
                missed=tuple(missed),
            )
        )
    outcomes = {}
    world = ModelWorld(model)
    for name, text in scenario.outcomes.items():
        outcomes[name] = model_condition(text).evaluate(Env(situation=facts, day=day, world=world))
    assumptions = tuple({"id": b.id, "label": b.label, "when": b.when} for b in scenario.behaviour)
    return Trace(
        scenario.id,
        model.manifest.id,
        day,
        tuple(steps),
        phase,
        {k: v for k, v in facts.items()},
        decisions,
        outcomes,
        assumptions,
        tuple(due),
    )


def _one_off(obligations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Obligations a phase must see done before it ends (recurring ones are monitored over
    time instead, see accord.monitor)."""
    return [d for d in obligations if not d["recurrence"]]


def _fulfils(model: Model, day: date, step: Any, due: dict[str, Any]) -> bool:
    if step.action != due["aim"] or (due["object"] is not None and step.object != due["object"]):
        return False
    if step.actor == due["who"]:
        return True
    return membership_path(model, step.actor, due["who"], day)[0] is True
