"""Common Sense Media: parsers on the bundled mirror's pages (no crawl), discovery, scale edges."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import deque
from pathlib import Path

import pytest
from scrapy.http import TextResponse

from aggregator.scales import SCALES, ScaleError, map_content
from crawler.mirror.render import commonsense as renderer
from crawler.sites import commonsense
from crawler.sites.base import KIND, LISTING, REVIEW, SEARCH
from tests.helpers import MIRROR_ROOT, html_response, mirror_response

SITE = "https://www.commonsensemedia.org"
EXPECTED = Path(__file__).resolve().parent.parent / "expected" / "commonsense"
INDEX = json.loads((MIRROR_ROOT / "www.commonsensemedia.org" / "_index.json").read_text("utf-8"))
COMING_SOON = f"{SITE}/movie-reviews/wallace-gromit-vengeance-most-fowl"


def review(slug: str, strip: str | None = None):
    """Parse a mirror review page; ``strip`` removes every match of a regex from the HTML first."""
    response = mirror_response(f"{SITE}/movie-reviews/{slug}")
    if strip:
        response = response.replace(body=re.sub(strip, "", response.text, flags=re.DOTALL).encode())
    return commonsense.parse_review(response)


def urls(requests) -> list[str]:
    return [r.url for r in requests]


# --- review pages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug", ["wont-back-down", "the-parent-trap-1961"], ids=["current-theme", "drupal7-theme"]
)
def test_review_page_every_field(slug):
    expected = json.loads((EXPECTED / f"{slug}.json").read_text("utf-8"))
    assert dataclasses.asdict(review(slug)) == expected


def test_current_theme_reads_embedded_data_first():
    wbd = review("wont-back-down")
    assert (wbd.age_native, wbd.quality_native) == ("12+", "3")  # JSON-LD @graph strings
    assert wbd.imdb_id == "tt1870529"  # itemReviewed.sameAs
    assert (wbd.parents_age, wbd.parents_count, wbd.kids_age, wbd.kids_count) == (
        "age 13+",
        2,
        None,
        None,
    )  # "Based on 2 reviews" / kids: "No reviews yet"


def test_drupal7_theme_uses_ga_variables_then_dom():
    trap = review("the-parent-trap-1961")
    assert trap.title == "The Parent Trap (1961)"  # the normalizer splits off the year
    assert trap.age_native == "7"  # "csm_age_rating":"7"
    assert trap.quality_native == 4  # div.field_stars_rating.rating-4
    assert trap.content_native["education"] == 0  # GA/DOM key "educational"


def test_diversity_comes_from_the_dom_grid_only():
    coco = review("coco")
    assert coco.content_native["diversity"] == 5
    assert set(coco.content_native) == {
        "education",
        "message",
        "role_model",
        "diversity",
        "violence",
        "sex",
        "language",
        "consumerism",
        "drugs",
    }


def test_current_theme_without_embedded_data_falls_back_to_the_dom():
    full = review("wont-back-down")
    dom_only = review(
        "wont-back-down",
        strip=r'<script type="application/ld\+json">.*?</script>'
        r'|<script type="application/json" data-drupal-selector.*?</script>',
    )
    assert dom_only.age_native == "age 12+" and dom_only.quality_native == 3
    assert dom_only.mpaa_rating == "PG" and dom_only.imdb_id is None
    assert dom_only.reviewer == full.reviewer and dom_only.published == "September 27, 2012"
    assert dom_only.content_native == full.content_native
    assert (dom_only.title, dom_only.year, dom_only.runtime_minutes, dom_only.text) == (
        full.title,
        full.year,
        full.runtime_minutes,
        full.text,
    )


def test_drupal7_grid_without_ga_variables_comes_from_the_dom():
    with_ga = review("jurassic-park")
    dom_only = review("jurassic-park", strip=r"<script[^>]*>window\.dataLayer.*?</script>")
    assert dom_only.content_native == with_ga.content_native
    assert dom_only.age_native == "age 11+" and dom_only.mpaa_rating == "PG-13"


@pytest.mark.parametrize("entry", INDEX, ids=[e["path"].rsplit("/", 1)[1] for e in INDEX])
def test_every_mirror_page_parses(entry):
    url = SITE + entry["path"]
    item = commonsense.parse_review(mirror_response(url))
    if url == COMING_SOON:
        assert item is None  # div.review-view-coming-soon: not reviewed yet
        return
    assert item.url == url and item.title == entry["title"]
    assert item.imdb_id.startswith("tt") and item.year and item.mpaa_rating
    assert item.age_native and item.quality_native and item.verdict and item.reviewer
    assert {"violence", "sex", "language", "drugs", "message", "role_model"} <= set(
        item.content_native
    )


def test_not_a_review_page_is_none():
    assert commonsense.parse_review(mirror_response(f"{SITE}/movie-reviews")) is None
    assert commonsense.parse_review(mirror_response(f"{SITE}/movie-reviews?page=0")) is None


def test_partial_page_gives_none_fields_without_error():
    page = html_response(
        f"{SITE}/movie-reviews/some-film?utm=x",
        '<html><head><script type="application/ld+json">{broken</script>'
        '<script type="application/json" data-drupal-selector="drupal-settings-json">[1,</script>'
        '</head><body><div id="content" role="main"><div class="review-view-top review-teaser-parent">'
        '<div class="review-view-summary"><h1>Some Film</h1><div class="review-rating">'
        '<span class="rating__age">age 9+</span></div>'
        '<div class="review-product-summary"><ul><li>1:46</li></ul></div></div></div>'
        '<div class="user-rating user-rating--adult">Parents say No reviews yet</div></div></body></html>',
    )
    item = commonsense.parse_review(page)
    assert (item.url, item.title, item.age_native, item.runtime_minutes) == (
        f"{SITE}/movie-reviews/some-film",
        "Some Film",
        "age 9+",
        "1:46",
    )
    assert item.quality_native is None and item.content_native == {} and item.year is None
    assert item.mpaa_rating is item.imdb_id is item.verdict is item.text is item.published is None
    assert item.parents_age is item.parents_count is None and item.directors == []


def test_title_without_any_judgement_is_not_a_review():
    page = html_response(
        f"{SITE}/movie-reviews/x", "<div class='review-view-summary'><h1>X</h1></div>"
    )
    assert commonsense.parse_review(page) is None


# --- discovery --------------------------------------------------------------------------------


def test_listing_starts_with_browse_shell_and_paged_listing():
    starts = commonsense.listing_requests()
    assert urls(starts) == [f"{SITE}/movie-reviews", f"{SITE}/movie-reviews?page=0"]
    assert {r.meta[KIND] for r in starts} == {LISTING}


def test_browse_shell_requests_each_section_as_ajax():
    found = list(commonsense.parse_listing(mirror_response(f"{SITE}/movie-reviews")))
    assert len(found) == 5 and {r.meta[KIND] for r in found} == {LISTING}
    assert found[0].url == (
        f"{SITE}/ajax/reviews/category/movie/status/theaters/sort/date-desc/row/slider"
        f"?ajax_page_state%5Blibraries%5D={renderer.LIBRARIES}"
    )
    assert "/genre/comedy/age/2+3+4+5+6+7+8+9+10/row/slider?" in found[4].url  # lists joined by +
    assert found[0].headers[b"Accept"] == b"application/json"


def test_browse_section_ajax_lists_review_links():
    section = commonsense.parse_listing(
        mirror_response(
            f"{SITE}/ajax/reviews/category/movie/status/streaming+dvd/sort/date-desc/row/slider"
            f"?ajax_page_state%5Blibraries%5D={renderer.LIBRARIES}"
        )
    )
    found = list(section)
    assert {r.meta[KIND] for r in found} == {REVIEW}
    assert found[0].url == COMING_SOON  # the coming-soon page is reachable from a listing
    assert all(r.url.startswith(f"{SITE}/movie-reviews/") for r in found)


def test_paged_listing_lists_reviews_and_next_pages():
    found = list(commonsense.parse_listing(mirror_response(f"{SITE}/movie-reviews?page=0")))
    reviews = [r.url for r in found if r.meta[KIND] == REVIEW]
    pages = [r.url for r in found if r.meta[KIND] == LISTING]
    assert len(reviews) == renderer.LISTING_PAGE_SIZE == len(set(reviews))
    assert pages == [f"{SITE}/movie-reviews?page=1"]
    last = list(commonsense.parse_listing(mirror_response(f"{SITE}/movie-reviews?page=1")))
    assert f"{SITE}/movie-reviews" in urls(last)  # Drupal's pager names page 0 without ?page


def test_full_crawl_reaches_every_review_page():
    queue, seen, reviews = deque(commonsense.listing_requests()), set(), set()
    while queue:
        request = queue.popleft()
        if request.url in seen:
            continue
        seen.add(request.url)
        if request.meta[KIND] == REVIEW:
            reviews.add(request.url)
        else:
            queue.extend(commonsense.parse_listing(mirror_response(request.url, meta=request.meta)))
    assert reviews == {SITE + e["path"] for e in INDEX}


def test_search_request_encodes_the_title_as_a_path_segment():
    (request,) = commonsense.search_requests("Won't Back Down")
    assert request.url == f"{SITE}/search/category/movie/Won%27t%20Back%20Down"
    assert request.meta[KIND] == SEARCH


def test_search_page_links_movie_reviews():
    hits = [
        {"path": "/movie-reviews/frozen", "title": "Frozen"},
        {"path": "/movie-reviews/frozen-2", "title": "Frozen II"},
    ]
    content_type, body = renderer.render_search("frozen", hits)
    page = html_response(f"{SITE}/search/category/movie/frozen", body)
    assert content_type.startswith("text/html")
    assert urls(commonsense.parse_search(page)) == [
        f"{SITE}/movie-reviews/frozen",
        f"{SITE}/movie-reviews/frozen-2",
    ]
    assert [r.meta[KIND] for r in commonsense.parse_search(page)] == [REVIEW, REVIEW]


def test_ajax_search_command_list_links_movie_reviews_only():
    content_type, body = renderer.render_ajax_search(
        "frozen",
        [
            {"path": "/movie-reviews/frozen", "title": "Frozen"},
            {"path": "/tv-reviews/frozen-planet", "title": "Frozen Planet"},
        ],
    )
    response = TextResponse(url=f"{SITE}/ajax/search/frozen", body=body, encoding="utf-8")
    assert content_type == "application/json"
    assert urls(commonsense.parse_search(response)) == [f"{SITE}/movie-reviews/frozen"]


def test_search_page_without_rendered_results_asks_its_ajax_twin():
    shell = html_response(
        f"{SITE}/search/category/movie/Won%27t%20Back%20Down",
        '<div id="search-main-results"></div>',
    )
    (request,) = commonsense.parse_search(shell)
    assert request.url == f"{SITE}/ajax/search/Won%27t%20Back%20Down"
    assert request.meta[KIND] == SEARCH
    assert request.headers[b"Referer"] == shell.url.encode()


def test_search_without_results_yields_nothing():
    _, body = renderer.render_search("qwxzy", [])
    assert (
        list(commonsense.parse_search(html_response(f"{SITE}/search/category/movie/qwxzy", body)))
        == []
    )


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/search/category/movie/Won%27t%20Back%20Down", "Won't Back Down"),
        ("/search/frozen", "frozen"),
        ("/search/category/movie/sort/score-desc/frozen", "frozen"),
        ("/ajax/search/frozen", None),  # the AJAX form is not served by the mirror
        ("/search/category/app/frozen", None),
        ("/movie-reviews/frozen", None),
    ],
)
def test_mirror_recognises_search_endpoint(path, query):
    assert renderer.search_query(path, {}) == query


# --- scale ------------------------------------------------------------------------------------


SCALE = SCALES["commonsense"]


def test_age_edges():
    assert SCALE.age("age 2+") == 2 and SCALE.age("18+") == 18 and SCALE.age(12) == 12
    with pytest.raises(ScaleError):
        SCALE.age("age 19+")


def test_stars_edges():
    assert SCALE.quality("1") == 20 and SCALE.quality(3) == 60 and SCALE.quality(5) == 100
    with pytest.raises(ScaleError):
        SCALE.quality(6)


def test_content_edges_and_kept_categories():
    canonical, extra, errors = map_content(
        "commonsense",
        {"violence": 0, "drugs": 5, "message": 4, "role_model": 3, "education": 2, "diversity": 5},
    )
    assert canonical == {"violence": 0, "substances": 5, "positive_messages": 4, "role_models": 3}
    assert extra == {"education": 2, "diversity": 5} and errors == []
    _, _, errors = map_content("commonsense", {"sex": 6, "language": -1})
    assert [e.field for e in errors] == ["content.sex", "content.language"]
