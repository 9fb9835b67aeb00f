"""Element pages: actors, instruments, statements, events, sources — each with its
citations, what it is linked to, and (where it changes with time) its state on a date."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from accord.brief.data import instrument_group
from accord.engine.state import statement_in_effect
from accord.time import Interval
from accord.web.app import Page
from accord.web.site import Site
from accord.web.views.common import day_param, lookup

KIND_TITLES = {
    "actors": "Actors",
    "instruments": "Instruments",
    "statements": "Statements",
    "events": "Events",
    "sources": "Sources",
}


def _record(el: Any) -> dict[str, Any]:
    return el.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)


def _span(iv: Interval) -> dict[str, str]:
    return {"from": str(iv.start), "to": str(iv.end)}


def _statement_row(site: Site, s: Any) -> dict[str, Any]:
    return {
        "id": s.id,
        "href": f"/statements/{s.id}",
        "text": s.text,
        "instrument": s.instrument,
        "attribute": s.attribute or s.entity,
        "deontic": s.deontic or s.modal,
        "aim": s.aim or s.function,
        "object": s.object,
        "reading": s.reading,
    }


def _event_row(e: Any) -> dict[str, Any]:
    return {
        "id": e.id,
        "href": f"/events/{e.id}",
        "date": str(e.date),
        "title": e.title,
        "category": e.category,
        "kind": e.kind,
    }


# ---- lists --------------------------------------------------------------------------------


def actors_list(site: Site, request: Request) -> Page:
    groups: dict[str, list[dict[str, Any]]] = {}
    for a in site.model.actors.values():
        groups.setdefault(a.kind, []).append(
            {"id": a.id, "name": a.name, "href": f"/actors/{a.id}"}
        )
    data = {"kind": "actors", "groups": [{"key": k, "items": v} for k, v in sorted(groups.items())]}
    return Page("list.html", "Actors", data)


def instruments_list(site: Site, request: Request) -> Page:
    day = day_param(site, request)
    state = site.state(day)
    groups: dict[str, list[dict[str, Any]]] = {}
    for st in state.instruments:
        groups.setdefault(instrument_group(st), []).append(
            {
                "id": st.instrument,
                "name": st.title,
                "href": f"/instruments/{st.instrument}",
                "note": st.label,
            }
        )
    from accord.brief.data import GROUP_ORDER

    keys = sorted(groups, key=lambda k: GROUP_ORDER.index(k) if k in GROUP_ORDER else 99)
    data = {
        "kind": "instruments",
        "date": day.isoformat(),
        "groups": [{"key": k, "items": groups[k]} for k in keys],
    }
    return Page("list.html", "Instruments", data)


def statements_list(site: Site, request: Request) -> Page:
    groups: dict[str, list[dict[str, Any]]] = {}
    for s in site.model.statements.values():
        groups.setdefault(s.instrument, []).append(
            {"id": s.id, "name": s.text, "href": f"/statements/{s.id}", "code": s.id}
        )
    data = {
        "kind": "statements",
        "groups": [
            {"key": k, "title": site.name(k), "href": f"/instruments/{k}", "items": v}
            for k, v in groups.items()
        ],
    }
    return Page("list.html", "Statements", data)


def events_list(site: Site, request: Request) -> Page:
    groups: dict[str, list[dict[str, Any]]] = {}
    for e in sorted(site.model.events.values(), key=lambda e: (e.date.earliest, e.id)):
        groups.setdefault(str(e.date.earliest.year), []).append(
            {
                "id": e.id,
                "name": e.title,
                "href": f"/events/{e.id}",
                "note": str(e.date),
                "category": e.category,
            }
        )
    data = {"kind": "events", "groups": [{"key": k, "items": v} for k, v in groups.items()]}
    return Page("list.html", "Events", data)


def sources_list(site: Site, request: Request) -> Page:
    cited = site.passages.cited_sources()
    with_text: list[dict[str, Any]] = []
    without: list[dict[str, Any]] = []
    for s in site.model.sources.values():
        item = {
            "id": s.id,
            "name": s.title,
            "href": f"/sources/{s.id}",
            "note": f"{s.kind}{', ' + str(s.date) if s.date else ''}"
            f" · cited by {len(cited.get(s.id, []))}",
        }
        (with_text if s.id in site.model.texts else without).append(item)
    data = {
        "kind": "sources",
        "groups": [
            {"key": "sources with their text in the model", "items": with_text},
            {
                "key": "documents cited (their words quoted through the research file)",
                "items": without,
            },
        ],
    }
    return Page("list.html", "Sources", data)


# ---- pages --------------------------------------------------------------------------------


def _tenures(site: Site, ties: Any, day: Any) -> list[dict[str, Any]]:
    return [
        {
            "actor": site.ref(t.actor, "actors"),
            **_span(t.interval),
            "role": t.role,
            "on_date": {True: "yes", False: "no", None: "uncertain"}[t.interval.contains(day)],
            "cites": site.cites(t.cites),
        }
        for t in ties
    ]


def actor(site: Site, request: Request, id: str) -> Page:
    a = lookup(site, "actors", id)
    m = site.model
    day = day_param(site, request)
    body = next((b for b in site.state(day).bodies if b.actor == id), None)
    data: dict[str, Any] = {
        "kind": "actor",
        "id": a.id,
        "name": a.name,
        "type": a.kind,
        "date": day.isoformat(),
        "record": _record(a),
        "part_of": site.ref(a.part_of, "actors"),
        "replaced_by": site.ref(a.replaced_by, "actors"),
        "exists": _span(m.interval(a.exists)) if a.exists else None,
        "on_date": body.to_dict() if body else None,
        "members": _tenures(site, m.members_of.get(id, ()), day),
        "holders": _tenures(site, m.holders_of.get(id, ()), day),
        "member_of": [
            {
                "group": site.ref(g, "actors"),
                **_span(t.interval),
                "role": t.role,
                "cites": site.cites(t.cites),
            }
            for g, t in m.groups_of.get(id, ())
        ],
        "offices": [
            {"office": site.ref(o, "actors"), **_span(t.interval), "cites": site.cites(t.cites)}
            for o, t in m.offices_of.get(id, ())
        ],
        "statements": [
            _statement_row(site, s)
            for s in m.statements.values()
            if s.attribute == id or s.entity == id
        ],
        "statements_about": [
            _statement_row(site, s) for s in m.statements.values() if s.object == id
        ],
        "events": [
            _event_row(e)
            for e in sorted(m.events.values(), key=lambda e: e.date.earliest)
            if id in e.participants or e.body == id
        ],
        "assessments": [
            {"id": x.id, "href": f"/assessments#{x.id}", "kind": x.kind, "text": x.text}
            for x in m.assessments.values()
            if id in x.about
        ],
        "citations": site.element_cites(a),
    }
    return Page("actor.html", a.name, data)


def instrument(site: Site, request: Request, id: str) -> Page:
    ins = lookup(site, "instruments", id)
    m = site.model
    day = day_param(site, request)
    status = site.state(day).instrument(id)
    data: dict[str, Any] = {
        "kind": "instrument",
        "id": ins.id,
        "name": ins.title,
        "type": ins.kind,
        "date": day.isoformat(),
        "record": _record(ins),
        "status": status.to_dict(),
        "group": instrument_group(status),
        "parties": [site.ref(p, "actors") for p in ins.parties],
        "issuer": site.ref(ins.issuer, "actors"),
        "signed": str(ins.signed) if ins.signed else None,
        "in_force": _span(m.interval(ins.in_force)) if ins.in_force else None,
        "in_effect": _span(m.interval(ins.in_effect)) if ins.in_effect else None,
        "replaced_by": site.ref(ins.replaced_by.instrument, "instruments")
        if ins.replaced_by
        else None,
        "suspensions": [
            {
                "id": s.id,
                "scope": s.scope,
                "provisions": [site.ref(p, "statements") for p in s.provisions],
                **_span(m.interval(s.during)),
                "on_date": {True: "yes", False: "no", None: "uncertain"}[
                    m.interval(s.during).contains(day)
                ],
                "by": site.ref(s.by, "instruments"),
                "description": s.description,
                "cites": site.cites(s.cite),
            }
            for s in ins.suspensions
        ],
        "statements": [
            {
                **_statement_row(site, s),
                "in_effect": {True: "yes", False: "no", None: "uncertain"}[
                    statement_in_effect(m, s, day)[0]
                ],
            }
            for s in m.statements.values()
            if s.instrument == id
        ],
        "events": [
            _event_row(e)
            for e in sorted(m.events.values(), key=lambda e: e.date.earliest)
            if e.instrument == id
        ],
        "strands": [site.ref(s.id, "strands") for s in m.strands.values() if id in s.instruments],
        "procedures": [
            site.ref(p.id, "procedures") for p in m.procedures.values() if p.instrument == id
        ],
        "citations": site.element_cites(ins),
    }
    return Page("instrument.html", ins.title, data)


def statement(site: Site, request: Request, id: str) -> Page:
    s = lookup(site, "statements", id)
    m = site.model
    day = day_param(site, request)
    in_effect, why = statement_in_effect(m, s, day)
    ask = None
    if s.attribute and s.aim:
        # prefill the phase when the condition names one (phase == 'crisis')
        found = re.search(r"\bphase\s*==\s*['\"]([\w-]+)['\"]", s.condition or "")
        sit = [f"phase:{found.group(1)}"] if found else []
        reading = [s.reading.replace("/", ":")] if s.reading else []
        ask = site.url(
            "/ask",
            actor=s.attribute,
            action=s.aim,
            object=s.object,
            date=day.isoformat(),
            set=sit,
            reading=reading,
        )
    data: dict[str, Any] = {
        "kind": "statement",
        "id": s.id,
        "name": s.text,
        "type": s.type,
        "date": day.isoformat(),
        "record": _record(s),
        "instrument": site.ref(s.instrument, "instruments"),
        "attribute": site.ref(s.attribute, "actors") if s.attribute in m.actors else None,
        "object": site.ref(s.object, "actors") if s.object in m.actors else None,
        "in_effect": {True: "yes", False: "no", None: "uncertain"}[in_effect],
        "in_effect_why": why,
        "recurrence": str(s.recurrence) if s.recurrence else None,
        "overrides": [site.ref(o, "statements") for o in s.overrides],
        "overridden_by": [
            site.ref(x.id, "statements") for x in m.statements.values() if id in x.overrides
        ],
        "suspended_by": [
            {
                "instrument": site.ref(i, "instruments"),
                "suspension": sid,
                "reading": under,
                **_span(iv),
            }
            for i, sid, iv, under in m.suspended_provisions.get(id, ())
        ],
        "reading": s.reading,
        "ask": ask,
        "citations": site.element_cites(s),
    }
    return Page("statement.html", s.id, data)


def event(site: Site, request: Request, id: str) -> Page:
    e = lookup(site, "events", id)
    data: dict[str, Any] = {
        "kind": "event",
        "id": e.id,
        "name": e.title,
        "date": str(e.date),
        "day": e.date.earliest.isoformat(),
        "record": _record(e),
        "category": e.category,
        "type": e.kind,
        "participants": [site.ref(p, "actors") for p in e.participants],
        "body": site.ref(e.body, "actors"),
        "instrument": site.ref(e.instrument, "instruments"),
        "confidence": e.confidence,
        "citations": site.element_cites(e),
    }
    return Page("event.html", e.title, data)


def source(site: Site, request: Request, id: str) -> Page:
    s = lookup(site, "sources", id)
    m = site.model
    data: dict[str, Any] = {
        "kind": "source",
        "id": s.id,
        "name": s.title,
        "type": s.kind,
        "record": _record(s),
        "url": s.url,
        "has_text": id in m.texts,
        "cited_by": [
            r.to_dict() | {"href": site.href(r.id, r.kind)}
            for r in site.passages.cited_sources().get(id, [])
        ],
        "citations": site.element_cites(s),
    }
    if id in m.texts:
        blocks = site.slow.get(("blocks", id), lambda: site.passages.blocks(id))
        data["blocks"] = [b.to_dict() for b in blocks]
        extra = {"blocks": blocks}
    else:
        # the quotes of this document, as the elements cite them (through another text)
        quotes = []
        for ref, cites in site.slow.get(("quotes", id), lambda: _quotes_of(site, id)):
            for c in cites:
                quotes.append(
                    {"element": ref.to_dict() | {"href": site.href(ref.id, ref.kind)}, "cite": c}
                )
        data["quotes"] = quotes
        extra = {}
    return Page("source.html", s.title, data, extra)


def _quotes_of(site: Site, sid: str) -> list[tuple[Any, list[dict[str, Any]]]]:
    from accord.brief.passages import ElementRef, element_citations

    m = site.model
    out = []
    for kind in (
        "actors",
        "instruments",
        "statements",
        "events",
        "strands",
        "programmes",
        "assessments",
        "disagreements",
        "procedures",
    ):
        for eid, el in getattr(m, kind).items():
            cs = [site.cite(c) for c in element_citations(m, el) if c["source"] == sid]
            if cs:
                out.append(
                    (ElementRef(kind, eid, m.name(eid) if kind != "statements" else eid), cs)
                )
    return out


ROUTES: list[tuple[str, Callable[..., Page]]] = [
    ("/actors", actors_list),
    ("/actors/{id}", actor),
    ("/instruments", instruments_list),
    ("/instruments/{id}", instrument),
    ("/statements", statements_list),
    ("/statements/{id}", statement),
    ("/events", events_list),
    ("/events/{id}", event),
    ("/sources", sources_list),
    ("/sources/{id}", source),
]
