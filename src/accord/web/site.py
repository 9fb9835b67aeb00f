"""What every page needs: the model, its passages, links, and caches of the slow answers.

The model is immutable, so everything derived from it (a state at a date, a reform's diff,
a source's blocks) can be cached for the life of the server.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from functools import partial
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from accord.brief.monitoring import available as monitor_available
from accord.brief.passages import Passages, element_citations
from accord.engine.model import Model
from accord.model.elements import Citation

__all__ = ["KINDS", "LRU", "Site", "WebError"]

T = TypeVar("T")

# the element kinds with pages of their own, in the order the model holds them
KINDS = ("actors", "instruments", "statements", "events", "sources")
# other kinds, shown as sections of a list page
SECTIONS = {
    "strands": "/strands#",
    "programmes": "/strands#prog-",
    "assessments": "/assessments#",
    "disagreements": "/readings#",
    "procedures": "/procedures/",
}


class WebError(Exception):
    """An error a page reports: HTTP status, message, and the list of problems."""

    def __init__(self, status: int, message: str, errors: list[Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or []


class LRU:
    """A small thread-safe LRU cache (the server runs sync views in threads)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        if self.size <= 0:
            return make()
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                hit: T = self.data[key]
                return hit
        value = make()
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)
        return value


class Site:
    """One model served: its passages, link helpers and caches."""

    def __init__(self, model: Model, *, cache_size: int = 512) -> None:
        self.model = model
        self.passages = Passages(model)
        # derived data is cached even when responses are not (cache_size=0)
        self.states = LRU(256)
        self.slow = LRU(64)  # source blocks, diffs, runs, reformed models
        self.monitor = monitor_available()
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Build what the first requests would otherwise wait for."""
        for sid in self.model.texts:
            self.slow.get(("blocks", sid), partial(self.passages.blocks, sid))
        self.passages.cited_sources()
        self.state(self.default_day)

    # ---- links --------------------------------------------------------------------------
    def kind_of(self, eid: str) -> str | None:
        m = self.model
        for kind in (*KINDS, *SECTIONS):
            table = getattr(m, kind, None)
            if table is not None and eid in table:
                return kind
        return None

    def href(self, eid: str | None, kind: str | None = None) -> str | None:
        """The page of an element (by id, or by kind and id); None when it has none."""
        if not eid:
            return None
        kind = kind or self.kind_of(eid)
        if kind in KINDS:
            return f"/{kind}/{quote(eid)}"
        if kind in SECTIONS:
            return SECTIONS[kind] + quote(eid)
        return None

    def cite_href(self, c: dict[str, Any]) -> str:
        """Where a citation points: the passage in its source's text, or the source."""
        if c.get("text") and c.get("anchor"):
            return f"/sources/{quote(c['text'])}#{c['anchor']}"
        return f"/sources/{quote(c['source'])}"

    def url(self, path: str, **params: Any) -> str:
        items = [(k, v) for k, v in params.items() if v not in (None, "", [], ())]
        flat: list[tuple[str, Any]] = []
        for k, v in items:
            if isinstance(v, list | tuple):
                flat.extend((k, x) for x in v)
            else:
                flat.append((k, v))
        return path + ("?" + urlencode(flat) if flat else "")

    def name(self, eid: str | None) -> str:
        return self.model.name(eid) if eid else ""

    # ---- data helpers -------------------------------------------------------------------
    def cite(self, c: Citation | dict[str, Any]) -> dict[str, Any]:
        d = self.passages.enrich(c)
        d["href"] = self.cite_href(d)
        return d

    def cites(self, items: Any) -> list[dict[str, Any]]:
        return [self.cite(c) for c in items]

    def element_cites(self, element: Any) -> list[dict[str, Any]]:
        out = []
        for c in element_citations(self.model, element):
            d = self.passages.enrich(c)
            d["href"] = self.cite_href(d)
            out.append(d)
        return out

    def ref(self, eid: str | None, kind: str | None = None) -> dict[str, Any] | None:
        """An element reference for JSON and templates: id, name, kind, href."""
        if not eid:
            return None
        kind = kind or self.kind_of(eid)
        return {"id": eid, "name": self.name(eid), "kind": kind, "href": self.href(eid, kind)}

    def state(self, day: date) -> Any:
        return self.states.get(day, lambda: self.model.at(day))

    @property
    def default_day(self) -> date:
        from accord.engine.state import as_day

        return as_day(self.model, None)
