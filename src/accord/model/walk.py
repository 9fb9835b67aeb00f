"""Where citations and ``{event: ID}`` interval ends are inside records.

Loading checks every citation's source and quote and every interval end's event; the
coverage of a text counts what cites each paragraph. Both walk the records through the
fields that can hold a citation or an interval end (known from the fields' types, once per
record type), and nothing else.

>>> from accord.model.elements import Tenure
>>> t = Tenure.model_validate({"actor": "russia", "to": {"event": "kosovo-1999"},
...     "cite": {"source": "note", "at": "p4", "quote": "dialogue", "confidence": "quoted"}})
>>> [type(x).__name__ for x in citations_and_ends(t)]
['Citation', 'Bound']
>>> [(type(x).__name__, path) for x, path in located(t, (0, "members", 2))]
[('Bound', (0, 'members', 2, 'to')), ('Citation', (0, 'members', 2, 'cite', 0))]
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel

from accord.model.elements import Citation
from accord.model.recurrence import Recurrence
from accord.time import Bound, PartialDate

__all__ = ["citations", "citations_and_ends", "gather", "located"]

Path_ = tuple[Any, ...]

_PLAIN = (str, int, float, bool, type(None), PartialDate, Recurrence)


def _may_hold(tp: Any) -> bool:
    """Can a field of this type hold (inside it) a citation or an interval end?"""
    if tp in _PLAIN or tp is Literal:
        return False
    origin = get_origin(tp)
    if origin is Literal or origin is dict:  # gather does not look inside mappings
        return False
    if origin is Annotated:
        return _may_hold(get_args(tp)[0])
    if origin is not None:  # unions, tuples, lists …
        return any(_may_hold(a) for a in get_args(tp) if a is not Ellipsis)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp is Citation or bool(_fields(tp))
    if isinstance(tp, type) and tp is not object:
        return issubclass(tp, Bound | tuple | list)
    return True  # Any, type variables, forward references: look


@cache
def _fields(cls: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(name, alias) of the fields of a record type that may hold citations or bounds."""
    return tuple(
        (name, info.alias or name)
        for name, info in cls.model_fields.items()
        if _may_hold(info.annotation)
    )


@cache
def _plan(cls: type[BaseModel]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The fields of a record type that may hold a citation or an interval end: those that
    hold its own citations (a tuple of them), its interval ends, and the others."""
    own: list[str] = []
    ends: list[str] = []
    other: list[str] = []
    for name, _ in _fields(cls):
        tp = cls.model_fields[name].annotation
        (own if tp == tuple[Citation, ...] else ends if tp is Bound else other).append(name)
    return tuple(own), tuple(ends), tuple(other)


def gather(value: BaseModel, out: list[Any]) -> None:
    """Append every citation and every ``{event: ID}`` interval end inside a record,
    without visiting the fields that cannot hold one (and without paths: see
    :func:`located`)."""
    own, ends, other = _plan(type(value))
    for name in own:
        out.extend(getattr(value, name))
    for name in ends:
        end = getattr(value, name)
        if end.kind == "event":
            out.append(end)
    for name in other:
        v = getattr(value, name)
        if v is not None:
            _gather_items(v if type(v) is tuple else (v,), out)


def _gather_items(values: tuple[Any, ...] | list[Any], out: list[Any]) -> None:
    for x in values:
        if isinstance(x, BaseModel):
            if isinstance(x, Citation):
                out.append(x)
            gather(x, out)
        elif isinstance(x, Bound):
            if x.kind == "event":
                out.append(x)
        elif isinstance(x, tuple | list):
            _gather_items(x, out)


def located(value: Any, path: Path_) -> list[tuple[Any, Path_]]:
    """What :func:`gather` finds, each with its path (by alias) from the record's."""
    out: list[tuple[Any, Path_]] = []
    _locate(value, path, out)
    return out


def _locate(value: Any, path: Path_, out: list[tuple[Any, Path_]]) -> None:
    if isinstance(value, BaseModel):
        if isinstance(value, Citation):
            out.append((value, path))
        for name, alias in _fields(type(value)):
            v = getattr(value, name)
            if v is None:
                continue
            _locate(v, (*path, alias), out)
    elif isinstance(value, Bound):
        if value.kind == "event":
            out.append((value, path))
    elif isinstance(value, tuple | list):
        for i, x in enumerate(value):
            _locate(x, (*path, i), out)


def citations_and_ends(record: BaseModel) -> list[Any]:
    """The citations and ``{event: ID}`` interval ends inside a record."""
    out: list[Any] = []
    gather(record, out)
    return out


def citations(record: BaseModel) -> Iterator[Citation]:
    """The citations inside a record (its own and those of its parts)."""
    for x in citations_and_ends(record):
        if isinstance(x, Citation):
            yield x
