"""Reform and scenario files: the same strict checking as models, against a loaded model.

A reform or scenario is one YAML mapping. Every problem is reported at once with file,
line and column; a reform that removes or replaces a statement that does not exist is an
error, not a no-op.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from accord.conditions import compile_condition
from accord.errors import ConditionError, ModelError, Problem
from accord.loading.checks import citation_problems, condition_ref_problems
from accord.loading.validate import _problem
from accord.loading.yamlsrc import YamlDoc, parse_yaml_text
from accord.model.elements import Statement
from accord.model.procedures import Reform, Scenario
from accord.model.recurrence import parse_recurrence

if TYPE_CHECKING:
    from accord.engine.model import Model

__all__ = ["find_overlay", "load_reform", "load_scenario", "reforms_in"]

R = TypeVar("R", bound=BaseModel)


def _read_one(path: Path, cls: type[R]) -> tuple[R | None, YamlDoc]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ModelError(
            [Problem(str(path), 1, 1, "unreadable", str(err))], where=str(path)
        ) from None
    doc = parse_yaml_text(text, str(path))
    if doc.problems:
        return None, doc
    if not isinstance(doc.value, dict):
        doc.problems.append(
            doc.problem((), "wrong-type", f"a {cls.__name__.lower()} file must be a mapping")
        )
        return None, doc
    try:
        return cls.model_validate(doc.value), doc
    except ValidationError as exc:
        doc.problems.extend(_problem(doc, cls, (), e) for e in exc.errors())
        return None, doc


def find_overlay(model: Model, name: str, folder: str) -> Path:
    """A reform/scenario given as a path, or as the id of one in the model's folder."""
    p = Path(name)
    if p.suffix in (".yaml", ".yml") or p.exists():
        return p
    candidates = (
        sorted((model.path / folder).glob("*.y*ml")) if (model.path / folder).is_dir() else []
    )
    for c in candidates:
        if c.stem == name:
            return c
    names = [c.stem for c in candidates]
    near = difflib.get_close_matches(name, names, n=2, cutoff=0.5)
    hint = (
        f" (did you mean {', '.join(near)}?)"
        if near
        else (f" (this model has: {', '.join(names)})" if names else "")
    )
    from accord.errors import AccordError

    raise AccordError(
        f"no {folder[:-1]} {name!r}: give a file path or the id of one in "
        f"{model.path / folder}{hint}"
    )


def reforms_in(model: Model) -> dict[str, Path]:
    folder = model.path / "reforms"
    return {p.stem: p for p in sorted(folder.glob("*.y*ml"))} if folder.is_dir() else {}


def _ref(
    doc: YamlDoc,
    out: list[Problem],
    path: tuple[Any, ...],
    value: str | None,
    pool: Iterable[str],
    what: str,
) -> None:
    if value is None:
        return
    pool = list(pool)
    if value in pool:
        return
    near = difflib.get_close_matches(value, pool, n=2, cutoff=0.6)
    hint = f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else ""
    out.append(doc.problem(path, "dangling-reference", f"{what} {value!r} does not exist{hint}"))


def _condition(
    doc: YamlDoc, out: list[Problem], path: tuple[Any, ...], text: str, model: Model
) -> None:
    try:
        cond = compile_condition(text)
    except ConditionError as err:
        line, col = doc.locate_in(path, err.pos)
        out.append(Problem(doc.file, line, col, "bad-condition", f"{err} in {text!r}"))
        return
    kinds = {
        **dict.fromkeys(model.instruments, "instruments"),
        **dict.fromkeys(model.actors, "actors"),
    }
    for code, msg in condition_ref_problems(cond, kinds):
        out.append(doc.problem(path, code, msg))


def _statement(
    doc: YamlDoc, out: list[Problem], path: tuple[Any, ...], s: Statement, model: Model
) -> None:
    _ref(doc, out, (*path, "instrument"), s.instrument, model.instruments, "instrument")
    _ref(doc, out, (*path, "attribute"), s.attribute, model.actors, "actor")
    for i, o in enumerate(s.overrides):
        _ref(doc, out, (*path, "overrides", i), o, model.statements, "statement")
    if s.condition is not None:
        _condition(doc, out, (*path, "condition"), s.condition, model)
    for j, c in enumerate(s.cite):
        for suffix, code, msg in citation_problems(c, model.texts, model.sources):
            out.append(doc.problem((*path, "cite", j, *suffix), code, msg))


def load_reform(model: Model, name: str, known: Mapping[str, Reform] | None = None) -> Reform:
    """Read and check one reform against ``model``; raise ModelError with every problem."""
    path = find_overlay(model, name, "reforms")
    reform, doc = _read_one(path, Reform)
    out = list(doc.problems)
    if reform is not None:
        known = known or {}
        existing = set(model.statements)
        for i, b in enumerate(reform.base):
            if b not in known and b not in reforms_in(model):
                _ref(doc, out, ("base", i), b, [*known, *reforms_in(model)], "reform")
        for i, s in enumerate(reform.add):
            if s.id in existing:
                out.append(
                    doc.problem(
                        ("add", i, "id"),
                        "duplicate-id",
                        f"statement {s.id!r} already exists; use 'replace' to change it",
                    )
                )
            _statement(doc, out, ("add", i), s, model)
        for i, s in enumerate(reform.replace):
            if s.id not in existing:
                _ref(doc, out, ("replace", i, "id"), s.id, existing, "cannot replace: statement")
            _statement(doc, out, ("replace", i), s, model)
        for i, sid in enumerate(reform.remove):
            if sid not in existing:
                _ref(doc, out, ("remove", i), sid, existing, "cannot remove: statement")
        for i, ch in enumerate(reform.change):
            if ch.statement not in existing:
                _ref(
                    doc,
                    out,
                    ("change", i, "statement"),
                    ch.statement,
                    existing,
                    "cannot change: statement",
                )
            if ch.recurrence is not None:
                try:
                    parse_recurrence(ch.recurrence)
                except ValueError as err:
                    out.append(doc.problem(("change", i, "recurrence"), "bad-recurrence", str(err)))
            if ch.condition is not None:
                _condition(doc, out, ("change", i, "condition"), ch.condition, model)
        for j, c in enumerate(reform.cite):
            for suffix, code, msg in citation_problems(c, model.texts, model.sources):
                out.append(doc.problem(("cite", j, *suffix), code, msg))
    if out or reform is None:
        raise ModelError(out, where=str(path))
    return reform


def load_scenario(model: Model, name: str) -> Scenario:
    """Read and check one scenario against ``model``; raise ModelError with every problem."""
    path = find_overlay(model, name, "scenarios")
    sc, doc = _read_one(path, Scenario)
    out = list(doc.problems)
    if sc is not None:
        procs = getattr(model, "procedures", {})
        _ref(doc, out, ("procedure",), sc.procedure, procs, "procedure")
        for i, st in enumerate(sc.script):
            _ref(doc, out, ("script", i, "actor"), st.actor, model.actors, "actor")
        for i, b in enumerate(sc.behaviour):
            _ref(doc, out, ("behaviour", i, "actor"), b.actor, model.actors, "actor")
            _condition(doc, out, ("behaviour", i, "when"), b.when, model)
        for name_, cond in sc.outcomes.items():
            _condition(doc, out, ("outcomes", name_), cond, model)
    if out or sc is None:
        raise ModelError(out, where=str(path))
    return sc


def with_reforms(model: Model, names: Iterable[str]) -> Model:
    """The model with the named reforms applied in order (bases first); all checked."""
    from accord.engine.reforms import apply_reforms

    loaded: dict[str, Reform] = {}
    order: list[str] = []

    def need(name: str) -> None:
        r = load_reform(model, name, loaded)
        if r.id in loaded:
            return
        for b in r.base:
            if b not in loaded:
                need(b)
        loaded[r.id] = r
        order.append(r.id)

    for n in names:
        need(n)
    return apply_reforms(model, loaded, order)
