"""`kg serve` in a real browser: Debian's chromium, headless, driven by Playwright (no browser
download). The query page runs a query typed into YASGUI and shows rows; Japan's page shows
its meetings and its plots load. Screenshots go to build/screens/ (git-ignored)."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from kg.serve.services import YASGUI_DIR
from project import PROJECT_ROOT, SEEDS_DIR
from serving import build_store, running_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENS = PROJECT_ROOT / "build" / "screens"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
QUERY = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX vjo: <https://w3id.org/vjkg/ontology#>
SELECT ?state ?name WHERE { ?state a vjo:State ; skos:prefLabel ?name } ORDER BY ?name"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = build_store(SEEDS_DIR, tmp_path_factory.mktemp("seeds") / "store")
    with running_server(store) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "chromium is missing (bash .ci/run installs it)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    SCREENS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    outside: list[str] = []
    opened.on("request", lambda r: outside.append(r.url) if not r.url.startswith("http://127.0.0.1") else None)
    yield opened
    context.close()
    assert outside == [], f"the page reached outside: {outside}"  # no CDN, nothing remote


def test_the_query_page_runs_a_query_typed_into_the_editor(server: str, page: Page) -> None:
    assert (YASGUI_DIR / "yasgui.min.js").is_file(), "YASGUI is not vendored (run `make static`)"
    page.goto(server + "/")
    editor = page.locator(".yasqe .CodeMirror")
    expect(editor).to_be_visible()
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(QUERY)
    page.locator(".yasqe_queryButton").click()
    cells = page.locator(".yasr table tbody tr")
    expect(cells.first).to_be_visible(timeout=15000)
    assert cells.count() >= 10
    expect(page.locator(".yasr table")).to_contain_text("Japan")
    page.screenshot(path=str(SCREENS / "query-page.png"), full_page=True)
    page.locator("button.example[data-name='meetings']").click()  # a stored query as an example
    expect(page.locator(".yasqe .CodeMirror")).to_contain_text("Meetings, talks, visits")


def test_japans_page_shows_its_meetings_and_plots(server: str, page: Page) -> None:
    page.goto(server + "/")
    page.fill("header input[name=q]", "Japan")
    page.press("header input[name=q]", "Enter")
    page.locator("a[href='/id/state/JP']").click()
    expect(page.locator("h1")).to_have_text("Japan")
    meetings = page.locator("#meetings tr.meeting")
    assert meetings.count() >= 5
    expect(meetings.first).to_contain_text("Pham Minh Chinh")
    plots = page.locator("#figures img.plot")
    assert plots.count() >= 3
    for index in range(plots.count()):
        plot = plots.nth(index)
        plot.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 300", arg=plot.element_handle())
    expect(page.locator("#figures")).to_contain_text("sources disagree")
    page.screenshot(path=str(SCREENS / "japan.png"), full_page=True)
    page.locator("#figure-fdi_registered_capital").screenshot(path=str(SCREENS / "japan-fdi-plot.png"))
    assert (SCREENS / "japan.png").stat().st_size > 50_000
