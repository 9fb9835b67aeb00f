"""Procedures (diagram and phase table), scenarios (a run, with or without reforms),
reforms (what each would change) and, when the monitoring module is installed, the
monitoring table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from accord.brief.data import BriefBuilder, dedupe_changes
from accord.loading.overlays import load_reform, load_scenario, reforms_in, with_reforms
from accord.procedures.runner import run_scenario
from accord.web.app import Page
from accord.web.site import Site, WebError
from accord.web.views.common import day_param, not_found


def _scenario_ids(site: Site) -> list[str]:
    folder = site.model.path / "scenarios"
    return sorted(p.stem for p in folder.glob("*.y*ml")) if folder.is_dir() else []


def _link_cites(site: Site, value: Any) -> Any:
    """Add ``href`` to every cite dict (those with ``text``/``anchor``) inside ``value``."""
    if isinstance(value, dict):
        if "source" in value and "confidence" in value and "anchor" in value:
            value["href"] = site.cite_href(value)
        for v in value.values():
            _link_cites(site, v)
    elif isinstance(value, list):
        for v in value:
            _link_cites(site, v)
    return value


def procedures_list(site: Site, request: Request) -> Page:
    items = [
        {
            "id": p.id,
            "name": p.name,
            "href": f"/procedures/{p.id}",
            "note": " → ".join(ph.id for ph in p.phases),
        }
        for p in site.model.procedures.values()
    ]
    return Page(
        "list.html", "Procedures", {"kind": "procedures", "groups": [{"key": "", "items": items}]}
    )


def procedure(site: Site, request: Request, id: str) -> Page:
    m = site.model
    if id not in m.procedures:
        raise not_found("procedure", id, m.procedures)
    day = day_param(site, request)

    def build() -> dict[str, Any]:
        b = BriefBuilder(m, site.passages)
        return next(p for p in b.procedures(day) if p["id"] == id)

    proc = site.slow.get(("procedure", id, day), build)
    data = _link_cites(
        site, {k: v for k, v in proc.items() if k != "svg"} | {"date": day.isoformat()}
    )
    return Page("procedure.html", proc["name"], data, {"svg": proc["svg"]})


def scenarios_list(site: Site, request: Request) -> Page:
    items = []
    for sid in _scenario_ids(site):
        sc = load_scenario(site.model, sid)
        items.append(
            {
                "id": sid,
                "name": sc.title,
                "href": f"/scenarios/{sid}",
                "note": f"{sc.procedure}, {sc.date}",
            }
        )
    return Page(
        "list.html", "Scenarios", {"kind": "scenarios", "groups": [{"key": "", "items": items}]}
    )


def _reform_names(site: Site, request: Request) -> list[str]:
    names = [r.strip() for r in request.query_params.getlist("reform") if r.strip()]
    known = reforms_in(site.model)
    for n in names:
        if n not in known:
            raise not_found("reform", n, known)
    return names


def _trace(site: Site, trace: Any) -> dict[str, Any]:
    d = trace.to_dict()
    for step in d["steps"]:
        step["citations"] = site.cites(step["citations"])
        step["statements"] = [{"id": s, "href": f"/statements/{s}"} for s in step["statements"]]
    return d


def scenario(site: Site, request: Request, id: str) -> Page:
    m = site.model
    if id not in _scenario_ids(site):
        raise not_found("scenario", id, _scenario_ids(site))
    reforms = _reform_names(site, request)
    sc = load_scenario(m, id)

    def run() -> dict[str, Any]:
        out: dict[str, Any] = {"baseline": _trace(site, run_scenario(m, sc))}
        if reforms:
            reformed = site.slow.get(("reformed", tuple(reforms)), lambda: with_reforms(m, reforms))
            out["reform"] = _trace(site, run_scenario(reformed, sc))
        return out

    runs = site.slow.get(("run", id, tuple(reforms)), run)
    data = {
        "id": sc.id,
        "title": sc.title,
        "description": sc.description,
        "procedure": site.ref(sc.procedure, "procedures"),
        "date": str(sc.date),
        "situation": sc.situation,
        "reading": sc.reading,
        "reforms": reforms,
        "available_reforms": list(reforms_in(m)),
        **runs,
    }
    return Page("scenario.html", sc.title, data)


def reforms_list(site: Site, request: Request) -> Page:
    items = []
    for rid in reforms_in(site.model):
        r = load_reform(site.model, rid)
        items.append(
            {
                "id": rid,
                "name": r.title,
                "href": f"/reforms/{rid}",
                "note": f"{r.kind}, from {r.effective}",
            }
        )
    return Page(
        "list.html", "Reforms", {"kind": "reforms", "groups": [{"key": "", "items": items}]}
    )


def reform(site: Site, request: Request, id: str) -> Page:
    m = site.model
    known = reforms_in(m)
    if id not in known:
        raise not_found("reform", id, known)

    def build() -> dict[str, Any]:
        from accord.engine.diff import diff_models

        r = load_reform(m, id)
        b = BriefBuilder(m, site.passages)
        reformed = site.slow.get(("reformed", (id,)), lambda: with_reforms(m, [id]))
        changes, asked = diff_models(m, reformed, r.effective.earliest)
        return {
            "id": r.id,
            "title": r.title,
            "kind": r.kind,
            "effective": str(r.effective),
            "description": r.description,
            "base": list(r.base),
            "cites": b.cites(r.cite),
            "add": [
                {
                    "id": s.id,
                    "text": s.text,
                    "cites": b.cites(s.cite),
                    "overrides": list(s.overrides),
                }
                for s in r.add
            ],
            "replace": [{"id": s.id, "text": s.text, "cites": b.cites(s.cite)} for s in r.replace],
            "remove": [{"id": s, "text": m.statements[s].text} for s in r.remove],
            "change": [c.model_dump(mode="json", exclude_none=True) for c in r.change],
            "asked": asked,
            "changes": dedupe_changes(
                {**c.to_dict(), "citations": b.cites(c.citations) or b.cites(r.cite)}
                for c in changes
            ),
            "scenarios": _scenario_ids(site),
        }

    data = _link_cites(site, site.slow.get(("reform", id), build))
    return Page("reform.html", data["title"], data)


def monitor(site: Site, request: Request) -> Page:
    from accord.brief.monitoring import monitoring_summary

    raw = request.query_params.get("to")
    to = day_param(site, request, "to") if raw else None

    def build() -> dict[str, Any] | None:
        return monitoring_summary(site.model, to, site.cite)

    summary = site.slow.get(("monitor", to), build)
    if summary is None:
        raise WebError(
            404,
            "monitoring is not available in this version",
            [{"code": "not-available", "message": "the monitoring module is not installed"}],
        )
    data = {k: v for k, v in summary.items() if k != "chart_svg"}
    return Page("monitor.html", "Monitoring", data, {"chart": summary.get("chart_svg")})


ROUTES: list[tuple[str, Callable[..., Page]]] = [
    ("/procedures", procedures_list),
    ("/procedures/{id}", procedure),
    ("/scenarios", scenarios_list),
    ("/scenarios/{id}", scenario),
    ("/reforms", reforms_list),
    ("/reforms/{id}", reform),
    ("/monitor", monitor),
]
