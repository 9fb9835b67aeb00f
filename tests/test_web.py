"""The web app in process: every JSON endpoint, the one error shape, pages and links."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from tests.conftest import MINI

import accord
from accord.web import create_app
from accord.web.openapi import spec
from accord.web.views import ROUTES


class Client:
    """A synchronous client for the ASGI app, without a server or a socket."""

    def __init__(self, app: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )

    def get(self, url: str, **kw: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.client.get(url, **kw))

    def request(self, method: str, url: str) -> httpx.Response:
        return self.loop.run_until_complete(self.client.request(method, url))

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()


@pytest.fixture(scope="module")
def model() -> Any:
    return accord.load()


@pytest.fixture(scope="module")
def client(model: Any) -> Iterator[Client]:
    c = Client(create_app(model))
    yield c
    c.close()


# one example of every page, with parameters that exercise it
EXAMPLES = {
    "/": "/",
    "/api": "/api",
    "/strands": "/strands",
    "/assessments": "/assessments",
    "/readings": "/readings",
    "/at": "/at?date=2000-03-01",
    "/network": "/network?date=2001-05-17",
    "/timeline": "/timeline?date=2001-05-17",
    "/ask": "/ask?actor=council&action=launch-operation&date=2001-05-17",
    "/procedures": "/procedures",
    "/procedures/{id}": "/procedures/proc-partners",
    "/scenarios": "/scenarios",
    "/scenarios/{id}": "/scenarios/reference-crisis?reform=agreed-modalities",
    "/reforms": "/reforms",
    "/reforms/{id}": "/reforms/quarterly-troika",
    "/monitor": "/monitor",
    "/actors": "/actors",
    "/actors/{id}": "/actors/russia",
    "/instruments": "/instruments?date=2001-05-17",
    "/instruments/{id}": "/instruments/pca?date=2000-03-01",
    "/statements": "/statements",
    "/statements/{id}": "/statements/launch-psc-note",
    "/events": "/events",
    "/events/{id}": "/events/summit-07",
    "/sources": "/sources",
    "/sources/{id}": "/sources/portela-2001",
}


def json_url(example: str) -> str:
    path, _, query = example.partition("?")
    base = "/index" if path == "/" else path
    return f"{base}.json" + (f"?{query}" if query else "")


def test_every_route_has_an_example_and_an_openapi_entry() -> None:
    paths = {p for p, _ in ROUTES}
    assert paths == set(EXAMPLES)
    doc = spec()
    for p in paths:
        assert json_url(p) in doc["paths"] or p == "/", p
        assert p in doc["paths"]
    assert "/index.json" in doc["paths"]
    assert doc["components"]["schemas"]["Error"]["required"] == ["ok", "status", "error", "errors"]


@pytest.mark.parametrize("route", sorted(EXAMPLES))
def test_every_json_endpoint(client: Client, route: str) -> None:
    r = client.get(json_url(EXAMPLES[route]))
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("application/json")
    data = r.json()
    assert data["ok"] is True
    assert len(data) > 1


@pytest.mark.parametrize("route", sorted(EXAMPLES))
def test_every_html_page(client: Client, route: str) -> None:
    r = client.get(EXAMPLES[route])
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"(https?:)?//", html)  # no CDN
    assert f'href="{json_url(EXAMPLES[route]).replace("&", "&amp;")}"' in html  # its twin


def test_openapi_is_served(client: Client) -> None:
    r = client.get("/openapi.json")
    doc = r.json()
    assert doc["openapi"].startswith("3.1")
    assert "/ask.json" in doc["paths"]
    names = {p["name"] for p in doc["paths"]["/ask.json"]["get"]["parameters"]}
    assert {"actor", "action", "object", "date", "set", "reading"} <= names


# ---- errors -------------------------------------------------------------------------------

ERRORS = [
    ("/actors/rusia.json", 404),
    ("/instruments/nope.json", 404),
    ("/statements/nope.json", 404),
    ("/events/nope.json", 404),
    ("/sources/nope.json", 404),
    ("/procedures/nope.json", 404),
    ("/scenarios/nope.json", 404),
    ("/reforms/nope.json", 404),
    ("/scenarios/reference-crisis.json?reform=nope", 404),
    ("/no-such-page.json", 404),
    ("/at.json?date=2001-13-45", 400),
    ("/at.json?date=yesterday", 400),
    ("/ask.json", 400),
    ("/ask.json?actor=russia", 400),
    ("/ask.json?actor=nobody&action=meet", 404),
    ("/ask.json?actor=council&action=launch-operation&reading=launch-decision:maybe", 400),
    ("/ask.json?actor=council&action=launch-operation&reading=nonsense", 400),
]


def _error_shape(body: dict[str, Any], status: int) -> None:
    assert set(body) == {"ok", "status", "error", "errors"}
    assert body["ok"] is False
    assert body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["errors"], list) and body["errors"]
    assert all("message" in e for e in body["errors"])


@pytest.mark.parametrize(("url", "status"), ERRORS)
def test_errors_share_one_json_shape(client: Client, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status, r.text
    _error_shape(r.json(), status)


def test_unknown_id_suggests_near_ones(client: Client) -> None:
    body = client.get("/actors/rusia.json").json()
    assert "russia" in body["error"]
    assert "russia" in body["errors"][0]["near"]


def test_html_errors_are_pages_and_json_when_asked(client: Client) -> None:
    r = client.get("/actors/rusia")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "no actor" in r.text and 'href="/actors/russia"' in r.text
    r = client.get("/actors/rusia", headers={"accept": "application/json"})
    _error_shape(r.json(), 404)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_read_only(client: Client, method: str) -> None:
    r = client.request(method, "/actors/russia.json")
    assert r.status_code == 405
    _error_shape(r.json(), 405)


def test_every_route_is_get_only(model: Any) -> None:
    app = create_app(model)
    for route in app.routes:
        methods = getattr(route, "methods", None)
        if methods:
            assert methods <= {"GET", "HEAD"}


# ---- answers and their sources ------------------------------------------------------------


def test_ask_gives_the_verdict_with_its_citation(client: Client) -> None:
    data = client.get("/ask.json?actor=council&action=launch-operation&date=2001-05-17").json()
    a = data["answer"]
    assert a["verdict"] == "contested"
    assert a["by_reading"] == {
        "launch-decision=note": "forbidden",
        "launch-decision=nice": "permitted",
    }
    hrefs = {c["href"] for s in a["applied"] for c in s["cites"]}
    assert "/sources/portela-2001#p18" in hrefs
    nice = client.get(
        "/ask.json?actor=council&action=launch-operation&date=2001-05-17"
        "&reading=launch-decision:nice"
    ).json()["answer"]
    assert nice["verdict"] == "permitted"
    russia = client.get("/ask.json?actor=russia&action=launch-operation&set=phase:crisis").json()
    assert russia["question"]["set"] == ["phase:crisis"]
    assert russia["answer"]["verdict"] == "forbidden"
    assert russia["question"]["phase"] == "crisis"


def test_ask_matches_the_library(client: Client, model: Any) -> None:
    url = "/ask.json?actor=psc-troika&action=meet&object=russia&date=2001-05-17&set=phase:routine"
    web = client.get(url).json()["answer"]
    lib = model.ask(
        "psc-troika", "meet", object="russia", day="2001-05-17", situation={"phase": "routine"}
    ).to_dict()
    assert web["verdict"] == lib["verdict"] == "obliged"
    assert [s["statement"] for s in web["applied"]] == [s["statement"] for s in lib["applied"]]


def test_moving_the_date_changes_the_state(client: Client) -> None:
    def pca(day: str) -> dict[str, Any]:
        data = client.get(f"/at.json?date={day}").json()
        items = [i for g in data["instruments"] for i in g["items"]]
        return next(i for i in items if i["id"] == "pca")

    assert pca("1996-01-01")["label"].startswith("signed, not yet in force")
    assert "pca-technical-assistance" in pca("2000-03-01")["suspended_provisions"]
    assert "pca-technical-assistance" not in pca("2001-05-17")["suspended_provisions"]


def test_source_page_highlights_and_links_back(client: Client) -> None:
    data = client.get("/sources/portela-2001.json").json()
    p18 = next(b for b in data["blocks"] if b["id"] == "p18")
    assert "launch-psc-note" in {r["id"] for r in p18["cited_by"]}
    html = client.get("/sources/portela-2001").text
    block = html[html.index('id="p18"') : html.index('id="p19"')]
    assert "<mark" in block and 'href="/statements/launch-psc-note"' in block
    assert "remain exclusively with the EU" in block


def test_cite_links_resolve_to_passages(client: Client) -> None:
    """Every link to a source passage on these pages points at an id on that source page."""
    pages = [
        "/instruments/pca",
        "/actors/psc-troika",
        "/statements/launch-psc-note",
        "/events/ev-2000-07-10-tacis-unfrozen",
        "/procedures/proc-partners",
        "/ask?actor=council&action=launch-operation",
        "/at",
    ]
    targets: dict[str, set[str]] = {}
    for page in pages:
        html = client.get(page).text
        for src, anchor in re.findall(r'href="/sources/([^"#]+)#([^"]+)"', html):
            targets.setdefault(src, set()).add(anchor)
    assert targets, "no passage links found"
    for src, anchors in targets.items():
        html = client.get(f"/sources/{src}").text
        ids = set(re.findall(r'id="([^"]+)"', html))
        missing = anchors - ids
        assert not missing, f"{src}: {sorted(missing)[:5]}"


def test_element_pages_show_citations(client: Client, model: Any) -> None:
    for kind in ("actors", "instruments", "statements", "events"):
        table = getattr(model, kind)
        for eid in list(table)[:: max(1, len(table) // 6)]:
            data = client.get(f"/{kind}/{eid}.json").json()
            assert data["citations"], f"/{kind}/{eid} shows no citation"
            assert all(c["href"].startswith("/sources/") for c in data["citations"])


def test_scenario_with_a_reform(client: Client) -> None:
    data = client.get("/scenarios/reference-crisis.json?reform=agreed-modalities").json()
    assert data["reforms"] == ["agreed-modalities"]
    assert data["baseline"]["steps"] and data["reform"]["steps"]
    assert data["baseline"]["violations"]


def test_reform_shows_what_changes(client: Client) -> None:
    data = client.get("/reforms/agreed-modalities.json").json()
    assert data["changes"]
    assert {c["baseline"] for c in data["changes"]} != {c["reform"] for c in data["changes"]}


def test_network_and_timeline(client: Client) -> None:
    net = client.get("/network.json?date=2001-05-17").json()
    edges = {(e["source"], e["target"], e["kind"]) for e in net["edges"]}
    assert ("sweden", "psc-troika", "chair") in edges
    later = client.get("/network.json?date=2001-07-15").json()
    later_edges = {(e["source"], e["target"], e["kind"]) for e in later["edges"]}
    assert ("belgium", "psc-troika", "chair") in later_edges
    html = client.get("/timeline").text
    assert "<svg" in html and 'href="/instruments/pca"' in html


def test_monitor_page(client: Client) -> None:
    data = client.get("/monitor.json").json()
    rows = {r["obligation"]: r for r in data["rows"]}
    assert "pca-summits" in rows
    assert rows["pca-summits"]["cites"]


def test_cache_off_gives_the_same_pages(model: Any) -> None:
    c = Client(create_app(model, cache_size=0))
    try:
        a = c.get("/actors/russia.json").json()
        b = c.get("/actors/russia.json").json()
        assert a == b
    finally:
        c.close()


def test_another_model_is_served(tmp_path: Any) -> None:
    """The app is generic: the mini test model serves too."""
    c = Client(create_app(MINI))
    try:
        home = c.get("/index.json").json()
        assert home["model"]["id"] != "eu-russia-2001"
        for kind in ("actors", "instruments", "statements", "events", "sources"):
            data = c.get(f"/{kind}.json").json()
            items = [i for g in data["groups"] for i in g["items"]]
            if items:
                assert c.get(items[0]["href"] + ".json").status_code == 200
        assert c.get("/at.json").status_code == 200
        assert c.get("/network").status_code == 200
    finally:
        c.close()


def test_json_is_plain_data(client: Client) -> None:
    raw = client.get("/instruments/pca.json").text
    data = json.loads(raw)
    assert data["record"]["id"] == "pca"
    assert data["status"]["label"]
