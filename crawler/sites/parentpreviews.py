"""Parent Previews (parentpreviews.com): report-card grades for families, behind Cloudflare.

Discovery: the site's keyword search (``/search?keywords=<q>``) and, for a full crawl, the paged
movie-reviews listing (``/movie-reviews``, ``?page=N``; assumed: no source documents the listing).
Review URLs come only from those pages; the site links reviews both with and without a trailing
slash, and the page's ``<link rel=canonical>`` names it.

A review page has no JSON-LD. The film's facts come from ``og:title`` / the ``h1`` ("<Title> Parent
Guide") and the labelled "Movie Details" list (assumed markup: no source describes either). The
grades (A = none ... D = heavy, +/-) are read from:

* the ThemeREX-style grade block of 2023-2024 pages: ``div.criteria_row.theme_field`` rows
  (first ``span`` = category, ``span.criteria_mark`` = grade) inside
  ``a[href="#content-details"]``, and the Overall grade in the theme's summary row (assumed: its
  real element is unverified);
* "Label: Grade" text anywhere else (the public regex scrapers' fallback), which also reads older
  pages that print the grades as plain lines.

A missing page answers HTTP 200 with "page not found" in its first 2 kB: ``parse_review`` gives
None.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any
from urllib.parse import quote_plus

from lxml import etree
from scrapy import Request
from scrapy.http import Response

from crawler.items import Review
from crawler.sites.base import (
    below,
    canonical_url,
    clean_text,
    element_text,
    elements,
    has_class,
    imdb_id_in,
    listing_request,
    review_request,
    search_request,
    split_names,
)

NAME = "parentpreviews"
HOSTS = ("parentpreviews.com", "www.parentpreviews.com")
# Cloudflare blocks bursts; no Crawl-delay is published, so one request at a time, spaced (assumed).
CUSTOM_SETTINGS = {"CONCURRENT_REQUESTS_PER_DOMAIN": 1, "DOWNLOAD_DELAY": 3.0}

LISTING_URL = "https://parentpreviews.com/movie-reviews"
SEARCH_URL = "https://parentpreviews.com/search?keywords={query}"

NOT_FOUND_MARK = b"page not found"
NOT_FOUND_WINDOW = 2048  # the marker sits in the <title>/heading near the top of the page
OVERALL = "overall"
_GRADE = r"[A-F][+\-−–]?"
# Content category key (the site's current name, snake-cased) -> every label the site has used.
CATEGORY_LABELS = (
    (OVERALL, r"Overall(?:\s+Grade)?"),
    ("violence", r"Violence"),
    ("sexual_violence", r"Sexual\s+Violence"),
    ("sexual_content", r"Sexual\s+Content|Sex"),
    ("profanity", r"Profanity|Language"),
    (
        "substance_use",
        r"Substance\s+Use|Drugs?(?:\s*/\s*Alcohol)?(?:\s+Use)?"
        r"|Alcohol(?:\s*/\s*Drugs?)?(?:\s+Use)?",
    ),
)
# a label alone ("Violence", "Violence:") or with its grade ("Violence: B-"), as a whole text
_LABEL_AND_GRADE = [
    (key, re.compile(rf"(?i:{label})\s*[:\-]?\s*({_GRADE})?")) for key, label in CATEGORY_LABELS
]
_GRADE_ONLY = re.compile(_GRADE)
_TITLE_SUFFIXES = re.compile(
    r"(?:\s*[|–-]\s*Parent Previews|\s+Parents?['’]?\s+Guide|\s+Movie\s+Review)+\s*$", re.I
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# "Label: Grade" candidates: the body's text nodes outside scripts and styles. EXSLT's
# set:difference() takes those out at once, where a predicate [not(ancestor::script or
# ancestor::style)] tests the ancestors of every text node (four times the cost).
_PAGE_TEXT = "set:difference(//body//text(), //script//text() | //style//text())"
_EXSLT_SETS = {"set": "http://exslt.org/sets"}
# Any label, with or without its grade, in a text node as printed: the labels' patterns take any
# run of spaces where the cleaned text has one, so only the nodes this matches need cleaning.
_ANY_LABEL_AND_GRADE = re.compile(
    r"\s*(?:" + "|".join(pattern.pattern for _, pattern in _LABEL_AND_GRADE) + r")\s*"
)
_IMDB_TITLE_PATH = "imdb.com/title/"  # no IMDb link seen; read if a page carries one

# The classed elements a review page is read from: class -> tag (None: any). One walk over the
# page finds them all, where each CSS query would walk it again testing every element's class.
_CONTAINERS = {
    "criteria_row": "div",
    "movie_details": "ul",
    "post_text_area": "div",
    "post_descr": "p",
    "post_author": None,
    "post_date": None,
}
_CONTAINER_CLASSES = frozenset(_CONTAINERS)


# --- discovery ---------------------------------------------------------------------------------

def listing_requests() -> list[Request]:
    return [listing_request(LISTING_URL)]


def search_requests(title: str) -> list[Request]:
    """The search form's GET request (form encoding: spaces as ``+``)."""
    return [search_request(SEARCH_URL.format(query=quote_plus(title.strip())))]


def parse_listing(response: Response) -> Iterator[Request]:
    return _result_list(response, listing_request)


def parse_search(response: Response) -> Iterator[Request]:
    return _result_list(response, search_request)


def _result_list(response: Response, next_page: Callable[..., Request]) -> Iterator[Request]:
    """Review links of a listing or search page, then its other pages (assumed markup: both list
    ``article.post_item`` entries with the link in ``.post_title a`` and page links in
    ``.pagination``)."""
    for href in _unique_links(response, ".post_item .post_title a::attr(href)"):
        yield review_request(href)
    for href in _unique_links(response, ".pagination a::attr(href)"):
        yield next_page(href)


def _unique_links(response: Response, query: str) -> list[str]:
    """Absolute URLs of the matched hrefs, each once, in page order."""
    hrefs = response.css(query).getall()
    return list(dict.fromkeys(response.urljoin(href.strip()) for href in hrefs))


# --- review page -------------------------------------------------------------------------------

def parse_review(response: Response) -> Review | None:
    """The review, or None for the HTTP-200 not-found page and pages without a title or grade
    (news posts, previews of films not yet graded)."""
    if NOT_FOUND_MARK in response.body[:NOT_FOUND_WINDOW].lower():
        return None
    if response.selector.type == "json":  # a JSON body fails as the XPath queries did
        raise ValueError("Cannot use xpath on a Selector of type 'json'")
    # Every element, held for the whole parse: lxml makes an element's Python object when a walk
    # first reaches it (through the HTML parser's class lookup, in Python), and the later walks
    # reuse the objects held here instead of making new ones.
    page = list(elements(response, "*"))
    containers = _containers(page)
    metas = list(elements(response, "meta"))
    title = _title(response, metas)
    grades = _grades(response, containers["criteria_row"])
    overall = grades.pop(OVERALL, None)
    if title is None or not (grades or overall):
        return None
    details = _movie_details(containers["movie_details"])
    released = _detail(details, "release date", "theatrical release")
    return Review(
        url=canonical_url(response),
        title=title,
        year=_year(released),
        mpaa_rating=_detail(details, "mpaa rating", "rated"),
        runtime_minutes=_detail(details, "run time", "running time", "runtime"),
        # a bare year is no release date (films without a known date print only the year)
        release_date=released if released and not _YEAR.fullmatch(released) else None,
        directors=split_names(_detail(details, "directed by", "director", "directors")),
        cast=split_names(_detail(details, "starring", "cast")),
        genres=split_names(_detail(details, "genre", "genres")),
        imdb_id=imdb_id_in(" ".join(_imdb_links(response))),
        quality_native=overall,
        content_native=grades,
        verdict=_meta(metas, "description") or element_text(containers["post_descr"][:1]),
        text=_review_text(containers["post_text_area"]),
        reviewer=element_text(_first_below(containers["post_author"], "a")),
        published=element_text(_first_below(containers["post_date"], "time")),
    )


def _containers(page: list[Any]) -> dict[str, list[Any]]:
    """The page's elements of each ``_CONTAINERS`` class, in document order."""
    # str.split() cuts at more kinds of space than CSS does: it finds every candidate, and
    # has_class() keeps the real ones
    candidates = [element for element in page if (classes := element.get("class"))
                  and not _CONTAINER_CLASSES.isdisjoint(classes.split())]
    found: dict[str, list[Any]] = {name: [] for name in _CONTAINERS}
    for element in candidates:
        for name in _CONTAINER_CLASSES.intersection(element.get("class").split()):
            tag = _CONTAINERS[name]
            if (tag is None or tag == element.tag) and has_class(element, name):
                found[name].append(element)
    return found


def _first_below(containers: list[Any], tag: str) -> list[Any]:
    """The first of ``below(containers, tag)``, as a list of at most one element: the first
    container that has any holds it."""
    for container in containers:
        for element in container.iterdescendants(tag):
            return [element]
    return []


def _title(response: Response, metas: list[Any]) -> str | None:
    """The film: ``og:title`` else the ``h1`` ("Inside Out Parent Guide"), site suffixes off."""
    printed = _meta(metas, "og:title") or element_text(list(islice(elements(response, "h1"), 1)))
    return clean_text(_TITLE_SUFFIXES.sub("", printed)) if printed else None


def _meta(metas: list[Any], name: str) -> str | None:
    """The first ``content`` of the ``meta`` elements named ``name`` (``property`` or ``name``)."""
    contents = (meta.get("content") for meta in metas
                if meta.get("property") == name or meta.get("name") == name)
    return clean_text(next((content for content in contents if content is not None), None))


def _grades(response: Response, rows: list[Any]) -> dict[str, str]:
    """Category key -> grade as printed; the grade block's rows win over "Label: Grade" text."""
    grades = _text_grades(response)
    grades.update(_row_grades(rows))
    return grades


def _row_grades(rows: list[Any]) -> dict[str, str]:
    """Rows of the grade block: the category rows inside ``a[href="#content-details"]`` and the
    Overall summary row beside them (every ``div.criteria_row`` is read: either placement works)."""
    grades: dict[str, str] = {}
    for row in rows:
        label = element_text(list(islice(row.iterchildren("span"), 1)))
        grade = element_text([span for span in row.iterdescendants("span")
                          if has_class(span, "criteria_mark")])
        if label and grade:
            grades.setdefault(_category_key(label), grade)
    return grades


def _text_grades(response: Response) -> dict[str, str]:
    """Grades printed as "Label: Grade" text (what the public regex scrapers read). The grade must
    end the label's text node or be the whole next node, so prose such as "Violence: A lion
    attacks..." in the content details is never read as a grade."""
    # compiled for each page: lxml registers the EXSLT functions at every call of an evaluator,
    # and libxml2 2.13+ logs each registration after the first in its never-emptied error log
    page_text = etree.XPath(_PAGE_TEXT, namespaces=_EXSLT_SETS, smart_strings=False)
    # the nodes that clean to some text: whitespace-only ones (the markup's indentation) do not
    texts = [text for text in page_text(response.selector.root) if text and not text.isspace()]
    grades: dict[str, str] = {}
    for position, text in enumerate(texts):
        if not _ANY_LABEL_AND_GRADE.fullmatch(text):
            continue
        node = clean_text(text)
        for key, pattern in _LABEL_AND_GRADE:
            match = pattern.fullmatch(node)
            if not match:
                continue
            following = clean_text(texts[position + 1]) if position + 1 < len(texts) else ""
            grade = match.group(1) or (following if _GRADE_ONLY.fullmatch(following) else None)
            if grade:
                grades.setdefault(key, grade)
            break
    return grades


def _category_key(label: str) -> str:
    """The category key of a printed label; an unknown label keeps a key of its own (snake-cased)
    so the scale reports it instead of guessing."""
    for key, pattern in _LABEL_AND_GRADE:
        if pattern.fullmatch(label):
            return key
    return re.sub(r"\W+", "_", label.lower()).strip("_")


def _movie_details(lists: list[Any]) -> dict[str, str]:
    """The "Movie Details" list: lowercased label (colon off) -> value text."""
    details: dict[str, str] = {}
    for item in below(lists, "li"):
        labels, values = [], []  # .detail_label / .detail_value at or below the item, in one walk
        for element in item.iter("*"):
            if has_class(element, "detail_label"):
                labels.append(element)
            if has_class(element, "detail_value"):
                values.append(element)
        label, value = element_text(labels), element_text(values)
        if label and value:
            details.setdefault(label.rstrip(":").strip().lower(), value)
    return details


def _detail(details: dict[str, str], *labels: str) -> str | None:
    return next((details[label] for label in labels if label in details), None)


def _year(released: str | None) -> int | None:
    match = _YEAR.search(released or "")
    return int(match.group(1)) if match else None


def _imdb_links(response: Response) -> list[str]:
    """The hrefs of the page's IMDb title links."""
    hrefs = (link.get("href") for link in elements(response, "a"))
    return [href for href in hrefs if href is not None and _IMDB_TITLE_PATH in href]


def _review_text(text_areas: list[Any]) -> str | None:
    """The review body and its content-detail paragraphs, one paragraph per block."""
    paragraphs = (element_text([p]) for p in below(text_areas, "p"))
    return "\n\n".join(p for p in paragraphs if p) or None
