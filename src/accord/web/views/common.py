"""Helpers the views share: reading query parameters, finding elements, 404s."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import date
from typing import Any

from starlette.requests import Request

from accord.engine.state import as_day
from accord.errors import AccordError
from accord.model.types import typed
from accord.web.site import Site, WebError

__all__ = ["day_param", "lookup", "not_found", "pairs_param", "text_param"]


def text_param(request: Request, name: str) -> str | None:
    v = request.query_params.get(name)
    v = v.strip() if v else None
    return v or None


def day_param(site: Site, request: Request, name: str = "date") -> date:
    raw = text_param(request, name)
    if raw is None:
        return site.default_day
    try:
        return as_day(site.model, raw)
    except AccordError as e:
        raise WebError(
            400,
            f"bad date {raw!r}: use YYYY-MM-DD",
            [{"code": "bad-date", "param": name, "message": str(e)}],
        ) from None


def _value(text: str) -> Any:
    if "," in text:
        return [typed(x.strip()) for x in text.split(",") if x.strip()]
    return typed(text)


def pairs_param(request: Request, name: str, *, raw: bool = False) -> dict[str, Any]:
    """``set=phase:crisis`` (or ``phase=crisis``), repeatable, as a mapping of facts."""
    out: dict[str, Any] = {}
    errors = []
    for item in request.query_params.getlist(name):
        for line in item.replace(";", "\n").splitlines():
            line = line.strip()
            if not line:
                continue
            sep = (
                ":"
                if ":" in line and ("=" not in line or line.index(":") < line.index("="))
                else "="
            )
            k, found, v = line.partition(sep)
            if not found or not k.strip():
                errors.append(
                    {
                        "code": "bad-pair",
                        "param": name,
                        "message": f"expected NAME:VALUE, got {line!r}",
                    }
                )
                continue
            out[k.strip()] = v.strip() if raw else _value(v.strip())
    if errors:
        raise WebError(400, f"bad {name} parameter", errors)
    return out


def not_found(kind: str, eid: str, pool: Iterable[str]) -> WebError:
    near = difflib.get_close_matches(eid, list(pool), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(near)}?)" if near else ""
    msg = f"no {kind} {eid!r} in this model{hint}"
    return WebError(
        404, msg, [{"code": "not-found", "kind": kind, "id": eid, "message": msg, "near": near}]
    )


def lookup(site: Site, kind: str, eid: str) -> Any:
    table = getattr(site.model, kind)
    if eid not in table:
        raise not_found(kind[:-1], eid, table)
    return table[eid]
