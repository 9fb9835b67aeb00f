"""Deontic answers: obliged, permitted, forbidden, not regulated or contested — with why.

For an actor, an action (an aim, optionally with its object), a situation and a date:

1. the statements with that aim are the candidates (an index, no full scan);
2. each is checked: in effect at the date (its instrument, its validity, suspensions),
   whose attribute the actor is (directly, by holding an office, or as a member when the
   statement applies to members), its object, and its activation condition in
   three-valued logic;
3. exceptions set aside the statements they override; an exclusive right held by someone
   else forbids the action to this actor;
4. where the candidates belong to readings of a disagreement, the verdict is worked out
   under each reading (or under the reading the user picked); readings that disagree give
   *contested*, with each reading's verdict.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from accord.conditions import Env
from accord.engine.answers import Answer, Step, WhoAnswer
from accord.engine.state import (
    ModelWorld,
    as_day,
    holders_at,
    members_at,
    membership_path,
    statement_in_effect,
)
from accord.errors import QueryError
from accord.model.elements import Citation, Statement

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = ["ask", "cite_dict", "who"]

_GRANTS = {"must": "obliged", "may": "permitted", "must-not": "forbidden"}


def cite_dict(model: Model, c: Citation) -> dict[str, Any]:
    src = model.sources.get(c.source)
    out: dict[str, Any] = {
        "source": c.source,
        "title": src.title if src else c.source,
        "at": c.at,
        "quote": c.quote,
        "confidence": c.confidence,
    }
    if c.via:
        out["via"] = c.via
    if c.url or (src and src.url):
        out["url"] = c.url or (src.url if src else None)
    text = model.texts.get(c.via or c.source)
    if text is not None and c.at and text.segmented:
        pid = text.resolve(c.at)
        if pid:
            out["paragraph"] = pid
    return out


def _match(
    model: Model, actor: str, s: Statement, day: date, world: ModelWorld | None = None
) -> tuple[bool | None, str]:
    a = s.attribute
    assert a is not None
    if actor == a:
        return True, f"{actor} is the attribute of {s.id}"
    for h, c, why in holders_at(model, a, day):
        if h == actor:
            return c, why
    if s.applies_to == "members":
        if world is not None:  # the world remembers the actor's memberships on that day
            return world.member(actor, a, day)
        return membership_path(model, actor, a, day)
    return False, f"{s.id} is addressed to {a}, not to {actor}"


def _cites(model: Model, s: Statement) -> tuple[dict[str, Any], ...]:
    """A statement's citations as answers give them, worked out once per model."""
    got = model._cite_dicts.get(s.id)
    if got is None:
        got = model._cite_dicts[s.id] = tuple(cite_dict(model, c) for c in s.cite)
    return got


def _check_situation(model: Model, situation: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(situation, Mapping):
        raise QueryError("the situation must be a mapping of facts")
    return dict(situation)


def _parse_reading(model: Model, reading: Mapping[str, str] | None) -> dict[str, str]:
    chosen = dict(reading or {})
    for dis, rid in chosen.items():
        if dis not in model.disagreements:
            raise QueryError(
                f"unknown disagreement {dis!r} (known: {', '.join(sorted(model.disagreements))})"
            )
        ids = [r.id for r in model.disagreements[dis].readings]
        if rid not in ids:
            raise QueryError(f"unknown reading {rid!r} of {dis!r} (known: {', '.join(ids)})")
    return chosen


def _consider(
    model: Model,
    actor: str,
    object: str | None,
    s: Statement,
    day: date,
    situation: dict[str, Any],
    world: ModelWorld,
) -> tuple[Step, set[str], list[str]]:
    """Check one candidate statement; return its step, the facts it needs, dated facts read."""

    def step(
        status: str,
        reason: str,
        match: str | None = None,
        condition_value: bool | None = None,
        condition_trace: tuple[tuple[str, Any], ...] = (),
        uncertainty: str | None = None,
    ) -> Step:
        return Step(
            statement=s.id,
            instrument=s.instrument,
            text=s.text,
            deontic=s.deontic,
            attribute=s.attribute,
            status=status,
            reason=reason,
            reading=s.reading,
            match=match,
            condition=s.condition,
            condition_value=condition_value,
            condition_trace=condition_trace,
            exclusive=s.exclusive,
            recurrence=str(s.recurrence) if s.recurrence else None,
            uncertainty=uncertainty,
            suspended_under=tuple(under),
            cites=_cites(model, s),
        )

    reads: list[str] = []
    under: list[str] = []
    effect, why = statement_in_effect(model, s, day, world.effects, world.reading, under)
    reads.append(why)
    if effect is False:
        return step("not-in-effect", why), set(), reads
    if object is not None and s.object is not None and s.object != object:
        return step("object-differs", f"concerns {s.object}, not {object}"), set(), reads
    matched, how = _match(model, actor, s, day, world)
    reads.append(how)
    exclusive = s.exclusive and s.deontic in ("may", "must")
    if matched is False and not exclusive:
        # addressed to someone else (and not an exclusive right): its condition is not read
        return step("other-actor", how, how), set(), reads
    needs: set[str] = set()
    cond_value: bool | None = True
    trace: tuple[tuple[str, Any], ...] = ()
    if s.condition is not None:
        env = Env(situation=situation, actor=actor, day=day, world=world, object=object)
        cond_value = model.conditions[s.id].evaluate(env)
        trace = tuple(env.trace)
        needs = set(env.needs)
        reads.extend(env.reads)
    doubt = why if effect is None else (how if matched is None else None)
    uncertain = f" (uncertain: {doubt})" if doubt else ""
    if cond_value is False:
        return (
            step("condition-false", f"condition not met: {s.condition}", how, cond_value, trace),
            set(),
            reads,
        )
    if cond_value is None:
        missing = ", ".join(sorted(needs)) or "a dated fact"
        reason = f"condition unknown without {missing}: {s.condition}"
        return step("condition-unknown", reason, how, cond_value, trace), needs, reads
    if matched is False:
        if exclusive:
            reason = f"exclusive to {s.attribute}: everyone else is forbidden"
            return step("excludes-actor", reason, how, cond_value, trace), set(), reads
        return step("other-actor", how, how, cond_value, trace), set(), reads
    reason = f"applies{uncertain}: {how}"
    return step("applied", reason, how, cond_value, trace, doubt), needs, reads


def _combine(
    live: list[Step], overriding: dict[str, str], kept: list[Step], over: list[Step]
) -> tuple[str, list[Step], list[Step], str]:
    for s in live:
        if s.statement in overriding:
            over.append(
                replace(
                    s,
                    status="overridden",
                    overridden_by=overriding[s.statement],
                    reason=f"set aside by the exception {overriding[s.statement]}",
                )
            )
        else:
            kept.append(s)
    obliged = [s for s in kept if s.status == "applied" and s.deontic == "must"]
    permitted = [s for s in kept if s.status == "applied" and s.deontic == "may"]
    forbidden = [
        s
        for s in kept
        if (s.status == "applied" and s.deontic == "must-not") or s.status == "excludes-actor"
    ]
    if forbidden and (obliged or permitted):
        pro = ", ".join(s.statement for s in obliged + permitted)
        con = ", ".join(s.statement for s in forbidden)
        return "contested", kept, over, f"{pro} and {con} disagree, with no priority between them"
    if obliged:
        return "obliged", kept, over, "required by " + ", ".join(s.statement for s in obliged)
    if permitted:
        return "permitted", kept, over, "allowed by " + ", ".join(s.statement for s in permitted)
    if forbidden:
        parts = []
        for s in forbidden:
            if s.status == "excludes-actor":
                parts.append(f"{s.statement} reserves it exclusively to {s.attribute}")
            else:
                parts.append(f"{s.statement} forbids it")
        return "forbidden", kept, over, "; ".join(parts)
    return "not-regulated", kept, over, "no statement in effect regulates this"


def ask(
    model: Model,
    actor: str,
    action: str,
    *,
    object: str | None = None,
    day: date | str | None = None,
    situation: Mapping[str, Any] | None = None,
    reading: Mapping[str, str] | None = None,
) -> Answer:
    """Ask whether ``actor`` must / may / must not do ``action``. See the module docstring."""
    d = as_day(model, day)
    if actor not in model.actors:
        raise QueryError(f"unknown actor {actor!r}" + _near(actor, model.actors))
    sit = _check_situation(model, situation or {})
    chosen = _parse_reading(model, reading)
    world = ModelWorld(model)
    world.reading = chosen
    candidates = model.by_aim.get(action, ())
    if not candidates and action not in model.by_aim:
        aims = sorted(model.by_aim)
        hint = _near(action, aims)
        return Answer(
            "not-regulated",
            actor,
            action,
            object,
            d,
            sit,
            chosen,
            f"no statement in this model has the aim {action!r}{hint}",
        )
    steps: list[Step] = []
    needs: set[str] = set()
    facts: list[str] = []
    known: set[str] = set()
    for s in candidates:
        step, need, reads = _consider(model, actor, object, s, d, sit, world)
        if s.reading is not None:
            dis, rid = s.reading.split("/")
            if dis in chosen and chosen[dis] != rid:
                step = replace(
                    step,
                    status="other-reading",
                    reason=f"belongs to reading {s.reading}; {dis}={chosen[dis]} was chosen",
                )
        steps.append(step)
        needs |= need
        for fact in reads:
            if fact not in known:
                known.add(fact)
                facts.append(fact)

    # readings still open among the live statements
    def disagreements_of(st: Step) -> list[str]:
        tags = [st.reading] if st.reading else []
        return [t.split("/")[0] for t in (*tags, *st.suspended_under)]

    open_dis = sorted(
        {
            dis
            for st in steps
            if st.status in ("applied", "excludes-actor")
            for dis in disagreements_of(st)
            if dis not in chosen
        }
    )
    worlds = list(
        itertools.product(
            *[[(dis, r.id) for r in model.disagreements[dis].readings] for dis in open_dis]
        )
    ) or [()]
    by_reading: dict[str, str] = {}
    results = []

    def under(st: Step, pick: dict[str, str]) -> bool:
        """Does the step count under this choice of readings?"""
        if (
            st.reading is not None
            and pick.get(st.reading.split("/")[0]) != st.reading.split("/")[1]
        ):
            return False
        # a suspension of this reading sets the statement aside under it
        return not any(pick.get(u.split("/")[0]) == u.split("/")[1] for u in st.suspended_under)

    def overrides_among(live: list[Step]) -> dict[str, str]:
        # exceptions: an applying statement of this reading sets aside what it overrides
        live_ids = {st.statement for st in live}
        return {
            o: st.statement
            for st in live
            if st.status == "applied"
            for o in model.statements[st.statement].overrides
            if o in live_ids
        }

    could_change = False  # would a fact the situation lacks change the verdict?
    for combo in worlds:
        pick = dict(chosen, **dict(combo))
        live = [
            st for st in steps if st.status in ("applied", "excludes-actor") and under(st, pick)
        ]
        verdict, kept, over, summary = _combine(live, overrides_among(live), [], [])
        maybe = [
            replace(st, status="applied")
            for st in steps
            if st.status == "condition-unknown" and under(st, pick)
        ]
        if maybe and not could_change:
            alt = live + maybe
            could_change = _combine(alt, overrides_among(alt), [], [])[0] != verdict
        label = ", ".join(f"{k}={v}" for k, v in combo) or "all"
        by_reading[label] = verdict
        results.append((verdict, kept, over, summary, label))
    verdicts = {r[0] for r in results}
    applied: list[Step] = []
    overridden: list[Step] = []
    for _, kept, over, _, _ in results:
        applied.extend(k for k in kept if k not in applied)
        overridden.extend(o for o in over if o not in overridden)
    if len(verdicts) == 1:
        verdict = results[0][0]
        summaries = list(dict.fromkeys(r[3] for r in results))
        summary = "; ".join(summaries)
        if open_dis:
            summary += f" (every reading of {', '.join(open_dis)} agrees)"
    else:
        verdict = "contested"
        summary = "the sources disagree: " + "; ".join(
            f"under {label}: {v} ({s})" for v, _, _, s, label in results
        )
    used = {st.statement for st in applied} | {st.statement for st in overridden}
    set_aside = overridden + [st for st in steps if st.statement not in used]
    citations: list[dict[str, Any]] = []
    for st in applied:
        for cd in st.cites:
            if cd not in citations:
                citations.append(cd)
    for dis in open_dis:
        for r in model.disagreements[dis].readings:
            for rc in r.cite:
                rcd = cite_dict(model, rc)
                if rcd not in citations:
                    citations.append(rcd)
    doubts = tuple(dict.fromkeys(st.uncertainty for st in applied if st.uncertainty))
    if doubts:
        summary += " — uncertain: " + "; ".join(doubts)
    return Answer(
        uncertain=doubts,
        verdict=verdict,
        actor=actor,
        action=action,
        object=object,
        day=d,
        situation=sit,
        reading_choice=chosen,
        summary=summary,
        applied=tuple(applied),
        set_aside=tuple(set_aside),
        by_reading=by_reading if open_dis else {},
        facts=tuple(facts),
        needs=tuple(sorted(needs)) if could_change else (),
        citations=tuple(citations),
    )


def _near(word: str, names: Any) -> str:
    import difflib

    near = difflib.get_close_matches(word, list(names), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else ""


def who(
    model: Model,
    action: str,
    *,
    object: str | None = None,
    deontic: str | None = None,
    day: date | str | None = None,
    situation: Mapping[str, Any] | None = None,
    reading: Mapping[str, str] | None = None,
) -> WhoAnswer:
    """Who must / may / must not do ``action``: every actor a candidate statement could reach."""
    d = as_day(model, day)
    if deontic not in (None, "must", "may", "must-not"):
        raise QueryError(f"deontic must be must, may or must-not, got {deontic!r}")
    sit = _check_situation(model, situation or {})
    candidates: list[str] = []

    def add(a: str) -> None:
        if a in model.actors and a not in candidates:
            candidates.append(a)

    for s in model.by_aim.get(action, ()):
        if s.attribute is None:
            continue
        add(s.attribute)
        for h, _, _ in holders_at(model, s.attribute, d):
            add(h)
        if s.applies_to == "members":
            for m, _, _ in members_at(model, s.attribute, d):
                add(m)
    for value in sit.values():
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str):
                add(v.lstrip("@"))
    want = {
        None: {"obliged", "permitted", "forbidden", "contested"},
        "must": {"obliged", "contested"},
        "may": {"obliged", "permitted", "contested"},
        "must-not": {"forbidden", "contested"},
    }[deontic]
    answers = []
    for a in candidates:
        ans = ask(model, a, action, object=object, day=d, situation=sit, reading=reading)
        if ans.verdict in want:
            answers.append(ans)
    return WhoAnswer(action, object, deontic, d, sit, tuple(answers))
