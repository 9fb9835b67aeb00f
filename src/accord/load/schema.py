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

__all__ = ["json_schema", "schemas"]


def json_schema(kind: str) -> dict[str, Any]:
    """The schema of one kind of file (``statements``, ``actors`` … or ``model``)."""
    single: dict[str, type[BaseModel]] = {"model": Manifest, "reform": Reform, "scenario": Scenario}
    if kind in single:
        schema = single[kind].model_json_schema(by_alias=True)
        schema["title"] = f"accord {kind} file"
        return schema
    cls = KINDS[kind]
    item = cls.model_json_schema(by_alias=True)
    defs = item.pop("$defs", {})
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
