"""Pages that take a question: the framework at a date, the network and timeline pictures
on a date, and *ask* (may/must ACTOR do ACTION on a date, in a situation, by a reading)."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date
from typing import Any

from starlette.requests import Request

from accord.brief.data import BriefBuilder, status_groups
from accord.errors import QueryError
from accord.pictures import network, network_svg, timeline_svg
from accord.web.app import Page
from accord.web.site import Site, WebError
from accord.web.views.common import day_param, not_found, pairs_param, text_param


def _shift(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _date_range(site: Site, day: date) -> dict[str, Any]:
    """The date control's bounds (the years of the record), slider position and steps."""
    days = [e.date.earliest for e in site.model.events.values()]
    days += [i.signed.earliest for i in site.model.instruments.values() if i.signed]
    lo = date(min(days, default=day).year, 1, 1)
    hi = date(max(days, default=day).year, 12, 31)
    steps = [
        ("← a year", _shift(day, -12)),
        ("← a month", _shift(day, -1)),
        ("a month →", _shift(day, 1)),
        ("a year →", _shift(day, 12)),
    ]
    if day != site.default_day:
        steps.append(("the model's date", site.default_day))
    return {
        "min": lo.isoformat(),
        "max": hi.isoformat(),
        "days": (hi - lo).days,
        "value": min(max((day - lo).days, 0), (hi - lo).days),
        "steps": [(label, d.isoformat()) for label, d in steps if lo <= d <= hi],
    }


def at(site: Site, request: Request) -> Page:
    day = day_param(site, request)
    data = site.slow.get(("at", day), lambda: _at_data(site, day))
    return Page("at.html", f"The framework on {day.isoformat()}", data)


def _at_data(site: Site, day: date) -> dict[str, Any]:
    b = BriefBuilder(site.model, site.passages)
    state = site.state(day)
    instruments = b.instruments(day)
    bodies = b.bodies(day, state.bodies)
    offices = b.offices(day, state.bodies)
    cites = [c for i in instruments for c in i["cites"]]
    for group in (*bodies, *offices):
        cites += group.get("cites", [])
        for mem in group.get("members", []) + group.get("holders", []):
            cites += mem["cites"]
    for c in cites:
        c["href"] = site.cite_href(c)
    by_ins: dict[str, int] = {}
    for _sid, iid, _t in state.statements:
        by_ins[iid] = by_ins.get(iid, 0) + 1
    return {
        "date": day.isoformat(),
        "range": _date_range(site, day),
        "instruments": status_groups(instruments),
        "offices": offices,
        "bodies": bodies,
        "statements_in_effect": len(state.statements),
        "statements_by_instrument": by_ins,
        "events": [
            {"id": e, "title": site.model.events[e].title, "href": f"/events/{e}"}
            for e in state.events
        ],
    }


def network_page(site: Site, request: Request) -> Page:
    day = day_param(site, request)
    net = site.slow.get(("network", day), lambda: network(site.model, day))
    svg = network_svg(
        site.model, day, href=lambda a: site.url(f"/actors/{a}", date=day.isoformat()), net=net
    )
    data = {"date": day.isoformat(), "range": _date_range(site, day), **net.to_dict()}
    return Page(
        "picture.html",
        f"Actors and bodies on {day.isoformat()}",
        data,
        {"svg": svg, "what": "network"},
    )


def timeline_page(site: Site, request: Request) -> Page:
    day = day_param(site, request)
    svg = timeline_svg(site.model, day, href=lambda k, i: f"/{k}/{i}")
    m = site.model
    data = {
        "date": day.isoformat(),
        "range": _date_range(site, day),
        "instruments": [
            {
                "id": i.id,
                "signed": str(i.signed) if i.signed else None,
                "in_force": (
                    {
                        "from": str(m.interval(i.in_force).start),
                        "to": str(m.interval(i.in_force).end),
                    }
                    if i.in_force
                    else None
                ),
                "suspensions": [
                    {
                        "id": s.id,
                        "scope": s.scope,
                        "from": str(m.interval(s.during).start),
                        "to": str(m.interval(s.during).end),
                    }
                    for s in i.suspensions
                ],
            }
            for i in m.instruments.values()
        ],
        "events": [
            {
                "id": e.id,
                "date": str(e.date),
                "title": e.title,
                "category": e.category,
                "href": f"/events/{e.id}",
            }
            for e in sorted(m.events.values(), key=lambda e: e.date.earliest)
        ],
    }
    return Page("picture.html", "Timeline", data, {"svg": svg, "what": "timeline"})


def _show(v: Any) -> str:
    if isinstance(v, list):
        return ",".join(map(_show, v))
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _options(site: Site) -> dict[str, Any]:
    m = site.model
    phases: list[str] = []
    for p in m.procedures.values():
        phases += [ph.id for ph in p.phases if ph.id not in phases]
    return {
        "actors": sorted(m.actors),
        "actions": sorted(m.by_aim),
        "phases": phases,
        "readings": {d.id: [r.id for r in d.readings] for d in m.disagreements.values()},
    }


def ask(site: Site, request: Request) -> Page:
    m = site.model
    actor = text_param(request, "actor")
    action = text_param(request, "action")
    obj = text_param(request, "object")
    day = day_param(site, request)
    situation = pairs_param(request, "set")
    reading = {k: str(v) for k, v in pairs_param(request, "reading", raw=True).items()}
    form = {
        "actor": actor or "",
        "action": action or "",
        "object": obj or "",
        "date": day.isoformat(),
        "set": [f"{k}:{_show(v)}" for k, v in situation.items()],
        "phase": situation.get("phase") or "",
        "facts": "; ".join(f"{k}:{_show(v)}" for k, v in situation.items() if k != "phase"),
        "reading": reading,
    }
    data: dict[str, Any] = {"question": form, "options": _options(site), "answer": None}
    wants_json = request.url.path.endswith(".json")
    if not actor or not action:
        if wants_json:
            missing = [n for n, v in (("actor", actor), ("action", action)) if not v]
            raise WebError(
                400,
                f"ask needs {' and '.join(missing)}",
                [
                    {"code": "missing-parameter", "param": n, "message": f"{n} is required"}
                    for n in missing
                ],
            )
        return Page("ask.html", "Ask", data)
    if actor not in m.actors:
        raise not_found("actor", actor, m.actors)
    try:
        answer = m.ask(actor, action, object=obj, day=day, situation=situation, reading=reading)
    except QueryError as e:
        raise WebError(400, str(e), [{"code": "bad-question", "message": str(e)}]) from None
    ans = answer.to_dict()
    for key in ("applied", "set_aside"):
        for step in ans[key]:
            step["cites"] = site.cites(step["cites"])
            step["href"] = f"/statements/{step['statement']}"
    ans["citations"] = site.cites(ans["citations"])
    data["answer"] = ans
    title = f"{answer.verdict.upper()}: {actor} {action}" + (f" {obj}" if obj else "")
    return Page("ask.html", title, data)


ROUTES: list[tuple[str, Callable[..., Page]]] = [
    ("/at", at),
    ("/network", network_page),
    ("/timeline", timeline_page),
    ("/ask", ask),
]
