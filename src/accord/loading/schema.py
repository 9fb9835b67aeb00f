"""JSON Schema for model files, generated from the same records the loader validates.

>>> s = json_schema("statements")
>>> s["type"], "aim" in s["items"]["properties"]
('array', True)
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from accord.model.elements import KINDS, Manifest
from accord.model.procedures import Reform, Scenario
from accord.model.types import as_tuple

__all__ = ["json_schema", "schemas"]


def _one_or_many(
    cls: type[BaseModel], seen: set[type[BaseModel]] | None = None
) -> dict[str, set[str]]:
    """Record name -> aliases of its fields that accept one item where a list is expected."""
    seen = seen if seen is not None else set()
    out: dict[str, set[str]] = {}
    if cls in seen:
        return out
    seen.add(cls)
    for name, info in cls.model_fields.items():
        if any(getattr(m, "func", None) is as_tuple for m in info.metadata):
            out.setdefault(cls.__name__, set()).add(info.alias or name)
        for sub in _models_in(info.annotation):
            for k, v in _one_or_many(sub, seen).items():
                out.setdefault(k, set()).update(v)
    return out


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        found += _models_in(arg)
    return found


def _patch(schema: dict[str, Any], fields: set[str]) -> None:
    props = schema.get("properties", {})
    for f in fields:
        p = props.get(f)
        if p and p.get("type") == "array" and "items" in p:
            array = {"type": "array", "items": p["items"]}
            props[f] = {k: v for k, v in p.items() if k not in ("type", "items")}
            props[f]["anyOf"] = [p["items"], array]


def _finish(cls: type[BaseModel], schema: dict[str, Any], defs: dict[str, Any]) -> None:
    """YAML lets a single item stand for a list of one: say so in the schema."""
    for name, fields in _one_or_many(cls).items():
        if name == cls.__name__:
            _patch(schema, fields)
        elif name in defs:
            _patch(defs[name], fields)


def json_schema(kind: str) -> dict[str, Any]:
    """The schema of one kind of file (``statements``, ``actors`` … or ``model``)."""
    single: dict[str, type[BaseModel]] = {"model": Manifest, "reform": Reform, "scenario": Scenario}
    if kind in single:
        schema = single[kind].model_json_schema(by_alias=True)
        schema["title"] = f"accord {kind} file"
        _finish(single[kind], schema, schema.get("$defs", {}))
        return schema
    cls = KINDS[kind]
    item = cls.model_json_schema(by_alias=True)
    defs = item.pop("$defs", {})
    _finish(cls, item, defs)
    out: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"accord {kind}.yaml",
        "type": "array",
        "items": item,
    }
    if defs:
        out["$defs"] = defs
    return out


def schemas() -> dict[str, dict[str, Any]]:
    return {k: json_schema(k) for k in ("model", *KINDS, "reform", "scenario")}
