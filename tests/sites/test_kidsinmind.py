"""Kids-In-Mind parser, discovery and scale, on the bundled mirror's saved pages (no crawl)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from aggregator.scales import ScaleError, map_content, scale_for
from crawler.mirror.render import kidsinmind as renderer
from crawler.mirror.server import Mirror
from crawler.sites import kidsinmind as site
from crawler.sites.base import KIND, LISTING, REVIEW, SEARCH
from crawler.spiders.kidsinmind import KidsinmindSpider
from tests.helpers import FILMS, MIRROR_ROOT, html_response, mirror_response

EXPECTED = Path(__file__).resolve().parent.parent / "expected" / "kidsinmind"
BASE = "https://kids-in-mind.com"


def expected(name: str) -> dict:
    return json.loads((EXPECTED / f"{name}.json").read_text("utf-8"))


def kinds(requests) -> list[tuple[str, str]]:
    return [(request.url, request.meta[KIND]) for request in requests]


def searched(query: str) -> tuple[int, bytes]:
    """What the mirror answers for the site's search URL (the real URL's path and query)."""
    status, _, body = Mirror(MIRROR_ROOT).answer("GET", f"/kids-in-mind.com{query}")
    return status, body


# --- review pages --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name",
    [
        "frozen",  # classic markup (14px span header, h2 + p), legacy URL
        "the-parent-trap-1998",  # classic markup, "font-size: 14px !important;", archive URL
        "toy-story-2",  # classic markup, running time printed with the "[1.32]" typo
        "abominable",  # Divi markup: "<h1>Abominable | 2019 | PG | – 1.2.1", new URL
        "the-matrix",  # Divi markup on an archive URL, R rating, two directors
        "onward",  # 2025 markup: no year in <title>, title-prefixed headings in their own module
        "wonder",  # 2025 markup on a legacy URL
    ],
)
def test_review_every_field(name):
    case = expected(name)
    review = site.parse_review(mirror_response(case["url"]))
    assert asdict(review) == case["review"]


def test_remakes_keep_their_own_year_and_levels():
    old = site.parse_review(mirror_response(f"{BASE}/p/parent_trap_1961__121.htm"))
    new = site.parse_review(mirror_response(f"{BASE}/p/parent_trap_1998__221.htm"))
    assert (old.title, old.year, old.mpaa_rating) == ("The Parent Trap", 1961, "G")
    assert (new.title, new.year, new.mpaa_rating) == ("The Parent Trap", 1998, "PG")
    assert old.content_native == {"sex": 1, "violence": 2, "language": 1}


def test_year_of_2025_page_comes_from_the_h1_only():
    response = mirror_response(f"{BASE}/o/onward-parents-guide-movie-review-rating.htm")
    assert "[2020]" not in response.xpath("//title/text()").get()
    assert site.parse_review(response).year == 2020


def test_foreign_title_bracket_is_not_the_year_or_rating():
    html = ("<html><head><title>Amelie [Le Fabuleux Destin d'Amelie Poulain] [2001] [R] - 5.4.4 | "
            "Parents' Guide &amp; Reviews | Kids-In-Mind.com</title></head><body></body></html>")
    review = site.parse_review(html_response(f"{BASE}/a/amelie.htm", html))
    assert (review.title, review.year, review.mpaa_rating) == ("Amelie", 2001, "R")
    assert review.content_native == {"sex": 5, "violence": 4, "language": 4}


def test_levels_from_headings_when_no_title_line_carries_them():
    html = """<html><head><title>Some Film | Kids-In-Mind.com</title></head><body>
    <div class="et_pb_module et_pb_text"><div class="et_pb_text_inner">
      <h2 id="sex">Some Film SEX/NUDITY 10</h2></div></div>
    <div class="et_pb_module et_pb_text review"><div class="et_pb_text_inner"><p>► Lots.</p></div></div>
    <div class="et_pb_module et_pb_text"><div class="et_pb_text_inner">
      <h2 id="language">Some Film LANGUAGE 0</h2><p>None.</p></div></div>
    </body></html>"""
    review = site.parse_review(html_response(f"{BASE}/s/some-film.htm", html))
    assert review.content_native == {"sex": 10, "language": 0}
    assert review.text == "SEX/NUDITY 10: Lots.\n\nLANGUAGE 0: None."


def test_partial_page_gives_none_fields():
    html = ("<html><head><title>Mystery Film [1999] [PG] - 1.2.3 | Parents' Guide</title></head>"
            "<body><div class='et_pb_text_inner'><h1>Mystery Film</h1></div></body></html>")
    review = site.parse_review(html_response(f"{BASE}/m/mysteryfilm.htm?x=1#top", html))
    assert review.url == f"{BASE}/m/mysteryfilm.htm"
    assert (review.title, review.year, review.mpaa_rating) == ("Mystery Film", 1999, "PG")
    assert review.content_native == {"sex": 1, "violence": 2, "language": 3}
    assert review.runtime_minutes is None and review.imdb_id is None
    assert review.directors == [] and review.cast == []
    assert review.verdict is None and review.text is None


@pytest.mark.parametrize(
    "url",
    [f"{BASE}/f.htm", f"{BASE}/q.htm"],  # letter pages list ratings but are no review
)
def test_index_pages_are_no_review(url):
    assert site.parse_review(mirror_response(url)) is None


def test_not_found_and_search_pages_are_no_review():
    status, content_type, body = renderer.render_not_found("/x/no-such-film.htm")
    assert (status, content_type) == (404, "text/html; charset=UTF-8")
    assert site.parse_review(html_response(f"{BASE}/x/no-such-film.htm", body)) is None
    _, body = searched("/search-desktop.htm?fwp_keyword=frozen")
    assert site.parse_review(html_response(f"{BASE}/search-desktop.htm?fwp_keyword=frozen", body)) is None


# --- discovery -----------------------------------------------------------------------------------

def test_listing_requests_are_the_26_letter_pages():
    requests = kinds(site.listing_requests())
    assert len(requests) == 26
    assert requests[0] == (f"{BASE}/a.htm", LISTING)
    assert requests[-1] == (f"{BASE}/z.htm", LISTING)


def test_letter_page_links_every_review_of_the_letter():
    requests = kinds(site.parse_listing(mirror_response(f"{BASE}/l.htm")))
    assert requests == [
        (f"{BASE}/l/lion_king_1994__030.htm", REVIEW),
        (f"{BASE}/l/lion-king-parents-guide-movie-review-rating.htm", REVIEW),
    ]
    # the A-Z navigation above the list is not taken for reviews; there is no next page
    assert len(kinds(site.parse_listing(mirror_response(f"{BASE}/f.htm")))) == 4
    assert kinds(site.parse_listing(mirror_response(f"{BASE}/q.htm"))) == []


def test_search_request_encodes_like_the_site_form():
    assert kinds(site.search_requests(" Won't Back Down ")) == [
        (f"{BASE}/search-desktop.htm?fwp_keyword=Won%27t+Back+Down", SEARCH)
    ]


def test_search_results_link_the_reviews_best_first():
    url = f"{BASE}/search-desktop.htm?fwp_keyword=frozen"
    status, body = searched("/search-desktop.htm?fwp_keyword=frozen")
    assert status == 200
    assert kinds(site.parse_search(html_response(url, body))) == [
        (f"{BASE}/f/frozen.htm", REVIEW),
        (f"{BASE}/f/frozen-ii-parents-guide-movie-review-rating.htm", REVIEW),
    ]
    _, body = searched("/search-desktop.htm?fwp_keyword=the+parent+trap")
    found = [r.url for r in site.parse_search(html_response(url, body))]
    assert sorted(found) == [f"{BASE}/p/parent_trap_1961__121.htm", f"{BASE}/p/parent_trap_1998__221.htm"]


def test_search_without_hits_shows_the_site_message_and_no_links():
    url = f"{BASE}/search-desktop.htm?fwp_keyword=no+such+film"
    status, body = searched("/search-desktop.htm?fwp_keyword=no+such+film")
    assert status == 200 and b"Nothing matches your search term" in body
    assert list(site.parse_search(html_response(url, body))) == []


def test_search_query_only_answers_the_search_endpoint():
    assert renderer.search_query("/search-desktop.htm", {"fwp_keyword": ["toy story"]}) == "toy story"
    assert renderer.search_query("/t/toystory3.htm", {}) is None


def test_spider_is_the_shared_one():
    assert KidsinmindSpider.name == "kidsinmind" and KidsinmindSpider.site is site
    assert site.CUSTOM_SETTINGS == {"CONCURRENT_REQUESTS_PER_DOMAIN": 1, "DOWNLOAD_DELAY": 30}


# --- mirror build --------------------------------------------------------------------------------

def test_bundled_pages_are_the_builders_output(tmp_path):
    renderer.build(FILMS, tmp_path)
    built = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    bundled_root = MIRROR_ROOT / "kids-in-mind.com"
    bundled = {p.relative_to(MIRROR_ROOT): p.read_bytes() for p in bundled_root.rglob("*") if p.is_file()}
    assert built == bundled
    assert b"Crawl-delay: 30" in built[Path("kids-in-mind.com/robots.txt")]


def test_required_films_and_all_url_generations_are_covered():
    index = json.loads((MIRROR_ROOT / "kids-in-mind.com" / "_index.json").read_text("utf-8"))
    paths = {entry["path"] for entry in index}
    assert len(index) >= 16
    assert sum(p.endswith("-parents-guide-movie-review-rating.htm") for p in paths) >= 3
    assert sum("__" in p for p in paths) >= 3  # archive /<l>/<title>_<year>__<svl>.htm
    assert sum(p.count("_") == 0 and "-" not in p for p in paths) >= 3  # legacy concatenated
    for key, title in [("the-parent-trap-1961", "The Parent Trap [1961] [G] - 1.2.1"),
                       ("onward", "Onward [2020] [PG] - 1.3.1")]:
        assert title in {entry["title"] for entry in index}, key


# --- scale ---------------------------------------------------------------------------------------

def test_scale_edges():
    canonical, extra, errors = map_content("kidsinmind", {"sex": 0, "violence": 10, "language": 5})
    assert canonical == {"sex": 0.0, "violence": 5.0, "language": 2.5}
    assert extra == {} and errors == []


@pytest.mark.parametrize("impossible", [11, -1, 4.5, "many"])
def test_scale_rejects_impossible_levels(impossible):
    _, _, errors = map_content("kidsinmind", {"violence": impossible})
    assert [error.field for error in errors] == ["content.violence"]
    with pytest.raises(ScaleError):
        scale_for("kidsinmind").content["violence"][1](impossible)


def test_scale_has_no_age_and_no_quality():
    scale = scale_for("kidsinmind")
    assert scale.age("12+") is None and scale.quality(5) is None
