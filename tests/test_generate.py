"""``famreel mirror generate``: a large mirror from the real catalogs, and the mirror's transport
(aiohttp server, request log, the transport instructions ``Mirror.answer`` may give)."""

from __future__ import annotations

import hashlib
import http.client
import json
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from aggregator.normalize import split_title, title_key
from crawler.mirror.build import load_films
from crawler.mirror.generate import FILMS_FILE, choose_films, generate
from crawler.mirror.paths import INDEX_FILE, file_for
from crawler.mirror.render import page_numbers
from crawler.mirror.server import (
    DELAY_HEADER,
    RESET_AFTER_HEADER,
    Mirror,
    MirrorServer,
    running_mirror,
)
from crawler.sites import available_sites, site_module
from crawler.sites.base import KIND, REVIEW
from tests.conftest import famreel_command, run_famreel
from tests.helpers import html_response

FILMS = 120


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated") / "mirror"
    generate(FILMS, root, seed=7)
    return root


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_films_are_the_bundled_ones_then_catalog_films_with_unique_keys_and_ids():
    films = choose_films(FILMS, seed=7)
    bundled = load_films()
    assert len(films) == FILMS
    assert films[: len(bundled)] == bundled
    assert len({f["key"] for f in films}) == FILMS
    ids = [f["imdb_id"] for f in films if f.get("imdb_id")]
    assert len(ids) == len(set(ids))
    catalog = films[len(bundled):]
    assert all(f["title"] and 1888 <= f["year"] <= 2030 for f in catalog)
    assert {f["mpaa"] for f in catalog} <= {"G", "PG", "PG-13", "R", "NC-17", "NR", None}
    assert choose_films(FILMS, seed=8)[len(bundled):] != catalog  # the seed draws other films
    assert choose_films(5) == bundled[:5]


def test_same_seed_same_mirror(generated: Path, tmp_path: Path):
    again = tmp_path / "again"
    generate(FILMS, again, seed=7)
    assert _digest(again) == _digest(generated)


def test_every_site_has_robots_index_and_listing_pages(generated: Path):
    films = json.loads((generated / FILMS_FILE).read_text("utf-8"))["films"]
    assert len(films) == FILMS
    for site in available_sites():
        host = site_module(site).HOSTS[0]
        assert (generated / host / "robots.txt").is_file(), host
        index = json.loads((generated / host / INDEX_FILE).read_text("utf-8"))
        # each site reviews a subset: some films but not all of them (IMDb: those with an id)
        assert 0.2 * FILMS < len(index) <= FILMS, (host, len(index))
        for listing in site_module(site).listing_requests():
            parts = urlsplit(listing.url)
            assert file_for(generated, parts.netloc, parts.path, parts.query).is_file(), listing


def test_pagers_link_a_window_of_pages_and_still_reach_every_page():
    """As WordPress's paginate_links(): first, last, current and two either side, so a listing
    of N pages yields O(N) links in all; following them from page 1 reaches every page."""
    for pages in (1, 4, 5, 9, 380):
        shown = {n: page_numbers(n, pages) for n in range(1, pages + 1)}
        assert all(len(numbers) <= 9 for numbers in shown.values())
        reached, todo = {1}, [1]
        while todo:
            for n in shown[todo.pop()]:
                if n is not None and n not in reached:
                    reached.add(n)
                    todo.append(n)
        assert reached == set(range(1, pages + 1))
    assert page_numbers(5, 380) == [1, None, 3, 4, 5, 6, 7, None, 380]


def test_listing_pages_lead_to_every_review_page(generated: Path):
    """Following each site's listing pages with its own parser (no crawl) finds every review
    page of the generated mirror."""
    for site in available_sites():
        module = site_module(site)
        todo, seen, reviews = list(module.listing_requests()), set(), set()
        while todo:
            request = todo.pop()
            parts = urlsplit(request.url)
            if request.url in seen or parts.netloc not in module.HOSTS:
                continue
            seen.add(request.url)
            path = file_for(generated, parts.netloc, parts.path, parts.query)
            if request.meta[KIND] == REVIEW:
                reviews.add(parts.path)
            elif path.is_file():
                todo.extend(module.parse_listing(html_response(request.url, path.read_bytes(),
                                                               meta=request.meta)))
        index = json.loads((generated / module.HOSTS[0] / INDEX_FILE).read_text("utf-8"))
        assert {entry["path"] for entry in index} <= reviews, site


def test_generated_review_pages_parse_with_the_site_parsers(generated: Path):
    """A catalog film's page, in each site's markup, reads back as that film."""
    films = json.loads((generated / FILMS_FILE).read_text("utf-8"))["films"]
    catalog_keys = {title_key(f["title"]) for f in films[len(load_films()):]}
    for site in available_sites():
        module = site_module(site)
        host = module.HOSTS[0]
        index = json.loads((generated / host / INDEX_FILE).read_text("utf-8"))
        parsed = 0
        for entry in index:
            url = f"https://{host}{entry['path']}"
            body = file_for(generated, host, entry["path"]).read_bytes()
            item = module.parse_review(html_response(url, body, meta={KIND: REVIEW}))
            if item is None or not hasattr(item, "title"):
                continue  # e.g. IMDb's WAF page: the data comes from a follow-up request
            assert item.title, url
            parsed += title_key(split_title(item.title)[0]) in catalog_keys
        assert parsed >= 5, site


def test_cli_generates_and_refuses_to_overwrite(tmp_path: Path):
    out = tmp_path / "m"
    result = run_famreel("mirror", "generate", "--films", "50", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "50 films" in result.stderr
    assert (out / "www.commonsensemedia.org" / INDEX_FILE).is_file()
    again = run_famreel("mirror", "generate", "--films", "50", "--out", str(out))
    assert again.returncode == 2
    assert again.stderr.strip().splitlines() == [
        f"famreel: error: --out {out} exists and is not an empty folder"]
    bad = run_famreel("mirror", "generate", "--films", "0", "--out", str(tmp_path / "n"))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert not (tmp_path / "n").exists()
    missing = run_famreel("mirror", "generate", "--films", "5", "--out", str(tmp_path / "o"),
                          "--catalogs", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "catalog folder" in missing.stderr


def test_cli_serves_a_generated_mirror_and_logs_every_request(generated: Path, tmp_path: Path):
    log = tmp_path / "requests.log"
    process = subprocess.Popen(
        [*famreel_command(), "mirror", "--root", str(generated), "--port", "0", "--log", str(log)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert process.stdout is not None
        url = urlsplit(process.stdout.readline().strip())
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        for method, target in (("GET", "/kids-in-mind.com/robots.txt"),
                               ("HEAD", "/kids-in-mind.com/a.htm"),
                               ("GET", "/kids-in-mind.com/no-such-page.htm")):
            connection.request(method, target)  # one keep-alive connection for all three
            connection.getresponse().read()
        connection.close()
        for _ in range(50):
            if log.exists() and len(log.read_text().splitlines()) == 3:
                break
            time.sleep(0.1)
        assert log.read_text().splitlines() == [
            "GET /kids-in-mind.com/robots.txt 200",
            "HEAD /kids-in-mind.com/a.htm 200",
            "GET /kids-in-mind.com/no-such-page.htm 404",
        ]
    finally:
        process.terminate()
        process.wait(timeout=10)


class _Instructed(Mirror):
    """A mirror whose answers carry the transport instructions."""

    def answer(self, method, target, body=b"", headers=None):  # type: ignore[no-untyped-def]
        status, out, payload = super().answer(method, "/kids-in-mind.com/robots.txt")
        if target == "/slow":
            out = {**out, DELAY_HEADER: "0.5"}
        elif target == "/reset":
            out = {**out, RESET_AFTER_HEADER: "10"}
        return status, out, payload


def test_server_honours_delay_and_reset_instructions_and_never_sends_them():
    server = MirrorServer(_Instructed())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.wait_ready()
    try:
        host, port = server.server_address
        started = time.monotonic()
        connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.request("GET", "/slow")
        response = connection.getresponse()
        body = response.read()
        assert time.monotonic() - started >= 0.5
        assert response.status == 200 and body.startswith(b"User-agent")
        assert response.getheader(DELAY_HEADER) is None
        connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.request("GET", "/reset")
        response = connection.getresponse()
        assert response.getheader(RESET_AFTER_HEADER) is None
        with pytest.raises(http.client.IncompleteRead) as cut:
            response.read()
        assert len(cut.value.partial) == 10
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def test_running_mirror_stops_cleanly_and_frees_its_port():
    with running_mirror() as url:
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request("GET", "/kids-in-mind.com/robots.txt")
        assert connection.getresponse().status == 200
    with pytest.raises(OSError):
        http.client.HTTPConnection(parts.hostname, parts.port, timeout=2).request("GET", "/")
