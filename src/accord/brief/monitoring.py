"""The monitoring summary for the briefing and the web app, from :mod:`accord.monitor`.

One row per recurring obligation: what it requires, how often, which events count, and
how the record compares — periods met, late, missed, suspended, not due or unknown, with
the implementation level (3 full … 0 none) — plus the monitor's chart as SVG. When the
monitoring module is not installed, :func:`monitoring_summary` returns ``None`` and the
faces say that monitoring is not available.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = ["LEVELS", "available", "monitoring_summary"]

LEVELS = {3: "full", 2: "intermediate", 1: "minimal", 0: "none", None: "nothing to judge"}
COLUMNS = [
    "obligation",
    "how often",
    "counted as held",
    "due",
    "met",
    "late",
    "missed",
    "suspended",
    "unknown",
    "level",
]


def available() -> bool:
    return importlib.util.find_spec("accord.monitor") is not None


def _chart(report: Any) -> str | None:
    try:
        from accord.monitor.chart import monitor_chart
    except ImportError:  # pragma: no cover
        return None
    fd, name = tempfile.mkstemp(suffix=".svg")
    os.close(fd)
    try:
        monitor_chart(report, name)
        with open(name, encoding="utf-8") as f:
            svg = f.read()
    finally:
        os.unlink(name)
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else None


def monitoring_summary(
    model: Model,
    day: date | None = None,
    cite: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    *,
    chart: bool = True,
) -> dict[str, Any] | None:
    """Each recurring obligation against the record up to ``day`` (None: the whole
    record); ``cite`` turns each citation into the face's form (adds its link)."""
    if not available():
        return None
    from accord.monitor import monitor

    report = monitor(model, date_to=day) if day else monitor(model)
    # start the window at the first year anything was due (not at the record's first event)
    due = [
        p.start
        for r in report.results
        for p in r.periods
        if p.status != "not due" and p.start <= report.window[1]
    ]
    if due and date(min(due).year, 1, 1) > report.window[0]:
        report = monitor(model, date_from=date(min(due).year, 1, 1), date_to=report.window[1])
    rows = []
    counts = {"full": 0, "partial": 0, "none": 0, "nothing": 0}
    for res in report.results:
        o = res.obligation
        ov = res.overall
        periods = ov.periods
        level = ov.level
        key = (
            "nothing"
            if level is None
            else "full"
            if level == 3
            else "none"
            if level == 0
            else "partial"
        )
        counts[key] += 1
        cites = [cite(dict(c)) if cite else dict(c) for c in o.cites]
        rows.append(
            {
                "obligation": o.id,
                "text": o.text,
                "instrument": o.instrument,
                "cells": [
                    o.text,
                    f"{o.recurrence} ({o.grid.describe()})",
                    o.rule.describe(),
                    ov.expected,
                    ov.met,
                    ov.late,
                    ov.missed,
                    periods.get("suspended", 0),
                    periods.get("unknown", 0),
                    f"{level} — {LEVELS[level]}" if level is not None else LEVELS[None],
                ],
                "level": level,
                "share_held": ov.share_held,
                "assumptions": list(o.assumptions),
                "cites": cites,
            }
        )
    lo, hi = report.window
    n = len(rows)
    summary = (
        f"{n} recurring obligation{'s' if n != 1 else ''} checked against "
        f"{report.record['events']} recorded events, period by period, from "
        f"{lo.isoformat()} to {hi.isoformat()}: {counts['full']} fully held, "
        f"{counts['partial']} partly, {counts['none']} not at all; "
        f"{counts['nothing']} could not be judged (nothing was due, or the record has no "
        "events of the kind that would count)."
    )
    return {
        "summary": summary,
        "from": lo.isoformat(),
        "to": hi.isoformat(),
        "record": report.record,
        "columns": COLUMNS,
        "rows": rows,
        "chart_svg": _chart(report) if chart else None,
        "report": report.to_dict(),
    }
