"""Dates, partial dates, interval ends and intervals, with three-valued containment.

A date may be exact (``2001-05-17``), partial (``2001-05``, ``2001``) or a range of days
(``1999-12-10/1999-12-11``); a partial date covers a span. An interval end may be a date,
``open`` or ``unknown``. Asking whether a day falls inside an interval answers ``True``,
``False`` or ``None`` (uncertain: the day falls inside the span of a partial end, or after a
start whose end is unknown).

>>> d = parse_date("2001-05")
>>> d.earliest, d.latest
(datetime.date(2001, 5, 1), datetime.date(2001, 5, 31))
>>> iv = Interval(Bound.at(parse_date("1997-12-01")), Bound.open())
>>> iv.contains(parse_day("2001-05-17")), iv.contains(parse_day("1995-01-01"))
(True, False)
>>> Interval(Bound.at(parse_date("2003")), Bound.open()).contains(parse_day("2003-03-01")) is None
True
>>> parse_date("2001-02-30")
Traceback (most recent call last):
...
ValueError: impossible date '2001-02-30' (day is out of range for month)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

__all__ = [
    "Bound",
    "Interval",
    "PartialDate",
    "Truth",
    "and3",
    "not3",
    "or3",
    "parse_date",
    "parse_day",
]

Truth = bool | None  # None: uncertain

_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or the year, or a range of days."""

    earliest: date
    latest: date
    text: str

    @property
    def exact(self) -> bool:
        return self.earliest == self.latest

    def __str__(self) -> str:
        return self.text


def _parse_one(text: str, *, whole: str) -> PartialDate:
    m = _DATE.match(text)
    if not m:
        raise ValueError(
            f"not a date: {whole!r} (expected YYYY-MM-DD, YYYY-MM or YYYY, "
            "or a range YYYY-MM-DD/YYYY-MM-DD)"
        )
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if mo is None:
            return PartialDate(date(y, 1, 1), date(y, 12, 31), text)
        month = int(mo)
        if d is None:
            if not 1 <= month <= 12:
                raise ValueError("month must be in 1..12")
            last = calendar.monthrange(y, month)[1]
            return PartialDate(date(y, month, 1), date(y, month, last), text)
        day = date(y, month, int(d))
        return PartialDate(day, day, text)
    except ValueError as err:
        raise ValueError(f"impossible date {whole!r} ({err})") from None


def parse_date(text: object) -> PartialDate:
    """Parse a date, partial date or day range; raise ``ValueError`` with a plain message."""
    if isinstance(text, date):
        return PartialDate(text, text, text.isoformat())
    if not isinstance(text, str):
        raise ValueError(f"not a date: {text!r} (expected YYYY-MM-DD)")
    return _parse_text(text.strip())


@lru_cache(maxsize=1 << 16)
def _parse_text(s: str) -> PartialDate:
    """Models repeat the same dates many times over: each is parsed once (the records are
    immutable, so sharing them is safe; errors are not cached)."""
    if "/" in s:
        a, _, b = s.partition("/")
        first, last = _parse_one(a, whole=s), _parse_one(b, whole=s)
        if last.latest < first.earliest:
            raise ValueError(f"date range {s!r} ends before it starts")
        return PartialDate(first.earliest, last.latest, s)
    return _parse_one(s, whole=s)


def parse_day(text: object) -> date:
    """Parse an exact day (the date a question is asked at)."""
    d = parse_date(text)
    if not d.exact:
        raise ValueError(f"a question needs an exact day, got {d.text!r}")
    return d.earliest


@dataclass(frozen=True)
class Bound:
    """One end of an interval: a date, ``open``, ``unknown``, or the date of an event."""

    kind: str  # "date" | "open" | "unknown"
    date: PartialDate | None = None
    event: str | None = None  # the event this end was read from, for explanations

    @staticmethod
    def open() -> Bound:
        return Bound("open")

    @staticmethod
    def unknown() -> Bound:
        return Bound("unknown")

    @staticmethod
    def at(d: PartialDate, event: str | None = None) -> Bound:
        return Bound("date", d, event)

    def __str__(self) -> str:
        if self.kind == "date" and self.date is not None:
            return f"{self.date}" + (f" (event {self.event})" if self.event else "")
        return self.kind


@dataclass(frozen=True)
class Interval:
    """A closed interval of days between two bounds."""

    start: Bound
    end: Bound

    @staticmethod
    def always() -> Interval:
        return Interval(Bound.open(), Bound.open())

    def started(self, day: date) -> Truth:
        s = self.start
        if s.kind == "open":
            return True
        if s.kind == "unknown" or s.date is None:
            return None
        if day >= s.date.latest:
            return True
        if day < s.date.earliest:
            return False
        return None

    def not_ended(self, day: date) -> Truth:
        e = self.end
        if e.kind == "open":
            return True
        if e.kind == "unknown" or e.date is None:
            return None
        if day <= e.date.earliest:
            return True
        if day > e.date.latest:
            return False
        return None

    def contains(self, day: date) -> Truth:
        return and3(self.started(day), self.not_ended(day))

    def __str__(self) -> str:
        return f"{self.start} → {self.end}"


def and3(a: Truth, b: Truth) -> Truth:
    """Kleene conjunction.

    >>> and3(True, None), and3(False, None), and3(True, True)
    (None, False, True)
    """
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def or3(a: Truth, b: Truth) -> Truth:
    """Kleene disjunction.

    >>> or3(False, None), or3(True, None)
    (None, True)
    """
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def not3(a: Truth) -> Truth:
    return None if a is None else not a
