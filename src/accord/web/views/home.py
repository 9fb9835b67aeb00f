"""The home page and the list pages of the kinds without pages of their own: strands and
programmes, assessments, readings (where the sources disagree)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from accord.brief.data import ASSESSMENT_ORDER
from accord.engine.outline import strands_outline
from accord.loading.overlays import reforms_in
from accord.web.app import Page
from accord.web.site import Site


def _scenarios(site: Site) -> list[str]:
    folder = site.model.path / "scenarios"
    return sorted(p.stem for p in folder.glob("*.y*ml")) if folder.is_dir() else []


def home(site: Site, request: Request) -> Page:
    m = site.model
    day = site.default_day.isoformat()
    data: dict[str, Any] = {
        "model": {
            "id": m.manifest.id,
            "title": m.manifest.title,
            "description": m.manifest.description,
            "default_date": day,
            "version": m.manifest.version,
        },
        "counts": {
            "actors": len(m.actors),
            "instruments": len(m.instruments),
            "statements": len(m.statements),
            "events": len(m.events),
            "sources": len(m.sources),
            "strands": len(m.strands),
            "assessments": len(m.assessments),
        },
        "procedures": [
            {"id": p.id, "name": p.name, "href": f"/procedures/{p.id}"}
            for p in m.procedures.values()
        ],
        "scenarios": [{"id": s, "href": f"/scenarios/{s}"} for s in _scenarios(site)],
        "reforms": [{"id": r, "href": f"/reforms/{r}"} for r in reforms_in(m)],
        "monitor": site.monitor,
        "pages": {
            "at": site.url("/at", date=day),
            "network": site.url("/network", date=day),
            "timeline": site.url("/timeline", date=day),
            "ask": "/ask",
            "openapi": "/openapi.json",
        },
    }
    examples: list[dict[str, str]] = []
    for q in m.questions.values():
        if q.ask is not None and q.date is not None and len(examples) < 6:
            sit = [f"{k}:{v}" for k, v in q.situation.items() if isinstance(v, str | int | bool)]
            examples.append(
                {
                    "label": f"{q.ask.actor} {q.ask.action}"
                    + (f" {q.ask.object}" if q.ask.object else "")
                    + (f" ({', '.join(sit)})" if sit else "")
                    + f" on {q.date}",
                    "href": site.url(
                        "/ask",
                        actor=q.ask.actor,
                        action=q.ask.action,
                        object=q.ask.object,
                        date=str(q.date),
                        set=sit,
                        reading=[f"{k}:{v}" for k, v in q.reading.items()],
                    ),
                }
            )
    data["examples"] = examples
    return Page("home.html", m.manifest.title, data)


def strands(site: Site, request: Request) -> Page:
    items = strands_outline(site.model, site.cites, lambda i: site.ref(i, "instruments"))
    return Page("strands.html", "Strands and programmes", {"strands": items})


def assessments(site: Site, request: Request) -> Page:
    m = site.model
    groups: dict[str, list[dict[str, Any]]] = {}
    for a in m.assessments.values():
        groups.setdefault(a.kind, []).append(
            {
                "id": a.id,
                "kind": a.kind,
                "text": a.text,
                "about": [site.ref(x) for x in a.about],
                "cites": site.cites(a.cite),
            }
        )
    order = sorted(groups, key=lambda k: ASSESSMENT_ORDER.index(k) if k in ASSESSMENT_ORDER else 99)
    return Page(
        "assessments.html",
        "The note's assessments",
        {"groups": [{"kind": k, "items": groups[k]} for k in order]},
    )


def readings(site: Site, request: Request) -> Page:
    m = site.model
    items = []
    for dis in m.disagreements.values():
        items.append(
            {
                "id": dis.id,
                "question": dis.question,
                "note": dis.note,
                "readings": [
                    {
                        "id": r.id,
                        "label": r.label,
                        "cites": site.cites(r.cite),
                        "statements": [
                            site.ref(s.id, "statements")
                            for s in m.statements.values()
                            if s.reading == f"{dis.id}/{r.id}"
                        ],
                    }
                    for r in dis.readings
                ],
            }
        )
    return Page("readings.html", "Where the sources disagree", {"disagreements": items})


def api(site: Site, request: Request) -> Page:
    from accord.web.openapi import spec

    doc = spec(site)
    rows = []
    for path, ops in doc["paths"].items():
        op = ops["get"]
        if "json" not in op["tags"]:
            continue
        rows.append(
            {
                "path": path,
                "summary": op["summary"],
                "parameters": [
                    {"name": p["name"], "in": p["in"], "description": p["description"]}
                    for p in op["parameters"]
                ],
            }
        )
    return Page("api.html", "The JSON API", {"openapi": "/openapi.json", "endpoints": rows})


ROUTES: list[tuple[str, Callable[..., Page]]] = [
    ("/", home),
    ("/api", api),
    ("/strands", strands),
    ("/assessments", assessments),
    ("/readings", readings),
]
