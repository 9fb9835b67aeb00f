"""The framework at a date: instrument lifecycles, bodies, memberships, office-holders.

Also the :class:`ModelWorld` through which conditions read dated facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from accord.engine.answers import BodyState, InstrumentStatus, State
from accord.errors import QueryError
from accord.model.elements import Instrument, Statement
from accord.time import Interval, Truth, and3, not3, or3, parse_day

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = [
    "ModelWorld",
    "as_day",
    "holders_at",
    "instrument_status",
    "members_at",
    "membership_path",
    "state_at",
    "statement_in_effect",
]

BODY_KINDS = {"institution", "body", "office", "format", "meeting", "organisation", "group"}


def as_day(model: Model, day: date | str | None) -> date:
    if day is None:
        if model.manifest.default_date is None:
            return date.today()
        return model.manifest.default_date.earliest
    if isinstance(day, date):
        return day
    try:
        return parse_day(day)
    except ValueError as err:
        raise QueryError(str(err)) from None


def _span(iv: Interval) -> str:
    return f"{iv.start} to {iv.end}"


def _contains(iv: Interval, day: date) -> Truth:
    """``iv.contains(day)``, written out: it is the innermost call of every query."""
    b = iv.start
    if b.kind == "open":
        started: Truth = True
    elif b.kind == "unknown" or b.date is None:
        started = None
    elif day >= b.date.latest:
        started = True
    elif day < b.date.earliest:
        return False
    else:
        started = None
    b = iv.end
    if b.kind == "open":
        if started:
            return True
        return None
    if b.kind == "unknown" or b.date is None:
        return None
    if day <= b.date.earliest:
        return True if started else None
    if day > b.date.latest:
        return False
    return None


def holders_at(model: Model, office: str, day: date) -> list[tuple[str, Truth, str]]:
    """Who holds ``office`` on ``day``: (actor, certain?, reason)."""
    out: list[tuple[str, Truth, str]] = []
    for t in model.holders_of.get(office, ()):
        c = _contains(t.interval, day)
        if c is not False:
            out.append((t.actor, c, f"{t.actor} holds {office} ({_span(t.interval)})"))
    return out


def members_at(
    model: Model, body: str, day: date, *, transitive: bool = True
) -> list[tuple[str, str | None, Truth]]:
    """Members of ``body`` on ``day``; offices stand for their holders; groups expand."""
    seen: dict[str, tuple[str | None, Truth]] = {}

    def visit(b: str, certain: Truth, depth: int) -> None:
        if depth > 20:
            return
        for t in model.members_of.get(b, ()):
            c = and3(certain, _contains(t.interval, day))
            if c is False:
                continue
            targets: list[tuple[str, Truth]] = [(t.actor, c)]
            if model.holders_of.get(t.actor):
                targets = [(h, and3(c, hc)) for h, hc, _ in holders_at(model, t.actor, day)]
            for actor, ac in targets:
                prev = seen.get(actor)
                if prev is None or (prev[1] is not True and ac is True):
                    seen[actor] = (t.role, ac)
                if transitive and model.members_of.get(actor) and actor != b:
                    visit(actor, ac, depth + 1)

    visit(body, True, 0)
    return [(a, r, c) for a, (r, c) in seen.items()]


def membership_path(model: Model, who: str, body: str, day: date) -> tuple[Truth, str]:
    """Is ``who`` a member of ``body`` on ``day`` (transitively)? With the chain as reason.

    Breadth-first up the reverse-membership graph (holding an office counts as being it):
    the first certain chain that reaches ``body``, else the first uncertain one.
    """
    return _upward(model, who, day).get(body) or (
        False,
        f"{who} is not a member of {body} on {day.isoformat()}",
    )


def _upward(model: Model, who: str, day: date) -> dict[str, tuple[Truth, str]]:
    """What :func:`membership_path` answers for ``who`` and every body at once.

    The same breadth-first walk, run to its end: for each body, the first certain chain
    reaching it (where membership_path returns), else the first uncertain one.
    """
    frontier: list[tuple[str, Truth, list[str]]] = [(who, True, [])]
    for office, t in model.offices_of.get(who, ()):
        c = _contains(t.interval, day)
        if c is not False:
            frontier.append((office, c, [f"{who} holds {office} ({_span(t.interval)})"]))
    seen: set[str] = set()
    found: dict[str, tuple[Truth, str]] = {}
    k = 0
    while k < len(frontier):
        node, certain, chain = frontier[k]
        k += 1
        if node in seen:
            continue
        seen.add(node)
        for group, t in model.groups_of.get(node, ()):
            c = and3(certain, _contains(t.interval, day))
            if c is False:
                continue
            step = [*chain, f"{node} is a member of {group} ({_span(t.interval)})"]
            prev = found.get(group)
            if prev is None or (c is True and prev[0] is not True):
                found[group] = (c, "; ".join(step))
            frontier.append((group, c, step))
    return found


def instrument_status(model: Model, ins: Instrument, day: date) -> InstrumentStatus:
    reasons: list[str] = []
    signed: Truth = (
        None
        if ins.signed is None
        else (True if day >= ins.signed.latest else False if day < ins.signed.earliest else None)
    )
    if ins.in_force is None:
        in_force: Truth = False
        reasons.append("no entry into force recorded")
    else:
        force_iv = model.interval(ins.in_force)
        in_force = force_iv.contains(day)
        reasons.append(f"in force {_span(force_iv)}")
    effect_iv = (
        model.interval(ins.in_effect)
        if ins.in_effect is not None
        else (model.interval(ins.in_force) if ins.in_force is not None else None)
    )
    base_effect: Truth = False if effect_iv is None else effect_iv.contains(day)
    if ins.in_effect is not None and effect_iv is not None:
        reasons.append(f"in effect {_span(effect_iv)}")
    whole: Truth = False
    partial: list[str] = []
    doubtful: list[str] = []
    active: list[str] = []
    for sus in ins.suspensions:
        c = model.interval(sus.during).contains(day)
        if c is False:
            continue
        active.append(sus.id if c else f"{sus.id} (uncertain)")
        span = _span(model.interval(sus.during))
        if sus.scope == "whole":
            whole = or3(whole, c)
            reasons.append(f"suspended as a whole by {sus.id} ({span})")
        else:
            partial.extend(sus.provisions)
            if c is None or sus.reading:
                doubtful.extend(sus.provisions)
            under = f" under the reading {sus.reading}" if sus.reading else ""
            reasons.append(
                f"suspended in part by {sus.id} ({span}){under}: {', '.join(sus.provisions)}"
            )
    in_effect = and3(base_effect, not3(whole))
    suspended = or3(whole, bool(partial))
    if any(a.endswith("(uncertain)") for a in active) and suspended is True and whole is not True:
        suspended = None if not any(not a.endswith("(uncertain)") for a in active) else True
    replaced = None
    if ins.replaced_by is not None:
        on = model.resolve(ins.replaced_by.date)
        if on.date is not None and day >= on.date.earliest:
            replaced = ins.replaced_by.instrument
            reasons.append(f"replaced by {replaced} from {on}")
    label = _label(ins, day, signed, in_force, in_effect, whole, bool(partial), replaced, model)
    return InstrumentStatus(
        ins.id,
        ins.title,
        label,
        signed,
        in_force,
        in_effect,
        suspended,
        tuple(partial),
        tuple(active),
        replaced,
        tuple(reasons),
        tuple(dict.fromkeys(doubtful)),
    )


def _label(
    ins: Instrument,
    day: date,
    signed: Truth,
    in_force: Truth,
    in_effect: Truth,
    whole: Truth,
    partial: bool,
    replaced: str | None,
    model: Model,
) -> str:
    if replaced:
        return f"replaced by {replaced}"
    if in_force is None:
        if ins.in_force is not None:
            iv = model.interval(ins.in_force)
            if iv.started(day) is True and iv.end.kind == "unknown":
                return "in force, end unknown"
        return "in force (uncertain)"
    if in_force is False:
        if ins.in_force is not None:
            iv = model.interval(ins.in_force)
            if iv.not_ended(day) is False:
                return "expired"
            if iv.started(day) is False:
                return "signed, not yet in force" if signed else "not yet in force"
        return "signed, not in force" if signed else "not in force"
    if whole is True:
        return "in force, suspended"
    if whole is None:
        return "in force, possibly suspended"
    if partial:
        return "in force, in effect, suspended in part"
    if in_effect is False:
        return "in force, not in effect"
    return "in force, in effect" if in_effect else "in force, in effect (uncertain)"


def _instrument_effect(model: Model, ins: Instrument, day: date) -> tuple[Truth, str]:
    """``(in_effect, label)`` of :func:`instrument_status`, without its reasons."""
    signed: Truth = (
        None
        if ins.signed is None
        else (True if day >= ins.signed.latest else False if day < ins.signed.earliest else None)
    )
    in_force: Truth = (
        False if ins.in_force is None else _contains(model.interval(ins.in_force), day)
    )
    spec = ins.in_effect if ins.in_effect is not None else ins.in_force
    base_effect: Truth = False if spec is None else _contains(model.interval(spec), day)
    whole: Truth = False
    partial = False
    for sus in ins.suspensions:
        c = _contains(model.interval(sus.during), day)
        if c is False:
            continue
        if sus.scope == "whole":
            whole = or3(whole, c)
        elif sus.provisions:
            partial = True
    in_effect = and3(base_effect, not3(whole))
    replaced = None
    if ins.replaced_by is not None:
        on = model.resolve(ins.replaced_by.date)
        if on.date is not None and day >= on.date.earliest:
            replaced = ins.replaced_by.instrument
    label = _label(ins, day, signed, in_force, in_effect, whole, partial, replaced, model)
    return in_effect, label


def statement_in_effect(
    model: Model,
    s: Statement,
    day: date,
    memo: dict[tuple[str, date], tuple[Truth, str]] | None = None,
    reading: Mapping[str, str] | None = None,
    under_readings: list[str] | None = None,
) -> tuple[Truth, str]:
    """Is a statement in effect on ``day``? Its instrument, validity and suspensions decide,
    and whether the body it addresses exists that day.

    ``memo`` (one per query) keeps each instrument's state on ``day`` once worked out. A
    suspension that belongs to one reading of a disagreement applies when that reading is
    chosen, not when another is; when none is, it is listed in ``under_readings`` if the
    caller gives that list (the deontic engine then answers per reading), else it makes the
    answer uncertain.
    """
    ins = model.instruments[s.instrument]
    if memo is None:
        in_effect, label = _instrument_effect(model, ins, day)
    else:
        got = memo.get((ins.id, day))
        if got is None:
            got = memo[(ins.id, day)] = _instrument_effect(model, ins, day)
        in_effect, label = got
    if in_effect is False:
        return False, f"{ins.id} is not in effect on {day.isoformat()} ({label})"
    truth: Truth = in_effect
    why = f"{ins.id}: {label}"
    if s.valid is not None:
        iv = model.interval(s.valid)
        v = _contains(iv, day)
        if v is False:
            return False, f"{s.id} applies only {_span(iv)}"
        truth = and3(truth, v)
        why += f"; statement valid {_span(iv)}"
    holder = model.actors.get(s.attribute or s.entity or "")
    if holder is not None and holder.exists is not None:
        ex = model.interval(holder.exists)
        e = _contains(ex, day)
        if e is False:
            repl = f", replaced by {holder.replaced_by}" if holder.replaced_by else ""
            return False, f"{holder.id} does not exist on {day.isoformat()} ({_span(ex)}{repl})"
        if e is None:
            why += f"; {holder.id} may not exist on {day.isoformat()} ({_span(ex)})"
        truth = and3(truth, e)
    for iid, sid, iv, under in model.suspended_provisions.get(s.id, ()):
        c = _contains(iv, day)
        if under is not None and c is not False:
            dis, rid = under.split("/")
            if reading is not None and dis in reading:
                if reading[dis] != rid:
                    continue  # the reading chosen says there was no such suspension
            elif under_readings is not None and c is True:
                under_readings.append(under)
                why += f"; suspended by {sid} under the reading {under}"
                continue
            else:
                truth = and3(truth, None)
                why += f"; suspended by {sid} only under the reading {under}"
                continue
        if c is True:
            return False, f"suspended by {sid} of {iid} ({_span(iv)})"
        if c is None:
            truth = and3(truth, None)
            why += f"; possibly suspended by {sid} ({_span(iv)})"
    return truth, why


class ModelWorld:
    """The dated facts a condition can read, each with the reason it was read."""

    def __init__(self, model: Model) -> None:
        self.model = model
        # one world per query: what it has worked out once, it does not work out again
        self.effects: dict[tuple[str, date], tuple[Truth, str]] = {}
        self.reading: Mapping[str, str] | None = None  # the readings the query follows
        self._upward: dict[tuple[str, date], dict[str, tuple[Truth, str]]] = {}

    def member(self, who: str, body: str, day: date) -> tuple[bool | None, str]:
        up = self._upward.get((who, day))
        if up is None:
            up = self._upward[(who, day)] = _upward(self.model, who, day)
        got = up.get(body)
        if got is None:
            return False, f"{who} is not a member of {body} on {day.isoformat()}"
        return got

    def holds(self, who: str, office: str, day: date) -> tuple[bool | None, str]:
        for actor, c, why in holders_at(self.model, office, day):
            if actor == who:
                return c, why
        return False, f"{who} does not hold {office} on {day.isoformat()}"

    def _status(self, instrument: str, day: date, which: str) -> tuple[bool | None, str]:
        if instrument not in self.model.instruments:
            return None, f"{instrument!r} is not an instrument of this model: unknown"
        st = instrument_status(self.model, self.model.instruments[instrument], day)
        value: bool | None = getattr(st, which)
        return value, f"{instrument}: {st.label} on {day.isoformat()}"

    def in_force(self, instrument: str, day: date) -> tuple[bool | None, str]:
        return self._status(instrument, day, "in_force")

    def in_effect(self, instrument: str, day: date) -> tuple[bool | None, str]:
        return self._status(instrument, day, "in_effect")

    def obliged(
        self, who: str, action: str, obj: str, day: date, situation: Mapping[str, Any]
    ) -> tuple[bool | None, str]:
        """Used by scenarios' behaviour rules only ("an actor does what it must")."""
        ans = self.model.ask(who, action, object=obj, day=day, situation=situation)
        return ans.verdict == "obliged", f"{who} {action} {obj}: {ans.verdict}"


def state_at(model: Model, day: date | str | None = None) -> State:
    d = as_day(model, day)
    instruments = tuple(instrument_status(model, i, d) for i in model.instruments.values())
    bodies = []
    for a in model.actors.values():
        if a.kind not in BODY_KINDS or not (a.members or a.holders):
            continue
        exists = model.interval(a.exists).contains(d) if a.exists else True
        if exists is False:
            continue
        members = tuple(members_at(model, a.id, d))
        holders = tuple((h, c) for h, c, _ in holders_at(model, a.id, d))
        if not members and not holders:
            continue
        direct = tuple(
            (m, r, c, sum(1 for x, _, _ in members_at(model, m, d) if not model.members_of.get(x)))
            for m, r, c in members_at(model, a.id, d, transitive=False)
        )
        bodies.append(BodyState(a.id, a.name, a.kind, members, holders, a.replaced_by, direct))
    statements = []
    for s in model.statements.values():
        t, _ = statement_in_effect(model, s, d)
        if t is not False:
            statements.append((s.id, s.instrument, t))
    events = tuple(e.id for e in model.events.values() if e.date.earliest <= d <= e.date.latest)
    return State(d, model.manifest.id, instruments, tuple(bodies), tuple(statements), events)
