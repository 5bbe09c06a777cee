"""The web site and JSON API (FastAPI's TestClient, in process) on a database crawled from the
bundled mirror, on SQLite and on PostgreSQL."""

import math
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from crawler.web import create_app
from crawler.web.pages import link
from tests.query_db import FILTER_CASES, HOSTILE_FILM, HOSTILE_VERDICT, crawled_database


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client(request, tmp_path_factory, mirror_url):
    with crawled_database(request.param, tmp_path_factory.mktemp("db"), mirror_url) as url:
        with TestClient(create_app(url)) as test_client:
            yield test_client


@pytest.fixture(scope="module")
def everything(client):
    answer = client.get("/api/films", params={"per_page": 100}).json()
    assert answer["total"] == len(answer["films"]) >= 40
    return answer["films"]


def film_id(everything, title, year=None):
    return next(f["id"] for f in everything if f["title"] == title and year in (None, f["year"]))


@pytest.mark.parametrize(("_args", "params", "keep"), FILTER_CASES,
                         ids=[" ".join(args) for args, _, _ in FILTER_CASES])
def test_each_filter(client, everything, _args, params, keep):
    answer = client.get("/api/films", params={**params, "per_page": 100})
    assert answer.status_code == 200, answer.text
    expected = [f["id"] for f in everything if keep(f)]
    assert 0 < len(expected) < len(everything)
    assert [f["id"] for f in answer.json()["films"]] == expected  # same filter, same order


def test_title_filter_and_sorts(client):
    films = client.get("/api/films", params={"title": "wont back down"}).json()["films"]
    assert films[0]["title"] == "Won't Back Down"
    by_quality = client.get("/api/films", params={"sort": "quality", "mpaa": "G"}).json()
    qualities = [f["quality"]["consensus"] for f in by_quality["films"]]
    assert qualities == sorted(qualities, reverse=True)


def test_pagination_walks_every_film_once(client, everything):
    seen, pages = [], None
    for page in range(1, 100):
        answer = client.get("/api/films", params={"page": page, "per_page": 10}).json()
        pages = answer["pages"]
        seen += [f["id"] for f in answer["films"]]
        if page == pages:
            break
    assert pages == math.ceil(len(everything) / 10)
    assert seen == [f["id"] for f in everything]
    past = client.get("/api/films", params={"page": pages + 1, "per_page": 10})
    assert past.status_code == 404
    assert past.json() == {"detail": f"page {pages + 1} is past the last page ({pages}) of "
                                     f"{len(everything)} films"}


def test_one_film(client, everything):
    wanted = film_id(everything, "Won't Back Down")
    answer = client.get(f"/api/films/{wanted}")
    assert answer.status_code == 200
    assert answer.json() == next(f for f in everything if f["id"] == wanted)


@pytest.mark.parametrize(("path", "status", "detail"), [
    ("/api/films?max=scary=2", 400, "unknown content category 'scary'"),
    ("/api/films?max=violence", 400, "is not CATEGORY=LEVEL"),
    ("/api/films?max=violence=9", 400, "level 9 of violence is outside 0-5"),
    ("/api/films?mpaa=XXX", 400, "unknown MPAA rating 'XXX'"),
    ("/api/films?min_quality=nan", 400, "minimum quality nan is outside 0-100"),
    ("/api/films?year=123456789012345678901234567890", 400, "is outside 1000-9999"),
    ("/api/films?sort=match", 400, "sorting by match needs a title"),
    ("/api/films?title=%3F%21", 400, "has no letters or digits"),
    ("/api/films/987654321", 404, "no film with id 987654321"),
    ("/api/films/99999999999999999999999999", 404, "no film with id"),
    ("/api/films?page=999", 404, "past the last page"),
    ("/api/films?year=abc", 422, "valid integer"),
    ("/api/films?site=nosite", 422, "commonsense"),
    ("/api/films?sort=best", 422, "quality"),
    ("/api/films?per_page=1000", 422, "less than or equal to 100"),
    ("/api/films?page=0", 422, "greater than or equal to 1"),
    ("/api/films?colour=red", 422, "Extra inputs are not permitted"),
    ("/api/films/abc", 422, "valid integer"),
    ("/api/nothing", 404, "Not Found"),
])
def test_bad_input_is_a_4xx_json_error(client, path, status, detail):
    answer = client.get(path)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert detail in str(answer.json()["detail"])


def test_openapi_describes_the_api_and_no_cdn_docs(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/films", "/api/films/{film_id}"} <= set(spec["paths"])
    listed = spec["paths"]["/api/films"]["get"]
    names = {p["name"] for p in listed["parameters"]}
    assert {"title", "year", "mpaa", "max_age", "min_quality", "max", "site", "min_sources",
            "conflicts", "sort", "page", "per_page"} <= names
    assert {"200", "400", "404", "422"} <= set(listed["responses"])
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


def test_search_page_lists_the_film_and_keeps_the_filters(client):
    page = client.get("/", params={"title": "won't back down", "max": "violence=2",
                                   "mpaa": "PG", "year": ""})
    assert page.status_code == 200
    html = page.text
    assert re.search(r'<a class="film-link" href="/films/\d+">Won&#39;t Back Down</a>', html)
    assert 'value="violence=2" selected' in html and 'value="PG" checked' in html
    assert "<script" not in html and 'src="http' not in html and 'href="http' not in html


def test_search_page_pages_and_errors(client, everything):
    first = client.get("/", params={"per_page": 5}).text
    assert f"{len(everything)} films" in first and 'rel="next" href="/?per_page=5&amp;page=2"' in first
    bad = client.get("/", params={"max": "loud=3"})
    assert bad.status_code == 400 and "unknown content category" in bad.text
    assert bad.headers["content-type"].startswith("text/html")


def test_film_page_card_and_charts(client, everything):
    wanted = film_id(everything, "Won't Back Down")
    record = next(f for f in everything if f["id"] == wanted)
    page = client.get(f"/films/{wanted}")
    assert page.status_code == 200
    html = page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert '<dd id="consensus-age">12+</dd>' in html
    charts = re.findall(r'<figure class="chart" data-category="(\w+)">(.*?)</figure>', html, re.S)
    assert [c for c, _ in charts] == list(record["content"])
    violence = dict(charts)["violence"]
    bars = re.findall(r'<rect class="bar[^"]*" data-site="(\w+)" data-value="([\d.]+)"', violence)
    expected = {"consensus": record["content"]["violence"]["consensus"],
                **record["content"]["violence"]["by_site"]}
    assert {site: float(value) for site, value in bars} == expected
    assert len(bars) == 1 + len(record["content"]["violence"]["by_site"]) >= 7
    for source in record["sources"]:
        assert f'href="{source["url"]}"' in html
    assert client.get("/static/style.css").status_code == 200


def test_a_hostile_review_renders_as_text(client, everything):
    page = client.get(f"/films/{film_id(everything, HOSTILE_FILM)}").text
    assert "<script>document.title" not in page and "<img src=x" not in page
    assert ("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;&lt;img src=x "
            "onerror=alert(1)&gt; Fowl &amp; fun") in page
    assert "Where the sources disagree" in page
    api = client.get("/api/films", params={"title": HOSTILE_FILM}).json()["films"][0]
    assert HOSTILE_VERDICT in [s["verdict"] for s in api["sources"]]  # the API keeps it as data


def test_unknown_film_page_is_a_404_page(client):
    page = client.get("/films/987654321")
    assert page.status_code == 404 and "no film with id 987654321" in page.text
    assert page.headers["content-type"].startswith("text/html")


def test_only_web_links_become_links():
    assert link("https://www.commonsensemedia.org/movie-reviews/x") is not None
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "", None):
        assert link(bad) is None


def test_the_site_cannot_write(client):
    with client.app.state.sessions() as session, pytest.raises(DBAPIError):
        session.execute(text("DELETE FROM films"))
        session.flush()
