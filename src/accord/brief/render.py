"""Render the briefing as one self-contained HTML file: inline CSS and SVG, no scripts, no
network. Every fact links to its passage in the file's own appendix of sources."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

KIND_HEADINGS = {
    "opportunity": "Opportunities",
    "difficulty": "Difficulties",
    "attitude": "Attitudes",
    "comparison": "Comparisons",
    "discrepancy": "Discrepancies between the sources",
    "conclusion": "Conclusions",
    "proposal": "Proposals",
}

__all__ = ["cite_label", "environment", "render_brief", "short_source"]

VERDICT_CLASS = {
    "obliged": "v-obl",
    "permitted": "v-per",
    "forbidden": "v-for",
    "not-regulated": "v-nr",
    "contested": "v-con",
}


def short_source(source: Mapping[str, Any] | None, sid: str) -> str:
    """'Portela 2001' for an authored source, else its id."""
    if source and source.get("author"):
        year = str(source.get("date") or "")[:4]
        return f"{str(source['author']).split()[-1]} {year}".strip()
    return sid


def cite_label(c: Mapping[str, Any], sources: Mapping[str, Any] | None = None) -> str:
    src = (sources or {}).get(c["source"])
    name = short_source(src, c["source"])
    at = c.get("at") or ""
    m = re.fullmatch(r"p(\d+)", at)
    if m:
        at = f"¶{m.group(1)}"
    elif re.fullmatch(r"fn\d+", at):
        at = f"fn {at[2:]}"
    return f"{name} {at}".strip()


def _tip(c: Mapping[str, Any]) -> str:
    parts = [c.get("title") or c["source"]]
    if c.get("quote"):
        parts.append(f"“{c['quote']}”")
    parts.append(f"[{c.get('confidence')}]")
    if c.get("via"):
        parts.append(f"(quoted in {c['via']})")
    if c.get("note"):
        parts.append(c["note"])
    return " ".join(parts)


def brief_href(c: Mapping[str, Any]) -> str:
    if c.get("text") and c.get("anchor"):
        return f"#src-{c['text']}-{c['anchor']}"
    return f"#doc-{c['source']}"


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("accord.brief", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["VERDICT_CLASS"] = VERDICT_CLASS
    env.globals["KIND_HEADINGS"] = KIND_HEADINGS
    env.filters["label"] = cite_label
    env.filters["tip"] = _tip
    env.filters["brief_href"] = brief_href
    env.filters["nicedate"] = _nicedate
    env.filters["svg"] = lambda s: Markup(s)  # our own SVG, built with escaped text
    return env


def _nicedate(value: str) -> str:
    try:
        d = date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{d.day} {d.strftime('%B %Y')}"


def render_brief(data: Mapping[str, Any]) -> str:
    """The HTML of the briefing for ``data`` (from :func:`accord.brief.build_brief`)."""
    env = environment()
    css = files("accord.brief").joinpath("templates", "brief.css").read_text(encoding="utf-8")
    tpl = env.get_template("brief.html.j2")
    return tpl.render(b=data, css=Markup(css), sources=data.get("sources", {}), esc=escape)
