"""IMDb Parents Guide parser, discovery, WAF/GraphQL route and scale, on saved pages (no crawl)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import Response, TextResponse

from aggregator.scales import ScaleError, map_content, scale_for
from crawler.mirror.paths import INDEX_FILE
from crawler.mirror.render import imdb as renderer
from crawler.sites import imdb as site
from crawler.sites.base import KIND, LISTING, REVIEW, SEARCH
from crawler.spiders.imdb import ImdbSpider
from tests.helpers import FILMS, MIRROR_ROOT, html_response, mirror_response

EXPECTED = Path(__file__).resolve().parent.parent / "expected" / "imdb"
REAL_PAGE = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "sites"
    / "real"
    / "imdb"
    / "parentalguide_tt0133093_fixture.html"
)
BASE = "https://www.imdb.com"


def expected(name: str) -> dict:
    return json.loads((EXPECTED / f"{name}.json").read_text("utf-8"))


def kinds(requests) -> list[tuple[str, str]]:
    return [(request.url, request.meta[KIND]) for request in requests]


def graphql_answer(title_id: str) -> TextResponse:
    """The mirror's GraphQL answer to the request the parser builds for ``title_id``."""
    request = site.graphql_request(title_id)
    _, payload = renderer.render_post("graphql.imdb.com", "/", request.body)
    return TextResponse(url=request.url, body=payload, encoding="utf-8", request=request)


# --- review pages: every field, one case per markup generation ---------------------------------


def test_real_2024_page_every_field():
    """The real saved page (2024+ data-testid markup, no __NEXT_DATA__): the DOM route."""
    case = expected("real-the-matrix")
    response = html_response(case["url"], REAL_PAGE.read_bytes())
    assert asdict(site.parse_review(response)) == case["review"]


@pytest.mark.parametrize(
    "name",
    [
        "the-matrix",  # 2024+ page with __NEXT_DATA__, same values as the real page
        "frozen",  # 2024+ page, categories without items
        "the-lion-king-1994",  # legacy ipl-status-pill page, no MPA line: US certificate, no slash
    ],
)
def test_mirror_page_every_field(name):
    case = expected(name)
    assert asdict(site.parse_review(mirror_response(case["url"]))) == case["review"]


def test_graphql_answer_every_field():
    case = expected("jurassic-park-graphql")
    assert asdict(site.parse_review(graphql_answer("tt0107290"))) == case["review"]


def test_mirror_matches_the_real_page():
    real = site.parse_review(
        html_response(f"{BASE}/title/tt0133093/parentalguide/", REAL_PAGE.read_bytes())
    )
    mirror = site.parse_review(mirror_response(f"{BASE}/title/tt0133093/parentalguide/"))
    assert (mirror.title, mirror.year, mirror.mpaa_rating, mirror.content_native) == (
        real.title,
        real.year,
        real.mpaa_rating,
        real.content_native,
    )


def test_legacy_mpaa_row_and_2024_certificate_fallback():
    legacy = site.parse_review(mirror_response(f"{BASE}/title/tt0245429/parentalguide"))
    assert legacy.mpaa_rating == "Rated PG for some scary moments"  # tr#mpaa-rating
    modern_g = site.parse_review(mirror_response(f"{BASE}/title/tt0435761/parentalguide/"))
    assert modern_g.mpaa_rating == "G"  # no MPA line: certificates-item "United States"


def test_next_data_wins_over_the_dom():
    html = """<html><head><title>Old Name (2001) - Parents guide - IMDb</title></head><body>
    <h2 data-testid="subtitle">Old Name</h2>
    <section data-testid="content-rating"><ul>
    <li data-testid="rating-item"><a href="#violence">Violence &amp; Gore:</a>
    <div class="ipc-html-content-inner-div">Mild</div></li></ul></section>
    <script id="__NEXT_DATA__" type="application/json">{"props": {"pageProps": {"contentData": {
      "entityMetadata": {"titleText": {"text": "New Name"}, "releaseYear": {"year": 2002}},
      "section": {"items": [{"id": "advisory-violence", "severityVote": {"severity": "Severe"}}]}
    }}}}</script></body></html>"""
    review = site.parse_review(html_response(f"{BASE}/title/tt0000001/parentalguide/", html))
    assert (review.title, review.year, review.content_native) == (
        "New Name",
        2002,
        {"violence": "Severe"},
    )


# --- the WAF and the GraphQL route -------------------------------------------------------------


def test_waf_refusal_becomes_the_graphql_request():
    url = f"{BASE}/title/tt0107290/parentalguide/"
    refused = Response(
        url, status=202, headers={"x-amzn-waf-action": "challenge"}, request=Request(url)
    )
    request = site.parse_review(refused)
    assert isinstance(request, Request)
    assert (request.method, request.url) == ("POST", "https://graphql.imdb.com/")
    assert request.headers["x-imdb-client-name"] == b"imdb-web-next-localized"
    assert request.meta[KIND] == REVIEW and request.meta[site.TITLE_ID_META] == "tt0107290"
    body = json.loads(request.body)
    assert body["variables"] == {"id": "tt0107290"}
    assert "parentsGuide" in body["query"] and "guideItems" in body["query"]


def test_waf_refused_listing_and_search_give_nothing():
    url = f"{BASE}/title/tt0107290/"
    refused = Response(
        url, status=202, headers={"x-amzn-waf-action": "challenge"}, request=Request(url)
    )
    assert list(site.parse_listing(refused)) == []
    assert list(site.parse_search(refused)) == []


def test_mirror_blocks_one_guide_like_the_waf():
    assert renderer.render_blocked("/title/tt0107290/parentalguide/") == (
        202,
        {"x-amzn-waf-action": "challenge"},
        b"",
    )
    assert renderer.render_blocked("/title/tt0107290/") is None
    assert renderer.render_blocked("/title/tt2294629/parentalguide/") is None


def test_graphql_meta_names_the_title_when_the_answer_does_not():
    request = site.graphql_request("tt0107290")
    answer = json.loads(graphql_answer("tt0107290").body)
    del answer["data"]["title"]["id"]
    response = TextResponse(
        url=request.url, body=json.dumps(answer), encoding="utf-8", request=request
    )
    assert site.parse_review(response).url == f"{BASE}/title/tt0107290/parentalguide/"


@pytest.mark.parametrize("body", [b"not json", b'{"data": {"title": null}}', b'{"errors": []}'])
def test_broken_or_empty_graphql_answer_is_no_review(body):
    request = site.graphql_request("tt0107290")
    response = TextResponse(url=request.url, body=body, encoding="utf-8", request=request)
    assert site.parse_review(response) is None


def test_graphql_skips_spoilers():
    answer = json.loads(graphql_answer("tt0107290").body)
    edges = answer["data"]["title"]["parentsGuide"]["categories"][4]["guideItems"]["edges"]
    edges.append({"node": {"text": {"plainText": "The ending is revealed."}, "isSpoiler": True}})
    request = site.graphql_request("tt0107290")
    response = TextResponse(
        url=request.url, body=json.dumps(answer), encoding="utf-8", request=request
    )
    assert "ending" not in site.parse_review(response).text


# --- not a review, partial pages ---------------------------------------------------------------


def test_title_page_is_no_review():
    assert site.parse_review(mirror_response(f"{BASE}/title/tt2294629/")) is None


def test_not_found_page_is_no_review():
    html = """<html><head><title>404 Error - IMDb</title></head><body>
    <div class="error-page"><h1>404 Error</h1>
    <p>The requested URL was not found on our server.</p></div></body></html>"""
    assert site.parse_review(html_response(f"{BASE}/title/tt9999999/parentalguide/", html)) is None


def test_partial_page_gives_none_fields():
    html = """<html><body><section data-testid="content-rating"><ul>
    <li data-testid="rating-item"><a href="#profanity">Profanity:</a>
    <div class="ipc-html-content-inner-div">Moderate</div></li></ul></section></body></html>"""
    review = site.parse_review(html_response(f"{BASE}/title/tt0000002/parentalguide/", html))
    assert review.content_native == {"profanity": "Moderate"}
    assert (review.title, review.year, review.mpaa_rating, review.text) == (None, None, None, None)
    assert review.imdb_id == "tt0000002"


# --- discovery ---------------------------------------------------------------------------------


def test_search_request_uses_the_find_page():
    (request,) = site.search_requests("Won't Back Down")
    assert request.url == f"{BASE}/find/?q=Won%27t+Back+Down&s=tt&ttype=ft"
    assert request.meta[KIND] == SEARCH
    assert (
        renderer.search_query("/find/", {"q": ["Won't Back Down"], "s": ["tt"]})
        == "Won't Back Down"
    )
    assert renderer.search_query("/title/tt2294629/", {"q": ["x"]}) is None


def test_search_results_lead_to_title_pages():
    hits = [
        {"path": "/title/tt2294629/parentalguide/", "title": "Frozen", "year": 2013},
        {"path": "/title/tt0055277/parentalguide", "title": "The Parent Trap", "year": 1961},
    ]
    content_type, body = renderer.render_search("frozen", hits)
    assert content_type.startswith("text/html")
    response = html_response(f"{BASE}/find/?q=frozen&s=tt&ttype=ft", body)
    assert kinds(site.parse_search(response)) == [
        (f"{BASE}/title/tt2294629/", LISTING),
        (f"{BASE}/title/tt0055277/", LISTING),
    ]


def test_search_without_results():
    _, body = renderer.render_search("zzyzx", [])
    response = html_response(f"{BASE}/find/?q=zzyzx", body)
    assert b'No results found for "zzyzx"' in body
    assert list(site.parse_search(response)) == []


def test_title_page_leads_only_to_its_parents_guide():
    """The hero and storyline links give one review request; "More like this" is not followed."""
    modern = mirror_response(f"{BASE}/title/tt2294629/")
    assert kinds(site.parse_listing(modern)) == [(f"{BASE}/title/tt2294629/parentalguide/", REVIEW)]
    legacy_era = mirror_response(f"{BASE}/title/tt0110357/")
    assert kinds(site.parse_listing(legacy_era)) == [
        (f"{BASE}/title/tt0110357/parentalguide", REVIEW)
    ]


def test_list_pages_give_title_pages_and_the_next_page():
    (start,) = site.listing_requests()
    first = kinds(site.parse_listing(mirror_response(start.url)))
    assert first[0] == (f"{BASE}/title/tt1870529/", LISTING)
    assert len([url for url, kind in first if "/title/" in url]) == 10
    assert first[-1] == (f"{start.url}?page=2", LISTING)
    last = kinds(site.parse_listing(mirror_response(f"{start.url}?page=5")))
    assert last == [(f"{BASE}/title/tt17163970/", LISTING), (f"{BASE}/title/tt1661199/", LISTING)]


def test_legacy_list_markup():
    html = """<html><body><div class="lister-list">
    <div class="lister-item mode-detail"><h3 class="lister-item-header"><span>1.</span>
    <a href="/title/tt0114709/?ref_=ttls_li_tt">Toy Story</a></h3></div></div>
    <a class="flat-button lister-page-next next-page" href="/list/ls000000001/?page=2">Next »</a>
    </body></html>"""
    response = html_response(f"{BASE}/list/ls000000001/", html)
    assert kinds(site.parse_listing(response)) == [
        (f"{BASE}/title/tt0114709/", LISTING),
        (f"{BASE}/list/ls000000001/?page=2", LISTING),
    ]


# --- the bundled mirror ------------------------------------------------------------------------

REQUIRED = (
    "inside-out",
    "frozen",
    "wonder",
    "wont-back-down",
    "the-matrix",
    "toy-story-2",
    "toy-story-3",
    "frozen-ii",
    "the-lion-king-1994",
    "the-lion-king-2019",
    "the-parent-trap-1961",
    "the-parent-trap-1998",
    "jurassic-park",
    "spirited-away",
    "coco",
    "up",
)


def test_mirror_covers_the_required_films_in_both_generations():
    index = json.loads((MIRROR_ROOT / renderer.HOST / INDEX_FILE).read_text("utf-8"))
    paths = {entry["path"] for entry in index}
    guides = [renderer.guide_for(film) for film in FILMS if film["key"] in REQUIRED]
    assert len(guides) == len(REQUIRED)
    assert all(guide.guide_path in paths for guide in guides)
    assert sum(guide.legacy for guide in guides) >= 4


def test_build_is_deterministic_and_bundled_pages_are_current(tmp_path):
    renderer.build(FILMS, tmp_path)
    built = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    bundled = {
        p.relative_to(MIRROR_ROOT): p.read_bytes()
        for p in (MIRROR_ROOT / renderer.HOST).rglob("*")
        if p.is_file()
    }
    assert built == bundled


# --- scale and spider --------------------------------------------------------------------------


def test_scale_edges():
    canonical, extra, errors = map_content(
        "imdb",
        {
            "nudity": "None",
            "violence": "Severe",
            "profanity": "mild",
            "alcohol": "Moderate",
            "frightening": "Severe",
        },
    )
    assert canonical == {
        "sex": 0.0,
        "violence": 4.5,
        "language": 1.5,
        "substances": 3.0,
        "scariness": 4.5,
    }
    assert (extra, errors) == ({}, [])
    _, convert = scale_for("imdb").content["frightening"]
    with pytest.raises(ScaleError):
        convert("Extreme")
    assert scale_for("imdb").age("PG-13") is None
    assert scale_for("imdb").quality("Severe") is None


def test_spider():
    assert ImdbSpider.name == "imdb" and ImdbSpider.site is site
    assert site.NAME == "imdb" and site.HOSTS[0] == "www.imdb.com"
