"""The network of actors and bodies on a date, drawn as SVG by our own code.

Nodes are the bodies, formats and groups that exist on the date and the actors who sit in
them; edges are memberships (grey), chairs (blue, thick) and meetings in the twelve months
up to the date (orange, dashed, with the number of meetings). Columns are layers: an
actor stands left of every body it sits in, so that every membership edge runs left to
right. Large groups (more than :data:`COLLAPSE` members, such as the EU's member states)
are drawn as one node with their count rather than with every member.

>>> import accord
>>> net = network(accord.load(), "2001-05-17")
>>> ("russia", "nice-partners", "member") in {(e.source, e.target, e.kind) for e in net.edges}
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from typing import TYPE_CHECKING, Any

from accord.engine.state import as_day

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = ["COLLAPSE", "Network", "network", "network_svg"]

COLLAPSE = 3  # groups with more members than this are drawn as one node
BODY_KINDS = ("institution", "body", "format", "meeting", "organisation", "group")
NODE_W, NODE_H, ROW, COL_GAP, TOP, LEFT = 215, 42, 50, 90, 56, 16


@dataclass
class Node:
    id: str
    name: str
    kind: str
    size: int = 0  # members, for a collapsed group
    meetings: int = 0
    layer: int = 0
    y: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "members": self.size,
            "meetings": self.meetings,
            "layer": self.layer,
        }


@dataclass(frozen=True)
class Edge:
    source: str  # the member, the chair, the participant
    target: str  # the body
    kind: str  # member | chair | meets
    label: str = ""
    certain: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "kind": self.kind,
            "label": self.label,
            "certain": self.certain,
        }


@dataclass
class Network:
    day: date
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "nodes": [n.to_dict() for n in self.nodes.values()],
            "edges": [e.to_dict() for e in self.edges],
        }


def _is_chair(role: str | None) -> bool:
    return bool(role) and any(w in (role or "").lower() for w in ("chair", "president"))


def network(model: Model, day: date | str | None = None, *, window_days: int = 365) -> Network:
    """Bodies, their members, chairs and meetings on ``day`` (meetings: the window before)."""
    d = as_day(model, day)
    state = model.at(d)
    net = Network(d)

    def node(aid: str) -> Node:
        if aid not in net.nodes:
            a = model.actors.get(aid)
            net.nodes[aid] = Node(aid, a.name if a else aid, a.kind if a else "actor")
        return net.nodes[aid]

    bodies = [b for b in state.bodies if b.kind in BODY_KINDS and b.direct]
    big = {
        b.actor for b in bodies if b.kind in ("organisation", "group") and len(b.direct) > COLLAPSE
    }
    for b in bodies:
        n = node(b.actor)
        if b.actor in big:
            n.size = len(b.direct)
            continue
        for m, role, certain, _size in b.direct:
            node(m)
            kind = "chair" if _is_chair(role) else "member"
            label = role if role and kind == "member" and len(role) < 24 else ""
            net.edges.append(Edge(m, b.actor, kind, label, certain is True))
    # meetings in the window: the body met, with whom (participants not already members)
    start = d - timedelta(days=window_days)
    met: dict[tuple[str, str], int] = defaultdict(int)
    for e in model.events.values():
        if e.body is None or not (start < e.date.earliest <= d):
            continue
        if e.body in net.nodes:
            net.nodes[e.body].meetings += 1
        for p in e.participants:
            if p != e.body:
                met[(p, e.body)] += 1
    linked = {(e.source, e.target) for e in net.edges}
    for (p, body), times in sorted(met.items()):
        if (p, body) in linked or body not in model.actors:
            continue
        node(body)
        node(p)
        net.edges.append(Edge(p, body, "meets", f"met {times}×" if times > 1 else "met"))
    addressed = {s.attribute for s in model.statements.values()}
    addressed |= {s.object for s in model.statements.values()}
    _prune(net, {a for a in addressed if a})
    _layers(net)
    return net


def _prune(net: Network, addressed: set[str]) -> None:
    """Drop groups that sit in no body, met no one and no statement addresses (with their
    members, where those are seen nowhere else)."""
    while True:
        sources = {e.source for e in net.edges}
        drop = {
            n.id
            for n in net.nodes.values()
            if n.kind in ("group", "organisation")
            and n.id not in sources
            and n.id not in addressed
            and not n.meetings
        }
        if not drop:
            break
        net.edges = [e for e in net.edges if e.target not in drop and e.source not in drop]
        for nid in drop:
            del net.nodes[nid]
    linked = {e.source for e in net.edges} | {e.target for e in net.edges}
    for nid in [n for n in net.nodes if n not in linked]:
        del net.nodes[nid]


def _layers(net: Network) -> None:
    """Longest-path layering (members left of bodies), then barycentric ordering."""
    into: dict[str, list[str]] = defaultdict(list)
    for e in net.edges:
        into[e.target].append(e.source)

    memo: dict[str, int] = {}

    def level(n: str, seen: frozenset[str] = frozenset()) -> int:
        if n in seen:  # a cycle (a body member of itself): cut it
            return 0
        if n not in memo:
            memo[n] = 1 + max((level(s, seen | {n}) for s in into.get(n, ())), default=-1)
        return memo[n]

    for n in net.nodes.values():
        n.layer = level(n.id)
    layers: dict[int, list[Node]] = defaultdict(list)
    for n in net.nodes.values():
        layers[n.layer].append(n)
    top = max(layers, default=0)
    # rightmost layer by kind and name; then each layer left of it by its targets' positions
    for i, n in enumerate(sorted(layers[top], key=lambda n: (n.kind, n.name))):
        n.y = i
    out: dict[str, list[str]] = defaultdict(list)
    for e in net.edges:
        out[e.source].append(e.target)
    for layer in range(top - 1, -1, -1):
        placed = {x.id: x.y for lay in range(layer + 1, top + 1) for x in layers[lay]}

        def bary(n: Node, placed: dict[str, float] = placed) -> tuple[float, str]:
            ys = [placed[t] for t in out.get(n.id, ()) if t in placed]
            return (sum(ys) / len(ys) if ys else 1e9, n.name)

        for i, n in enumerate(sorted(layers[layer], key=bary)):
            n.y = i
    # one sweep back, so bodies sit near their members
    for layer in range(1, top + 1):
        placed = {x.id: x.y for x in layers[layer - 1]}

        def bary_in(n: Node, placed: dict[str, float] = placed) -> tuple[float, float]:
            ys = [placed[s] for s in into.get(n.id, ()) if s in placed]
            return (sum(ys) / len(ys) if ys else n.y, n.y)

        for i, n in enumerate(sorted(layers[layer], key=bary_in)):
            n.y = i


_STYLE = (
    ".nd rect{fill:#fff;stroke:#7d8da6;stroke-width:1.2}"
    ".nd.body rect,.nd.institution rect,.nd.format rect,.nd.meeting rect"
    "{fill:#eef3fb;stroke:#2b4c7e}"
    ".nd.group rect,.nd.organisation rect{fill:#f4f0fa;stroke:#6b4c9a}"
    ".nd text{font:12px sans-serif;fill:#1b2b45}"
    ".nd .k{font:10px sans-serif;fill:#5b6778}"
    ".nd a:hover rect,.nd a:focus rect{stroke-width:2.4}"
    ".e{fill:none;stroke:#9aa5b5;stroke-width:1.1}"
    ".e.chair{stroke:#1f5fbf;stroke-width:2.6}"
    ".e.meets{stroke:#d2691e;stroke-width:1.6;stroke-dasharray:5 3}"
    ".e.unsure{stroke-dasharray:2 3}"
    ".el{font:10px sans-serif;fill:#8a4b12}"
    ".lg{font:11px sans-serif;fill:#333}"
    ".ttl{font:bold 14px sans-serif;fill:#111}"
)


def _short(text: str, n: int = 27) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _lines(text: str, width: int = 31) -> list[str]:
    """A name on at most two lines."""
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    if len(lines) > 2:
        lines = [lines[0], _short(" ".join(lines[1:]), width)]
    return lines


def network_svg(
    model: Model,
    day: date | str | None = None,
    *,
    href: Callable[[str], str | None] | None = None,
    net: Network | None = None,
) -> str:
    """The network as an SVG string; ``href(actor_id)`` gives each node's link."""
    net = net or network(model, day)
    layers: dict[int, list[Node]] = defaultdict(list)
    for n in net.nodes.values():
        layers[n.layer].append(n)
    ncols = max(layers, default=0) + 1
    rows = max((len(v) for v in layers.values()), default=1)
    width = LEFT * 2 + ncols * NODE_W + (ncols - 1) * COL_GAP
    legend_y = TOP + rows * ROW + 10
    height = legend_y + 30

    def pos(n: Node) -> tuple[float, float]:
        col = layers[n.layer]
        offset = (rows - len(col)) * ROW / 2  # centre short columns
        return LEFT + n.layer * (NODE_W + COL_GAP), TOP + offset + n.y * ROW

    parts: list[str] = []
    for e in net.edges:
        a, b = net.nodes[e.source], net.nodes[e.target]
        (xa, ya), (xb, yb) = pos(a), pos(b)
        ya += NODE_H / 2
        yb += NODE_H / 2
        cls = f"e {e.kind}" + ("" if e.certain else " unsure")
        if a.layer < b.layer:
            x1, x2 = xa + NODE_W, xb
            mid = (x1 + x2) / 2
            d = f"M{x1},{ya} C{mid},{ya} {mid},{yb} {x2},{yb}"
            lx, ly = mid, (ya + yb) / 2 - 3
        else:  # same layer or backwards: a loop on the left
            x1 = xa
            d = f"M{x1},{ya} C{x1 - 60},{ya} {xb - 60},{yb} {xb},{yb}"
            lx, ly = x1 - 40, (ya + yb) / 2
        tip = f"{a.name} → {b.name}: {e.kind}" + (f" ({e.label})" if e.label else "")
        parts.append(f'<path d="{d}" class="{cls}"><title>{escape(tip)}</title></path>')
        if e.kind == "meets" and e.label:
            parts.append(f'<text x="{lx:.0f}" y="{ly:.0f}" class="el">{escape(e.label)}</text>')
    for n in net.nodes.values():
        x, y = pos(n)
        kind = n.kind + (f" · {n.size} members" if n.size else "")
        if n.meetings:
            kind += f" · met {n.meetings}× in the year"
        link = href(n.id) if href else None
        inner = (
            f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="6"/>'
            + "".join(
                f'<text x="{x + 7}" y="{y + 14 + 13 * i}">{escape(line)}</text>'
                for i, line in enumerate(_lines(n.name))
            )
            + f'<text x="{x + 7}" y="{y + NODE_H - 4}" class="k">{escape(_short(kind, 38))}</text>'
            f"<title>{escape(n.name)} ({escape(n.id)}) — {escape(kind)}</title>"
        )
        if link:
            inner = f'<a href="{escape(link)}">{inner}</a>'
        parts.append(f'<g class="nd {escape(n.kind)}" data-id="{escape(n.id)}">{inner}</g>')
    legend = (
        f'<g transform="translate({LEFT},{legend_y})">'
        '<path d="M0,8 h34" class="e"/><text x="40" y="12" class="lg">member of</text>'
        '<path d="M130,8 h34" class="e chair"/><text x="170" y="12" class="lg">chairs</text>'
        '<path d="M240,8 h34" class="e meets"/>'
        '<text x="280" y="12" class="lg">met in the 12 months before</text>'
        '<path d="M470,8 h34" class="e unsure"/><text x="510" y="12" class="lg">uncertain</text>'
        "</g>"
    )
    title = f"Actors and bodies on {net.day.strftime('%d %B %Y').lstrip('0')}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}"><style>{_STYLE}</style>'
        f'<text x="{LEFT}" y="24" class="ttl">{escape(title)}</text>'
        f'<text x="{LEFT}" y="42" class="lg">members on the left of the bodies they sit in;'
        " a body's chair in blue</text>" + "".join(parts) + legend + "</svg>\n"
    )
