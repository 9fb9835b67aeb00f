"""Procedures, scenarios and reforms as records (files: procedures.yaml, scenarios/*.yaml,
reforms/*.yaml).

A **procedure** is phases and the actions that move between them; statements apply by
phase through their conditions (``phase == 'crisis'``). Actions may also change facts of
the situation (an offer of forces adds the actor to ``offers``).

A **scenario** is a situation plus a scripted list of actions, or behaviour rules — the
user's assumptions, labelled as such and kept apart from the sourced rules.

A **reform** is a named overlay on a model from a date: statements added, replaced or
removed, parameters changed. The baseline is never modified.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from accord.model.elements import Cites, Ids, Record, Statement
from accord.model.types import DateField, Facts, Id, ListOf

__all__ = [
    "ActionSpec",
    "Behaviour",
    "Effect",
    "Phase",
    "Procedure",
    "Reform",
    "Scenario",
    "ScriptStep",
    "Transition",
    "Vary",
]


class Phase(Record):
    id: Id
    name: str
    description: str | None = None
    cite: Cites = ()


class Transition(Record):
    """Doing ``action`` in phase ``from`` moves the procedure to phase ``to``."""

    action: str
    from_: Id = Field(alias="from")
    to: Id
    label: str | None = None
    cite: Cites = ()


class Effect(Record):
    """What performing an action does to the situation's facts (data, never code)."""

    add_actor_to: str | None = Field(None, description="list fact that gains the actor")
    add_object_to: str | None = Field(None, description="list fact that gains the object")
    remove_object_from: str | None = None
    set: Facts = Field(default_factory=dict)


class ActionSpec(Record):
    id: str
    label: str | None = None
    needs_permission: bool = Field(
        False, description="performed only if a rule permits it (else left to liberty)"
    )
    effect: Effect = Field(default_factory=Effect)


class Procedure(Record):
    id: Id
    name: str
    instrument: Id | None = None
    concerns: Ids = ()
    phases: tuple[Phase, ...]
    initial: Id
    transitions: tuple[Transition, ...] = ()
    actions: tuple[ActionSpec, ...] = ()
    bodies: Ids = Field(default=(), description="bodies whose members the trace reports")
    start_facts: Facts = Field(
        default_factory=dict, description="facts every run starts with (e.g. empty lists)"
    )
    compare_with: Id | None = None
    description: str | None = None
    cite: Cites

    @model_validator(mode="after")
    def _phases(self) -> Procedure:
        ids = [p.id for p in self.phases]
        for name in [
            self.initial,
            *(t.from_ for t in self.transitions),
            *(t.to for t in self.transitions),
        ]:
            if name not in ids:
                raise ValueError(
                    f"phase {name!r} is not one of this procedure's phases ({', '.join(ids)})"
                )
        return self


class ScriptStep(Record):
    actor: Id
    action: str
    object: str | None = None
    note: str | None = None


class Behaviour(Record):
    """An assumption about behaviour: when ``when`` holds, ``actor`` does ``action``."""

    id: Id
    label: str
    when: str
    actor: Id
    action: str
    object: str | None = None
    once: bool = True


class Vary(Record):
    """A distribution for a sweep: uniform(a, b), normal(mu, sigma), choice([...])."""

    uniform: tuple[float, float] | None = None
    normal: tuple[float, float] | None = None
    choice: tuple[Any, ...] | None = None
    weights: tuple[float, ...] | None = None


class Scenario(Record):
    id: Id
    title: str
    procedure: Id
    date: DateField
    situation: Facts = Field(default_factory=dict)
    reading: dict[str, str] = Field(
        default_factory=dict, description="follow these readings where sources disagree"
    )
    script: tuple[ScriptStep, ...] = ()
    behaviour: tuple[Behaviour, ...] = ()
    max_steps: int = 50
    outcomes: dict[str, str] = Field(
        default_factory=dict, description="name -> condition over the final state"
    )
    description: str | None = None

    @model_validator(mode="after")
    def _one_driver(self) -> Scenario:
        if bool(self.script) == bool(self.behaviour):
            raise ValueError("a scenario needs either a 'script' or 'behaviour' rules, not both")
        return self


class ParameterChange(Record):
    statement: Id
    recurrence: str | None = None
    condition: str | None = None
    deontic: Literal["must", "may", "must-not"] | None = None
    exclusive: bool | None = None


class Reform(Record):
    id: Id
    title: str
    kind: Literal["proposal", "counterfactual"] = "proposal"
    effective: DateField
    base: Annotated[tuple[Id, ...], ListOf] = Field(
        default=(), description="reforms this one is applied on top of (a chain)"
    )
    add: tuple[Statement, ...] = ()
    replace: tuple[Statement, ...] = ()
    remove: Ids = ()
    change: tuple[ParameterChange, ...] = ()
    description: str | None = None
    cite: Cites
