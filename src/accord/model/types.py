"""Field types shared by the records: ids, dates, interval ends, citations lists.

Each type parses text with accord's own rules and carries a JSON Schema for editors.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from pydantic import (
    BeforeValidator,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)

from accord.model.recurrence import Recurrence, parse_recurrence
from accord.time import Bound, PartialDate, parse_date

__all__ = [
    "OPEN",
    "BoundField",
    "DateField",
    "Facts",
    "Id",
    "RecurrenceField",
    "as_tuple",
    "describe_value",
    "typed",
]

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$"


def _id(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected an id (a word), got {describe_value(value)}")
    if not ID_RE.match(value):
        raise ValueError(f"bad id {value!r}: use letters, digits, '-', '_' and '.' only")
    return value


def describe_value(value: Any) -> str:
    """How a message names a value it did not expect: "nothing", "a mapping", "a list" …"""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


# A large model writes the same dates over and over: each text is read once, and the
# (immutable) date or interval end shared. The caches are bounded; errors are not cached.
_CACHE_MAX = 1 << 16
T = TypeVar("T")
_DATES: dict[str, PartialDate] = {}
_BOUNDS: dict[str, Bound] = {}


def _once(cache: dict[str, T], text: str, read: Callable[[str], T]) -> T:
    got = cache.get(text)
    if got is None:
        got = read(text)
        if len(cache) < _CACHE_MAX:
            cache[text] = got
    return got


def _date(value: Any) -> PartialDate:
    if type(value) is str:
        return _once(_DATES, value, parse_date)
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a bare year, as YAML 1.2 parsers read it
    return parse_date(value)


OPEN = Bound.open()  # the default end of an interval


def _bound(value: Any) -> Bound:
    if type(value) is str:
        return _once(_BOUNDS, value, _bound_of)
    return _bound_of(value)


def _bound_of(value: Any) -> Bound:
    if isinstance(value, Bound):
        return value
    if value is None or value == "open":
        return Bound.open()
    if value == "unknown":
        return Bound.unknown()
    if isinstance(value, dict):
        if set(value) != {"event"} or not isinstance(value["event"], str):
            raise ValueError("an interval end given as a mapping must be {event: EVENT-ID}")
        return Bound("event", None, _id(value["event"]))
    if isinstance(value, str | int) and not isinstance(value, bool):
        return Bound.at(_date(value))
    raise ValueError(
        f"expected a date, 'open', 'unknown' or {{event: ID}}, got {describe_value(value)}"
    )


def _recurrence(value: Any) -> Recurrence:
    if isinstance(value, Recurrence):
        return value
    return parse_recurrence(value)


def typed(value: Any) -> Any:
    """Free-form facts (a situation) read YAML's plain scalars as booleans and numbers.

    >>> typed({"urgent": "false", "n": "3", "x": "0.5", "who": ["russia"], "d": "2001-05-17"})
    {'urgent': False, 'n': 3, 'x': 0.5, 'who': ['russia'], 'd': '2001-05-17'}
    """
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    if isinstance(value, str):
        low = value.lower()
        if low in ("true", "false"):
            return low == "true"
        if re.fullmatch(r"-?\d+", value):
            return int(value)
        if re.fullmatch(r"-?\d+\.\d*", value):
            return float(value)
    return value


def as_tuple(value: Any) -> Any:
    """Accept one item where a list is expected."""
    if value is None:
        return ()
    if isinstance(value, dict | str):
        return (value,)
    return value


# checked by pydantic-core itself (an id is validated a million times in a large model);
# loading.validate turns its pattern error into accord's message
Id = Annotated[
    str,
    StringConstraints(pattern=ID_RE.pattern),
    WithJsonSchema({"type": "string", "pattern": ID_RE.pattern}),
]
# YAML 1.2 reads 2001-05-17 as text but a bare year (1994) as a number: both are dates here
_DATE_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "pattern": DATE_PATTERN},
        {"type": "integer", "minimum": 1000, "maximum": 9999},
    ]
}
DateField = Annotated[
    PartialDate,
    PlainValidator(_date),
    PlainSerializer(str),
    WithJsonSchema(_DATE_SCHEMA),
]
BoundField = Annotated[
    Bound,
    PlainValidator(_bound),
    PlainSerializer(str),
    WithJsonSchema(
        {
            "anyOf": [
                *_DATE_SCHEMA["anyOf"],
                {"enum": ["open", "unknown"]},
                {
                    "type": "object",
                    "properties": {"event": {"type": "string"}},
                    "required": ["event"],
                    "additionalProperties": False,
                },
            ]
        }
    ),
]
RecurrenceField = Annotated[
    Recurrence,
    PlainValidator(_recurrence),
    PlainSerializer(str),
    WithJsonSchema({"type": "string", "examples": ["every 6 months", "twice a year"]}),
]
ListOf = BeforeValidator(as_tuple)
Facts = Annotated[dict[str, Any], BeforeValidator(typed)]
