"""Period grids: how a recurrence cuts time into the periods an obligation is checked in.

A grid is regular, so the period of a day is arithmetic (the same formula runs in SQL over
millions of events). Month grids are aligned to the calendar; day grids to a Monday.

>>> g, required = grid_for(2, 1, "year")          # twice a year: half-years, one each
>>> g.label(g.index(date(2013, 9, 1))), required
('2013-H2', 1)
>>> g.start(g.index(date(2013, 9, 1))), g.end(g.index(date(2013, 9, 1)))
(datetime.date(2013, 7, 1), datetime.date(2013, 12, 31))
>>> grid_for(1, 1, "month")[0].label(grid_for(1, 1, "month")[0].index(date(2001, 10, 3)))
'2001-10'
>>> grid_for(5, 1, "year")                         # 12 months do not split in five
(Grid(unit='month', step=12, anchor=0), 5)
>>> Grid("month", 6).tolerance_days()              # a quarter of a half-year
45
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["DAY_EPOCH", "Grid", "grid_for"]

DAY_EPOCH = date(1970, 1, 5)  # a Monday: day grids (weeks, N days) count from here


@dataclass(frozen=True)
class Grid:
    """Regular periods: ``step`` months (``unit='month'``) or ``step`` days (``unit='day'``).

    Month periods start on the first of a month; period ``i`` starts ``i*step + anchor``
    months after January of year 0. Day periods start ``i*step + anchor`` days after
    :data:`DAY_EPOCH`.
    """

    unit: str  # "month" | "day"
    step: int
    anchor: int = 0

    # ---- day <-> index --------------------------------------------------------------
    def index(self, d: date) -> int:
        if self.unit == "month":
            return (d.year * 12 + d.month - 1 - self.anchor) // self.step
        return ((d - DAY_EPOCH).days - self.anchor) // self.step

    def start(self, i: int) -> date:
        if self.unit == "month":
            m = i * self.step + self.anchor
            return date(m // 12, m % 12 + 1, 1)
        return DAY_EPOCH + timedelta(days=i * self.step + self.anchor)

    def end(self, i: int) -> date:
        """The last day of period ``i`` (inclusive)."""
        return self.start(i + 1) - timedelta(days=1)

    def days(self, i: int) -> int:
        return (self.start(i + 1) - self.start(i)).days

    def tolerance_days(self) -> int:
        """Default tolerance for a late occurrence: a quarter of a typical period, at least 1."""
        typical = self.step * 365.25 / 12 if self.unit == "month" else float(self.step)
        return max(1, int(typical / 4))

    # ---- SQL -----------------------------------------------------------------------
    def sql_index(self, col: str) -> str:
        """The SQL expression giving the period index of the DATE column ``col``."""
        if self.unit == "month":
            return (
                f"(floor((year({col}) * 12 + month({col}) - 1 - {self.anchor}) / {self.step}))"
                "::BIGINT"
            )
        return (
            f"(floor((({col} - DATE '{DAY_EPOCH.isoformat()}') - {self.anchor}) / {self.step}))"
            "::BIGINT"
        )

    # ---- labels ----------------------------------------------------------------------
    def label(self, i: int) -> str:
        s = self.start(i)
        if self.unit == "month" and self.anchor == 0:
            if self.step == 1:
                return f"{s.year}-{s.month:02d}"
            if self.step == 12:
                return str(s.year)
            if self.step in (2, 3, 4, 6):
                letter = {2: "B", 3: "Q", 4: "T", 6: "H"}[self.step]
                return f"{s.year}-{letter}{(s.month - 1) // self.step + 1}"
            if self.step % 12 == 0:
                return f"{s.year}–{self.end(i).year}"
        if self.unit == "day" and self.step == 7 and self.anchor == 0:
            iso = s.isocalendar()
            return f"{iso[0]}-W{iso[1]:02d}"
        if self.unit == "day" and self.step == 1:
            return s.isoformat()
        return f"{s.isoformat()}..{self.end(i).isoformat()}"

    def describe(self) -> str:
        if self.unit == "month":
            names = {1: "months", 2: "two-month periods", 3: "quarters", 4: "four-month periods"}
            names.update({6: "half-years (Jan–Jun, Jul–Dec)", 12: "calendar years"})
            return names.get(self.step, f"periods of {self.step} months")
        return {1: "days", 7: "weeks (Monday to Sunday)"}.get(self.step, f"{self.step}-day periods")


def grid_for(
    times: int, length: int, unit: str, *, first_day: date | None = None
) -> tuple[Grid, int]:
    """The grid and the number of occurrences required per period for a recurrence of
    ``times`` occurrences every ``length`` ``unit``s.

    Where the recurrence's span divides evenly by ``times`` into whole months (twice a year
    → half-years, four times a year → quarters), each occurrence gets its own period and
    one is required per period. Otherwise the period is the whole span and ``times`` are
    required in it. Spans that do not divide a year are anchored at ``first_day``.
    """
    if unit in ("year", "month"):
        months = length * (12 if unit == "year" else 1)
        step, required = months, times
        if times > 1 and months % times == 0:
            step, required = months // times, 1
        anchor = 0
        if 12 % step and step % 12 and first_day is not None:
            anchor = (first_day.year * 12 + first_day.month - 1) % step
        return Grid("month", step, anchor), required
    if unit in ("week", "day"):
        days = length * (7 if unit == "week" else 1)
        step, required = days, times
        if times > 1 and days % times == 0:
            step, required = days // times, 1
        anchor = 0
        if unit == "day" and step > 1 and first_day is not None:
            anchor = (first_day - DAY_EPOCH).days % step
        return Grid("day", step, anchor), required
    raise ValueError(f"unknown recurrence unit {unit!r}")
