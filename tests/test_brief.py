"""The briefing: one self-contained HTML file, every fact linked to its passage."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.conftest import MINI

import accord
from accord.brief import build_brief, render_brief
from accord.cli import main


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return build_brief(accord.load(), "2001-05-17", reforms=True)


@pytest.fixture(scope="module")
def html(data: dict[str, Any]) -> str:
    return render_brief(data)


class Rows(HTMLParser):
    """Table rows of the tables with the given classes: does each hold a citation link?"""

    def __init__(self, classes: set[str]) -> None:
        super().__init__()
        self.classes = classes
        self.table: list[str | None] = []
        self.row: list[str] | None = None
        self.rows: list[tuple[str, str, bool]] = []  # (table class, row id, has cite)
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            cls = (a.get("class") or "").split()
            self.table.append(next((c for c in cls if c in self.classes), None))
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.table and self.table[-1] and self.in_body:
            self.row = [a.get("id") or a.get("class") or "", ""]
        elif tag == "a" and self.row is not None and "cite" in (a.get("class") or "").split():
            self.row[1] = "cite"

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.table:
            self.table.pop()
        elif tag == "tbody":
            self.in_body = False
        elif tag == "tr" and self.row is not None and self.table and self.table[-1]:
            self.rows.append((self.table[-1], self.row[0], self.row[1] == "cite"))
            self.row = None


def test_the_briefing_is_self_contained(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html
    assert not re.search(r"<(link|img|iframe)\b", html)
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "@import" not in html and "url(http" not in html


def test_every_internal_link_resolves(html: str) -> None:
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    targets = set(re.findall(r'href="#([^"]+)"', html))
    missing = targets - ids
    assert not missing, sorted(missing)[:10]


def test_every_fact_row_cites_its_passage(html: str) -> None:
    parser = Rows({"ins", "bodies", "phases", "events", "sus", "changes", "monitor"})
    parser.feed(html)
    kinds = {t for t, _, _ in parser.rows}
    assert {"ins", "bodies", "phases", "events", "sus", "changes", "monitor"} <= kinds
    uncited = [(t, rid) for t, rid, ok in parser.rows if not ok and rid != "empty"]
    assert not uncited, uncited[:10]


def test_cite_links_point_into_the_sources_appendix(html: str) -> None:
    cites = re.findall(r'<a class="cite" href="#([^"]+)"', html)
    assert len(cites) > 300
    assert all(c.startswith(("src-", "doc-")) for c in cites)
    assert 'id="src-portela-2001-p18"' in html
    p18 = html[html.index('id="src-portela-2001-p18"') :][:4000]
    assert "<mark" in p18 and "remain exclusively with the EU" in p18


def test_the_glance(data: dict[str, Any], html: str) -> None:
    groups = {g["key"]: [i["id"] for i in g["items"]] for g in data["instruments"]}
    assert "pca" in groups["in force, suspended in part or whole"]
    assert "nice-2000" in groups["in force and in effect"]
    troika = next(b for b in data["bodies"] if b["id"] == "psc-troika")
    chair = next(m for m in troika["members"] if m["role"] == "chair")
    assert chair["actor"] == "sweden" and chair["cites"]
    assert {o["id"]: o["holders"][0]["actor"] for o in data["offices"]}["presidency"] == "sweden"
    assert len(data["strands"]) == 3 and all(s["stage"] for s in data["strands"])
    assert any(p["projects"] for s in data["strands"] for p in s["programmes"])
    assert "Stage of advancement" in html


def test_who_decides_phase_by_phase(data: dict[str, Any], html: str) -> None:
    proc = next(p for p in data["procedures"] if p["id"] == "proc-partners")
    crisis = next(ph for ph in proc["phases"] if ph["id"] == "crisis")
    roles = {(r["who"], r["role"]) for r in crisis["rows"]}
    assert ("council", "decides") in roles and ("psc", "decides") in roles
    assert ("psc-troika", "consults") in roles
    assert all(r["cites"] for ph in proc["phases"] for r in ph["rows"])
    assert proc["svg"].startswith("<svg") and proc["svg"] in html


def test_timeline_and_the_conditionality(data: dict[str, Any], html: str) -> None:
    cond = {e["id"] for e in data["events"] if e["conditionality"]}
    assert "ev-2000-07-10-tacis-unfrozen" in cond  # the lifting
    assert "ev-2000-01-24-gac-chechnya-measures" in cond
    assert any(s["instrument"] == "pca" for s in data["suspensions"])
    assert 'class="timeline"' in html and 'class="network"' in html


def test_monitoring_assessments_and_reforms(data: dict[str, Any]) -> None:
    assert data["monitoring"] is not None
    assert any(r["obligation"] == "pca-summits" for r in data["monitoring"]["rows"])
    kinds = {g["kind"] for g in data["assessments"]}
    assert {"opportunity", "difficulty", "proposal"} <= kinds
    reforms = {r["id"]: r for r in data["reforms"]}
    assert reforms["agreed-modalities"]["changes"]
    assert data["readings"]


def test_another_date_changes_the_briefing() -> None:
    d = build_brief(accord.load(), "1996-01-01", reforms=False, monitoring=False)
    groups = {g["key"]: [i["id"] for i in g["items"]] for g in d["instruments"]}
    assert "pca" in groups["not yet in force"]


def test_the_briefing_of_another_model() -> None:
    """Nothing in the briefing is particular to the built-in model."""
    d = build_brief(accord.load(MINI), reforms=True)
    page = render_brief(d)
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    assert set(re.findall(r'href="#([^"]+)"', page)) <= ids


def test_accord_brief_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "brief.html"
    res = CliRunner().invoke(main, ["brief", "-o", str(out), "--no-reforms"])
    assert res.exit_code == 0, res.output
    assert out.is_file() and out.stat().st_size > 100_000
    assert "wrote" in res.output and "sources" in res.output


def test_accord_brief_reports_a_bad_date(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["brief", "--date", "2001-02-30", "-o", str(tmp_path / "x")])
    assert res.exit_code == 1
    assert "2001-02-30" in res.output
