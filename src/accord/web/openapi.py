"""The OpenAPI 3.1 description of the JSON API, served at ``/openapi.json``.

Every page has a JSON twin at the same path with ``.json`` (``/`` has ``/index.json``);
this module describes those twins: their parameters, and the shapes of the main answers
and of the one error body all of them share.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import accord

if TYPE_CHECKING:
    from accord.web.site import Site

__all__ = ["SUMMARIES", "spec"]

SUMMARIES: dict[str, tuple[str, str]] = {
    "/": ("home", "The model: title, description, counts, procedures, scenarios, reforms."),
    "/strands": ("strands", "The strands of co-operation with their programmes and projects."),
    "/assessments": ("assessments", "The note's assessments, grouped by kind."),
    "/readings": ("readings", "Where the sources disagree: each disagreement and its readings."),
    "/at": ("at", "The framework on a date: instruments by status, office-holders, bodies."),
    "/network": ("network", "The network of actors and bodies on a date: nodes and edges."),
    "/timeline": ("timeline", "Instruments' lifecycles and the dated record."),
    "/ask": (
        "ask",
        "Must, may or must not ACTOR do ACTION? The verdict with the statements that "
        "applied, conditions as evaluated, dated facts read and citations.",
    ),
    "/procedures": ("procedures", "The model's procedures."),
    "/procedures/{id}": (
        "procedure",
        "A procedure phase by phase: who decides, who is consulted, who takes part.",
    ),
    "/scenarios": ("scenarios", "The model's scenarios."),
    "/scenarios/{id}": ("scenario", "A scenario run step by step; with reform=… also under it."),
    "/reforms": ("reforms", "The model's reforms (proposals and counterfactuals)."),
    "/reforms/{id}": (
        "reform",
        "What a reform changes: its statements and the answers that change.",
    ),
    "/monitor": ("monitor", "The monitoring table (when the monitoring module is installed)."),
    "/actors": ("actors", "Every actor, by kind."),
    "/actors/{id}": ("actor", "An actor: memberships, holders, rules, events, citations."),
    "/instruments": ("instruments", "Every instrument, by status on a date."),
    "/instruments/{id}": ("instrument", "An instrument: lifecycle, status on a date, rules."),
    "/statements": ("statements", "Every statement, by instrument."),
    "/statements/{id}": ("statement", "A statement: its components, in effect on a date."),
    "/events": ("events", "The dated record, by year."),
    "/events/{id}": ("event", "An event: date, participants, body, instrument, citations."),
    "/sources": ("sources", "Every source."),
    "/sources/{id}": (
        "source",
        "A source: its text in blocks with the cited passages and the elements citing them.",
    ),
}

DATED = {
    "/at",
    "/network",
    "/timeline",
    "/instruments",
    "/instruments/{id}",
    "/actors/{id}",
    "/statements/{id}",
    "/procedures/{id}",
    "/monitor",
}


def _param(name: str, where: str, description: str, **schema: Any) -> dict[str, Any]:
    p: dict[str, Any] = {
        "name": name,
        "in": where,
        "description": description,
        "required": where == "path",
        "schema": schema or {"type": "string"},
    }
    if schema.get("type") == "array":
        p["style"] = "form"
        p["explode"] = True
    return p


DATE = _param(
    "date",
    "query",
    "The date, YYYY-MM-DD (default: the model's date).",
    type="string",
    format="date",
)

ASK_PARAMS = [
    _param("actor", "query", "The actor (an id), e.g. russia.", type="string"),
    _param(
        "action", "query", "The action (a statement's aim), e.g. launch-operation.", type="string"
    ),
    _param("object", "query", "The object of the action, e.g. russia.", type="string"),
    DATE,
    _param(
        "set",
        "query",
        "Facts of the situation as NAME:VALUE (repeat, or separate by ';'), e.g. phase:crisis.",
        type="array",
        items={"type": "string"},
    ),
    _param(
        "reading",
        "query",
        "Follow one reading where sources disagree, DISAGREEMENT:READING, "
        "e.g. launch-decision:nice.",
        type="array",
        items={"type": "string"},
    ),
]

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["ok", "status", "error", "errors"],
        "properties": {
            "ok": {"const": False},
            "status": {"type": "integer", "description": "the HTTP status"},
            "error": {"type": "string", "description": "what went wrong, in a sentence"},
            "errors": {
                "type": "array",
                "description": "each problem: a code and a message, and where known the "
                "parameter, or the file, line and column of a model problem",
                "items": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                        "param": {"type": "string"},
                        "near": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
    },
    "Citation": {
        "type": "object",
        "required": ["source", "confidence"],
        "properties": {
            "source": {"type": "string"},
            "title": {"type": "string"},
            "at": {"type": ["string", "null"], "description": "locator: pN, fnN or free text"},
            "quote": {"type": ["string", "null"]},
            "confidence": {"enum": ["quoted", "paraphrased", "inferred"]},
            "via": {"type": "string", "description": "the source whose text holds the quote"},
            "paragraph": {"type": "string"},
            "text": {"type": ["string", "null"], "description": "the source holding the passage"},
            "anchor": {"type": ["string", "null"], "description": "the passage in that text"},
            "href": {"type": "string", "description": "the passage's page"},
        },
    },
    "Step": {
        "type": "object",
        "properties": {
            "statement": {"type": "string"},
            "instrument": {"type": "string"},
            "text": {"type": "string"},
            "deontic": {"type": ["string", "null"]},
            "attribute": {"type": ["string", "null"]},
            "status": {"type": "string"},
            "reason": {"type": "string"},
            "condition": {"type": ["string", "null"]},
            "condition_value": {"type": ["boolean", "null"]},
            "cites": {"type": "array", "items": {"$ref": "#/components/schemas/Citation"}},
        },
    },
    "Answer": {
        "type": "object",
        "properties": {
            "ok": {"const": True},
            "question": {"type": "object"},
            "options": {"type": "object"},
            "answer": {
                "type": "object",
                "properties": {
                    "verdict": {
                        "enum": ["obliged", "permitted", "forbidden", "not-regulated", "contested"]
                    },
                    "actor": {"type": "string"},
                    "action": {"type": "string"},
                    "object": {"type": ["string", "null"]},
                    "date": {"type": "string", "format": "date"},
                    "summary": {"type": "string"},
                    "by_reading": {"type": "object", "additionalProperties": {"type": "string"}},
                    "applied": {"type": "array", "items": {"$ref": "#/components/schemas/Step"}},
                    "set_aside": {"type": "array", "items": {"$ref": "#/components/schemas/Step"}},
                    "facts": {"type": "array", "items": {"type": "string"}},
                    "citations": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Citation"},
                    },
                },
            },
        },
    },
    "Page": {
        "type": "object",
        "description": "The data the HTML page shows. Element pages carry 'record' (the "
        "element as its YAML file has it) and 'citations'.",
        "required": ["ok"],
        "properties": {"ok": {"const": True}},
        "additionalProperties": True,
    },
}


def _json_path(path: str) -> str:
    return "/index.json" if path == "/" else f"{path}.json"


def spec(site: Site | None = None) -> dict[str, Any]:
    from accord.web.views import ROUTES

    paths: dict[str, Any] = {}
    errors = {
        str(code): {
            "description": text,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for code, text in ((400, "a bad parameter"), (404, "no such element or page"))
    }
    for path, _view in ROUTES:
        op_id, summary = SUMMARIES.get(path, (path.strip("/").replace("/", "-"), path))
        params: list[dict[str, Any]] = []
        if "{id}" in path:
            params.append(_param("id", "path", "The element's id.", type="string"))
        if path in DATED:
            params.append(DATE)
        if path == "/ask":
            params = list(ASK_PARAMS)
        if path == "/scenarios/{id}":
            params.append(
                _param(
                    "reform",
                    "query",
                    "Also run under this reform (repeat to chain).",
                    type="array",
                    items={"type": "string"},
                )
            )
        schema = "Answer" if path == "/ask" else "Page"
        paths[_json_path(path)] = {
            "get": {
                "operationId": op_id,
                "summary": summary,
                "tags": ["json"],
                "parameters": params,
                "responses": {
                    "200": {
                        "description": "the page's data",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{schema}"}
                            }
                        },
                    },
                    **errors,
                },
            }
        }
        paths[path] = {
            "get": {
                "operationId": f"{op_id}-html",
                "summary": f"{summary} (HTML page)",
                "tags": ["html"],
                "parameters": params,
                "responses": {
                    "200": {"description": "the page", "content": {"text/html": {}}},
                    "400": {"description": "a bad parameter", "content": {"text/html": {}}},
                    "404": {"description": "no such element or page", "content": {"text/html": {}}},
                },
            }
        }
    title = site.model.manifest.title if site is not None else "accord"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"accord: {title}",
            "version": accord.__version__,
            "description": "Read-only. Every HTML page has a JSON twin at the same path with "
            "'.json'. Every error, JSON or not, has one shape (Error); HTML pages show it "
            "as a page.",
        },
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
