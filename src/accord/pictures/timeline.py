"""The timeline of a framework, drawn as SVG by our own code.

One row per instrument: a bar while it is in force (hatched where its end is unknown),
orange where it is suspended (in part or whole), a diamond where it was signed. Below, the
dated record: one dot per event, coloured by its PLOVER category, stacked where events
crowd. A red line marks the chosen date. Every bar and dot links where ``href`` says.

>>> import accord
>>> svg = timeline_svg(accord.load(), "2001-05-17")
>>> svg.startswith("<svg") and "pca" in svg
True
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from accord.engine.state import as_day
from accord.time import Bound, Interval

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = ["CATEGORY_COLOURS", "timeline_svg"]

CATEGORY_COLOURS = {
    "AGREE": "#2e7d32",
    "CONSULT": "#1f5fbf",
    "SUPPORT": "#00838f",
    "COOPERATE": "#558b2f",
    "AID": "#6a1b9a",
    "CONCEDE": "#9e9d24",
    "RETREAT": "#8d6e63",
    "REQUEST": "#5c6bc0",
    "SANCTION": "#d84315",
    "ACCUSE": "#c62828",
    "REJECT": "#ad1457",
    "PROTEST": "#ef6c00",
    "THREATEN": "#b71c1c",
    "MOBILIZE": "#4e342e",
    "COERCE": "#880e4f",
    "ASSAULT": "#000000",
}
LABEL_W, PLOT_W, ROW_H, TOP = 250, 820, 17, 58


def _bound_day(b: Bound, *, start: bool) -> date | None:
    if b.kind != "date" or b.date is None:
        return None
    return b.date.earliest if start else b.date.latest


def _range(model: Model, first: int | None, last: int | None) -> tuple[date, date]:
    days = [e.date.earliest for e in model.events.values()]
    days += [i.signed.earliest for i in model.instruments.values() if i.signed]
    lo = min(days, default=date(2000, 1, 1))
    hi = max(days, default=date(2001, 1, 1))
    return date(first or lo.year, 1, 1), date(last or hi.year, 12, 31)


def timeline_svg(
    model: Model,
    day: date | str | None = None,
    *,
    href: Callable[[str, str], str | None] | None = None,
    first_year: int | None = None,
    last_year: int | None = None,
) -> str:
    """The timeline as SVG; ``href(kind, id)`` (kind: instruments, events) gives links."""
    d = as_day(model, day)
    lo, hi = _range(model, first_year, last_year)
    span = (hi - lo).days or 1

    def x(when: date) -> float:
        when = min(max(when, lo), hi)
        return LABEL_W + (when - lo).days / span * PLOT_W

    def link(kind: str, eid: str, inner: str) -> str:
        url = href(kind, eid) if href else None
        return f'<a href="{escape(url)}">{inner}</a>' if url else inner

    parts: list[str] = []
    instruments = sorted(
        model.instruments.values(),
        key=lambda i: (i.signed.earliest if i.signed else date.max, i.id),
    )
    y = TOP
    for ins in instruments:
        row: list[str] = [
            f'<text x="{LABEL_W - 8}" y="{y + 11}" class="lab">{escape(ins.id)}</text>'
        ]
        if ins.in_force is not None:
            iv = model.interval(ins.in_force)
            a = _bound_day(iv.start, start=True) or lo
            b = _bound_day(iv.end, start=False)
            open_end = iv.end.kind == "open"
            end = b or hi
            cls = "bar" if (b is not None or open_end) else "bar unk"
            row.append(
                f'<rect x="{x(a):.1f}" y="{y + 3}" width="{max(x(end) - x(a), 2):.1f}" '
                f'height="{ROW_H - 6}" class="{cls}"/>'
            )
        for sus in ins.suspensions:
            siv: Interval = model.interval(sus.during)
            a = _bound_day(siv.start, start=True) or lo
            b = _bound_day(siv.end, start=False)
            cls = "sus" if b is not None else "sus unk"
            row.append(
                f'<rect x="{x(a):.1f}" y="{y + 2}" width="{max(x(b or d) - x(a), 3):.1f}" '
                f'height="{ROW_H - 4}" class="{cls}"><title>{escape(sus.id)} ({sus.scope}): '
                f"{escape(str(siv))}</title></rect>"
            )
        if ins.signed:
            sx = x(ins.signed.earliest)
            row.append(f'<path d="M{sx:.1f},{y + 3} l4,5 l-4,5 l-4,-5 z" class="sig"/>')
        tip = f"<title>{escape(ins.title)}</title>"
        parts.append(link("instruments", ins.id, f'<g class="ins">{"".join(row)}{tip}</g>'))
        y += ROW_H
    # the record: dots stacked in lanes so that close events do not hide each other
    y += 18
    parts.append(f'<text x="{LABEL_W - 8}" y="{y + 4}" class="lab b">events</text>')
    lanes: list[float] = []
    dots: list[str] = []
    for e in sorted(model.events.values(), key=lambda e: (e.date.earliest, e.id)):
        ex = x(e.date.earliest)
        lane = next((i for i, last in enumerate(lanes) if ex - last > 7), len(lanes))
        if lane == len(lanes):
            lanes.append(ex)
        else:
            lanes[lane] = ex
        colour = CATEGORY_COLOURS.get(e.category, "#555")
        dots.append(
            link(
                "events",
                e.id,
                f'<circle cx="{ex:.1f}" cy="{y + lane * 8}" r="3.6" fill="{colour}">'
                f"<title>{escape(str(e.date))}: {escape(e.title)} [{e.category}]</title>"
                "</circle>",
            )
        )
    parts.extend(dots)
    y += max(len(lanes), 1) * 8 + 14
    # axis
    axis = [f'<line x1="{LABEL_W}" y1="{y}" x2="{LABEL_W + PLOT_W}" y2="{y}" class="ax"/>']
    step = 1 if hi.year - lo.year <= 14 else 2
    for yr in range(lo.year, hi.year + 1, step):
        xx = x(date(yr, 1, 1))
        axis.append(f'<line x1="{xx:.1f}" y1="{TOP - 4}" x2="{xx:.1f}" y2="{y}" class="grid"/>')
        axis.append(f'<text x="{xx:.1f}" y="{y + 14}" class="yr">{yr}</text>')
    parts = axis + parts
    # the chosen date
    if lo <= d <= hi:
        xd = x(d)
        parts.append(
            f'<line x1="{xd:.1f}" y1="{TOP - 10}" x2="{xd:.1f}" y2="{y}" class="now"/>'
            f'<text x="{xd + 4:.1f}" y="{TOP - 12}" class="nowl">{d.isoformat()}</text>'
        )
    height = y + 90
    legend = [
        f'<g transform="translate({LABEL_W},{y + 30})">',
        '<rect x="0" y="0" width="26" height="10" class="bar"/>'
        '<text x="32" y="9" class="lg">in force</text>',
        '<rect x="96" y="0" width="26" height="10" class="bar unk"/>'
        '<text x="128" y="9" class="lg">end unknown</text>',
        '<rect x="214" y="0" width="26" height="10" class="sus"/>'
        '<text x="246" y="9" class="lg">suspended (in part or whole)</text>',
        '<path d="M420,0 l4,5 l-4,5 l-4,-5 z" class="sig"/>'
        '<text x="430" y="9" class="lg">signed / adopted</text>',
    ]
    cx, cy = 0, 24
    legend.append(f'<text x="{cx}" y="{cy + 4}" class="lg">events (PLOVER category):</text>')
    cx = 160
    for cat in sorted({e.category for e in model.events.values()}):
        if cx > PLOT_W - 60:
            cx, cy = 160, cy + 16
        legend.append(
            f'<circle cx="{cx}" cy="{cy}" r="4" fill="{CATEGORY_COLOURS.get(cat, "#555")}"/>'
            f'<text x="{cx + 7}" y="{cy + 4}" class="lg">{cat.lower()}</text>'
        )
        cx += 22 + 7 * len(cat)
    legend.append("</g>")
    width = LABEL_W + PLOT_W + 30
    style = (
        ".lab{font:11px sans-serif;text-anchor:end;fill:#1b2b45}.lab.b{font-weight:bold}"
        ".bar{fill:#9db7dd}.bar.unk{fill:url(#hatch)}"
        ".sus{fill:#f08c2e;opacity:.9}.sus.unk{fill:url(#hatch2)}"
        ".sig{fill:#1b2b45}.ax{stroke:#333}.grid{stroke:#e3e7ee}"
        ".yr{font:10px sans-serif;text-anchor:middle;fill:#444}"
        ".now{stroke:#c62828;stroke-width:1.6}.nowl{font:bold 11px sans-serif;fill:#c62828}"
        ".lg{font:11px sans-serif;fill:#333}.ttl{font:bold 14px sans-serif;fill:#111}"
        ".ins:hover .bar{fill:#6f95cc}"
    )
    defs = (
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#dce6f5"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#9db7dd" stroke-width="3"/></pattern>'
        '<pattern id="hatch2" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde3c8"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#f08c2e" stroke-width="3"/></pattern></defs>'
    )
    title = f"Instruments and the dated record, {lo.year}–{hi.year}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}"><style>{style}</style>{defs}'
        f'<text x="10" y="22" class="ttl">{escape(title)}</text>'
        + "".join(parts)
        + "".join(legend)
        + "</svg>\n"
    )
