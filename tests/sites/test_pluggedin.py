"""Plugged In: parser, discovery, scale and mirror renderer on saved mirror pages (no crawl)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.http import XmlResponse

from aggregator.scales import ScaleError, map_content, scale_for
from crawler.mirror.render import pluggedin as renderer
from crawler.mirror.server import SiteIndex
from crawler.sites import pluggedin
from crawler.sites.base import KIND, LISTING, REVIEW, SEARCH
from crawler.spiders.pluggedin import PluggedinSpider
from tests.helpers import FILMS, MIRROR_ROOT, html_response, mirror_response

EXPECTED = Path(__file__).resolve().parent.parent / "expected" / "pluggedin"
SITE = MIRROR_ROOT / "www.pluggedin.com"
INDEX = json.loads((SITE / "_index.json").read_text(encoding="utf-8"))
ARCHIVE = "https://www.pluggedin.com/movie-reviews/"


def urls(requests, kind):
    requests = list(requests)
    assert all(request.meta[KIND] == kind for request in requests)
    return [request.url for request in requests]


def review_url(path):
    return "https://www.pluggedin.com" + path


def searched(title):
    """The mirror's answer to the site's own search for ``title``, as a response."""
    request = pluggedin.search_requests(title)[0]
    parts = urlsplit(request.url)
    query = renderer.search_query(parts.path, parse_qs(parts.query, keep_blank_values=True))
    _, body = renderer.render_search(query, SiteIndex(INDEX).search(query))
    return html_response(request.url, body, meta=request.meta)


def review_page(body: str, head: str = "<title>Test Film - Plugged In</title>") -> str:
    return (f"<!DOCTYPE html><html><head>{head}</head><body>"
            f'<div data-elementor-type="single" class="elementor">{body}</div></body></html>')


# --- review pages: every field (one markup generation: Elementor 2024-2025) --------------------


@pytest.mark.parametrize("case", sorted(path.stem for path in EXPECTED.glob("*.json")))
def test_review_page_every_field(case):
    saved = json.loads((EXPECTED / f"{case}.json").read_text(encoding="utf-8"))
    review = pluggedin.parse_review(mirror_response(saved["url"]))
    assert asdict(review) == saved["expected"]


def test_page_without_any_year_but_the_credits_date():
    url = f"{ARCHIVE}irongiantthe/"
    page = mirror_response(url)
    assert page.text.count("1999") == 1
    review = pluggedin.parse_review(page)
    assert review.year is None  # the pipeline derives it from the full release date
    assert review.release_date == "August 6, 1999"
    assert review.published.startswith("2004")  # a post date, never a film year


def test_caution_not_set_is_left_out_and_printed_twice_counts_once():
    page = mirror_response(f"{ARCHIVE}toystory2/")
    assert len(page.css("div.caution-column")) == 6  # desktop and mobile blocks
    assert pluggedin.parse_review(page).content_native == {
        "Sexual Content": "None", "Violence": "Light"
    }


def test_every_mirror_review_parses_and_maps_without_error():
    for entry in INDEX:
        review = pluggedin.parse_review(mirror_response(review_url(entry["path"])))
        assert review.title == entry["title"]
        assert review.url == review_url(entry["path"])
        assert review.release_date and review.verdict and review.reviewer
        _, _, errors = map_content("pluggedin", review.content_native)
        assert errors == []


def test_title_keeps_wordpress_curly_apostrophe():
    review = pluggedin.parse_review(mirror_response(f"{ARCHIVE}wontbackdown/"))
    assert review.title == "Won’t Back Down"
    assert review.verdict.startswith("Won’t Back Down is an earnest")


# --- discovery ---------------------------------------------------------------------------------


def test_start_requests():
    assert urls(pluggedin.listing_requests(), LISTING) == [ARCHIVE, f"{ARCHIVE}feed/"]
    assert urls(pluggedin.search_requests("Won't Back Down"), SEARCH) == [
        "https://www.pluggedin.com/?s=Won%27t+Back+Down"
    ]


def test_archive_first_page_links_reviews_and_further_pages():
    found = list(pluggedin.parse_listing(mirror_response(ARCHIVE)))
    reviews = urls([r for r in found if r.meta[KIND] == REVIEW], REVIEW)
    pages = urls([r for r in found if r.meta[KIND] == LISTING], LISTING)
    assert len(reviews) == renderer.PER_PAGE
    assert reviews[:3] == [
        f"{ARCHIVE}wallace-and-gromit-vengeance-most-fowl-2024/",
        f"{ARCHIVE}inside-out-2-2024/",
        f"{ARCHIVE}et-the-extra-terrestrial-1982/",
    ]
    assert pages == [f"{ARCHIVE}page/2/", f"{ARCHIVE}page/3/"]


def test_archive_last_page_links_back_only():
    found = list(pluggedin.parse_listing(mirror_response(f"{ARCHIVE}page/3/")))
    assert set(urls([r for r in found if r.meta[KIND] == LISTING], LISTING)) == {
        ARCHIVE, f"{ARCHIVE}page/2/"
    }
    assert len([r for r in found if r.meta[KIND] == REVIEW]) == len(INDEX) - 2 * renderer.PER_PAGE


def test_every_review_is_reachable_from_the_archive():
    seen, pending, reviews = set(), [ARCHIVE], set()
    while pending:
        url = pending.pop()
        seen.add(url)
        for request in pluggedin.parse_listing(mirror_response(url)):
            if request.meta[KIND] == REVIEW:
                reviews.add(request.url)
            elif request.url not in seen:
                pending.append(request.url)
    assert reviews == {review_url(entry["path"]) for entry in INDEX}


def test_feed_items_as_html_or_xml_response():
    served = mirror_response(f"{ARCHIVE}feed/")  # the mirror serves it as text/html
    as_xml = XmlResponse(url=served.url, body=served.body, encoding="utf-8")
    for response in (served, as_xml):
        found = urls(pluggedin.parse_listing(response), REVIEW)
        assert len(found) == renderer.FEED_ITEMS
        assert found[0] == f"{ARCHIVE}wallace-and-gromit-vengeance-most-fowl-2024/"


def test_search_results_follow_the_sites_own_links():
    assert urls(pluggedin.parse_search(searched("Frozen")), REVIEW) == [
        f"{ARCHIVE}frozen/", f"{ARCHIVE}frozen-ii-2019/"
    ]
    assert urls(pluggedin.parse_search(searched("The Lion King")), REVIEW) == [
        f"{ARCHIVE}lionking/", f"{ARCHIVE}the-lion-king-2019/"
    ]
    assert urls(pluggedin.parse_search(searched("Won't Back Down")), REVIEW) == [
        f"{ARCHIVE}wontbackdown/"
    ]


def test_search_without_results():
    page = searched("No Such Film Anywhere")
    assert "It seems we can’t find what you’re looking for." in page.text
    assert list(pluggedin.parse_search(page)) == []


def test_search_keeps_movie_reviews_among_other_post_types_and_follows_next_page():
    page = """<html><body>
    <article class="post-1 post type-post hentry"><h3 class="entry-title">
      <a href="/blog/frozen-at-ten/">Frozen at Ten</a></h3></article>
    <article class="post-2 tv-reviews type-tv-reviews hentry"><h3 class="entry-title">
      <a href="/tv-reviews/frozen-planet/">Frozen Planet</a></h3></article>
    <article class="post-3 movie-reviews type-movie-reviews hentry">
      <a href="/movie-reviews/frozen/"><img alt=""></a>
      <h3 class="entry-title"><a href="/movie-reviews/frozen/">Frozen</a></h3></article>
    <nav><a class="next page-numbers" href="/page/2/?s=frozen">Next</a></nav>
    </body></html>"""
    found = list(pluggedin.parse_search(html_response("https://www.pluggedin.com/?s=frozen", page)))
    assert [(r.url, r.meta[KIND]) for r in found] == [
        (f"{ARCHIVE}frozen/", REVIEW),
        ("https://www.pluggedin.com/page/2/?s=frozen", SEARCH),
    ]


def test_search_results_without_post_type_classes_are_all_followed():
    page = """<html><body><article><h2 class="entry-title"><a href="/movie-reviews/up/">Up</a></h2>
    </article><article><a href="/movie-reviews/upgrade-2018/">Upgrade</a></article></body></html>"""
    found = pluggedin.parse_search(html_response("https://www.pluggedin.com/?s=up", page))
    assert urls(found, REVIEW) == [f"{ARCHIVE}up/", f"{ARCHIVE}upgrade-2018/"]


# --- pages that are no review, partial pages ---------------------------------------------------


def test_not_found_page_is_not_a_review():
    status, _, body = renderer.render_not_found("/movie-reviews/nothing/")
    assert status == 404
    assert pluggedin.parse_review(html_response(f"{ARCHIVE}nothing/", body)) is None


def test_blog_post_is_not_a_review():
    page = """<html><head><title>Culture Clips - Plugged In</title></head><body>
    <div data-elementor-type="single-post" class="elementor"><h1>Culture Clips</h1>
    <div class="elementor-widget-container"><p>This week in entertainment.</p></div></div>
    </body></html>"""
    blog_post = html_response("https://www.pluggedin.com/blog/clips/", page)
    assert pluggedin.parse_review(blog_post) is None


def test_archive_page_is_not_a_review():
    assert pluggedin.parse_review(mirror_response(ARCHIVE)) is None


def test_partial_page_gives_none_fields():
    body = """<h1>  Test   Film </h1>
    <div class="caution-column"><span>Violence</span></div>
    <div class="caution-column"><span>Language:</span><a href="#">Moderate</a></div>
    <div class="review-column"><h2>Movie Review</h2><p>A short synopsis.</p></div>
    <div class="review-column"><h2>Conclusion</h2></div>"""
    review = pluggedin.parse_review(html_response(f"{ARCHIVE}test-film/", review_page(body)))
    assert review.title == "Test Film"
    assert review.url == f"{ARCHIVE}test-film/"
    assert review.content_native == {"Language": "Moderate"}
    assert review.text == "Movie Review\nA short synopsis."
    assert (review.verdict, review.release_date, review.mpaa_rating, review.reviewer,
            review.published, review.year) == (None, None, None, None, None, None)
    assert (review.directors, review.cast, review.genres) == ([], [], [])


def test_repeated_heading_keeps_its_last_occurrence_and_title_falls_back_to_page_title():
    body = """<div class="review-column"><h2>Jump to:</h2><ul><li>Conclusion</li></ul></div>
    <div class="review-column"><h2>Conclusion</h2><p>Teaser.</p></div>
    <div class="review-column"><h2>Movie Review</h2><p>Synopsis.</p></div>
    <div class="review-column"><h2>Conclusion</h2><p>Dr. Smith would approve. Mostly.</p></div>"""
    review = pluggedin.parse_review(html_response(f"{ARCHIVE}x/", review_page(body)))
    assert review.title == "Test Film"
    assert review.text == "Movie Review\nSynopsis.\n\nConclusion\nDr. Smith would approve. Mostly."
    assert review.verdict == "Dr. Smith would approve."


def test_credits_without_the_release_pair_and_reviewer_from_bio_block():
    body = """<h1>Test Film</h1>
    <section class="elementor-top-section"><div data-element_type="column">
      <div class="elementor-widget-container"><h3>Credits</h3></div>
      <div class="elementor-widget-container"><h4>Cast</h4></div>
      <div class="elementor-widget-container"><ul><li>A. Actor</li><li> B. Actor </li></ul></div>
      <div class="elementor-widget-container"><h4>Directors</h4></div>
      <div class="elementor-widget-container"><ul><li>C. Director</li></ul></div>
      <div class="elementor-widget-container"><h4>Reviewer</h4></div>
    </div></section>
    <div class="contributor-bio-block"><h5>Bio Name</h5></div>"""
    review = pluggedin.parse_review(html_response(f"{ARCHIVE}x/", review_page(body)))
    assert review.release_date is None
    assert review.cast == ["A. Actor", "B. Actor"]
    assert review.directors == ["C. Director"]
    assert review.reviewer == "Bio Name"


@pytest.mark.parametrize(("text", "sentence"), [
    ("E.T. the Extra-Terrestrial is moving. It lasts.", "E.T. the Extra-Terrestrial is moving."),
    ("A friend for E.T. Then more.", "A friend for E.T. Then more."),
    ("Mr. Potato Head returns! Kids will laugh.", "Mr. Potato Head returns!"),
    ("It is “great.” Really.", "It is “great.”"),
    ("No end mark", "No end mark"),
])
def test_first_sentence(text, sentence):
    assert pluggedin.first_sentence(text) == sentence


# --- scale -------------------------------------------------------------------------------------


def test_scale_edges():
    scale = scale_for("pluggedin")
    convert = scale.content["Violence"][1]
    assert convert("None") == 0.0
    assert convert(" heavy ") == 4.5
    assert convert("Light") < convert("Moderate") < convert("Heavy")
    assert convert("–") is None
    with pytest.raises(ScaleError):
        convert("Extreme")
    assert scale.age("age 8+") is None and scale.quality("4") is None
    native = {"Sexual Content": "None", "Violence": "Heavy", "Language": "–", "Drugs": "Light"}
    canonical, extra, errors = map_content("pluggedin", native)
    assert canonical == {"sex": 0.0, "violence": 4.5} and extra == {}
    assert [error.field for error in errors] == ["content.Drugs"]


# --- renderer and spider -----------------------------------------------------------------------


def test_mirror_covers_the_required_films_with_both_slug_styles():
    paths = {renderer.review_of(film).key: renderer.review_of(film).path
             for film in FILMS if renderer.covers(film)}
    required = {"inside-out", "frozen", "wonder", "wont-back-down", "toy-story-2", "toy-story-3",
                "finding-nemo", "the-iron-giant", "harry-potter-1", "spirited-away", "et",
                "inside-out-2", "wallace-gromit-2024", "the-lion-king-2019", "coco", "frozen-ii"}
    assert required <= set(paths)
    assert paths["finding-nemo"] == "/movie-reviews/findingnemo/"
    assert paths["inside-out-2"] == "/movie-reviews/inside-out-2-2024/"
    assert {entry["path"] for entry in INDEX} == set(paths.values())


def test_build_is_deterministic_and_matches_the_bundled_pages(tmp_path):
    renderer.build(FILMS, tmp_path / "a")
    renderer.build(FILMS, tmp_path / "b")
    def files(root):
        return sorted(path.relative_to(root) for path in root.rglob("*") if path.is_file())

    built = files(tmp_path / "a")
    assert built == files(tmp_path / "b")
    for relative in built:
        assert (tmp_path / "a" / relative).read_bytes() == (tmp_path / "b" / relative).read_bytes()
        assert (tmp_path / "a" / relative).read_bytes() == (MIRROR_ROOT / relative).read_bytes()


def test_film_without_data_entry_or_year_gets_derived_values(tmp_path):
    film = {"key": "made-up", "title": "Made Up", "year": None, "mpaa": "R", "directors": [],
            "cast": [], "genres": [], "imdb_id": None}
    review = renderer.review_of(film)
    assert review.slug == "made-up" and review.release == ("In Theaters", "TBD")
    page = renderer.review_page(review)
    parsed = pluggedin.parse_review(html_response(review.url, page))
    assert parsed.title == "Made Up" and parsed.release_date == "TBD"
    assert parsed.content_native["Violence"] == "Heavy"


def test_search_query_recognises_only_the_wordpress_search():
    assert renderer.search_query("/", {"s": ["frozen"]}) == "frozen"
    assert renderer.search_query("/page/2/", {"s": ["frozen"]}) == "frozen"
    assert renderer.search_query("/movie-reviews/", {"s": ["frozen"]}) is None
    assert renderer.search_query("/", {}) is None


def test_spider_is_wired_to_the_site_module():
    assert PluggedinSpider.name == "pluggedin" and PluggedinSpider.site is pluggedin
    assert pluggedin.NAME == "pluggedin" and pluggedin.HOSTS[0] == "www.pluggedin.com"
