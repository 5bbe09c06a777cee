"""End to end in a real browser: ``famreel serve`` on a crawled mirror database, Debian's headless
Chromium driven by Playwright. Searches "won't back down", opens the film, checks the card and
its charts, saves ``test-artifacts/film-card.png``; a hostile review stays text."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import IN_CI, famreel_command
from tests.query_db import HOSTILE_FILM, HOSTILE_VERDICT, crawled_database

CHROMIUM = os.environ.get("FAMREEL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, mirror_url):
    """``famreel serve --port 0`` on a crawled SQLite database; its first stdout line is the URL."""
    with crawled_database("sqlite", tmp_path_factory.mktemp("db"), mirror_url) as db:
        server = subprocess.Popen([*famreel_command(), "serve", "--port", "0", "--db", db],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            url = server.stdout.readline().strip()
            assert url.startswith("http://127.0.0.1:"), url
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A fresh headless Chromium profile (a new user-data-dir) under Playwright."""
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).is_file()):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"), executable_path=CHROMIUM,
            headless=True, args=CHROMIUM_ARGS, viewport={"width": 1100, "height": 900})
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    page.close()


def test_search_open_the_film_see_card_and_chart(page, site_url):
    page.goto(site_url + "/")
    page.get_by_role("searchbox", name="Film title").fill("won't back down")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/?title=*")
    first = page.locator("a.film-link").first
    assert first.inner_text() == "Won't Back Down"
    first.click()
    page.wait_for_url("**/films/*")

    card = page.locator("#film-card")
    assert card.locator("h1").inner_text() == "Won't Back Down (2012)"
    assert card.locator("#consensus-age").inner_text() == "12+"
    assert "PG" in card.locator(".facts").inner_text()
    assert card.locator("li.source").count() == 8
    charts = card.locator("figure.chart")
    assert charts.count() == 8
    violence = card.locator('figure.chart[data-category="violence"]')
    bars = violence.locator("rect.bar")
    assert bars.count() == 8  # the consensus and seven sites that rate violence
    assert violence.locator("rect.bar.consensus").get_attribute("data-value") == "1"
    widths = [bars.nth(i).bounding_box()["width"] for i in range(bars.count())]
    assert all(w > 0 for w in widths) and max(widths) > 3 * min(widths)  # drawn to scale
    assert violence.locator("text.bar-label").all_text_contents()[:2] == ["Consensus", "Dove"]

    ARTIFACTS.mkdir(exist_ok=True)
    card.screenshot(path=str(ARTIFACTS / "film-card.png"))
    assert (ARTIFACTS / "film-card.png").stat().st_size > 20_000
    assert page.dialogs == []


def test_hostile_review_is_shown_as_text_and_never_runs(page, site_url):
    page.goto(site_url + "/?title=" + HOSTILE_FILM.replace("&", "%26"))
    page.locator("a.film-link").first.click()
    page.wait_for_url("**/films/*")
    verdicts = page.locator("li.source p.verdict").all_inner_texts()
    assert HOSTILE_VERDICT in verdicts
    assert page.title() != "pwned" and page.dialogs == []
    assert page.locator("li.source script, li.source img").count() == 0
    assert page.locator("#conflicts").inner_text().count("PG-13") == 1
