"""Turn a file's plain values into records, translating pydantic errors into problems.

A file's list is validated in one call; when that fails, each element is validated on its
own so that every bad element is reported, with the line and column of the key or value at
fault and a plain message.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from accord.errors import Problem
from accord.loading.yamlsrc import YamlDoc
from accord.model.types import describe_value

__all__ = ["validate_elements"]

_TYPES = {
    "string_type": "text",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "float_parsing": "a number",
}


def _fields_at(cls: type[BaseModel], loc: tuple[Any, ...]) -> dict[str, Any] | None:
    """The fields (by alias) of the record type reached by following ``loc``."""
    current: Any = cls
    for step in loc:
        if isinstance(step, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = _by_alias(current).get(str(step))
        if info is None:
            return None
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return _by_alias(current)
    return None


def _by_alias(cls: type[BaseModel]) -> dict[str, Any]:
    return {(f.alias or name): f for name, f in cls.model_fields.items()}


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    meta = getattr(annotation, "__origin__", None)
    if meta is not None:
        return _inner_model(meta)
    return None


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _problem(
    doc: YamlDoc, cls: type[BaseModel], base: tuple[Any, ...], err: Mapping[str, Any]
) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    path = base + loc
    if kind == "extra_forbidden":
        key = str(loc[-1])
        fields = _fields_at(cls, loc[:-1]) or {}
        near = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
        hint = (
            f" (did you mean {near[0]!r}?)"
            if near
            else (f" (expected one of: {', '.join(sorted(fields))})" if fields else "")
        )
        return doc.problem(path, "unknown-key", f"unknown key {key!r}{hint}", key=True)
    if kind == "missing":
        return doc.problem(path[:-1], "missing-key", f"missing required key {loc[-1]!r}")
    if kind == "string_pattern_mismatch":
        return doc.problem(
            path,
            "bad-value",
            f"bad id {err.get('input')!r}: use letters, digits, '-', '_' and '.' only",
        )
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return doc.problem(
            path,
            "bad-value",
            f"{describe_value(err.get('input'))} is not allowed here; expected {expected}",
        )
    if kind in _TYPES:
        return doc.problem(
            path, "wrong-type", f"expected {_TYPES[kind]}, got {describe_value(err.get('input'))}"
        )
    message = str(err.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    code = (
        "bad-date"
        if (
            "date" in message
            and ("not a date" in message or "impossible" in message or "range" in message)
        )
        else "bad-value"
    )
    if message.startswith("not a recurrence"):
        code = "bad-recurrence"
    return doc.problem(path, code, message)


@cache
def _list_adapter(cls: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[cls])  # type: ignore[valid-type]


def validate_elements(
    doc: YamlDoc, cls: type[BaseModel], *, base: tuple[Any, ...] = ()
) -> tuple[list[tuple[int, Any]], list[Problem]]:
    """Validate each element of the list in ``doc``; return (index, record) pairs + problems."""
    value = doc.value
    problems: list[Problem] = []
    if value is None:
        return [], []
    if not isinstance(value, list):
        return [], [
            doc.problem(
                base,
                "wrong-type",
                f"{_article(cls.__name__.lower())} {cls.__name__.lower()} file must hold a "
                f"list of elements (start each with '- '), got {describe_value(value)}",
            )
        ]
    if all(type(item) is dict for item in value):
        # the common case: one call validates the whole list; only when some element is
        # wrong is each element validated on its own, to report every problem with its place
        try:
            return list(enumerate(_list_adapter(cls).validate_python(value))), problems
        except ValidationError:
            pass
    out: list[tuple[int, Any]] = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            problems.append(
                doc.problem(
                    (*base, i), "wrong-type", f"expected a mapping, got {describe_value(item)}"
                )
            )
            continue
        try:
            out.append((i, cls.model_validate(item)))
        except ValidationError as exc:
            problems.extend(_problem(doc, cls, (*base, i), e) for e in exc.errors())
    return out, problems
