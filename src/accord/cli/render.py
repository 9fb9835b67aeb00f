"""Rich renderings of answers, states and problems for the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from accord.engine.answers import Answer, State, Step, WhoAnswer, truth_word
from accord.engine.questions import QuestionResult

__all__ = ["render_answer", "render_problems", "render_results", "render_state", "render_who"]

COLOURS = {
    "obliged": "bold blue",
    "permitted": "bold green",
    "forbidden": "bold red",
    "not-regulated": "bold yellow",
    "contested": "bold magenta",
}


def _cite_line(c: dict[str, Any]) -> Text:
    t = Text("  ")
    t.append(f"{c['source']}", style="cyan")
    if c.get("at"):
        t.append(f" {c['at']}")
    if c.get("paragraph") and c.get("paragraph") != c.get("at"):
        t.append(f" (= {c['paragraph']})", style="dim")
    if c.get("via"):
        t.append(f" via {c['via']}", style="dim")
    t.append(f" [{c['confidence']}]", style="dim")
    if c.get("quote"):
        t.append(f' "{c["quote"]}"', style="italic")
    return t


def _step(tree: Tree, s: Step, *, applied: bool) -> None:
    head = Text()
    head.append(s.statement, style="bold" if applied else "")
    head.append(f" ({s.instrument})", style="dim")
    if s.deontic:
        head.append(f"  {s.attribute} {s.deontic.upper()}", style="")
    if s.exclusive:
        head.append(" exclusively", style="")
    if s.reading:
        head.append(f"  reading {s.reading}", style="magenta")
    node = tree.add(head)
    node.add(Text(s.text))
    if not applied or s.status != "applied":
        node.add(Text(f"{s.status}: {s.reason}", style="yellow"))
    elif s.match:
        node.add(Text(f"who: {s.match}", style="dim"))
    if s.condition:
        evaluated = (
            bool(s.condition_trace)
            or s.status.startswith("condition")
            or (s.status in ("applied", "excludes-actor", "overridden"))
        )
        value = truth_word(s.condition_value) if evaluated else "not evaluated"
        cond = node.add(Text(f"condition: {s.condition} → {value}"))
        for expr, value in s.condition_trace[:-1]:
            cond.add(Text(f"{expr} = {value!r}", style="dim"))
    if s.recurrence:
        node.add(Text(f"recurrence: {s.recurrence}"))
    for c in s.cites:
        node.add(_cite_line(c))


def render_answer(console: Console, a: Answer, *, verbose: bool = False) -> None:
    what = a.action + (f" {a.object}" if a.object else "")
    head = Text()
    head.append(a.verdict.upper(), style=COLOURS.get(a.verdict, "bold"))
    head.append(f"  {a.actor} / {what} / {a.day.isoformat()}")
    if a.situation:
        head.append("  " + ", ".join(f"{k}={v}" for k, v in a.situation.items()), style="dim")
    if a.reading_choice:
        head.append(
            "  reading " + ", ".join(f"{k}={v}" for k, v in a.reading_choice.items()),
            style="magenta",
        )
    tree = Tree(head)
    tree.add(Text(a.summary))
    if a.by_reading:
        rd = tree.add("by reading")
        for label, v in a.by_reading.items():
            rd.add(Text(f"{label}: {v}", style=COLOURS.get(v, "")))
    if a.applied:
        ap = tree.add(Text("statements that applied", style="bold"))
        for s in a.applied:
            _step(ap, s, applied=True)
    if a.set_aside:
        shown = (
            a.set_aside
            if verbose
            else [s for s in a.set_aside if s.status not in ("other-actor", "object-differs")]
        )
        hidden = len(a.set_aside) - len(shown)
        if shown or hidden:
            sa = tree.add(Text("set aside", style="bold"))
            for s in shown:
                _step(sa, s, applied=False)
            if hidden:
                sa.add(
                    Text(
                        f"… {hidden} more addressed to other actors or objects "
                        "(--verbose shows them)",
                        style="dim",
                    )
                )
    if a.needs:
        tree.add(Text("would need: " + ", ".join(a.needs), style="yellow"))
    if a.facts and verbose:
        fa = tree.add(Text("dated facts read", style="bold"))
        for f in a.facts:
            fa.add(Text(f, style="dim"))
    console.print(tree)


def render_who(console: Console, w: WhoAnswer) -> None:
    title = (
        f"who {w.deontic or 'is regulated to'} {w.action}"
        + (f" {w.object}" if w.object else "")
        + f" on {w.day.isoformat()}"
    )
    t = Table(title=title, show_lines=False)
    t.add_column("actor")
    t.add_column("verdict")
    t.add_column("why")
    t.add_column("source")
    for a in w.answers:
        src = a.citations[0] if a.citations else {}
        where = f"{src.get('source', '')} {src.get('at') or ''}".strip()
        t.add_row(a.actor, Text(a.verdict, style=COLOURS.get(a.verdict, "")), a.summary, where)
    if not w.answers:
        console.print(f"[yellow]no actor is {w.deontic or 'regulated'} to {w.action}[/yellow]")
        return
    console.print(t)


def _names(items: list[str], limit: int = 12) -> str:
    return ", ".join(items[:limit]) + (f", … (+{len(items) - limit})" if len(items) > limit else "")


def render_state(
    console: Console, s: State, *, statements: bool = False, title: str | None = None
) -> None:
    """One screen: instruments by status, offices, bodies with members, statements."""
    console.print(Text(f"{title or s.model} — {s.day.strftime('%d %B %Y')}", style="bold"))
    groups: dict[str, list[Text]] = {}
    for i in s.instruments:
        if i.replaced_by:
            key, style = "replaced", "dim"
        elif i.label == "expired":
            key, style = "expired", "dim"
        elif i.in_force is False:
            key, style = "not yet in force" if "not yet" in i.label else "not in force", "dim"
        elif i.suspensions:
            key, style = "in force, suspended in part or whole", "yellow"
        elif i.in_effect is True:
            key, style = "in force and in effect", "green"
        else:
            key, style = i.label, ""
        t = Text(i.instrument, style=style)
        if i.replaced_by:
            t.append(f" → {i.replaced_by}", style="dim")
        if i.suspended_provisions:
            marked = [
                p + ("?" if p in i.uncertain_provisions else "") for p in i.suspended_provisions
            ]
            t.append(f" (suspended: {', '.join(marked)})", style="yellow")
        elif i.suspensions:
            t.append(f" ({', '.join(i.suspensions)})", style="yellow")
        groups.setdefault(key, []).append(t)
    order = [
        "in force and in effect",
        "in force, suspended in part or whole",
        "not yet in force",
        "not in force",
        "expired",
        "replaced",
    ]
    for key in sorted(groups, key=lambda k: order.index(k) if k in order else 99):
        line = Text(f"{key} ({len(groups[key])}): ", style="bold")
        line.append(Text(", ").join(groups[key]))
        console.print(line)
    offices = [b for b in s.bodies if b.holders]
    if offices:
        line = Text("office-holders: ", style="bold")
        line.append(
            " · ".join(
                f"{b.actor}: {', '.join(a + ('' if c is True else '?') for a, c in b.holders)}"
                for b in offices
            )
        )
        console.print(line)
    console.print(Text("bodies and formats:", style="bold"))
    for body in s.bodies:
        if not body.members:
            continue
        people = [
            f"{a}{' (' + str(n) + ' members)' if n else ''}{' — ' + r if r else ''}"
            f"{'' if c is True else '?'}"
            for a, r, c, n in body.direct
        ]
        console.print(
            Text(f"  {body.actor}", style="cyan")
            + Text(f" [{body.kind}] ", style="dim")
            + Text(_names(people))
        )
    by_ins: dict[str, list[str]] = {}
    for sid, iid, t_ in s.statements:
        by_ins.setdefault(iid, []).append(sid + ("" if t_ is True else "?"))
    total = sum(len(v) for v in by_ins.values())
    line = Text(f"statements in effect ({total}): ", style="bold")
    line.append(", ".join(f"{iid} {len(v)}" for iid, v in by_ins.items()))
    console.print(line)
    if statements:
        for iid, sids in by_ins.items():
            console.print(Text(f"  {iid}: ", style="cyan") + Text(", ".join(sids)))
    if s.events:
        console.print(Text("that day: ", style="bold") + Text(", ".join(s.events)))


def render_problems(console: Console, problems: list[Any], where: str) -> None:
    for p in problems:
        console.print(Text(str(p)), highlight=False, soft_wrap=True)
    n = len(problems)
    console.print(Text(f"{where}: {n} problem{'s' if n != 1 else ''}", style="bold red"))


def render_results(console: Console, results: list[QuestionResult]) -> None:
    for r in results:
        if not r.ok:
            body = Group(*[Text(d) for d in r.diffs])
            console.print(
                Panel(
                    body,
                    title=f"FAIL {r.question} ({r.query}) {r.origin}",
                    border_style="red",
                    title_align="left",
                )
            )
    ok = sum(r.ok for r in results)
    bad = len(results) - ok
    style = "bold green" if not bad else "bold red"
    console.print(Text(f"{ok} passed, {bad} failed", style=style))
