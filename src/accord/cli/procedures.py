"""CLI: diagram, run, diff, sweep — procedures, scenarios and reforms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from accord.cli import _dump, _friendly, json_option, load_model, main, model_option, out
from accord.cli.render import COLOURS
from accord.errors import AccordError

__all__ = ["diagram", "diff", "run", "sweep_cmd"]


def _procedure(model: Any, name: str) -> Any:
    procs = model.procedures
    if name not in procs:
        raise AccordError(f"no procedure {name!r} (this model has: {', '.join(procs) or 'none'})")
    return procs[name]


@main.command()
@click.argument("procedure", required=False)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the SVG here (default: PROCEDURE.svg).",
)
@click.option("-d", "--date", "day", default=None, help="The date (default: the model's).")
@model_option
@json_option
@_friendly
def diagram(
    procedure: str | None,
    output: str | None,
    day: str | None,
    model_path: str | None,
    as_json: bool,
) -> None:
    """Draw PROCEDURE as SVG: phases, transitions, who decides, who is consulted.

    With no PROCEDURE, list the model's procedures.
    """
    from accord.procedures.diagram import diagram_svg
    from accord.procedures.table import phase_table

    model = load_model(model_path)
    if procedure is None:
        for p in model.procedures.values():
            out.print(f"{p.id}  {p.name}  ({' → '.join(ph.id for ph in p.phases)})")
        return
    proc = _procedure(model, procedure)
    if as_json:
        _dump([r.to_dict() for r in phase_table(model, proc, day)])
        return
    path = Path(output or f"{proc.id}.svg")
    path.write_text(diagram_svg(model, proc, day), encoding="utf-8")
    out.print(f"wrote {path}")


def _trace_table(trace: Any, title: str) -> Table:
    t = Table(title=title, title_justify="left", show_lines=True)
    for col in ("#", "phase", "actor → action", "verdict", "why / triggered"):
        t.add_column(col, overflow="fold")
    for s in trace.steps:
        why = Text(s.summary)
        if s.violation:
            why = Text("VIOLATION, not performed: " + s.summary, style="red")
        for m in s.missed:
            why.append(
                f"\n✗ missed: {m['who']} must {m['aim']}"
                f"{' ' + m['object'] if m['object'] else ''} ({m['statement']})",
                style="bold red",
            )
        for tr in s.triggered:
            why.append(
                f"\n→ due: {tr['who']} must {tr['aim']}"
                f"{' ' + tr['object'] if tr['object'] else ''}"
                f"{' (' + tr['recurrence'] + ')' if tr['recurrence'] else ''}",
                style="cyan",
            )
        if s.citations:
            c = s.citations[0]
            why.append(f"\n{c['source']} {c.get('at') or ''}", style="dim")
        phase = s.phase if s.phase == s.phase_after else f"{s.phase} → {s.phase_after}"
        who = f"{s.actor} → {s.action}" + (f" {s.object}" if s.object else "")
        if s.source != "script":
            who += f"\n[{s.source}]"
        t.add_row(str(s.index), phase, who, Text(s.verdict, style=COLOURS.get(s.verdict, "")), why)
    return t


def _print_trace(trace: Any, title: str) -> None:
    out.print(_trace_table(trace, title))
    if trace.assumptions:
        out.print(Text("assumptions (behaviour rules, not sourced):", style="bold yellow"))
        for a in trace.assumptions:
            out.print(f"  {a['id']}: {a['label']}  [when {a['when']}]")
    last = trace.steps[-1] if trace.steps else None
    if last:
        for body, members in last.bodies.items():
            out.print(f"{body}: {', '.join(members) or '—'}")
    out.print(
        "decisions: " + (", ".join(f"{k} by {v}" for k, v in trace.decisions.items()) or "none")
    )
    if trace.outcomes:
        out.print("outcomes: " + ", ".join(f"{k}={v}" for k, v in trace.outcomes.items()))
    out.print(
        f"final phase: {trace.final_phase}; violations: {len(trace.violations)}; "
        f"obligations missed: {len(trace.omissions)}"
    )
    for p in trace.pending:
        out.print(
            f"still due at the end: {p['who']} must {p['aim']}"
            f"{' ' + p['object'] if p['object'] else ''} ({p['statement']})"
        )


@main.command()
@click.argument("scenario")
@click.option(
    "--reform",
    "reforms",
    multiple=True,
    help="Also run under this reform (an id in the model's reforms/ or a file); repeat to chain.",
)
@model_option
@json_option
@_friendly
def run(scenario: str, reforms: tuple[str, ...], model_path: str | None, as_json: bool) -> None:
    """Run SCENARIO step by step: verdicts, violations, obligations due, bodies, decisions.

    SCENARIO is an id in the model's scenarios/ folder or a YAML file.
    """
    from accord.loading.overlays import load_scenario, with_reforms
    from accord.procedures.runner import run_scenario

    model = load_model(model_path)
    sc = load_scenario(model, scenario)
    base = run_scenario(model, sc)
    other = None
    if reforms:
        other = run_scenario(with_reforms(model, reforms), sc)
    if as_json:
        data: dict[str, Any] = {"baseline": base.to_dict()}
        if other is not None:
            data["reform"] = other.to_dict()
            data["reforms"] = list(reforms)
        _dump(data)
        return
    if other is None:
        _print_trace(base, f"{sc.id}: {sc.title} (baseline)")
        return
    from rich.columns import Columns

    out.print(
        Columns(
            [_trace_table(base, "baseline"), _trace_table(other, "reform " + " + ".join(reforms))]
        )
    )
    for label, tr in (("baseline", base), ("reform", other)):
        out.print(
            f"[bold]{label}[/bold]: final phase {tr.final_phase}; violations "
            f"{len(tr.violations)}; obligations missed {len(tr.omissions)}; outcomes "
            + ", ".join(f"{k}={v}" for k, v in tr.outcomes.items())
        )


@main.command()
@click.option(
    "--reform",
    "reforms",
    multiple=True,
    required=True,
    help="The reform (id or file); repeat to chain.",
)
@click.option(
    "-d",
    "--date",
    "day",
    default=None,
    help="Ask on this date (default: the reform's effective date).",
)
@model_option
@json_option
@_friendly
def diff(reforms: tuple[str, ...], day: str | None, model_path: str | None, as_json: bool) -> None:
    """Run a battery of questions on the baseline and under a reform; show what changes."""
    from accord.engine.diff import diff_models
    from accord.engine.state import as_day
    from accord.loading.overlays import load_reform, with_reforms

    model = load_model(model_path)
    reformed = with_reforms(model, reforms)
    last = load_reform(model, reforms[-1])
    d = as_day(model, day) if day else last.effective.earliest
    changes, asked = diff_models(model, reformed, d)
    if as_json:
        _dump(
            {
                "reforms": list(reforms),
                "date": d.isoformat(),
                "asked": asked,
                "changes": [c.to_dict() for c in changes],
            }
        )
        return
    out.print(f"[bold]{last.title}[/bold] ({last.kind}, from {last.effective})")
    if last.description:
        out.print(last.description)
    t = Table(
        title=f"{len(changes)} of {asked} answers change on {d.isoformat()}",
        title_justify="left",
        show_lines=True,
    )
    for col in ("question", "baseline", "reform", "why"):
        t.add_column(col, overflow="fold")
    for c in changes:
        why = c.after_summary
        for detail in c.details:
            why += "\n" + detail
        if c.gained:
            why += "\n+ " + ", ".join(c.gained)
        if c.lost:
            why += "\n− " + ", ".join(c.lost)
        t.add_row(
            c.probe.label,
            Text(c.before, style=COLOURS.get(c.before, "")),
            Text(c.after, style=COLOURS.get(c.after, "")),
            why,
        )
    out.print(t)


@main.command("sweep")
@click.argument("scenario")
@click.option(
    "--vary",
    "vary",
    multiple=True,
    metavar="NAME=DIST",
    help="uniform(a,b), normal(mu,sigma), choice(x,y,…) or a fixed value.",
)
@click.option("-n", "n", type=int, default=10_000, show_default=True, help="Variants.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--chunk",
    type=int,
    default=250_000,
    show_default=True,
    help="Variants per chunk (the unit a sweep can be spread by).",
)
@click.option("--reform", "reforms", multiple=True, help="Compare with this reform.")
@click.option(
    "--chart",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write a chart of the outcome shares (.svg or .png).",
)
@model_option
@json_option
@_friendly
def sweep_cmd(
    scenario: str,
    vary: tuple[str, ...],
    n: int,
    seed: int,
    chunk: int,
    reforms: tuple[str, ...],
    chart: str | None,
    model_path: str | None,
    as_json: bool,
) -> None:
    """Run N variants of SCENARIO as arrays; outcome shares with 95% intervals."""
    from accord.loading.overlays import load_scenario, with_reforms
    from accord.procedures.sweep import parse_vary, sweep

    model = load_model(model_path)
    sc = load_scenario(model, scenario)
    dists = dict(parse_vary(v) for v in vary)
    runs = [("baseline", sweep(model, sc, dists, n, seed=seed, chunk_size=chunk))]
    if reforms:
        runs.append(
            (
                "reform " + " + ".join(reforms),
                sweep(with_reforms(model, reforms), sc, dists, n, seed=seed, chunk_size=chunk),
            )
        )
    if chart:
        from accord.charts import sweep_chart

        sweep_chart([r for _, r in runs], [label for label, _ in runs], chart)
    if as_json:
        _dump({label: r.to_dict() for label, r in runs})
        return
    t = Table(
        title=f"{sc.id}: {n:,} variants, seed {seed}; "
        + ", ".join(f"{k}~{v}" for k, v in dists.items()),
        title_justify="left",
    )
    t.add_column("outcome")
    for label, _ in runs:
        t.add_column(label)
    names = list(runs[0][1].shares())
    for name in names:
        cells = []
        for _, r in runs:
            s = r.shares()[name]
            cells.append(f"{s['share']:.1%}  [{s['ci_low']:.1%}, {s['ci_high']:.1%}]")
        t.add_row(name, *cells)
    out.print(t)
    for label, r in runs:
        out.print(
            f"{label}: final phases {dict(r.counts.phases)}; "
            f"{r.counts.with_violation:,} variants with a violation; "
            f"{r.counts.partitions} partitions, {r.counts.asks} model asks"
        )
    if chart:
        out.print(f"wrote {chart}")
