"""CLI: monitor (recurring obligations against the record) and the events group."""

from __future__ import annotations

import csv
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from accord.cli import _dump, _friendly, _pairs, json_option, load_model, main, model_option, out
from accord.errors import AccordError

__all__ = ["events", "monitor_cmd"]

STYLE = {
    "met": "green",
    "late": "yellow",
    "missed": "bold red",
    "suspended": "magenta",
    "not due": "dim",
    "unknown": "dim italic",
}


def _day(text: str | None, *, end: bool = False) -> date | None:
    """``--from``/``--to``: a day, or a year or month standing for its first/last day."""
    if text is None:
        return None
    from accord.time import parse_date

    try:
        d = parse_date(text)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None
    return d.latest if end else d.earliest


def _store_path(store: str | None) -> Path:
    from accord.monitor.store import default_store_path

    return Path(store).expanduser() if store else default_store_path()


store_option = click.option(
    "--store",
    "store",
    type=click.Path(dir_okay=False),
    default=None,
    help="The event store (DuckDB file). Default: $ACCORD_STORE, else "
    "~/.local/share/accord/events.duckdb.",
)
csv_option = click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead.")


def _write_csv(rows: list[dict[str, Any]], columns: list[str] | None = None) -> None:
    cols = columns or (list(rows[0]) if rows else [])
    w = csv.DictWriter(sys.stdout, fieldnames=cols, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({k: _cell(v) for k, v in r.items()})


def _cell(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return ";".join(str(x) for x in v)
    if isinstance(v, date | datetime):
        return v.isoformat()
    return "" if v is None else v


# ---- accord monitor ----------------------------------------------------------------------


@main.command("monitor")
@click.option("--from", "date_from", default=None, help="First day (or year) to report.")
@click.option("--to", "date_to", default=None, help="Last day (or year) to report.")
@click.option(
    "-o",
    "--obligation",
    "obligations",
    multiple=True,
    help="Only this obligation (a recurring statement id); repeat for several.",
)
@store_option
@click.option(
    "--record",
    type=click.Choice(["all", "model", "store"]),
    default="all",
    show_default=True,
    help="Which events make the record: the model's, the store's, or both.",
)
@click.option(
    "--tolerance",
    type=click.IntRange(min=0),
    default=None,
    help="Days after a period's end within which a meeting counts as late "
    "(default: a quarter of the period, e.g. 45 days for half-years).",
)
@click.option(
    "--late-rule",
    type=click.Choice(["oldest-first", "own-period-first"]),
    default="oldest-first",
    show_default=True,
    help="Whether a meeting just after a period with none makes up for it (oldest-first) "
    "or first counts for its own period.",
)
@click.option("--record-from", default=None, help="The record is complete from this day.")
@click.option(
    "--record-covers",
    "covers",
    multiple=True,
    metavar="BODY",
    help="The record is complete only for this body's meetings (repeat for several); for "
    "other obligations a period without a matching event is unknown, not missed.",
)
@click.option("--record-to", default=None, help="The record is complete up to this day.")
@click.option(
    "-s",
    "--set",
    "sets",
    multiple=True,
    metavar="FACT=VALUE",
    help="A fact of the situation for activation conditions, e.g. phase=routine.",
)
@click.option(
    "--evidence",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Events shown per period.",
)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also draw expected against observed per obligation (.svg or .png).",
)
@click.option("--all-periods", is_flag=True, help="Do not fold runs of alike periods.")
@model_option
@json_option
@csv_option
@_friendly
def monitor_cmd(
    date_from: str | None,
    date_to: str | None,
    obligations: tuple[str, ...],
    store: str | None,
    record: str,
    tolerance: int | None,
    late_rule: str,
    record_from: str | None,
    covers: tuple[str, ...],
    record_to: str | None,
    sets: tuple[str, ...],
    evidence: int,
    chart: str | None,
    all_periods: bool,
    model_path: str | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Check the record against what the framework's recurring obligations require.

    For every recurring obligation (a `must` statement with a recurrence), each period
    (twice a year: half-years) is met, late, missed, suspended, not due or unknown, with the
    events and statements behind it, and a score per year (share met and a 0–3 level).

    Example: accord monitor --from 1998 --to 2014 --obligation pca-summits
    """
    from accord.monitor import monitor

    if as_json and as_csv:
        raise click.UsageError("give --json or --csv, not both")
    model = load_model(model_path)
    report = monitor(
        model,
        store=_store_path(store),
        use_model_events=record in ("all", "model"),
        use_store=record in ("all", "store"),
        obligations=obligations or None,
        date_from=_day(date_from),
        date_to=_day(date_to, end=True),
        situation=_pairs(sets, "--set"),
        tolerance_days=tolerance,
        late_rule=late_rule,
        record_from=_day(record_from),
        record_to=_day(record_to, end=True),
        evidence=evidence,
        complete_for=covers or None,
    )
    if chart:
        from accord.monitor.chart import monitor_chart

        try:
            monitor_chart(report, chart)
        except ValueError as e:
            raise AccordError(str(e)) from None
    if as_json:
        _dump(report.to_dict())
    elif as_csv:
        _write_csv(report.rows())
    else:
        _render_report(report, fold=not all_periods)
    if chart:
        click.echo(f"wrote {chart}", err=as_json or as_csv)


def _events_cell(p: Any) -> Text:
    t = Text()
    for e in p.events:
        t.append(f"{e.id} {e.date}")
        if e.confidence:
            t.append(f" ({e.confidence})", style="dim")
        if e.origin != "model":
            t.append(f" [{e.origin}]", style="cyan")
        t.append("\n")
    for e in p.late_events:
        t.append(f"{e.id} {e.date} late", style="yellow")
        if e.confidence:
            t.append(f" ({e.confidence})", style="dim")
        t.append("\n")
    if p.matched > len(p.events) and p.events:
        t.append(f"… {p.matched} event days in all\n", style="dim")
    t.rstrip()
    return t


def _fold(periods: list[Any]) -> list[tuple[str, Any, int]]:
    """Runs of periods with the same status and reason and no events become one row."""
    rows: list[tuple[str, Any, int]] = []
    for p in periods:
        quiet = (
            not p.events and not p.late_events and p.status in ("not due", "unknown", "suspended")
        )
        if rows and quiet:
            _, first, n = rows[-1]
            if (
                first.status == p.status
                and first.reason == p.reason
                and not first.events
                and not first.late_events
            ):
                rows[-1] = (f"{first.period} … {p.period}", first, n + 1)
                continue
        rows.append((p.period, p, 1))
    return rows


def _render_report(report: Any, *, fold: bool) -> None:
    rec = report.record
    out.print(
        f"[bold]{report.model}[/bold]: {len(report.results)} recurring obligation"
        f"{'s' if len(report.results) != 1 else ''}, "
        f"{report.window[0]} to {report.window[1]}"
    )
    span = f"{rec['from']} to {rec['to']}" if rec["from"] else "no events"
    out.print(
        f"record: {rec['events']:,} events ({', '.join(rec['sources']) or 'none'}), "
        f"covering {span}{' (declared)' if rec['declared'] else ''}"
        + (f", complete for {', '.join(rec['complete_for'])}" if rec["complete_for"] else "")
        + "; "
        f"late rule {report.rules['late_rule']}"
    )
    for r in report.results:
        o = r.obligation
        out.print()
        out.print(f"[bold]{o.id}[/bold] ({o.instrument}): {o.text}")
        out.print(
            f"[dim]{o.recurrence}: {o.grid.describe()}, {o.required} per period; counts: "
            f"{o.rule.describe()}; late within {o.tolerance_days} days[/dim]"
        )
        for a in o.assumptions:
            out.print(f"[yellow]assumption:[/yellow] {a}")
        if not r.periods:
            out.print("[dim]not in effect at any time in the window[/dim]")
            continue
        t = Table(show_lines=False, box=None, pad_edge=False)
        for col in ("period", "status", "held", "events", "why"):
            t.add_column(col, overflow="fold")
        rows = _fold(list(r.periods)) if fold else [(p.period, p, 1) for p in r.periods]
        for label, p, n in rows:
            held = f"{p.held}/{p.required}" if p.status in ("met", "late", "missed") else ""
            if p.status == "late":
                held += f" +{p.late}"
            t.add_row(
                label + (f" ({n})" if n > 1 else ""),
                Text(p.status, style=STYLE.get(p.status, "")),
                held,
                _events_cell(p),
                p.reason,
            )
        out.print(t)
        years = " ".join(
            f"{y.label}:{'–' if y.level is None else y.level}" for y in r.years if y.expected
        )
        ov = r.overall
        if ov.expected:
            out.print(
                f"score: {ov.met} of {ov.expected} expected occurrences on time, {ov.late} late, "
                f"{ov.missed} missed; share met {ov.share_met:.0%}, level {ov.level} of 3"
            )
            out.print(f"[dim]level by year: {years}[/dim]")
        else:
            out.print("[dim]score: nothing was due and known in the window[/dim]")
        counts = ", ".join(f"{n} {s}" for s, n in ov.periods.items())
        out.print(f"[dim]periods: {counts}[/dim]")


# ---- accord events -----------------------------------------------------------------------


@main.group("events")
def events() -> None:
    """The event record: import files into the store, list events, show the store."""


@events.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl"]),
    default=None,
    help="The file format (default: from the extension).",
)
@store_option
@click.option(
    "--skip-duplicates",
    is_flag=True,
    help="Skip rows already in the store (same id, or same date, actors and category) "
    "instead of rejecting the file.",
)
@json_option
@_friendly
def import_cmd(
    files: tuple[str, ...], fmt: str | None, store: str | None, skip_duplicates: bool, as_json: bool
) -> None:
    """Import CSV or JSON Lines event files into the store, each all or nothing.

    Columns: id, date, actors, category (required); recipients, mode, context, source,
    body, kind, title, confidence (optional). Lists are separated by ';'. A file with a bad
    row is rejected as a whole with every bad row by number, and the store is unchanged.
    """
    from accord.monitor.store import EventStore, ImportRejected

    path = _store_path(store)
    results, failed = [], []
    with EventStore(path) as st:
        for f in files:
            try:
                results.append(st.import_file(f, format=fmt, skip_duplicates=skip_duplicates))
            except ImportRejected as rejected:
                failed.append(rejected)
        total = st.count()
    if as_json:
        _dump(
            {
                "store": str(path),
                "imported": [r.to_dict() for r in results],
                "rejected": [
                    {
                        "file": e.file,
                        "problems": [p.to_dict() for p in e.problems],
                        "total": e.total,
                    }
                    for e in failed
                ],
                "events_in_store": total,
            }
        )
    else:
        for r in results:
            span = f", {r.first_date} to {r.last_date}" if r.first_date else ""
            out.print(f"[green]imported[/green] {r.rows:,} events from {r.file}{span}")
            for p in r.skipped:
                out.print(f"  [dim]{p}[/dim]")
        for bad in failed:
            out.print(f"[bold red]rejected[/bold red] {bad}")
        out.print(f"store {path}: {total:,} events")
    if failed:
        sys.exit(1)


@events.command("list")
@click.option("--from", "date_from", default=None, help="From this day (or year).")
@click.option("--to", "date_to", default=None, help="Up to this day (or year).")
@click.option("--category", multiple=True, help="PLOVER category; repeat for several.")
@click.option("--actor", multiple=True, help="An actor among the actors or recipients.")
@click.option("--body", default=None, help="The body or format that met.")
@click.option("--kind", default=None, help="The kind of event (summit, meeting …).")
@click.option("--text", default=None, help="Words in the title (case-insensitive).")
@click.option(
    "--record",
    type=click.Choice(["all", "model", "store"]),
    default="all",
    show_default=True,
    help="The model's events, the store's, or both.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=200,
    show_default=True,
    help="At most this many (0: all).",
)
@store_option
@model_option
@json_option
@csv_option
@_friendly
def list_cmd(
    date_from: str | None,
    date_to: str | None,
    category: tuple[str, ...],
    actor: tuple[str, ...],
    body: str | None,
    kind: str | None,
    text: str | None,
    record: str,
    limit: int,
    store: str | None,
    model_path: str | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """List events of the record (the model's and the store's), filtered."""
    from accord.monitor.api import close_record, open_record
    from accord.monitor.store import _q

    model = load_model(model_path) if record != "store" else None
    con, origins, _ = open_record(
        model, _store_path(store), use_model=record != "store", use_store=record != "model"
    )
    where = ["TRUE"]
    if date_from:
        where.append(f"date_end >= DATE {_q(_day(date_from).isoformat())}")  # type: ignore[union-attr]
    if date_to:
        where.append(f"date_start <= DATE {_q(_day(date_to, end=True).isoformat())}")  # type: ignore[union-attr]
    if category:
        where.append(f"category IN ({', '.join(_q(c.upper()) for c in category)})")
    for a in actor:
        where.append(f"list_contains(list_concat(actors, recipients), {_q(a)})")
    if body:
        where.append(f"body = {_q(body)}")
    if kind:
        where.append(f"kind = {_q(kind)}")
    if text:
        where.append(f"title ILIKE {_q('%' + text + '%')}")
    lim = f" LIMIT {limit}" if limit else ""
    try:
        n = con.execute(
            f"SELECT count(*) FROM accord_record WHERE {' AND '.join(where)}"
        ).fetchall()[0][0]
        cur = con.execute(
            "SELECT id, date, category, actors, recipients, body, kind, title, confidence, "
            f"source, origin FROM accord_record WHERE {' AND '.join(where)} "
            f"ORDER BY date_start, id{lim}"
        )
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        close_record(con)
    for r in rows:
        r["origin"] = origins.get(r["origin"], r["origin"])
    if as_json:
        _dump({"count": n, "shown": len(rows), "events": rows})
        return
    if as_csv:
        _write_csv(rows, names)
        return
    t = Table(title=f"{len(rows):,} of {n:,} events", title_justify="left")
    for col in (
        "date",
        "id",
        "category",
        "actors → recipients",
        "body / kind",
        "title",
        "conf.",
        "from",
    ):
        t.add_column(col, overflow="fold")
    for r in rows:
        who = ", ".join(r["actors"] or []) + (
            " → " + ", ".join(r["recipients"]) if r["recipients"] else ""
        )
        t.add_row(
            r["date"],
            r["id"],
            r["category"],
            who,
            " / ".join(x for x in (r["body"], r["kind"]) if x),
            r["title"] or "",
            r["confidence"] or "",
            r["origin"],
        )
    out.print(t)


@events.command("info")
@store_option
@json_option
@_friendly
def info_cmd(store: str | None, as_json: bool) -> None:
    """The store: where it is, how many events, and the files imported into it."""
    from accord.monitor.store import EventStore

    path = _store_path(store)
    if not path.exists():
        if as_json:
            _dump({"store": str(path), "exists": False})
        else:
            out.print(f"no event store at {path} yet (accord events import FILE creates it)")
        return
    with EventStore(path, read_only=True) as st:
        n, batches = st.count(), st.batches()
    if as_json:
        _dump(
            {
                "store": str(path),
                "exists": True,
                "events": n,
                "batches": [
                    {k: _cell(v) if k != "rows" else v for k, v in b.items()} for b in batches
                ],
            }
        )
        return
    out.print(f"store {path}: {n:,} events")
    for b in batches:
        span = f"{b['first_date']} to {b['last_date']}" if b["first_date"] else "—"
        out.print(
            f"  {b['batch']}: {b['rows']:,} events from {b['file']} ({b['format']}), {span}, "
            f"imported {b['imported_at']:%Y-%m-%d %H:%M}"
            + (f", {b['skipped']} duplicates skipped" if b["skipped"] else "")
        )
