"""Parenting.com: parser, discovery, scale mapping and mirror renderer on saved pages (no crawl)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from aggregator.scales import AGE_RANGE, map_content, scale_for
from crawler.items import Review
from crawler.mirror.render import parenting as renderer
from crawler.mirror.server import SiteIndex
from crawler.sites import parenting
from crawler.sites.base import KIND, LISTING, REVIEW, SEARCH
from tests.helpers import FILMS, MIRROR_ROOT, html_response, mirror_response, urls_of_kind

EXPECTED = Path(__file__).resolve().parent.parent / "expected" / "parenting"
INDEX = json.loads((MIRROR_ROOT / "www.parenting.com" / "_index.json").read_text(encoding="utf-8"))
SECTION = "https://www.parenting.com/entertainment/movies/"


urls = urls_of_kind


# --- review pages: every field --------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(path.stem for path in EXPECTED.glob("*.json")))
def test_review_page_every_field(case):
    saved = json.loads((EXPECTED / f"{case}.json").read_text(encoding="utf-8"))
    review = parenting.parse_review(mirror_response(saved["url"]))
    assert asdict(review) == saved["expected"]


def test_every_mirror_review_parses_with_its_labelled_lines():
    for entry in INDEX:
        review = parenting.parse_review(
            mirror_response("https://www.parenting.com" + entry["path"])
        )
        assert review.url == "https://www.parenting.com" + entry["path"]
        assert review.year is None  # the page never states the film's year
        assert review.pros and review.cons and review.mpaa_rating and review.directors
        assert review.verdict and review.text and review.reviewer and review.published
        assert "RELATED:" not in review.text and "MORE:" not in review.text
        assert "What We Love" not in review.text and "More from entertainment" not in review.text


@pytest.mark.parametrize(
    ("headline", "title"),
    [
        ("Review: 'Won't Back Down'", "Review: 'Won't Back Down'"),  # classic form: raw
        ("Review: \u2018Toy Story 3\u2019", "Review: \u2018Toy Story 3\u2019"),
        ("Review: Beauty and the Beast", "Review: Beauty and the Beast"),
        ("'Frozen 2' Review: Elsa and Anna's Sequel Is Darker\u2014and Better", "Frozen 2"),
        ("Review: 'Incredibles 2' Is Worth the 14-Year Wait", "Incredibles 2"),
        (
            "'Harry Potter & the Sorcerer's Stone' at 20: Is Your Kid Ready?",
            "Harry Potter & the Sorcerer's Stone",
        ),
        ("Is \u201cOnward\u201d OK for Kids? Our Review", "Onward"),
        ("Movie Review: Inside Out", "Inside Out"),
        ("Movie Review: 'Wonder'", "Wonder"),
        ("Coco Review: Pixar's Day of the Dead Tale", "Coco"),
        (
            "Spiderman: Into the Spider-Verse Review: Is It OK for Kids?",
            "Spiderman: Into the Spider-Verse",
        ),
        ("Zootopia Movie Review", "Zootopia"),
        ("Family Movie Night Ideas", "Family Movie Night Ideas"),
    ],
)
def test_film_title_from_headline(headline, title):
    assert parenting.film_title(headline) == title


# --- not a review, partial and malformed pages ----------------------------------------------------


def test_article_without_review_lines_is_not_a_review():
    url = "https://www.parenting.com/parenting/12-ways-busy-moms-can-help-at-school/"
    assert parenting.parse_review(mirror_response(url)) is None


def test_not_found_page_is_not_a_review():
    status, content_type, body = renderer.render_not_found("/entertainment/movies/missing/")
    assert status == 404 and content_type.startswith("text/html")
    page = html_response(SECTION + "missing/", body)
    assert parenting.parse_review(page) is None


def test_partial_page_without_embedded_data():
    """No usable JSON-LD, no canonical, no dek; bare labels, curly quotes, no MPAA line."""
    page = """<html><head><title>Review: \u2018Up\u2019 | Parenting</title>
    <script type="application/ld+json">{broken</script></head><body><article>
    <h1>Review: \u2018Up\u2019</h1>
    <p class="byline">By <a rel="author" href="/author/x/">Sam Reed</a> <time>May 28, 2009</time></p>
    <div class="entry-content">
      <p>Directed by Pete Docter, Up follows a widower and a stowaway scout.</p>
      <p>Opens with a bang, then slows down.</p>
      <p>Read more: <a href="/x/">Our favorite Pixar movies</a></p>
      <p><b>What We Love</b> The first ten minutes.</p>
      <p>Hold on a minute \u2013 a few scary dogs.</p>
      <p>Running time 2 hr 1 min<br><strong>Opens:</strong></p>
    </div></article></body></html>"""
    review = parenting.parse_review(html_response(SECTION + "review-up/?utm_source=x", page))
    assert asdict(review) == asdict(Review()) | {
        "url": SECTION + "review-up/",
        "title": "Review: \u2018Up\u2019",
        "runtime_minutes": "2 hr 1 min",
        "directors": ["Pete Docter"],
        "verdict": "The first ten minutes.",  # no dek: the What We Love line
        "text": "Directed by Pete Docter, Up follows a widower and a stowaway scout."
        "\n\nOpens with a bang, then slows down.",  # prose, not a labelled line
        "pros": "The first ten minutes.",
        "cons": "a few scary dogs.",
        "reviewer": "Sam Reed",
        "published": "May 28, 2009",
    }


def test_bare_headline_only_page():
    page = "<html><body><article><h1>Movie Review: Up</h1></article></body></html>"
    review = parenting.parse_review(html_response(SECTION + "up/", page))
    assert review.title == "Up"
    assert review.text is None and review.pros is None and review.directors == []


def test_body_without_paragraphs_is_split_at_line_breaks():
    page = """<html><body><article><h1>Review: 'Up'</h1><div class="entry-content">
    Directed by Pete Docter, Up soars.<br><br><strong>What We Love:</strong> The balloons.<br>
    <strong>MPAA Rating:</strong> PG<br/>RELATED: Our Pixar ranking</div></article></body></html>"""
    review = parenting.parse_review(html_response(SECTION + "up/", page))
    assert (review.text, review.pros, review.mpaa_rating, review.directors) == (
        "Directed by Pete Docter, Up soars.",
        "The balloons.",
        "PG",
        ["Pete Docter"],
    )


def test_page_without_headline_is_not_a_review():
    page = "<html><body><p>Opens: June 14</p></body></html>"
    assert parenting.parse_review(html_response(SECTION + "x/", page)) is None


def test_author_referenced_by_id_in_the_graph():
    graph = {
        "@graph": [
            {"@type": ["NewsArticle"], "headline": "Review: 'Up'", "author": {"@id": "#p"}},
            {"@type": "Person", "@id": "#p", "name": "Sam Reed"},
        ]
    }
    page = (
        f'<html><head><script type="application/ld+json">{json.dumps(graph)}</script></head></html>'
    )
    review = parenting.parse_review(html_response(SECTION + "up/", page))
    assert (review.title, review.reviewer) == ("Review: 'Up'", "Sam Reed")


# --- discovery: listing and search pages ----------------------------------------------------------


def test_listing_requests_start_at_the_movies_section():
    assert urls(parenting.listing_requests(), LISTING) == [SECTION]


def test_listing_pages_link_every_review_and_the_next_page():
    first = list(parenting.parse_listing(mirror_response(SECTION)))
    reviews = urls([r for r in first if r.meta[KIND] == REVIEW], REVIEW)
    assert len(reviews) == renderer.PER_PAGE == len(set(reviews))
    assert reviews[0] == SECTION + "inside-out-2-review/"  # newest first
    assert urls([r for r in first if r.meta[KIND] == LISTING], LISTING) == [SECTION + "page/2/"]

    found, page = [], SECTION
    while page:
        requests = list(parenting.parse_listing(mirror_response(page)))
        found += [r.url for r in requests if r.meta[KIND] == REVIEW]
        next_pages = [r.url for r in requests if r.meta[KIND] == LISTING]
        page = next_pages[0] if next_pages else None
    assert sorted(found) == sorted("https://www.parenting.com" + e["path"] for e in INDEX)


def test_search_request_uses_the_site_search():
    (request,) = parenting.search_requests("Won't Back Down")
    assert request.meta[KIND] == SEARCH
    assert request.url == "https://www.parenting.com/search?q=Won%27t+Back+Down"
    parts = urlsplit(request.url)
    assert renderer.search_query(parts.path, parse_qs(parts.query)) == "Won't Back Down"
    assert renderer.search_query("/entertainment/movies/", {}) is None


def test_search_page_links_the_matching_reviews():
    hits = SiteIndex(INDEX).search("frozen")
    _, body = renderer.render_search("frozen", hits)
    requests = list(
        parenting.parse_search(html_response("https://www.parenting.com/search?q=frozen", body))
    )
    assert urls(requests, REVIEW) == [SECTION + "review-frozen/", SECTION + "frozen-2-review/"]


def test_search_without_results():
    _, body = renderer.render_search("zzz", [])
    page = html_response("https://www.parenting.com/search?q=zzz", body)
    assert b"Nothing Found" in body and list(parenting.parse_search(page)) == []


# --- scale mapping: the site prints no age, quality or content levels --------------------------


@pytest.mark.parametrize("native", [None, "", "age 8+", AGE_RANGE[0], AGE_RANGE[1], 99])
def test_scale_maps_no_age(native):
    assert scale_for("parenting").age(native) is None


def test_scale_maps_no_quality_and_no_content():
    scale = scale_for("parenting")
    assert scale.quality("4/5") is None and scale.content == {}
    canonical, extra, errors = map_content("parenting", {"violence": 3})
    assert (canonical, extra) == ({}, {})
    assert [error.field for error in errors] == ["content.violence"]  # nothing to map it to


def test_parser_leaves_every_native_rating_empty():
    review = parenting.parse_review(mirror_response(SECTION + "review-wont-back-down/"))
    assert review.age_native is None and review.quality_native is None
    assert review.content_native == {}


# --- mirror renderer ----------------------------------------------------------------------------


def test_build_is_deterministic_and_covers_the_chosen_films(tmp_path):
    renderer.build(FILMS, tmp_path / "a")
    renderer.build(FILMS, tmp_path / "b")
    files = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    assert files == sorted(
        p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file()
    )
    assert all(
        (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files
    )
    index = json.loads((tmp_path / "a" / "www.parenting.com" / "_index.json").read_text("utf-8"))
    assert index == INDEX  # the bundled pages are this build's output
    covered = {film["key"] for film in FILMS} - set(renderer._DATA["not_reviewed"])
    assert len(index) == len(covered) >= 16


def test_generated_reviews_for_films_the_data_file_does_not_know(tmp_path):
    credits = {"directors": ["Ann Lee"], "cast": ["Bo Diddley", "Cy Young"], "mpaa": "G"}
    films = [
        {
            "key": f"film-{n}",
            "title": "Same Title",
            "year": 2000 + n % 2,
            "runtime": 80 + n,
            **credits,
        }
        for n in range(40)
    ]
    renderer.build(films, tmp_path)
    index = json.loads((tmp_path / "www.parenting.com" / "_index.json").read_text("utf-8"))
    assert 0 < len(index) < len(films) and len({e["path"] for e in index}) == len(index)
    page = (
        tmp_path / "www.parenting.com" / index[0]["path"].strip("/") / "index.html"
    ).read_bytes()
    review = parenting.parse_review(
        html_response("https://www.parenting.com" + index[0]["path"], page)
    )
    assert review.directors == ["Ann Lee"] and review.cast == ["Bo Diddley", "Cy Young"]
    assert review.mpaa_rating == "G" and review.runtime_minutes.endswith(" minutes")
    assert review.release_date is None  # no release date in the facts: no Opens line


def test_robots_txt_lets_the_crawler_search_and_list():
    robots = (MIRROR_ROOT / "www.parenting.com" / "robots.txt").read_text("utf-8")
    assert "Disallow: /search" not in robots and "Disallow: /entertainment" not in robots
