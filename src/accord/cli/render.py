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
        cond = node.add(Text(f"condition: {s.condition} → {truth_word(s.condition_value)}"))
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


def render_state(console: Console, s: State, *, statements: bool = False) -> None:
    console.print(Text(f"{s.model} on {s.day.isoformat()}", style="bold"))
    t = Table(title="instruments", title_justify="left")
    for col in ("instrument", "status", "suspended provisions"):
        t.add_column(col)
    for i in s.instruments:
        style = "green" if i.in_effect is True else ("red" if i.label == "expired" else "dim")
        if i.suspensions:
            style = "yellow"
        t.add_row(
            Text(f"{i.instrument}  {i.title}", style=style),
            i.label,
            ", ".join(i.suspended_provisions),
        )
    console.print(t)
    b = Table(title="bodies, members and office-holders", title_justify="left")
    for col in ("body", "kind", "members / holders"):
        b.add_column(col)
    for body in s.bodies:
        people = [
            f"{a}{' (' + r + ')' if r else ''}{'' if c is True else '?'}"
            for a, r, c in body.members
        ]
        people += [f"{a}{'' if c is True else '?'}" for a, c in body.holders]
        b.add_row(f"{body.actor}  {body.name}", body.kind, ", ".join(people))
    console.print(b)
    by_ins: dict[str, list[str]] = {}
    for sid, iid, t_ in s.statements:
        by_ins.setdefault(iid, []).append(sid + ("" if t_ is True else "?"))
    total = sum(len(v) for v in by_ins.values())
    console.print(Text(f"{total} statements in effect", style="bold"))
    for iid, sids in by_ins.items():
        listing = (
            ", ".join(sids)
            if statements or len(sids) <= 6
            else (", ".join(sids[:6]) + f", … (+{len(sids) - 6})")
        )
        console.print(Text(f"  {iid}: ", style="cyan") + Text(listing))
    if s.events:
        console.print(Text("events that day: " + ", ".join(s.events), style="dim"))


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
