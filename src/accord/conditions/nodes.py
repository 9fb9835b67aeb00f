"""Compiled condition trees and their evaluation in three-valued logic.

A :class:`Condition` is a tree of small node objects built by the parser. Evaluating it
against an :class:`Env` (the situation, the actor asked about, the date and the model's
dated facts through a :class:`World`) gives ``True``, ``False`` or ``None`` (unknown) and
records, in ``env.trace``, every sub-expression with its value and every fact it read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

__all__ = ["UNKNOWN", "Condition", "Env", "Node", "World"]


class _Unknown:
    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "unknown"

    def __bool__(self) -> bool:
        raise TypeError("unknown has no truth value")  # pragma: no cover - guard


UNKNOWN: Any = _Unknown()


class World(Protocol):
    """The model's dated facts a condition may read; each answer comes with its reason."""

    def member(self, who: str, body: str, day: date) -> tuple[bool | None, str]: ...
    def holds(self, who: str, office: str, day: date) -> tuple[bool | None, str]: ...
    def in_force(self, instrument: str, day: date) -> tuple[bool | None, str]: ...
    def in_effect(self, instrument: str, day: date) -> tuple[bool | None, str]: ...
    def obliged(
        self, who: str, action: str, obj: str, day: date, situation: Mapping[str, Any]
    ) -> tuple[bool | None, str]: ...


@dataclass
class Env:
    situation: Mapping[str, Any] = field(default_factory=dict)
    actor: str | None = None
    day: date | None = None
    world: World | None = None
    object: str | None = None
    trace: list[tuple[str, Any]] = field(default_factory=list)
    needs: set[str] = field(default_factory=set)
    reads: list[str] = field(default_factory=list)


def _norm(value: Any) -> Any:
    """Situation values: actor ids may be written '@russia' or 'russia'."""
    if isinstance(value, str) and value.startswith("@"):
        return value[1:]
    if isinstance(value, list | tuple):
        return [_norm(v) for v in value]
    return value


class Node:
    text: str = ""

    def eval(self, env: Env) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def run(self, env: Env) -> Any:
        value = self.eval(env)
        env.trace.append((self.text, value))
        return value


@dataclass
class Const(Node):
    value: Any
    text: str = ""

    def eval(self, env: Env) -> Any:
        return self.value

    def run(self, env: Env) -> Any:  # constants are not worth a trace line
        return self.value


@dataclass
class ActorRef(Node):
    name: str
    text: str = ""

    def eval(self, env: Env) -> Any:
        return self.name

    def run(self, env: Env) -> Any:
        return self.name


@dataclass
class Fact(Node):
    path: tuple[str, ...]
    text: str = ""

    def eval(self, env: Env) -> Any:
        if self.path == ("actor",):
            return env.actor if env.actor is not None else UNKNOWN
        if self.path == ("date",):
            return env.day if env.day is not None else UNKNOWN
        if self.path == ("object",):
            if env.object is None:
                env.needs.add("the object of the action")
                return UNKNOWN
            return _norm(env.object)
        cur: Any = env.situation
        for step in self.path:
            if isinstance(cur, Mapping) and step in cur:
                cur = cur[step]
            else:
                env.needs.add(".".join(self.path))
                return UNKNOWN
        return _norm(cur)


@dataclass
class ListNode(Node):
    items: list[Node]
    text: str = ""

    def eval(self, env: Env) -> Any:
        return [i.run(env) for i in self.items]


def _truth(v: Any) -> bool | None:
    if v is UNKNOWN:
        return None
    return bool(v)


@dataclass
class Not(Node):
    operand: Node
    text: str = ""

    def eval(self, env: Env) -> Any:
        v = _truth(self.operand.run(env))
        return UNKNOWN if v is None else not v


@dataclass
class And(Node):
    left: Node
    right: Node
    text: str = ""

    def eval(self, env: Env) -> Any:
        a = _truth(self.left.run(env))
        if a is False:
            return False
        b = _truth(self.right.run(env))
        if b is False:
            return False
        return UNKNOWN if (a is None or b is None) else True


@dataclass
class Or(Node):
    left: Node
    right: Node
    text: str = ""

    def eval(self, env: Env) -> Any:
        a = _truth(self.left.run(env))
        if a is True:
            return True
        b = _truth(self.right.run(env))
        if b is True:
            return True
        return UNKNOWN if (a is None or b is None) else False


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _coerce_pair(a: Any, b: Any) -> tuple[Any, Any]:
    """Numbers given as text in a situation compare as numbers; ISO text as dates."""
    if isinstance(a, int | float) and isinstance(b, str):
        b = _to_number(b)
    elif isinstance(b, int | float) and isinstance(a, str):
        a = _to_number(a)
    elif isinstance(a, date) and isinstance(b, str):
        b = _to_date(b)
    elif isinstance(b, date) and isinstance(a, str):
        a = _to_date(a)
    return a, b


def _to_number(s: str) -> Any:
    try:
        return float(s) if "." in s else int(s)
    except ValueError:
        return s


def _to_date(s: str) -> Any:
    try:
        return date.fromisoformat(s)
    except ValueError:
        return s


@dataclass
class Compare(Node):
    op: str
    left: Node
    right: Node
    text: str = ""

    def eval(self, env: Env) -> Any:
        a, b = self.left.run(env), self.right.run(env)
        if a is UNKNOWN or b is UNKNOWN:
            return UNKNOWN
        a, b = _coerce_pair(a, b)
        try:
            return _OPS[self.op](a, b)
        except TypeError:
            env.reads.append(f"cannot compare {a!r} {self.op} {b!r}: treated as unknown")
            return UNKNOWN


@dataclass
class In(Node):
    item: Node
    collection: Node
    negate: bool = False
    text: str = ""

    def eval(self, env: Env) -> Any:
        a, coll = self.item.run(env), self.collection.run(env)
        if a is UNKNOWN or coll is UNKNOWN:
            return UNKNOWN
        if isinstance(coll, str):
            coll = [coll]
        if not isinstance(coll, list | tuple | set):
            return UNKNOWN
        found = a in coll
        return (not found) if self.negate else found


@dataclass
class Call(Node):
    name: str
    args: list[Node]
    text: str = ""

    def eval(self, env: Env) -> Any:
        if self.name == "given":
            fact = self.args[0]
            assert isinstance(fact, Fact)
            before = set(env.needs)
            present = fact.eval(env) is not UNKNOWN
            env.needs = before  # asking whether a fact is given does not need it
            return present
        vals = [a.run(env) for a in self.args]
        if self.name == "count":
            v = vals[0]
            return UNKNOWN if v is UNKNOWN else len(v) if isinstance(v, list) else 1
        if any(v is UNKNOWN for v in vals) or env.world is None or env.day is None:
            return UNKNOWN
        if self.name != "obliged" and not all(isinstance(v, str) for v in vals):
            env.reads.append(f"{self.text}: {self.name}() takes ids, got {vals!r}: unknown")
            return UNKNOWN
        fn = getattr(env.world, self.name)
        if self.name == "obliged":
            value, why = fn(*vals, env.day, env.situation)
        else:
            value, why = fn(*vals, env.day)
        env.reads.append(why)
        return UNKNOWN if value is None else value


@dataclass(frozen=True)
class Condition:
    """A compiled condition: its source text, its tree, and what it reads."""

    text: str
    root: Node
    facts: frozenset[str]
    actors: frozenset[str]
    calls: frozenset[str] = frozenset()
    call_refs: frozenset[tuple[str, int, str]] = frozenset()  # (function, argument, @id)

    def evaluate(self, env: Env) -> bool | None:
        return _truth(self.root.run(env))

    def explain(self, env: Env) -> tuple[bool | None, Env]:
        """Evaluate in a fresh trace; return the value and the env holding the trace."""
        fresh = Env(env.situation, env.actor, env.day, env.world, env.object)
        return self.evaluate(fresh), fresh
