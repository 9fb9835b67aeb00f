"""Draw a procedure as SVG: phases, transitions, who decides and who is consulted.

Drawn by hand (no external renderer, no network): phases in a row in the order the
transitions reach them; each arrow names the action and who decides it; under each phase,
the statements that apply in it, grouped by role.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import TYPE_CHECKING

from accord.model.procedures import Procedure
from accord.procedures.table import phase_table, transition_deciders

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = ["diagram_svg", "phase_order"]

BOX_W, BOX_H, GAP, TOP, LINE = 230, 62, 150, 90, 15


def phase_order(proc: Procedure) -> list[str]:
    order = [proc.initial]
    frontier = [proc.initial]
    while frontier:
        cur = frontier.pop(0)
        for t in proc.transitions:
            if t.from_ == cur and t.to not in order:
                order.append(t.to)
                frontier.append(t.to)
    order += [p.id for p in proc.phases if p.id not in order]
    return order


def _wrap(text: str, width: int = 34) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if len(cur) + len(w) + 1 > width and cur:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    if cur:
        lines.append(cur)
    return lines


def diagram_svg(model: Model, proc: Procedure, day: date | str | None = None) -> str:
    rows = phase_table(model, proc, day)
    order = phase_order(proc)
    names = {p.id: p.name for p in proc.phases}
    x = {pid: 20 + i * (BOX_W + GAP) for i, pid in enumerate(order)}
    parts: list[str] = []
    max_y = TOP + BOX_H
    for pid in order:
        px = x[pid]
        parts.append(
            f'<rect x="{px}" y="{TOP}" width="{BOX_W}" height="{BOX_H}" rx="8" class="phase"/>'
        )
        for k, line in enumerate(_wrap(names[pid], 30)[:2]):
            parts.append(
                f'<text x="{px + BOX_W / 2}" y="{TOP + 20 + 15 * k}" class="pname">'
                f"{escape(line)}</text>"
            )
        parts.append(
            f'<text x="{px + BOX_W / 2}" y="{TOP + BOX_H - 8}" class="pid">{escape(pid)}</text>'
        )
        y = TOP + BOX_H + 22
        for role in ("decides", "consults", "takes part", "acts"):
            group = [r for r in rows if r.phase == pid and r.role == role]
            if not group:
                continue
            parts.append(f'<text x="{px}" y="{y}" class="role">{escape(role)}</text>')
            y += LINE + 2
            for r in group:
                label = f"{r.who} {r.deontic} {r.aim}" + (f" {r.object}" if r.object else "")
                if r.recurrence:
                    label += f" ({r.recurrence})"
                if r.conditional:
                    label += " (if …)"
                if r.reading:
                    label += f" [{r.reading.split('/')[1]}]"
                src = r.cites[0] if r.cites else {}
                tip = escape(
                    f"{r.statement}: {r.text} — {src.get('source', '')} {src.get('at') or ''}"
                )
                for k, line in enumerate(_wrap(label)):
                    parts.append(
                        f'<text x="{px + (0 if k == 0 else 10)}" y="{y}" '
                        f'class="row"><title>{tip}</title>{escape(line)}</text>'
                    )
                    y += LINE
            y += 6
        max_y = max(max_y, y)
    for t in proc.transitions:
        if t.from_ not in x or t.to not in x:
            continue
        x1, x2 = x[t.from_] + BOX_W, x[t.to]
        deciders = ", ".join(transition_deciders(rows, t.from_, t.action)) or "no one regulated"
        if x2 > x1:
            ymid = TOP + BOX_H / 2
            parts.append(
                f'<line x1="{x1}" y1="{ymid}" x2="{x2 - 4}" y2="{ymid}" '
                'class="arrow" marker-end="url(#head)"/>'
            )
            above = _wrap(t.label or t.action, 20)
            for k, line in enumerate(above):
                y_line = ymid - 8 - 13 * (len(above) - 1 - k)
                parts.append(
                    f'<text x="{(x1 + x2) / 2}" y="{y_line}" class="act">{escape(line)}</text>'
                )
            for k, line in enumerate(_wrap(deciders, 22)):
                parts.append(
                    f'<text x="{(x1 + x2) / 2}" y="{ymid + 16 + 12 * k}" class="who">'
                    f"{escape(line)}</text>"
                )
        else:  # a transition back: an arc above the boxes
            xa, xb = x[t.from_] + BOX_W / 2, x[t.to] + BOX_W / 2
            parts.append(
                f'<path d="M{xa},{TOP} C{xa},{TOP - 50} {xb},{TOP - 50} {xb},{TOP - 4}"'
                ' class="arrow" fill="none" marker-end="url(#head)"/>'
            )
            parts.append(
                f'<text x="{(xa + xb) / 2}" y="{TOP - 42}" class="act">'
                f"{escape(t.label or t.action)} — {escape(deciders)}</text>"
            )
    width = 40 + len(order) * BOX_W + (len(order) - 1) * GAP
    title = escape(proc.name)
    style = (
        ".phase{fill:#eef3fb;stroke:#2b4c7e;stroke-width:1.5}"
        ".pname{font:bold 13px sans-serif;text-anchor:middle;fill:#1b2b45}"
        ".pid{font:11px monospace;text-anchor:middle;fill:#56657a}"
        ".role{font:bold 11px sans-serif;fill:#2b4c7e;text-transform:uppercase}"
        ".row{font:11px sans-serif;fill:#222}"
        ".arrow{stroke:#2b4c7e;stroke-width:1.6}"
        ".act{font:bold 11px sans-serif;text-anchor:middle;fill:#7a2b2b}"
        ".who{font:10px sans-serif;text-anchor:middle;fill:#444}"
        ".title{font:bold 15px sans-serif;fill:#111}"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{max_y + 20}" '
        f'viewBox="0 0 {width} {max_y + 20}" role="img" aria-label="{title}">'
        f"<style>{style}</style>"
        '<defs><marker id="head" markerWidth="10" markerHeight="8" refX="9" refY="4" '
        'orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#2b4c7e"/></marker></defs>'
        f'<text x="20" y="24" class="title">{title}</text>' + "".join(parts) + "</svg>\n"
    )
