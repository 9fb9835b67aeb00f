"""The web app: browse a framework, ask it questions, run its scenarios and reforms.

Server-side pages (Starlette, Jinja2), each with a JSON twin; pictures drawn as SVG by
:mod:`accord.pictures`; read-only. Start it with ``accord serve`` or build it with
:func:`create_app`.
"""

from accord.web.app import create_app

__all__ = ["create_app"]
