"""Parent Previews parser, discovery and scale, on the bundled mirror's saved pages (no crawl)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from aggregator.scales import ScaleError, map_content, scale_for
from crawler.mirror.render import parentpreviews as renderer
from crawler.sites import parentpreviews as site
from crawler.sites.base import KIND, LISTING, REVIEW, SEARCH
from tests.helpers import html_response, mirror_response

EXPECTED = Path(__file__).resolve().parent.parent / "expected" / "parentpreviews"
BASE = "https://parentpreviews.com"


def expected(name: str) -> dict:
    return json.loads((EXPECTED / f"{name}.json").read_text("utf-8"))


def kinds(requests) -> list[tuple[str, str]]:
    return [(request.url, request.meta[KIND]) for request in requests]


# --- review pages --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name",
    [
        "inside-out",  # 2023-2024 grade block, no Substance Use grade
        "up",  # legacy page: grades as "Label: Grade" lines, older labels
        "coco",  # linked with a trailing slash; canonical URL without it
    ],
)
def test_review_every_field(name):
    case = expected(name)
    review = site.parse_review(mirror_response(case["url"]))
    assert asdict(review) == case["review"]


def test_trailing_slash_link_gives_the_canonical_url():
    review = site.parse_review(mirror_response(f"{BASE}/movie-reviews/moana/"))
    assert review.url == f"{BASE}/movie-reviews/moana"
    assert review.title == "Moana"


def test_review_without_substance_grade():
    review = site.parse_review(mirror_response(f"{BASE}/movie-reviews/toy-story-3"))
    assert review.content_native == {"violence": "B", "sexual_content": "A", "profanity": "A"}
    assert review.quality_native == "A"
    assert review.mpaa_rating == "G"


def test_remake_slug_and_year():
    review = site.parse_review(mirror_response(f"{BASE}/movie-reviews/the-lion-king-2019"))
    assert (review.title, review.year) == ("The Lion King", 2019)


def test_not_found_page_answered_with_200_is_no_review():
    # the listing links this removed review; the site answers it with its "Page Not Found" page
    listed = [r.url for r in site.parse_listing(mirror_response(f"{BASE}/movie-reviews"))]
    assert f"{BASE}/movie-reviews/inside-out-2" in listed
    assert site.parse_review(mirror_response(f"{BASE}/movie-reviews/inside-out-2")) is None
    status, content_type, body = renderer.render_not_found("/movie-reviews/no-such-film")
    assert (status, content_type) == (200, "text/html; charset=utf-8")
    assert site.parse_review(html_response(f"{BASE}/movie-reviews/no-such-film", body)) is None


def test_page_without_grades_is_no_review():
    html = "<html><head><title>News | Parent Previews</title></head><body><h1>News</h1></body>"
    assert site.parse_review(html_response(f"{BASE}/news/post/some-post", html)) is None


def test_partial_page_gives_none_fields():
    html = """<html><body><h1 class="post_title">Mystery Film Parent Guide</h1>
    <div class="criteria_row theme_field"><span class="criteria_label">Violence</span>
    <span class="criteria_mark theme_accent_bg">C-</span></div>
    <div class="criteria_row theme_field"><span class="criteria_label">Scariness</span>
    <span class="criteria_mark theme_accent_bg">B</span></div></body></html>"""
    review = site.parse_review(html_response(f"{BASE}/movie-reviews/mystery-film?ref=x", html))
    assert review.url == f"{BASE}/movie-reviews/mystery-film"
    assert review.title == "Mystery Film"
    # an unknown category keeps a key of its own: the scale reports it instead of guessing
    assert review.content_native == {"violence": "C-", "scariness": "B"}
    assert review.quality_native is None
    for field in ("year", "mpaa_rating", "runtime_minutes", "release_date", "imdb_id", "verdict",
                  "text", "reviewer", "published"):
        assert getattr(review, field) is None, field
    assert (review.directors, review.cast, review.genres) == ([], [], [])


def test_text_grades_ignore_detail_prose():
    html = """<html><body><h1>Some Film Parent Guide</h1>
    <p>Overall: B+</p><p>Sex: A-</p><p>Drugs/Alcohol: C</p>
    <div class="post_text_area"><p><b>Violence: </b>A lion attacks a zebra.</p>
    <p><b>Profanity: </b>B-movie insults.</p></div></body></html>"""
    review = site.parse_review(html_response(f"{BASE}/movie-reviews/some-film", html))
    assert review.quality_native == "B+"
    assert review.content_native == {"sexual_content": "A-", "substance_use": "C"}


# --- listing and search --------------------------------------------------------------------------

def test_listing_first_page_links_and_next_pages():
    found = kinds(site.parse_listing(mirror_response(f"{BASE}/movie-reviews")))
    reviews = [url for url, kind in found if kind == REVIEW]
    pages = [url for url, kind in found if kind == LISTING]
    assert len(reviews) == renderer.PAGE_SIZE
    assert reviews[:3] == [
        f"{BASE}/movie-reviews/inside-out-2",
        f"{BASE}/movie-reviews/encanto/",
        f"{BASE}/movie-reviews/abominable",
    ]
    assert pages == [f"{BASE}/movie-reviews?page=2", f"{BASE}/movie-reviews?page=3"]


def test_listing_last_page():
    found = kinds(site.parse_listing(mirror_response(f"{BASE}/movie-reviews?page=3")))
    assert (f"{BASE}/movie-reviews/the-lion-king", REVIEW) in found
    assert [url for url, kind in found if kind == LISTING] == [
        f"{BASE}/movie-reviews?page=2",
        f"{BASE}/movie-reviews",
    ]


def test_every_indexed_review_is_listed_once():
    index = json.loads(mirror_response(f"{BASE}/_index.json").text)
    listed = []
    for page in ("", "?page=2", "?page=3"):
        found = site.parse_listing(mirror_response(f"{BASE}/movie-reviews{page}"))
        listed += [request.url for request in found if request.meta[KIND] == REVIEW]
    removed = f"{BASE}/movie-reviews/inside-out-2"
    assert sorted(listed) == sorted([BASE + entry["path"] for entry in index] + [removed])


def test_search_request_url():
    (request,) = site.search_requests("Won't Back Down")
    assert request.url == f"{BASE}/search?keywords=Won%27t+Back+Down"
    assert request.meta[KIND] == SEARCH
    assert renderer.search_query("/search", {"keywords": ["Won't Back Down"]}) == "Won't Back Down"
    assert renderer.search_query("/movie-reviews", {"keywords": ["x"]}) is None


def test_search_results_links():
    hits = [
        {"path": "/movie-reviews/frozen-ii", "title": "Frozen II"},
        {"path": "/movie-reviews/frozen", "title": "Frozen"},
        {"path": "/movie-reviews/coco/", "title": "Coco"},
    ]
    content_type, body = renderer.render_search("frozen", hits)
    assert content_type.startswith("text/html")
    response = html_response(f"{BASE}/search?keywords=frozen", body)
    assert kinds(site.parse_search(response)) == [(BASE + hit["path"], REVIEW) for hit in hits]


def test_search_without_results():
    _, body = renderer.render_search("zzz", [])
    assert list(site.parse_search(html_response(f"{BASE}/search?keywords=zzz", body))) == []


def test_build_is_deterministic(tmp_path):
    films = json.loads((Path(renderer.__file__).parent.parent / "films.json").read_text())["films"]
    first, second = tmp_path / "a", tmp_path / "b"
    renderer.build(films, first)
    renderer.build(films, second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    required = {"inside-out", "frozen", "wonder", "wont-back-down", "toy-story-3", "frozen-ii",
                "the-lion-king-2019", "the-parent-trap", "paddington-2", "coco", "moana",
                "zootopia", "encanto", "up", "hidden-figures", "incredibles-2"}
    index = json.loads((first / "parentpreviews.com" / "_index.json").read_text())
    assert required <= {entry["path"].strip("/").rsplit("/", 1)[-1] for entry in index}


# --- scale ---------------------------------------------------------------------------------------

SCALE = scale_for("parentpreviews")


def test_content_scale_edges_and_order():
    steps = ["A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-"]
    levels = [map_content("parentpreviews", {"violence": grade})[0]["violence"] for grade in steps]
    assert levels[0] == 0 and levels[-1] == 5
    assert levels == sorted(levels) and len(set(levels)) == len(levels)
    canonical, extra, errors = map_content(
        "parentpreviews",
        {"sexual_content": "B", "sexual_violence": "C", "profanity": "b −", "substance_use": "A"},
    )
    assert canonical == {"sex": 3.0, "language": 2.0, "substances": 0.25}
    assert (extra, errors) == ({}, [])


@pytest.mark.parametrize("impossible", ["F", "E", "A++", "7", "Mild"])
def test_content_scale_impossible_values(impossible):
    _, _, errors = map_content("parentpreviews", {"violence": impossible})
    assert len(errors) == 1 and errors[0].field == "content.violence"


def test_quality_scale_edges():
    assert SCALE.quality("A+") == 100.0
    assert SCALE.quality("A") == 93.02
    assert SCALE.quality("B") == 69.77
    assert SCALE.quality("D-") == 16.28
    assert SCALE.quality("F") == 0.0
    assert SCALE.quality(None) is None
    with pytest.raises(ScaleError):
        SCALE.quality("F+")
    assert SCALE.age("anything") is None
