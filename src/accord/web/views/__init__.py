"""The pages, one module per kind; each view returns a Page (data + template).

``ROUTES`` lists (path, view); the app serves each path as HTML and, with ``.json``, as
its JSON twin.
"""

from __future__ import annotations

from collections.abc import Callable

from accord.web.app import Page
from accord.web.views import elements, home, procedures, query

ROUTES: list[tuple[str, Callable[..., Page]]] = [
    *home.ROUTES,
    *query.ROUTES,
    *procedures.ROUTES,
    *elements.ROUTES,
]

__all__ = ["ROUTES"]
