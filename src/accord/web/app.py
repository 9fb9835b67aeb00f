"""The web app: routes, the JSON twin of every page, one error shape, a response cache.

Every page is a view returning a :class:`Page`: its data (the JSON twin, served at the
same path with ``.json``) and the template that renders that data as HTML. The app is
read-only (GET and HEAD only). Answers are pure functions of the model and the URL, so
whole responses are cached (an LRU keyed by path and query).

    uvicorn --factory accord.web.app:app_from_env   # ACCORD_MODEL=path, default built in
                                                    # ACCORD_WEB_CACHE=0: no response cache
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from accord.brief.render import VERDICT_CLASS, cite_label
from accord.engine.model import Model
from accord.errors import AccordError, ModelError
from accord.loading.package import load_model
from accord.web.site import LRU, Site, WebError

__all__ = ["Page", "app_from_env", "create_app"]

View = Callable[..., "Page"]


@dataclass
class Page:
    """A page: its template, title, data (the JSON twin) and template-only extras."""

    template: str
    title: str
    data: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
    status: int = 200


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def wants_json(request: Request) -> bool:
    path = request.url.path
    if path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


class Renderer:
    def __init__(self, site: Site) -> None:
        self.site = site
        env = Environment(
            loader=PackageLoader("accord.web", "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.globals.update(
            site=site,
            VERDICT_CLASS=VERDICT_CLASS,
            model=site.model,
            url=site.url,
        )
        env.filters["label"] = lambda c: cite_label(c, _sources(site.model))
        env.filters["svg"] = lambda s: Markup(s)  # our own SVG / marked-up text
        env.filters["bound"] = lambda b: "—" if b == "open" else b
        env.filters["span"] = _span_words
        env.filters["truth"] = lambda t: {True: "yes", False: "no", None: "uncertain"}.get(t, t)
        self.env = env

    def html(self, page: Page, request: Request) -> str:
        tpl = self.env.get_template(page.template)
        return tpl.render(
            page=page,
            d=page.data,
            x=page.extra,
            title=page.title,
            path=request.url.path,
            json_url=_json_url(request),
            query=request.url.query,
        )


def _span_words(d: dict[str, Any]) -> str:
    """'since 1997-12-01', 'until 2003', '1997-12-01 to 2003', or 'no dates recorded'."""
    a, b = d.get("from", "open"), d.get("to", "open")
    if a == "open" and b == "open":
        return "no dates recorded"
    if b == "open":
        return f"since {a}"
    if a == "open":
        return f"until {b}"
    return f"{a} to {b}"


def _sources(model: Model) -> dict[str, Any]:
    return {
        s.id: {"author": s.author, "date": str(s.date) if s.date else None}
        for s in model.sources.values()
    }


def _json_url(request: Request) -> str:
    path = request.url.path
    base = "/index" if path == "/" else path.rstrip("/")
    q = request.url.query
    return f"{base}.json" + (f"?{q}" if q else "")


def error_body(status: int, message: str, errors: list[Any]) -> dict[str, Any]:
    return {"ok": False, "status": status, "error": message, "errors": errors}


def create_app(
    model: Model | str | Path | None = None,
    *,
    cache_size: int = 1024,
    warm: bool = False,
    debug: bool = False,
) -> Starlette:
    """The app for ``model`` (a loaded model, a path, or None for the built-in model).

    ``cache_size`` bounds the response cache (0: no caching); ``warm`` prepares the
    slower derived data (source texts in passages, the network) before serving."""
    from accord.web import openapi
    from accord.web.views import ROUTES

    m = model if isinstance(model, Model) else load_model(model)
    site = Site(m, cache_size=cache_size)
    if warm:
        site.warm()
    renderer = Renderer(site)
    responses = LRU(cache_size)

    def respond_error(request: Request, status: int, message: str, errors: list[Any]) -> Response:
        if wants_json(request):
            body = json.dumps(error_body(status, message, errors), ensure_ascii=False)
            return Response(body, status, media_type="application/json", headers=SECURITY_HEADERS)
        page = Page("error.html", f"{status}: {message}", error_body(status, message, errors))
        return Response(
            renderer.html(page, request), status, media_type="text/html", headers=SECURITY_HEADERS
        )

    def build(request: Request, view: View, as_json: bool) -> tuple[int, bytes, str]:
        try:
            page = view(site, request, **request.path_params)
        except WebError as e:
            r = respond_error(request, e.status, e.message, e.errors)
            return r.status_code, bytes(r.body), r.media_type or "text/html"
        except ModelError as e:
            errs = [p.to_dict() for p in e.problems]
            r = respond_error(request, 400, str(e).splitlines()[0], errs)
            return r.status_code, bytes(r.body), r.media_type or "text/html"
        except AccordError as e:
            r = respond_error(request, 400, str(e), [{"code": "bad-request", "message": str(e)}])
            return r.status_code, bytes(r.body), r.media_type or "text/html"
        if as_json:
            body = json.dumps(
                {"ok": True, **_jsonable(page.data)}, ensure_ascii=False, default=str
            ).encode()
            return page.status, body, "application/json"
        return page.status, renderer.html(page, request).encode(), "text/html"

    def endpoint(view: View, as_json: bool) -> Callable[[Request], Any]:
        async def handle(request: Request) -> Response:
            key = (
                request.url.path,
                as_json or wants_json(request),
                tuple(sorted(request.query_params.multi_items())),
            )
            hit: tuple[int, bytes, str] | None = responses.data.get(key)
            if hit is None:
                hit = await run_in_threadpool(
                    responses.get, key, lambda: build(request, view, as_json)
                )
            status, body, media = hit
            return Response(body, status, media_type=media, headers=SECURITY_HEADERS)

        return handle

    routes: list[BaseRoute] = []
    for path, view in ROUTES:
        json_path = "/index.json" if path == "/" else f"{path}.json"
        routes.append(Route(json_path, endpoint(view, True), methods=["GET", "HEAD"]))
        routes.append(Route(path, endpoint(view, False), methods=["GET", "HEAD"]))

    async def openapi_json(request: Request) -> Response:
        body = json.dumps(openapi.spec(site), ensure_ascii=False)
        return Response(body, media_type="application/json", headers=SECURITY_HEADERS)

    async def favicon(request: Request) -> Response:
        return Response(status_code=301, headers={"location": "/static/favicon.svg"})

    routes.insert(0, Route("/openapi.json", openapi_json, methods=["GET", "HEAD"]))
    routes.insert(1, Route("/favicon.ico", favicon, methods=["GET", "HEAD"]))
    routes.append(Mount("/static", StaticFiles(packages=[("accord.web", "static")]), name="static"))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = {404: "no such page", 405: "this app is read-only: use GET"}.get(
            exc.status_code, str(exc.detail)
        )
        if exc.status_code == 404:
            message = f"no such page: {request.url.path}"
        return respond_error(
            request, exc.status_code, message, [{"code": str(exc.status_code), "message": message}]
        )

    async def server_error(request: Request, exc: Exception) -> Response:
        message = f"internal error: {type(exc).__name__}: {exc}"
        return respond_error(request, 500, message, [{"code": "internal", "message": message}])

    app = Starlette(
        debug=debug,
        routes=routes,
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )
    app.state.site = site
    return app


def app_from_env() -> Starlette:
    """For ``uvicorn --factory`` (and several workers): the model from ``ACCORD_MODEL``."""
    cache = int(os.environ.get("ACCORD_WEB_CACHE", "1024"))
    return create_app(os.environ.get("ACCORD_MODEL") or None, cache_size=cache, warm=True)
