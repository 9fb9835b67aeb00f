"""Recurrences such as "every six months", "twice a year", "once a year", "monthly".

>>> r = parse_recurrence("twice a year")
>>> (r.times, r.length, r.unit, r.per_year)
(2, 1, 'year', 2.0)
>>> parse_recurrence("every six months").per_year
2.0
>>> parse_recurrence("now and then")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: not a recurrence: 'now and then' (try 'every 6 months', ...)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Recurrence", "parse_recurrence"]

_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_TIMES = {"once": 1, "twice": 2, "thrice": 3}
_PER_YEAR = {"day": 365.0, "week": 52.0, "month": 12.0, "year": 1.0}
_ADVERBS = {
    "daily": (1, 1, "day"),
    "weekly": (1, 1, "week"),
    "monthly": (1, 1, "month"),
    "annually": (1, 1, "year"),
    "yearly": (1, 1, "year"),
    "quarterly": (1, 3, "month"),
    "biannually": (2, 1, "year"),
    "semi-annually": (1, 6, "month"),
}


@dataclass(frozen=True)
class Recurrence:
    """``times`` occurrences in every period of ``length`` ``unit``s."""

    times: int
    length: int
    unit: str  # day | week | month | year
    text: str

    @property
    def per_year(self) -> float:
        return self.times * _PER_YEAR[self.unit] / self.length

    @property
    def period_months(self) -> float:
        """Length of one period in months (for expected occurrences)."""
        return 12.0 * self.length / _PER_YEAR[self.unit]

    def __str__(self) -> str:
        return self.text


def _num(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _WORDS.get(word)


def parse_recurrence(text: object) -> Recurrence:
    if not isinstance(text, str):
        raise ValueError(f"not a recurrence: {text!r}")
    s = re.sub(r"\s+", " ", text.strip().lower())
    if s in _ADVERBS:
        t, n, u = _ADVERBS[s]
        return Recurrence(t, n, u, text.strip())
    m = re.fullmatch(r"every (?:(\w+) )?(day|week|month|year)s?", s)
    if m:
        every = 1 if m.group(1) is None else _num(m.group(1))
        if every:
            return Recurrence(1, every, m.group(2), text.strip())
    m = re.fullmatch(r"(\w+)(?: times)? (?:a|an|per|every|each) (day|week|month|year)", s)
    if m:
        times = _TIMES.get(m.group(1)) or _num(m.group(1))
        if times:
            return Recurrence(times, 1, m.group(2), text.strip())
    raise ValueError(
        f"not a recurrence: {text!r} (try 'every 6 months', 'twice a year', 'once a year', "
        "'monthly', '3 times a year')"
    )
