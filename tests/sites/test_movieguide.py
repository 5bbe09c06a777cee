"""MovieGuide: parsers on the bundled mirror's pages (no crawl), discovery links, scale edges."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from aggregator.scales import SCALES, ScaleError, map_content
from crawler.mirror.render import movieguide as render
from crawler.sites import movieguide
from crawler.sites.base import KIND, LISTING, REVIEW, SEARCH
from crawler.spiders.movieguide import MovieguideSpider
from tests.helpers import MIRROR_ROOT, html_response, mirror_response

EXPECTED = Path(__file__).resolve().parent.parent / "expected" / "movieguide"
SITE = "https://www.movieguide.org"


def _links(requests) -> list[tuple[str, str]]:
    return [(request.url, request.meta[KIND]) for request in requests]


# --- review pages: every field, both markup generations ---------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "frozen",  # classic: table.movieguide_content_summary, movieguide_subheading lines
        "the-matrix",  # classic, R: Heavy levels, negative acceptability
        "inside-out",  # current: content-qual-header / content-qual-tbl, /reviews/movies/
        "the-lion-king-2019",  # current, remake: "THE LION KING (2019)"
    ],
)
def test_review_page_every_field(name):
    expected = json.loads((EXPECTED / f"{name}.json").read_text("utf-8"))
    review = movieguide.parse_review(mirror_response(expected["url"]))
    assert asdict(review) == expected["review"]


def test_classic_page_spot_checks():
    review = movieguide.parse_review(mirror_response(f"{SITE}/reviews/frozen.html"))
    assert review.title == "FROZEN"
    assert review.year == 2013
    assert review.runtime_minutes == "102 minutes"
    assert review.directors == ["Chris Buck", "Jennifer Lee"]
    assert review.quality_native == 4
    assert review.content_native["violence"] == "Moderate"
    assert review.content_native["acceptability"] == "+3"
    assert review.text.startswith("Princess Elsa")
    assert "Foul Language: No foul language" in review.text


def test_current_page_spot_checks():
    review = movieguide.parse_review(mirror_response(f"{SITE}/reviews/movies/inside-out.html"))
    assert review.url == f"{SITE}/reviews/movies/inside-out.html"
    assert review.runtime_minutes == "95 min."
    assert review.content_native["language"] == "Light"  # row printed as "Foul Language"
    assert review.content_native["acceptability"] == "+2 Good"
    assert review.verdict.startswith("INSIDE OUT is a brilliant")  # "SUMMARY:" label dropped
    assert "CONTENT: (B, H, L, V, N, M)" in review.text


def test_every_indexed_page_parses_with_its_index_title():
    index = json.loads((MIRROR_ROOT / "www.movieguide.org" / "_index.json").read_text("utf-8"))
    assert len(index) >= 16
    for entry in index:
        review = movieguide.parse_review(mirror_response(SITE + entry["path"]))
        assert review is not None, entry
        assert review.title == entry["title"]
        assert review.url == SITE + entry["path"]
        assert review.quality_native in (1, 2, 3, 4)
        assert len(review.content_native) == 8


def test_canonical_url_drops_query():
    body = mirror_response(f"{SITE}/reviews/up.html").body
    review = movieguide.parse_review(html_response(f"{SITE}/reviews/up.html?utm_source=feed", body))
    assert review.url == f"{SITE}/reviews/up.html"


# --- pages that are not reviews, partial pages ----------------------------------------------


def test_home_page_is_not_a_review():
    assert movieguide.parse_review(mirror_response(f"{SITE}/")) is None


def test_not_found_page_is_not_a_review():
    status, _, body = render.render_not_found("/reviews/no-such-film.html")
    assert status == 404
    assert movieguide.parse_review(html_response(f"{SITE}/reviews/no-such-film.html", body)) is None


def test_partial_classic_page_gives_none_fields():
    page = """<html><head><title>MYSTERY FILM - Movieguide | Movie Reviews for Christians</title>
    </head><body><table class="movieguide_content_summary">
    <tr><td></td><td>None</td><td>Light</td><td>Moderate</td><td>Heavy</td></tr>
    <tr><td>Violence</td><td><div></div></td><td><div></div></td>
        <td><div class="movieguide_circle_red"></div></td><td><div></div></td></tr>
    <tr><td>Language</td><td><div></div></td><td><div></div></td><td><div></div></td><td></td></tr>
    <tr><td>Scary Scenes</td><td><div class="movieguide_circle_green"></div></td></tr>
    </table></body></html>"""
    review = movieguide.parse_review(html_response(f"{SITE}/reviews/mystery-film.html", page))
    assert review.title == "MYSTERY FILM"  # from <title> when there is no headline
    # no marked cell: Language is left out; an unknown row keeps a key of its own
    assert review.content_native == {"violence": "Moderate", "scary_scenes": "None"}
    assert review.url == f"{SITE}/reviews/mystery-film.html"
    for field in ("year", "mpaa_rating", "runtime_minutes", "release_date", "quality_native",
                  "verdict", "text", "published", "imdb_id", "age_native", "reviewer"):
        assert getattr(review, field) is None, field
    assert review.directors == review.cast == review.genres == []


def test_partial_current_page_without_stars():
    page = """<html><body><h1 class="entry-title">SOME FILM</h1>
    <div class="content-qual-header"><div class="qual"><span class="label">Quality:</span></div>
    </div><div class="movie-details"><ul><li><span class="label">Rating:</span>
    <span class="value">PG-13</span></li><li><span class="label">Release Date:</span></li></ul>
    </div></body></html>"""
    review = movieguide.parse_review(html_response(f"{SITE}/reviews/movies/some-film.html", page))
    assert review.title == "SOME FILM"
    assert review.mpaa_rating == "PG-13"
    assert review.quality_native is None
    assert review.release_date is None and review.year is None
    assert review.content_native == {}


# --- discovery --------------------------------------------------------------------------------


def test_search_requests_use_the_wordpress_search():
    assert _links(movieguide.search_requests("Won't Back Down")) == [
        (f"{SITE}/?s=Won%27t+Back+Down", SEARCH)
    ]


def test_listing_requests_start_at_the_reviews_archive():
    assert _links(movieguide.listing_requests()) == [(f"{SITE}/category/reviews", LISTING)]


def test_search_results_link_to_reviews():
    hits = [
        {"path": "/reviews/the-lion-king.html", "title": "THE LION KING"},
        {"path": "/reviews/movies/the-lion-king-2019.html", "title": "THE LION KING (2019)"},
    ]
    content_type, body = render.render_search("the lion king", hits)
    assert content_type.startswith("text/html")
    response = html_response(f"{SITE}/?s=the+lion+king", body)
    assert _links(movieguide.parse_search(response)) == [
        (f"{SITE}/reviews/the-lion-king.html", REVIEW),
        (f"{SITE}/reviews/movies/the-lion-king-2019.html", REVIEW),
    ]


def test_search_without_results_yields_nothing():
    _, body = render.render_search("zzzz", [])
    assert b"Nothing Found" in body
    assert list(movieguide.parse_search(html_response(f"{SITE}/?s=zzzz", body))) == []


def test_search_query_of_the_mirror():
    assert render.search_query("/", {"s": ["frozen"]}) == "frozen"
    assert render.search_query("/reviews/frozen.html", {"s": ["frozen"]}) is None
    assert render.search_query("/", {"p": ["12"]}) is None


def test_listing_first_page_links_reviews_and_next_page():
    found = _links(movieguide.parse_listing(mirror_response(f"{SITE}/category/reviews")))
    reviews = [url for url, kind in found if kind == REVIEW]
    assert len(reviews) == render.PER_PAGE
    assert reviews[0] == f"{SITE}/reviews/movies/frozen-ii.html"  # newest first
    assert f"{SITE}/reviews/frozen.html" in reviews
    assert (f"{SITE}/category/reviews/page/2", LISTING) in found
    assert len(found) == render.PER_PAGE + 1


def test_listing_last_page_has_no_next_page():
    found = _links(movieguide.parse_listing(mirror_response(f"{SITE}/category/reviews/page/2")))
    assert all(kind == REVIEW for _, kind in found)
    assert (f"{SITE}/reviews/the-matrix.html", REVIEW) in found
    index = json.loads((MIRROR_ROOT / "www.movieguide.org" / "_index.json").read_text("utf-8"))
    first = _links(movieguide.parse_listing(mirror_response(f"{SITE}/category/reviews")))
    listed = {url for url, kind in first + found if kind == REVIEW}
    assert listed == {SITE + entry["path"] for entry in index}


def test_spider_binds_the_site_module():
    assert MovieguideSpider.name == "movieguide"
    assert MovieguideSpider.site is movieguide


# --- scale ------------------------------------------------------------------------------------


def test_content_levels_at_the_edges():
    canonical, extra, errors = map_content(
        "movieguide",
        {
            "language": "None",
            "violence": "Heavy",
            "sex": "Light",
            "nudity": "Moderate",  # sex takes the larger of sex and nudity
            "alcohol": "Heavy",
            "smoking_drugs": "None",  # substances takes the larger
            "immorality": "Light",
            "acceptability": "-4",
        },
    )
    assert errors == []
    assert canonical == {"language": 0.0, "violence": 4.5, "sex": 3.0, "substances": 4.5}
    assert extra == {"immorality": 1.5, "acceptability": 0.0}


def test_acceptability_range():
    canonical, extra, errors = map_content("movieguide", {"acceptability": "+4 Exemplary"})
    assert (canonical, extra, errors) == ({}, {"acceptability": 5.0}, [])
    _, extra, _ = map_content("movieguide", {"acceptability": "-1 Caution"})
    assert extra == {"acceptability": 1.88}
    for impossible in ("0", "+5", "-2.5"):
        _, extra, errors = map_content("movieguide", {"acceptability": impossible})
        assert extra == {} and len(errors) == 1, impossible


def test_impossible_content_level_is_an_error():
    canonical, _, errors = map_content("movieguide", {"violence": "Severe", "gore": "Heavy"})
    assert canonical == {}
    assert [error.field for error in errors] == ["content.violence", "content.gore"]


def test_quality_stars_at_the_edges():
    quality = SCALES["movieguide"].quality
    assert quality(1) == 25.0
    assert quality(4) == 100.0
    assert quality(None) is None
    for impossible in (0, 5):
        with pytest.raises(ScaleError):
            quality(impossible)


def test_no_age_recommendation():
    assert SCALES["movieguide"].age("Older children and adults") is None
