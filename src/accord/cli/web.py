"""CLI: brief (the one-file HTML briefing) and serve (the web app)."""

from __future__ import annotations

import os
import time
import webbrowser
from pathlib import Path
from typing import Any

import click
from rich.text import Text

from accord.cli import _dump, _friendly, err, load_model, main, out
from accord.errors import AccordError

__all__ = ["brief", "serve"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _summary(data: dict[str, Any], path: Path, seconds: float) -> None:
    size = path.stat().st_size
    out.print(
        Text.assemble(
            ("wrote ", ""),
            (str(path), "bold"),
            (f" ({size / 1024:.0f} KB, {seconds:.1f} s): ", "dim"),
            (f"{data['model']['title']}, as of {data['date']}", ""),
        )
    )
    groups = ", ".join(f"{len(g['items'])} {g['key']}" for g in data["instruments"])
    out.print(f"  instruments  {groups}")
    offices = ", ".join(
        f"{o['id']} {'/'.join(h['actor'] for h in o['holders'])}" for o in data["offices"]
    )
    out.print(f"  bodies       {len(data['bodies'])} with members; {offices}")
    procs = ", ".join(
        f"{p['id']} ({sum(len(ph['rows']) for ph in p['phases'])} rows)" for p in data["procedures"]
    )
    out.print(f"  who decides  {procs}")
    cond = sum(1 for e in data["events"] if e["conditionality"])
    out.print(
        f"  record       {_plural(len(data['events']), 'event')}, {cond} of them conditionality;"
        f" {_plural(len(data['suspensions']), 'suspension')}"
    )
    mon = data["monitoring"]
    out.print(
        "  monitoring   "
        + (f"{_plural(len(mon['rows']), 'recurring obligation')}" if mon else "not available")
    )
    n_assess = sum(len(g["items"]) for g in data["assessments"])
    changed = sum(len(r.get("changes", [])) for r in data["reforms"])
    out.print(
        f"  the note     {_plural(n_assess, 'assessment')}; "
        f"{_plural(len(data['reforms']), 'reform')}"
        + (
            f", {changed} answers change in all"
            if data["reforms"] and "changes" in data["reforms"][0]
            else ""
        )
    )
    n_pass = sum(len(s["items"]) for s in data["passages"])
    out.print(f"  sources      every fact links to one of {n_pass} passages quoted in the file")
    out.print(f"open it: [link]{path.resolve().as_uri()}[/link]")


@main.command()
@click.argument("model", required=False, type=click.Path(file_okay=False))
@click.option("-d", "--date", "day", default=None, help="The date (default: the model's).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default="brief.html",
    show_default=True,
    help="Write the briefing here.",
)
@click.option(
    "--no-reforms", is_flag=True, help="Leave out what each reform would change (faster)."
)
@click.option("--open", "open_", is_flag=True, help="Open the briefing in a browser.")
@click.option("--json", "as_json", is_flag=True, help="Print the briefing's data as JSON.")
@_friendly
def brief(
    model: str | None,
    day: str | None,
    output: str,
    no_reforms: bool,
    open_: bool,
    as_json: bool,
) -> None:
    """Write a briefing on MODEL at a date: one self-contained HTML file.

    The framework at a glance, who decides phase by phase, the procedure diagrams, the
    network, the timeline with the conditionality record, monitoring, the sources'
    disagreements, the note's assessments and what each proposal would change. Every fact
    links to its source passage, quoted in the file. With no MODEL, the built-in model.
    """
    from accord.brief import build_brief, render_brief

    t0 = time.perf_counter()
    m = load_model(model)
    data = build_brief(m, day, reforms=not no_reforms)
    if as_json:
        _dump(data)
        return
    path = Path(output)
    path.write_text(render_brief(data), encoding="utf-8")
    _summary(data, path, time.perf_counter() - t0)
    if open_:
        webbrowser.open(path.resolve().as_uri())


def _check_port(host: str, port: int) -> None:
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as e:
        raise AccordError(f"cannot serve on {host}: {e}") from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError as e:
            raise AccordError(
                f"cannot serve on {host}:{port} ({e.strerror}); choose another with --port"
            ) from None


@main.command()
@click.argument("model", required=False, type=click.Path(file_okay=False))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (the default serves this machine only).",
)
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes (each loads the model).",
)
@_friendly
def serve(model: str | None, host: str, port: int, workers: int) -> None:
    """Serve the web app on MODEL (default: the built-in model); read-only.

    Pages for actors, instruments, statements, events and sources, the framework at any
    date, the network and timeline pictures, ask, procedures, scenarios and reforms; each
    page also as JSON (add .json), described at /openapi.json.
    """
    import uvicorn

    from accord.web.app import create_app

    m = load_model(model)  # fail here, with the model's problems, not in the server
    _check_port(host, port)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]serving on {host}: reachable from other machines[/yellow]")
    out.print(
        f"serving [bold]{m.manifest.title}[/bold] at [link]http://{host}:{port}/[/link]"
        " (Ctrl-C stops it)"
    )
    if workers == 1:
        uvicorn.run(create_app(m, warm=True), host=host, port=port, log_level="warning")
        return
    if model is not None:
        os.environ["ACCORD_MODEL"] = str(Path(model).resolve())
    try:
        uvicorn.run(
            "accord.web.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
        )
    except SystemExit as e:  # uvicorn exits when it cannot bind
        raise AccordError(f"could not serve on {host}:{port}") from e
