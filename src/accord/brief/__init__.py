"""The briefing: one self-contained HTML file on a framework at a date, every fact linked
to its source passage.

>>> import accord
>>> from accord.brief import build_brief, render_brief
>>> html = render_brief(build_brief(accord.load(), "2001-05-17", reforms=False))
>>> "Political and Security Committee" in html and "<script" not in html
True
"""

from accord.brief.data import build_brief
from accord.brief.render import render_brief

__all__ = ["build_brief", "render_brief"]
