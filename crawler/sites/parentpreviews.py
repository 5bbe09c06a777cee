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
from urllib.parse import quote_plus

from scrapy import Request
from scrapy.http import Response

from crawler.items import Review
from crawler.sites.base import (
    canonical_url,
    clean_text,
    imdb_id_in,
    listing_request,
    node_text,
    review_request,
    search_request,
    split_names,
    xpath_strings,
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
_PAGE_TEXT = "//body//text()[not(ancestor::script or ancestor::style)]"
IMDB_LINKS = 'a[href*="imdb.com/title/"]::attr(href)'  # none seen; read if a page carries one


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
    title = _title(response)
    grades = _grades(response)
    overall = grades.pop(OVERALL, None)
    if title is None or not (grades or overall):
        return None
    details = _movie_details(response)
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
        imdb_id=imdb_id_in(" ".join(response.css(IMDB_LINKS).getall())),
        quality_native=overall,
        content_native=grades,
        verdict=_meta(response, "description") or node_text(response.css("p.post_descr")[:1]),
        text=_review_text(response),
        reviewer=node_text(response.css(".post_author a")[:1]),
        published=node_text(response.css(".post_date time")[:1]),
    )


def _title(response: Response) -> str | None:
    """The film: ``og:title`` else the ``h1`` ("Inside Out Parent Guide"), site suffixes off."""
    printed = _meta(response, "og:title") or node_text(response.css("h1")[:1])
    return clean_text(_TITLE_SUFFIXES.sub("", printed)) if printed else None


def _meta(response: Response, name: str) -> str | None:
    value = response.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content').get()
    return clean_text(value)


def _grades(response: Response) -> dict[str, str]:
    """Category key -> grade as printed; the grade block's rows win over "Label: Grade" text."""
    grades = _text_grades(response)
    grades.update(_row_grades(response))
    return grades


def _row_grades(response: Response) -> dict[str, str]:
    """Rows of the grade block: the category rows inside ``a[href="#content-details"]`` and the
    Overall summary row beside them (every ``div.criteria_row`` is read: either placement works)."""
    grades: dict[str, str] = {}
    for row in response.css("div.criteria_row"):
        label = node_text(row.xpath("./span[1]"))
        grade = node_text(row.css("span.criteria_mark"))
        if label and grade:
            grades.setdefault(_category_key(label), grade)
    return grades


def _text_grades(response: Response) -> dict[str, str]:
    """Grades printed as "Label: Grade" text (what the public regex scrapers read). The grade must
    end the label's text node or be the whole next node, so prose such as "Violence: A lion
    attacks..." in the content details is never read as a grade."""
    nodes = [text for text in map(clean_text, xpath_strings(response, _PAGE_TEXT)) if text]
    grades: dict[str, str] = {}
    for position, node in enumerate(nodes):
        for key, pattern in _LABEL_AND_GRADE:
            match = pattern.fullmatch(node)
            if not match:
                continue
            following = nodes[position + 1] if position + 1 < len(nodes) else ""
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


def _movie_details(response: Response) -> dict[str, str]:
    """The "Movie Details" list: lowercased label (colon off) -> value text."""
    details: dict[str, str] = {}
    for item in response.css("ul.movie_details li"):
        label = node_text(item.css(".detail_label"))
        value = node_text(item.css(".detail_value"))
        if label and value:
            details.setdefault(label.rstrip(":").strip().lower(), value)
    return details


def _detail(details: dict[str, str], *labels: str) -> str | None:
    return next((details[label] for label in labels if label in details), None)


def _year(released: str | None) -> int | None:
    match = _YEAR.search(released or "")
    return int(match.group(1)) if match else None


def _review_text(response: Response) -> str | None:
    """The review body and its content-detail paragraphs, one paragraph per block."""
    paragraphs = (node_text(p) for p in response.css("div.post_text_area p"))
    return "\n\n".join(p for p in paragraphs if p) or None
