"""MovieGuide (movieguide.org): WordPress reviews from a Christian perspective.

Two markup generations of the review page are handled (``/work/shared/sites/README.md`` section 7):

* classic (movieguide plugin, c. 2014-2019): ``table.movieguide_content_summary``, a ratings block
  (``div.movieguide_quality img[src$="Nstars.png"]``, ``div.movieguide_acceptability``), labelled
  ``div.movieguide_subheading`` lines (the value is the text after the label) in
  ``div.movieguide_review_info`` (film facts) and ``div.movieguide_review_content`` (content notes),
  the one-paragraph ``div.movieguide_review_summary``;
* current (c. 2020-): ``table.content-qual-tbl`` with ``td.param-cell`` rows,
  ``div.content-qual-header`` (``div.content strong`` = acceptability, ``div.qual`` = stars), film
  facts as ``div.movie-details li`` label/value pairs, ``div.content_content`` ("CONTENT: ...").

Neither generation embeds film data (the Yoast JSON-LD only names the page), so every field is read
from the DOM. The page prints no age recommendation and no IMDb id.

Discovery: the site search ``/?s=<q>`` (result links are ``h2 a``) and, for a full crawl, the
WordPress category archive ``/category/reviews`` (linked as "Movie Reviews" in the 2018 site menu)
with ``/page/N`` pagination. Assumed: the archive lists each review as ``h2 a`` like the search page
and names its next page with ``<link rel="next">`` / ``a.next.page-numbers`` (WordPress defaults).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import quote_plus

from parsel import Selector, SelectorList
from scrapy import Request
from scrapy.http import Response

from crawler.items import Review
from crawler.sites.base import (
    canonical_url,
    clean_text,
    listing_request,
    node_text,
    review_request,
    search_request,
    split_names,
)

NAME = "movieguide"
HOSTS = ("www.movieguide.org", "movieguide.org")
CUSTOM_SETTINGS = {"CONCURRENT_REQUESTS_PER_DOMAIN": 1, "DOWNLOAD_DELAY": 2.0}

BASE_URL = "https://www.movieguide.org"
LISTING_URL = f"{BASE_URL}/category/reviews"

CONTENT_TABLE = "table.content-qual-tbl, table.movieguide_content_summary"
REVIEW_MARKERS = f"{CONTENT_TABLE}, div.content-qual-header, div.movieguide_review_content"
LEVELS = ("None", "Light", "Moderate", "Heavy")  # column order of the content table

# Printed category names (table rows and content-note labels) -> this site's content keys; the two
# generations print "Language" and "Foul Language" for the same row.
CATEGORY_KEYS = {
    "language": "language",
    "foul language": "language",
    "violence": "violence",
    "sex": "sex",
    "nudity": "nudity",
    "alcohol use": "alcohol",
    "smoking and/or drug use and abuse": "smoking_drugs",
    "miscellaneous immorality": "immorality",
}
ACCEPTABILITY_KEY = "acceptability"  # +4..-4, kept as a non-canonical rating

_TITLE_SUFFIX = re.compile(
    r"\s*(?:Review\s*-\s*Movies\s*-\s*Movieguide|-\s*Movieguide\s*\|.*)\s*$", re.I
)
_STARS_IMAGE = re.compile(r"(\d)\s*stars?\b", re.I)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_SUMMARY_LABEL = re.compile(r"^\s*summary\s*:\s*", re.I)


# --- discovery -------------------------------------------------------------------------------


def listing_requests() -> list[Request]:
    return [listing_request(LISTING_URL)]


def search_requests(title: str) -> list[Request]:
    """WordPress search form: ``GET /?s=<query>``, spaces as ``+``."""
    return [search_request(f"{BASE_URL}/?s={quote_plus(title.strip())}")]


def parse_listing(response: Response) -> Iterator[Request]:
    yield from _result_links(response)
    next_page = response.css('link[rel="next"]::attr(href), a.next.page-numbers::attr(href)').get()
    if next_page:
        yield listing_request(response.urljoin(next_page.strip()))


def parse_search(response: Response) -> Iterator[Request]:
    yield from _result_links(response)


def _result_links(response: Response) -> Iterator[Request]:
    for href in response.css("h2 a::attr(href)").getall():
        if href.strip():
            yield review_request(response.urljoin(href.strip()))


# --- review page -----------------------------------------------------------------------------


def parse_review(response: Response) -> Review | None:
    if not response.css(REVIEW_MARKERS):
        return None  # news article, video page, home page, "page not found"
    facts = _film_facts(response)
    release_date = facts.get("release date")
    return Review(
        url=canonical_url(response),
        title=_title(response),
        year=_year(release_date),
        mpaa_rating=facts.get("rating"),
        runtime_minutes=facts.get("runtime"),
        release_date=release_date,
        directors=split_names(facts.get("director")),
        cast=split_names(facts.get("starring")),
        genres=split_names(facts.get("genre")),
        quality_native=_stars(response),
        content_native=_content_levels(response),
        verdict=_verdict(response),
        text=_body_text(response),
        published=_published(response),
    )


def _title(response: Response) -> str | None:
    """The headline (the film title as MovieGuide prints it, usually in capitals)."""
    headline = node_text(response.css("h1.entry-title"))
    if headline:
        return headline
    page_title = clean_text(response.css("title::text").get())
    return clean_text(_TITLE_SUFFIX.sub("", page_title)) if page_title else None


def _film_facts(response: Response) -> dict[str, str]:
    """Label -> value of the film-facts box ("Release Date", "Rating", "Runtime", ...)."""
    current = (
        (node_text(item.css(".label")), node_text(item.css(".value")))
        for item in response.css("div.movie-details li")
    )
    classic = _subheading_pairs(response.css("div.movieguide_review_info"))
    return {
        label.rstrip(":").strip().lower(): value
        for label, value in (*current, *classic)
        if label and value
    }


def _subheading_pairs(section: SelectorList) -> list[tuple[str | None, str | None]]:
    """Classic ``<div class="movieguide_subheading">Label:</div> value`` lines of a section."""
    return [
        (node_text(label), clean_text(label.xpath("following-sibling::text()[1]").get()))
        for label in section.css("div.movieguide_subheading")
    ]


def _year(release_date: str | None) -> int | None:
    match = _YEAR.search(release_date or "")
    return int(match.group(1)) if match else None


def _stars(response: Response) -> int | None:
    """Quality stars: star icons (current) or the ``Nstars.png`` image (classic)."""
    current = response.css("div.content-qual-header div.qual")
    if current:
        return len(current.css("i.fa-star")) or None
    image = response.css("div.movieguide_quality img::attr(src)").get()
    match = _STARS_IMAGE.search(image or "")
    return int(match.group(1)) if match else None


def _content_levels(response: Response) -> dict[str, str]:
    """{content key: level word} from the content table, plus the acceptability rating."""
    levels: dict[str, str] = {}
    table = response.css(CONTENT_TABLE)
    if table:
        header = _header_levels(table[0])
        marked = {cell.root for cell in table[0].xpath(_MARKED_CELLS)}
        for row in table[0].css("tr"):
            category, column = _marked_column(row, marked)
            if category and column is not None and column < len(header):
                levels[_category_key(category)] = header[column]
    acceptability = _acceptability(response)
    if acceptability:
        levels[ACCEPTABILITY_KEY] = acceptability
    return levels


def _header_levels(table: Selector) -> tuple[str, ...]:
    """The level words as the table's header row prints them (None Light Moderate Heavy)."""
    for row in table.css("tr"):
        cells = [node_text(cell) for cell in row.css("th, td")]
        words = tuple(cell for cell in cells if cell)
        if words and all(word in LEVELS for word in words):
            return words
    return LEVELS


# The table's cells that hold a red circle (content present) or, in the None column, a green
# one: found in one query a table, not one a cell.
_MARKED_CELLS = (
    ".//td[descendant-or-self::*[@class][contains(@class, 'circle-red')"
    " or contains(@class, 'circle_red') or contains(@class, 'circle-green')"
    " or contains(@class, 'circle_green')]]"
)


def _marked_column(row: Selector, marked: set[object]) -> tuple[str | None, int | None]:
    """(category, index of the first ``marked`` level cell) of one table row; (None, None) for
    rows without a label."""
    cells = row.css("td")
    label = row.css("td.param-cell") or cells[:1]
    name = node_text(label) if label else None
    if not name:
        return None, None
    levels = (cell.root for cell in cells if cell.root is not label[0].root)
    return name, next((index for index, cell in enumerate(levels) if cell in marked), None)


def _category_key(label: str) -> str:
    name = label.rstrip(":").strip().lower()
    return CATEGORY_KEYS.get(name, re.sub(r"\W+", "_", name).strip("_"))


def _acceptability(response: Response) -> str | None:
    """"+3 Moral" (current header) or "+3" (classic ratings block), as printed."""
    return node_text(response.css("div.content-qual-header div.content strong")) or node_text(
        response.css("div.movieguide_acceptability .movieguide_data")
    )


def _verdict(response: Response) -> str | None:
    summary = node_text(response.css("div.movieguide_review_summary, div.summary_content"))
    return clean_text(_SUMMARY_LABEL.sub("", summary)) if summary else None


def _body_text(response: Response) -> str | None:
    """Review paragraphs, then the content notes ("Foul Language: ..." / "CONTENT: ...")."""
    paragraphs = [
        node_text(p) for p in response.css("div.movieguide_review_body p, div.review_content p")
    ]
    paragraphs += _content_notes(response)
    text = "\n\n".join(p for p in paragraphs if p)
    return text or None


def _content_notes(response: Response) -> Iterable[str | None]:
    classic = _subheading_pairs(response.css("div.movieguide_review_content"))
    if classic:
        return [f"{label} {value}" for label, value in classic if label and value]
    return [node_text(response.css("div.content_content"))]


def _published(response: Response) -> str | None:
    return clean_text(
        response.css('meta[property="article:published_time"]::attr(content)').get()
        or response.css("article time::attr(datetime)").get()
    )
