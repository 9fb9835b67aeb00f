"""The web app in a real browser: Debian's chromium, driven headless by Playwright, against
a server started here on a free localhost port.

CI installs ``chromium`` (.ci/run); elsewhere these tests are skipped when it is missing.
Never ``playwright install``: the browser is the system's.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("no /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    import uvicorn

    from accord.web import create_app

    port = free_port()
    config = uvicorn.Config(
        create_app(),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ws="none",
        lifespan="off",
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.accord_errors = errors  # a test that expects an error page clears it
    yield pg
    ctx.close()
    assert not errors, errors


def test_home_to_an_instrument_and_its_source_passage(server: str, page: Any) -> None:
    page.goto(server + "/")
    assert "EU–Russia" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Instruments", exact=True).first.click()
    page.wait_for_url("**/instruments")
    page.get_by_role("link", name=re.compile(r"^Partnership and Co-operation Agreement")).click()
    page.wait_for_url("**/instruments/pca")
    assert "Partnership and Co-operation Agreement" in page.locator("h1").inner_text()
    # follow the first citation of the note to its passage
    cite = page.locator('a.cite[href^="/sources/portela-2001#p"]').first
    href = cite.get_attribute("href")
    cite.click()
    page.wait_for_url("**/sources/portela-2001#p*")
    anchor = href.split("#")[1]
    passage = page.locator(f"li#{anchor}")
    assert passage.is_visible()
    assert passage.locator("mark").count() >= 1
    # and the passage links back to the instrument citing it
    assert passage.locator('a[href="/instruments/pca"]').count() == 1


def test_the_date_control_changes_the_state(server: str, page: Any) -> None:
    page.goto(server + "/at?date=2001-05-17")
    row = page.locator("tr#ins-pca .status")
    assert "pca-technical-assistance" not in row.inner_text()
    page.fill("#date-form input[type=date]", "2000-03-01")
    page.locator("#date-form input[type=date]").dispatch_event("change")
    page.wait_for_url("**/at?date=2000-03-01")
    assert page.locator("#state-date").inner_text() == "2000-03-01"
    assert "pca-technical-assistance" in page.locator("tr#ins-pca .status").inner_text()
    # the slider moves the date field; letting go shows that date
    slider = page.locator("#date-form input[type=range]")
    slider.evaluate("s => { s.value = 2000; s.dispatchEvent(new Event('input')); }")
    shown = page.locator("#date-form input[type=date]").input_value()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", shown) and shown != "2000-03-01"
    slider.evaluate("s => s.dispatchEvent(new Event('change'))")
    page.wait_for_url(f"**/at?date={shown}")
    assert page.locator("#state-date").inner_text() == shown
    # and the steps
    page.get_by_role("link", name="a year →").click()
    page.wait_for_url("**/at?date=*")
    assert page.locator("#state-date").inner_text() != shown


def test_ask_shows_the_verdict_and_its_citation(server: str, page: Any) -> None:
    page.goto(server + "/ask")
    page.fill("input[name=actor]", "russia")
    page.fill("input[name=action]", "launch-operation")
    page.fill("input[name=date]", "2001-05-17")
    page.select_option("select[name=set]", "phase:crisis")
    page.get_by_role("button", name="Ask").click()
    page.wait_for_url("**/ask?*actor=russia*")
    verdict = page.locator("#answer .verdict.big")
    assert verdict.inner_text().lower() == "forbidden"
    quote = page.locator("#answer li.quote").first
    assert "exclusively" in quote.inner_text()
    cite = quote.locator("a.cite")
    assert cite.get_attribute("href").startswith("/sources/")
    cite.click()
    page.wait_for_url("**/sources/**")
    assert page.locator("ol.text mark").count() > 0


def test_ask_with_a_reading(server: str, page: Any) -> None:
    page.goto(server + "/ask?actor=council&action=launch-operation&date=2001-05-17")
    assert page.locator("#answer .verdict.big").inner_text().lower() == "contested"
    page.select_option("select[name=reading] >> nth=0", "launch-decision:nice")
    page.get_by_role("button", name="Ask").click()
    page.wait_for_url("**reading=launch-decision*")
    assert page.locator("#answer .verdict.big").inner_text().lower() == "permitted"


def test_run_a_scenario_and_compare_a_reform(server: str, page: Any) -> None:
    page.goto(server + "/scenarios")
    page.get_by_role("link", name=re.compile("Russia offers forces")).click()
    page.wait_for_url("**/scenarios/reference-crisis")
    rows = page.locator("table.trace tbody tr")
    assert rows.count() >= 5
    assert page.locator("tr.viol").count() >= 1  # Russia may not terminate the operation
    page.select_option("#reform-form select", "agreed-modalities")
    page.get_by_role("button", name="Run").click()
    page.wait_for_url("**reform=agreed-modalities")
    assert page.locator("table.compare").count() == 1
    assert page.locator("table.compare-steps tbody tr").count() >= 5
    assert "with agreed-modalities" in page.content()


def test_pictures_link_to_elements(server: str, page: Any) -> None:
    page.goto(server + "/network?date=2001-05-17")
    node = page.locator('svg.network g[data-id="psc-troika"] a')
    assert node.count() == 1
    node.click()
    page.wait_for_url("**/actors/psc-troika*")
    assert "PSC Troika" in page.locator("h1").inner_text()
    page.goto(server + "/timeline")
    assert page.locator("svg.timeline circle").count() > 50


def test_errors_are_friendly_pages(server: str, page: Any) -> None:
    resp = page.goto(server + "/actors/rusia")
    assert resp.status == 404
    assert "Did you mean" in page.content()
    page.accord_errors.clear()  # the browser logs the 404 it was asked to show
    page.get_by_role("link", name="russia").click()
    page.wait_for_url("**/actors/russia")
