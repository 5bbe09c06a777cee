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
from typing import Any
from urllib.parse import quote_plus

from lxml import etree
from scrapy import Request
from scrapy.http import Response

from crawler.items import Review
from crawler.sites.base import (
    below,
    canonical_url,
    class_names,
    clean_text,
    element_text,
    has_class,
    listing_request,
    review_request,
    search_request,
    split_names,
    xpath_strings,
)

NAME = "movieguide"
HOSTS = ("www.movieguide.org", "movieguide.org")
CUSTOM_SETTINGS = {"CONCURRENT_REQUESTS_PER_DOMAIN": 1, "DOWNLOAD_DELAY": 2.0}

BASE_URL = "https://www.movieguide.org"
LISTING_URL = f"{BASE_URL}/category/reviews"

# Tag -> class -> the part a block of that class plays; the two generations' classes for the same
# part share one, so that their blocks come in one list in document order as a CSS union gives
# them (``div.movieguide_review_summary, div.summary_content``).
BLOCK_ROLES = {
    "table": {"content-qual-tbl": "content_table", "movieguide_content_summary": "content_table"},
    "div": {
        "content-qual-header": "header",  # current: acceptability and stars
        "movie-details": "facts",
        "content_content": "notes",
        "movieguide_review_info": "classic_facts",
        "movieguide_review_content": "classic_notes",
        "movieguide_quality": "classic_quality",
        "movieguide_acceptability": "classic_acceptability",
        "movieguide_review_summary": "summary",
        "summary_content": "summary",
        "movieguide_review_body": "body",
        "review_content": "body",
    },
    "h1": {"entry-title": "headline"},
}
REVIEW_MARKERS = ("content_table", "header", "classic_notes")  # a page with none is no review
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
# meta[property="article:published_time"]::attr(content), the test made on the property attributes
# there are rather than on every meta (half the time in libxml2)
PUBLISHED_TIME = '//meta/@property[. = "article:published_time"]/../@content'

_TITLE_SUFFIX = re.compile(
    r"\s*(?:Review\s*-\s*Movies\s*-\s*Movieguide|-\s*Movieguide\s*\|.*)\s*$", re.I
)
_STARS_IMAGE = re.compile(r"(\d)\s*stars?\b", re.I)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_SUMMARY_LABEL = re.compile(r"^\s*summary\s*:\s*", re.I)
# The class (a substring of it) of the circle that marks a content-table cell: red (content
# present) or, in the None column, green
_MARK = re.compile(r"circle[-_](?:red|green)")
_NON_WORD = re.compile(r"\W+")


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
# A review page is walked once for the blocks of ``BLOCK_ROLES`` (``_blocks``), and every field is
# read inside its blocks with lxml's own iteration: the fifty CSS queries a page made before each
# walked the whole document and tested a class on every element (most of the parse's time). The
# CSS semantics are kept: document order, descendants only, and class names split where XPath's
# ``normalize-space`` splits them.
Blocks = dict[str, list[Any]]


def parse_review(response: Response) -> Review | None:
    blocks = _blocks(response.selector.root)
    if not any(blocks[role] for role in REVIEW_MARKERS):
        return None  # news article, video page, home page, "page not found"
    facts = _film_facts(blocks)
    release_date = facts.get("release date")
    return Review(
        url=canonical_url(response),
        title=_title(response, blocks),
        year=_year(release_date),
        mpaa_rating=facts.get("rating"),
        runtime_minutes=facts.get("runtime"),
        release_date=release_date,
        directors=split_names(facts.get("director")),
        cast=split_names(facts.get("starring")),
        genres=split_names(facts.get("genre")),
        quality_native=_stars(blocks),
        content_native=_content_levels(blocks),
        verdict=_verdict(blocks),
        text=_body_text(blocks),
        published=_published(response),
    )


def _blocks(root: Any) -> Blocks:
    """Role -> the page's blocks of that role (``BLOCK_ROLES``) in document order."""
    blocks: Blocks = {role: [] for classes in BLOCK_ROLES.values() for role in classes.values()}
    for tag, roles in BLOCK_ROLES.items():  # a role's blocks are all of one tag
        for element in root.iter(tag):
            value = element.get("class")
            # str.split() splits at more kinds of space than CSS does, so it only screens
            if value and not roles.keys().isdisjoint(value.split()):
                for role in {roles[name] for name in class_names(value) if name in roles}:
                    blocks[role].append(element)
    return blocks


def _title(response: Response, blocks: Blocks) -> str | None:
    """The headline (the film title as MovieGuide prints it, usually in capitals)."""
    headline = element_text(blocks["headline"])
    if headline:
        return headline
    page_title = clean_text(response.css("title::text").get())
    return clean_text(_TITLE_SUFFIX.sub("", page_title)) if page_title else None


def _film_facts(blocks: Blocks) -> dict[str, str]:
    """Label -> value of the film-facts box ("Release Date", "Rating", "Runtime", ...)."""
    current = (
        (element_text(_labelled(item, "label")), element_text(_labelled(item, "value")))
        for item in below(blocks["facts"], "li")
    )
    classic = _subheading_pairs(blocks["classic_facts"])
    return {
        label.rstrip(":").strip().lower(): value
        for label, value in (*current, *classic)
        if label and value
    }


def _labelled(item: Any, class_name: str) -> list[Any]:
    """The elements of class ``class_name`` in ``item``'s subtree, ``item`` included."""
    return [element for element in item.iter(etree.Element) if has_class(element, class_name)]


def _subheading_pairs(sections: list[Any]) -> list[tuple[str | None, str | None]]:
    """Classic ``<div class="movieguide_subheading">Label:</div> value`` lines of the sections
    (each section's own, as a selector list's ``css`` gives them)."""
    return [
        (element_text([label]), clean_text(_next_text(label)))
        for section in sections
        for label in section.iter("div")
        if has_class(label, "movieguide_subheading")
    ]


def _next_text(element: Any) -> str | None:
    """XPath's ``following-sibling::text()[1]``: the element's tail, else the first tail of a
    following sibling (lxml keeps the text after a node as that node's tail)."""
    if element.tail is not None:
        return element.tail
    return next((sibling.tail for sibling in element.itersiblings() if sibling.tail is not None),
                None)


def _year(release_date: str | None) -> int | None:
    match = _YEAR.search(release_date or "")
    return int(match.group(1)) if match else None


def _stars(blocks: Blocks) -> int | None:
    """Quality stars: star icons (current) or the ``Nstars.png`` image (classic)."""
    current = below(blocks["header"], "div", "qual")
    if current:
        # each block's icons, as a selector list's css() gives them (nested blocks count twice)
        return sum(len(below([qual], "i", "fa-star")) for qual in current) or None
    image = next((src for img in below(blocks["classic_quality"], "img")
                  if (src := img.get("src")) is not None), None)
    match = _STARS_IMAGE.search(image or "")
    return int(match.group(1)) if match else None


def _content_levels(blocks: Blocks) -> dict[str, str]:
    """{content key: level word} from the content table, plus the acceptability rating."""
    levels: dict[str, str] = {}
    if blocks["content_table"]:
        rows = list(blocks["content_table"][0].iter("tr"))
        header = _header_levels(rows)
        for row in rows:
            category, column = _marked_column(row)
            if category and column is not None and column < len(header):
                levels[_category_key(category)] = header[column]
    acceptability = _acceptability(blocks)
    if acceptability:
        levels[ACCEPTABILITY_KEY] = acceptability
    return levels


def _header_levels(rows: list[Any]) -> tuple[str, ...]:
    """The level words as the table's header row prints them (None Light Moderate Heavy)."""
    for row in rows:
        cells = (element_text([cell]) for cell in row.iter("th", "td"))
        words = tuple(word for word in cells if word)
        if words and all(word in LEVELS for word in words):
            return words
    return LEVELS


def _marked_column(row: Any) -> tuple[str | None, int | None]:
    """(category, index of the first marked level cell) of one table row; (None, None) for rows
    without a label."""
    cells = list(row.iter("td"))
    label = [cell for cell in cells if has_class(cell, "param-cell")] or cells[:1]
    name = element_text(label) if label else None
    if not name:
        return None, None
    levels = (cell for cell in cells if cell is not label[0])
    return name, next((index for index, cell in enumerate(levels) if _is_marked(cell)), None)


def _is_marked(cell: Any) -> bool:
    """The cell or an element in it has a circle's mark class."""
    for element in cell.iter(etree.Element):
        value = element.get("class")
        if value and _MARK.search(value):
            return True
    return False


def _category_key(label: str) -> str:
    name = label.rstrip(":").strip().lower()
    return CATEGORY_KEYS.get(name) or _NON_WORD.sub("_", name).strip("_")


def _acceptability(blocks: Blocks) -> str | None:
    """"+3 Moral" (current header) or "+3" (classic ratings block), as printed."""
    return element_text(
        below(below(blocks["header"], "div", "content"), "strong")
    ) or element_text(below(blocks["classic_acceptability"], etree.Element, "movieguide_data"))


def _verdict(blocks: Blocks) -> str | None:
    summary = element_text(blocks["summary"])
    return clean_text(_SUMMARY_LABEL.sub("", summary)) if summary else None


def _body_text(blocks: Blocks) -> str | None:
    """Review paragraphs, then the content notes ("Foul Language: ..." / "CONTENT: ...")."""
    paragraphs = [element_text([p]) for p in below(blocks["body"], "p")]
    paragraphs += _content_notes(blocks)
    text = "\n\n".join(p for p in paragraphs if p)
    return text or None


def _content_notes(blocks: Blocks) -> Iterable[str | None]:
    classic = _subheading_pairs(blocks["classic_notes"])
    if classic:
        return [f"{label} {value}" for label, value in classic if label and value]
    return [element_text(blocks["notes"])]


def _published(response: Response) -> str | None:
    return clean_text(
        _first(xpath_strings(response, PUBLISHED_TIME))
        or _first(xpath_strings(response, "//article//time/@datetime"))
    )


def _first(values: list[str]) -> str | None:
    return values[0] if values else None
