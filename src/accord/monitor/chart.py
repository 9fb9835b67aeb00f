"""The monitoring chart: expected periods against observed events, one lane per obligation.

Each period is a box coloured by its status (what the texts required and whether it was
met); each event the record holds for the obligation is a dot above it (what was observed;
an event counted late for the period before is drawn hollow). SVG or PNG by the extension.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from accord.monitor.records import STATUSES, MonitorReport

__all__ = ["COLOURS", "monitor_chart"]

COLOURS = {
    "met": "#2e7d32",
    "late": "#f9a825",
    "missed": "#c62828",
    "suspended": "#6d4c41",
    "not due": "#e0e0e0",
    "unknown": "#ffffff",
}
HATCH = {"suspended": "///"}
EDGE: dict[str, tuple[str, Any]] = {"unknown": ("#757575", ":")}
QUIET = ("not due", "unknown", "suspended")


def monitor_chart(report: MonitorReport, path: str | Path, *, max_lanes: int = 40) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "none"  # text as text: small, searchable SVG
    matplotlib.rcParams["svg.hashsalt"] = "accord"  # the same chart gives the same file
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".") or "svg"
    if fmt not in ("svg", "png", "pdf"):
        raise ValueError(f"chart format must be .svg or .png, not .{fmt}")
    results = [r for r in report.results if r.periods][:max_lanes]
    n = max(1, len(results))
    fig, ax = plt.subplots(figsize=(12, 1.0 + 0.55 * n))
    lo, hi = report.window

    def box(y: float, x0: float, x1: float, status: str) -> None:
        ax.add_patch(
            plt.Rectangle(
                (x0, y - 0.32),
                x1 - x0,
                0.4,
                facecolor=COLOURS[status],
                edgecolor=EDGE.get(status, ("#9e9e9e", "-"))[0],
                linestyle=EDGE.get(status, ("#9e9e9e", "-"))[1],
                linewidth=0.6 if status in EDGE else 0.4,
                hatch=HATCH.get(status),
            )
        )

    for lane, r in enumerate(reversed(results)):
        y = lane
        run: list[object] = []  # a run of quiet alike periods is drawn as one box
        for p in r.periods:
            x0 = mdates.date2num(max(p.start, lo))
            x1 = mdates.date2num(min(p.end, hi) + timedelta(days=1))
            quiet = not p.events and not p.late_events and p.status in QUIET
            if run and quiet and run[2] == p.status:
                run[1] = x1
                continue
            if run:
                box(y, run[0], run[1], run[2])  # type: ignore[arg-type]
                run = []
            if quiet:
                run = [x0, x1, p.status]
                continue
            box(y, x0, x1, p.status)
            for e in p.events:
                ax.plot(mdates.date2num(e.day), y + 0.25, "o", ms=3.2, color="#212121", zorder=3)
            for e in p.late_events:
                ax.plot(
                    mdates.date2num(e.day),
                    y + 0.25,
                    "o",
                    ms=4.5,
                    markerfacecolor="none",
                    markeredgecolor="#e65100",
                    zorder=3,
                )
        if run:
            box(y, run[0], run[1], run[2])  # type: ignore[arg-type]
    ax.set_yticks(range(len(results)))
    ax.set_yticklabels(
        [
            f"{r.obligation.id}\n{r.obligation.recurrence}"
            + (
                f" · {r.overall.met + r.overall.late}/{r.overall.expected} held"
                if r.overall.expected
                else ""
            )
            for r in reversed(results)
        ],
        fontsize=7,
    )
    ax.set_ylim(-0.7, len(results) - 0.3)
    ax.set_xlim(mdates.date2num(lo), mdates.date2num(hi + timedelta(days=1)))
    ax.xaxis.set_major_locator(mdates.YearLocator(base=max(1, (hi.year - lo.year) // 12 or 1)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(axis="x", color="#eeeeee", linewidth=0.6)
    ax.set_axisbelow(True)
    handles: list[Any] = [
        Patch(
            facecolor=COLOURS[s],
            edgecolor=EDGE.get(s, ("#9e9e9e", "-"))[0],
            linestyle=EDGE.get(s, ("#9e9e9e", "-"))[1],
            hatch=HATCH.get(s),
            label=s,
        )
        for s in STATUSES
    ]
    handles += [
        Line2D([], [], marker="o", ls="", color="#212121", ms=4, label="observed event"),
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            markerfacecolor="none",
            markeredgecolor="#e65100",
            ms=5,
            label="counted late",
        ),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08 if n > 3 else -0.2),
        ncol=8,
        fontsize=7,
        frameon=False,
    )
    more = len([r for r in report.results if r.periods]) - len(results)
    ax.set_title(
        f"{report.model}: expected (boxes, by status) and observed (dots), "
        f"{lo.isoformat()} to {hi.isoformat()}"
        + (f" — first {len(results)} lanes, {more} more" if more > 0 else ""),
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(path, format=fmt)
    plt.close(fig)
    return path
