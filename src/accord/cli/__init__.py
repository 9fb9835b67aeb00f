"""The ``accord`` command: a thin face over the library. Errors become messages, never
tracebacks; every query command has ``--json``."""

from __future__ import annotations

import gc
import json
import os
import re
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from accord.errors import AccordError, ModelError
from accord.loading.package import builtin_path
from accord.loading.package import load_model as _load_model

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])


def load_model(path: str | Path | None = None) -> Any:
    """Load a model for a command. A large model is millions of objects that live as long
    as the command (or the server) does: they are taken out of the cyclic collector's sight
    (``gc.freeze``), which would otherwise scan them all again on the command's first
    allocations (two seconds for a model of 100,000 statements)."""
    model = _load_model(path)
    if len(model.statements) + len(model.events) + len(model.actors) >= 10_000:
        gc.freeze()
    return model


out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _friendly(fn: F) -> F:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ModelError as e:
            from accord.cli.render import render_problems

            render_problems(err, e.problems, e.where)
            sys.exit(1)
        except AccordError as e:
            err.print(f"[bold red]Error:[/bold red] {e}")
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as e:  # a bug of ours: say so plainly
            if os.environ.get("ACCORD_DEBUG"):
                raise
            err.print(
                f"[bold red]Internal error:[/bold red] {type(e).__name__}: {e}\n"
                "This is a bug in accord; set ACCORD_DEBUG=1 to see the traceback."
            )
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def _dump(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _value(text: str) -> Any:
    """``--set`` values: true/false, numbers, comma lists, else text."""
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        return [_value(x.strip()) for x in inner.split(",")] if inner else []
    if "," in text:
        return [_value(x.strip()) for x in text.split(",") if x.strip()]
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if re.fullmatch(r"-?[0-9]+\.[0-9]*|-?\.[0-9]+", text):
        return float(text)
    return text


def _pairs(items: tuple[str, ...], what: str) -> dict[str, Any]:
    out_: dict[str, Any] = {}
    for item in items:
        if "=" not in item:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint=what)
        k, _, v = item.partition("=")
        cur = out_
        parts = k.strip().split(".")
        for p in parts[:-1]:
            nxt = cur.setdefault(p, {})
            if not isinstance(nxt, dict):
                raise click.BadParameter(
                    f"{k.strip()!r}: {p!r} was already given a value, so it cannot have parts",
                    param_hint=what,
                )
            cur = nxt
        cur[parts[-1]] = _value(v.strip())
    return out_


def _situation(sets: tuple[str, ...], file: str | None) -> dict[str, Any]:
    sit: dict[str, Any] = {}
    if file:
        from accord.loading.yamlsrc import parse_yaml_text

        doc = parse_yaml_text(Path(file).read_text(encoding="utf-8"), file)
        if doc.problems:
            raise ModelError(doc.problems, where=file)
        if not isinstance(doc.value, dict):
            raise AccordError(f"{file}: a situation file must be a mapping of facts")
        sit.update({k: (_value(v) if isinstance(v, str) else v) for k, v in doc.value.items()})
    sit.update(_pairs(sets, "--set"))
    return sit


model_option = click.option(
    "-m",
    "--model",
    "model_path",
    type=click.Path(file_okay=False),
    default=None,
    help="Model package folder (default: the built-in EU–Russia 2001 model).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead.")
date_option = click.option(
    "-d",
    "--date",
    "day",
    default=None,
    help="The date to ask at, YYYY-MM-DD (default: the model's).",
)
situation_options = [
    click.option(
        "-s",
        "--set",
        "sets",
        multiple=True,
        metavar="FACT=VALUE",
        help="A fact of the situation, e.g. phase=crisis or contributors=russia,ukraine.",
    ),
    click.option(
        "--situation",
        "situation_file",
        type=click.Path(dir_okay=False, exists=True),
        help="A YAML file of situation facts.",
    ),
    click.option(
        "-r",
        "--reading",
        "readings",
        multiple=True,
        metavar="DISAGREEMENT=READING",
        help="Follow one reading where sources disagree, e.g. launch-decision=nice.",
    ),
]


def with_situation(fn: F) -> F:
    for opt in reversed(situation_options):
        fn = opt(fn)
    return fn


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="accord")
def main() -> None:
    """accord: ask a co-operation framework what it requires, at any date, with sources.

    With no model given, commands use the built-in model of EU–Russia co-operation in the
    security domain as a 2001 research note describes it.
    """


@main.command()
@click.argument("path", required=False, type=click.Path(file_okay=False))
@json_option
@_friendly
def check(path: str | None, as_json: bool) -> None:
    """Check a model package strictly; report every problem with file:line:column."""
    target = Path(path) if path else builtin_path()
    try:
        model = load_model(target)
    except ModelError as e:
        if as_json:
            _dump({"ok": False, "problems": [p.to_dict() for p in e.problems]})
            sys.exit(1)
        raise
    from accord.engine.coverage import coverages

    unchecked = sum(
        1
        for s in model.statements.values()
        for c in s.cite
        if c.quote and (c.via or c.source) not in model.texts
    )
    cov = coverages(model)
    if as_json:
        _dump(
            {
                "ok": True,
                "model": model.manifest.id,
                "counts": _counts(model),
                "uncited_paragraphs": {k: [p.paragraph for p in v.uncited] for k, v in cov.items()},
            }
        )
        return
    counts = ", ".join(f"{n} {k}" for k, n in _counts(model).items())
    out.print(f"[bold green]ok[/bold green] {model.manifest.id}: {counts}")
    for sid, c in cov.items():
        n = len(c.paragraphs)
        un = c.uncited
        out.print(
            f"coverage of {sid}: {n - len(un)}/{n} paragraphs cited or marked non-factual"
            + (f"; uncited: {', '.join(p.paragraph for p in un)}" if un else "")
        )
    if unchecked:
        out.print(
            f"[dim]{unchecked} statement quotes cite sources without text "
            "and could not be checked[/dim]"
        )


def _counts(model: Any) -> dict[str, int]:
    return {
        "sources": len(model.sources),
        "actors": len(model.actors),
        "instruments": len(model.instruments),
        "statements": len(model.statements),
        "events": len(model.events),
        "strands": len(model.strands),
        "programmes": len(model.programmes),
        "assessments": len(model.assessments),
        "readings": len(model.disagreements),
        "questions": len(model.questions),
    }


@main.command()
@click.argument("date", required=False)
@model_option
@json_option
@click.option("--statements", "all_statements", is_flag=True, help="List every statement.")
@_friendly
def at(date: str | None, model_path: str | None, as_json: bool, all_statements: bool) -> None:
    """The framework on DATE: instruments, bodies with members and holders, statements."""
    from accord.cli.render import render_state

    model = load_model(model_path)
    state = model.at(date)
    if as_json:
        _dump(state.to_dict())
    else:
        render_state(out, state, statements=all_statements, title=model.manifest.title)


@main.command()
@click.argument("actor")
@click.argument("action")
@click.option("-o", "--object", "obj", default=None, help="The object of the action.")
@date_option
@with_situation
@model_option
@json_option
@click.option("-v", "--verbose", is_flag=True, help="Show every statement considered.")
@_friendly
def ask(
    actor: str,
    action: str,
    obj: str | None,
    day: str | None,
    sets: tuple[str, ...],
    situation_file: str | None,
    readings: tuple[str, ...],
    model_path: str | None,
    as_json: bool,
    verbose: bool,
) -> None:
    """Must, may or must not ACTOR do ACTION? The verdict, its reasons and sources.

    Example: accord ask russia launch-operation --date 2001-05-17
    """
    from accord.cli.render import render_answer

    model = load_model(model_path)
    answer = model.ask(
        actor,
        action,
        object=obj,
        day=day,
        situation=_situation(sets, situation_file),
        reading=_pairs(readings, "--reading"),
    )
    if as_json:
        _dump(answer.to_dict())
    else:
        render_answer(out, answer, verbose=verbose)


@main.command()
@click.argument("action")
@click.option("-o", "--object", "obj", default=None, help="The object of the action.")
@click.option(
    "--deontic",
    type=click.Choice(["must", "may", "must-not"]),
    default=None,
    help="Only actors who must / may / must not.",
)
@date_option
@with_situation
@model_option
@json_option
@_friendly
def who(
    action: str,
    obj: str | None,
    deontic: str | None,
    day: str | None,
    sets: tuple[str, ...],
    situation_file: str | None,
    readings: tuple[str, ...],
    model_path: str | None,
    as_json: bool,
) -> None:
    """Who must / may / must not do ACTION, with the reason and source for each."""
    from accord.cli.render import render_who

    model = load_model(model_path)
    answer = model.who(
        action,
        object=obj,
        deontic=deontic,
        day=day,
        situation=_situation(sets, situation_file),
        reading=_pairs(readings, "--reading"),
    )
    if as_json:
        _dump(answer.to_dict())
    else:
        render_who(out, answer)


@main.command("test")
@click.argument("path", required=False, type=click.Path(file_okay=False))
@json_option
@click.option("-k", "select", default=None, help="Only questions whose id contains this.")
@_friendly
def test_cmd(path: str | None, as_json: bool, select: str | None) -> None:
    """Run the model's question files and print a diff for each failure."""
    from accord.cli.render import render_results
    from accord.engine.questions import run_questions

    model = load_model(path)
    results = [r for r in run_questions(model) if not select or select in r.question]
    if as_json:
        _dump(
            {
                "passed": sum(r.ok for r in results),
                "failed": sum(not r.ok for r in results),
                "results": [r.to_dict() for r in results],
            }
        )
    else:
        render_results(out, results)
    if not all(r.ok for r in results):
        sys.exit(1)


@main.command()
@click.option(
    "--source",
    "source",
    default=None,
    help="The source (default: every source with segmented text).",
)
@model_option
@json_option
@click.option("--uncited", is_flag=True, help="Only the paragraphs no element cites.")
@_friendly
def coverage(source: str | None, model_path: str | None, as_json: bool, uncited: bool) -> None:
    """Which paragraphs of a source the model cites, and which it leaves uncited."""
    from rich.table import Table

    from accord.engine.coverage import coverages

    model = load_model(model_path)
    ids = [source] if source else [s for s, t in model.texts.items() if t.segmented]
    for sid in ids:
        if sid not in model.texts:
            raise AccordError(f"source {sid!r} has no text in this model")
    reports = list(coverages(model, ids).values())
    if as_json:
        _dump([r.to_dict() for r in reports])
        return
    for r in reports:
        t = Table(title=f"coverage of {r.source}", title_justify="left")
        for col in ("¶", "starts", "cited by"):
            t.add_column(col)
        for p in r.paragraphs:
            if uncited and not p.uncited:
                continue
            who_ = ", ".join(p.cited_by) or (
                f"[dim]non-factual: {p.non_factual}[/dim]"
                if p.non_factual
                else "[red]UNCITED[/red]"
            )
            t.add_row(p.paragraph, p.text[:60].replace("\n", " "), who_)
        out.print(t)
        out.print(f"{len(r.uncited)} uncited factual paragraphs")


@main.command()
@click.option(
    "--kind",
    default=None,
    help="One kind of file (model, statements, actors, …); default all, by file name.",
)
@_friendly
def schema(kind: str | None) -> None:
    """Print the JSON Schema of model files (for editors' completion and checking)."""
    from accord.loading.schema import json_schema, schemas

    if kind is None:
        _dump(schemas())
    else:
        try:
            _dump(json_schema(kind))
        except KeyError:
            raise AccordError(f"unknown kind {kind!r}") from None


if __name__ == "__main__":  # pragma: no cover
    main()


# commands defined in their own modules register themselves on `main`
from accord.cli import monitor as _monitor  # noqa: E402,F401
from accord.cli import procedures as _procedures  # noqa: E402,F401
from accord.cli import web as _web  # noqa: E402,F401
