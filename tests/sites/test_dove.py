"""Dove.org: parser, discovery, scale and mirror renderer on saved mirror pages (no crawl)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from aggregator.scales import ScaleError, map_content, scale_for
from crawler.mirror.render import dove as renderer
from crawler.sites import dove
from crawler.sites.base import KIND, LISTING, REVIEW, SEARCH
from tests.helpers import FILMS, html_response, mirror_response, urls_of_kind

EXPECTED = Path(__file__).resolve().parent.parent / "expected" / "dove"


urls = urls_of_kind


# --- review pages: every field, one page per markup generation ----------------------------------


@pytest.mark.parametrize("case", sorted(path.stem for path in EXPECTED.glob("*.json")))
def test_review_page_every_field(case):
    saved = json.loads((EXPECTED / f"{case}.json").read_text(encoding="utf-8"))
    review = dove.parse_review(mirror_response(saved["url"]))
    assert asdict(review) == saved["expected"]


def test_expected_pages_cover_every_markup_generation():
    markup_by_url = {review.url: review.markup for review in renderer.covered_reviews(FILMS)}
    saved = [json.loads(path.read_text(encoding="utf-8")) for path in EXPECTED.glob("*.json")]
    assert {markup_by_url[page["url"]] for page in saved} == set(renderer.MARKUPS)


def test_totals_and_their_class_names_do_not_leak_into_the_grid():
    # wonder: totals 6 / 3 with class rating-circle--positive-2 / --negative-1
    review = dove.parse_review(mirror_response("https://dove.org/review/12874-wonder/"))
    assert set(review.content_native) == {
        "faith", "integrity", "sex", "language", "violence", "drugs", "nudity", "other"
    }


def test_article_under_review_path_is_not_a_review():
    url = "https://dove.org/review/592756-an-inside-peek-at-what-we-do-at-dove/"
    assert dove.parse_review(mirror_response(url)) is None


def test_not_found_page_is_not_a_review():
    page = """<!DOCTYPE html><html><head><title>Page not found - Dove.org</title></head>
    <body class="error404"><main id="main"><h1>Oops! That page can't be found.</h1></main></body></html>"""
    assert dove.parse_review(html_response("https://dove.org/review/1-missing/", page)) is None


def test_partial_matrix_page_gives_none_fields():
    page = """<html><body><main>
    <div class="matrix-categories">
      <div class="matrix-item"><span class="item-text">Sexual Content</span>
        <span class="categories-item categories-item--2"></span></div>
      <div class="matrix-item"><span class="item-text">Violence</span>
        <span class="categories-item"></span></div>
      <div class="matrix-item"><span class="item-text">Language</span></div>
    </div></main></body></html>"""
    review = dove.parse_review(html_response("https://dove.org/review/77-partial/?utm=x", page))
    assert review.url == "https://dove.org/review/77-partial/"
    assert review.content_native == {"sex": 2}  # label alias; a level-less item is left out
    assert (review.title, review.year, review.mpaa_rating, review.runtime_minutes) == (None,) * 4
    assert (review.age_native, review.verdict, review.text, review.published) == (None,) * 4
    assert review.directors == review.cast == review.genres == []


def test_partial_chart_page_keeps_what_it_can_read():
    page = """<html><head><title>Old Yeller - Dove.org</title></head><body>
    <div class="approved-text">Dove Family-Approved for All Ages</div>
    <div class="rating-chart">
      <img src="/images/g3.jpg" alt="Violence" title="A dog fights a wolf.">
      <img src="/images/chart.gif" alt="Drugs">
      <img src="/images/g0.jpg">
    </div></body></html>"""
    review = dove.parse_review(html_response("https://dove.org/review/88-old-yeller/", page))
    assert review.title == "Old Yeller"
    assert review.content_native == {"violence": 3}
    assert review.age_native == "Dove Family-Approved for All Ages"
    assert review.text == "Violence: A dog fights a wolf."


# --- discovery ----------------------------------------------------------------------------------


def test_listing_and_search_start_urls():
    assert urls(dove.listing_requests(), LISTING) == [
        f"https://dove.org/reviews/genre/{genre}/"
        for genre in ("animation", "family", "drama", "comedy")
    ]
    assert urls(dove.search_requests(" Harry Potter and the Sorcerer's Stone "), SEARCH) == [
        "https://dove.org/?s=Harry+Potter+and+the+Sorcerer%27s+Stone"
    ]


ANIMATION = "https://dove.org/reviews/genre/animation/"


def split(requests):
    return (
        [r.url for r in requests if r.meta[KIND] == REVIEW],
        [r.url for r in requests if r.meta[KIND] == LISTING],
    )


def test_listing_pages_give_every_review_of_the_genre_and_next_pages():
    reviews_1, listings_1 = split(list(dove.parse_listing(mirror_response(ANIMATION))))
    reviews_2, listings_2 = split(list(dove.parse_listing(mirror_response(ANIMATION + "page/2/"))))
    assert len(reviews_1) == renderer.PER_PAGE
    expected = [r.url for r in renderer.covered_reviews(FILMS) if "Animation" in r.genres]
    assert reviews_1 + reviews_2 == expected
    assert "https://dove.org/review/9826-frozen/" in expected
    assert ANIMATION + "page/2/" in listings_1
    assert ANIMATION + "page/3/" not in listings_2
    assert "https://dove.org/reviews/genre/family/" in listings_1  # the genre menu


def test_search_results_page_links_every_hit_in_order():
    hits = [
        {"path": "/review/9826-frozen/", "title": "Frozen"},
        {"path": "/review/16644-frozen-ii/", "title": "Frozen II"},
    ]
    content_type, body = renderer.render_search("frozen", hits)
    assert content_type.startswith("text/html")
    response = html_response("https://dove.org/?s=frozen", body)
    assert urls(list(dove.parse_search(response)), REVIEW) == [
        "https://dove.org/review/9826-frozen/",
        "https://dove.org/review/16644-frozen-ii/",
    ]


def test_search_without_results():
    _, body = renderer.render_search("zzz", [])
    assert b"Nothing matches your search term" in body
    assert list(dove.parse_search(html_response("https://dove.org/search/reviews/zzz", body))) == []


def test_search_2015_entry_titles():
    page = """<html><body><div id="content">
    <div class="post"><h1 class="entry-title"><a href="http://www.dove.org/review/5768-cars/">Cars</a></h1></div>
    <div class="post"><h1 class="entry-title"><a href="/review/7101-cars-2/">Cars 2</a></h1></div>
    </div></body></html>"""
    found = dove.parse_search(html_response("https://dove.org/?s=cars", page))
    assert urls(list(found), REVIEW) == [
        "http://www.dove.org/review/5768-cars/",
        "https://dove.org/review/7101-cars-2/",
    ]


def test_search_2026_review_anchors_in_main_content_only():
    page = """<html><body><header><a href="/reviews/">Reviews</a></header><main>
    <article><a href="https://dove.org/review/5768-cars/"><span>Movie</span>
    <span>Cars</span></a></article>
    <article><a href="https://dove.org/review/5768-cars/">Read more</a></article>
    <a href="/page/2/?s=cars">Next</a></main>
    <footer><a href="/review/592756-an-inside-peek-at-what-we-do-at-dove/">About</a></footer>
    </body></html>"""
    found = dove.parse_search(html_response("https://dove.org/?s=cars", page))
    assert urls(list(found), REVIEW) == ["https://dove.org/review/5768-cars/"]


# --- scale --------------------------------------------------------------------------------------


def test_content_scale_edges_and_mapping():
    canonical, extra, errors = map_content(
        "dove",
        {"faith": 5, "integrity": 0, "sex": 1, "nudity": 4, "language": 0, "violence": 5,
         "drugs": 3, "other": 2},
    )
    assert errors == []
    assert canonical == {"role_models": 0.0, "sex": 4.0, "language": 0.0, "violence": 5.0,
                         "substances": 3.0}
    assert extra == {"faith": 5.0, "other": 2.0}


@pytest.mark.parametrize("impossible", [6, -1, "7"])
def test_content_scale_rejects_impossible_levels(impossible):
    _, _, errors = map_content("dove", {"violence": impossible})
    assert [error.field for error in errors] == ["content.violence"]


@pytest.mark.parametrize(
    ("seal", "age"),
    [
        ("Approved for All Ages", 2),
        ("Dove Family-Approved for All Ages", 2),
        ("Approved for Ages 12+", 12),
        ("Approved for Ages 18+", 18),
        ("Dove Reviewed", None),
        ("Faith-Friendly", None),
        (None, None),
    ],
)
def test_seal_to_age(seal, age):
    assert scale_for("dove").age(seal) == age


@pytest.mark.parametrize("seal", ["Approved for Ages 7+", "Approved for Ages 25+"])
def test_seal_with_an_age_dove_never_awards_is_impossible(seal):
    with pytest.raises(ScaleError):
        scale_for("dove").age(seal)


def test_no_quality_score():
    assert scale_for("dove").quality("5") is None


# --- mirror renderer ----------------------------------------------------------------------------


def test_renderer_covers_the_required_films_in_every_generation():
    covered = {r.film["key"]: r for r in renderer.covered_reviews(FILMS)}
    required = {
        "inside-out", "frozen", "wonder", "wont-back-down", "toy-story-3", "harry-potter-1",
        "the-lion-king-1994", "the-lion-king-2019", "the-parent-trap-1998", "finding-nemo", "up",
        "paddington-2", "hidden-figures", "beauty-and-the-beast-1991",
        "beauty-and-the-beast-2017", "shrek",
    }
    assert required <= set(covered)
    assert covered["harry-potter-1"].path == "/review/3564-harry-potter-and-the-sorcerers-stone/"
    written = [covered[key] for key in renderer.FILMS]
    assert sum(review.markup == renderer.CHART for review in written) >= 4


def test_build_is_deterministic_and_indexed(tmp_path):
    def built(folder):
        renderer.build(FILMS, folder)
        return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    first = built(tmp_path / "a")
    assert first == built(tmp_path / "b")
    index = json.loads(first[Path("dove.org/_index.json")])
    assert {"path": "/review/9826-frozen/", "title": "Frozen"} in index
    assert first[Path("dove.org/robots.txt")].startswith(b"User-agent: *")


def test_search_endpoints():
    assert renderer.search_query("/", {"s": ["frozen ii"]}) == "frozen ii"
    assert renderer.search_query("/search/reviews/frozen+ii", {}) == "frozen ii"
    assert renderer.search_query("/", {}) is None
    assert renderer.search_query("/review/9826-frozen/", {"s": ["x"]}) is None
