"""Dove.org (The Dove Foundation): WordPress review pages rated 0-5 in eight categories.

Discovery: the site's search (``/?s=<title+with+plus>`` since 2026; the older
``/search/reviews/<q>`` result cards are parsed too) and, for a full crawl, the genre listings
``/reviews/genre/<genre>/page/N/`` (cards ``div.content-info``; next pages; the other genres of
the listing's genre menu, an assumed element).

Review pages come in three markup generations (``shared/sites/README.md`` section 5):

* 2025+: ``div.matrix-categories`` grid whose ``span.categories-item--N`` carry ``data-criteria``
  keys (``sex|language|violence|drugs|nudity|other|faith|integrity``), plus positive/negative
  totals in ``ratings-section`` circles;
* c. 2019-2024: the same grid without ``data-criteria`` (keys come from the ``span.item-text``
  labels), descriptions in ``div.main-content.details-wrap``;
* 2015-era: ``div.rating-chart img`` (``src`` ``/g0.jpg``..``/g5.jpg``, ``alt`` = category,
  ``title`` = ``<b>Category: </b>description``) and ``div.approved-text``.

The totals are sums of the grid's levels, so only the per-category levels are stored. The seal
("Approved for All Ages", "Approved for Ages 12+", "Dove Reviewed") is both the age and the
one-line verdict. Dove prints no quality score.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple
from urllib.parse import quote_plus

from scrapy import Request
from scrapy.http import Response
from w3lib.html import remove_tags

from crawler.items import Review
from crawler.sites.base import (
    below,
    canonical_url,
    clean_text,
    element_text,
    elements,
    has_class,
    json_ld_objects,
    listing_request,
    review_request,
    search_request,
    split_names,
    title_tag_text,
)

NAME = "dove"
HOSTS = ("dove.org", "www.dove.org")
# Assumed: Dove documents no crawl-delay; one request at a time, a second apart, is polite.
CUSTOM_SETTINGS = {"CONCURRENT_REQUESTS_PER_DOMAIN": 1, "DOWNLOAD_DELAY": 1.0}

BASE_URL = "https://dove.org"
FULL_CRAWL_GENRES = ("animation", "family", "drama", "comedy")

# Category labels of older pages -> the data-criteria keys of the newer ones ("Sexuality" -> sex).
_CRITERIA_ALIASES = {"sexuality": "sex", "sexual": "sex", "drug": "drugs"}
_SITE_SUFFIX = re.compile(r"\s+[-|\u2013]\s+Dove(?:\.org| Foundation)?\s*$", re.IGNORECASE)
_CHART_LEVEL = re.compile(r"/g(\d+)\.jpe?g$", re.IGNORECASE)
_MATRIX_LEVEL = re.compile(r"\bcategories-item--(\d+)\b")
_CHART_LABEL = re.compile(r"^\s*<b>.*?</b>", re.IGNORECASE | re.DOTALL)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_WORD = re.compile(r"[a-z]+")


class Rating(NamedTuple):
    """One category of Dove's grid as the page prints it."""

    key: str  # data-criteria key: sex, language, violence, drugs, nudity, other, faith, integrity
    label: str
    level: int | None
    description: str | None


# --- discovery ---------------------------------------------------------------------------------


def listing_requests() -> list[Request]:
    return [listing_request(f"{BASE_URL}/reviews/genre/{genre}/") for genre in FULL_CRAWL_GENRES]


def search_requests(title: str) -> list[Request]:
    return [search_request(f"{BASE_URL}/?s={quote_plus(title.strip())}")]


def parse_listing(response: Response) -> Iterator[Request]:
    """Review cards, the next page, and the other genres of the listing's genre menu."""
    cards = response.xpath(
        '//div[has-class("content-info")]/ancestor::a[1]/@href'
        ' | //div[has-class("content-info")]//a/@href'
    ).getall()
    yield from _requests(review_request, response, cards)
    more = response.css(
        "a.next.page-numbers::attr(href), link[rel=next]::attr(href),"
        " ul.genre-filter a::attr(href)"
    ).getall()
    yield from _requests(listing_request, response, more)


def parse_search(response: Response) -> Iterator[Request]:
    yield from _requests(review_request, response, _search_result_links(response))


def _search_result_links(response: Response) -> list[str]:
    cards = response.css("div.movie-cards.search-cards")
    if cards:  # card grid; "Nothing matches your search term" leaves it without links
        return cards.css("a::attr(href)").getall()
    legacy = response.css("h1.entry-title a::attr(href)").getall()  # 2015-era WordPress search
    if legacy:
        return legacy
    # 2026 theme read by JellyfinPRRating: anchors whose href contains /review/ (main content only,
    # so that the footer's "/review/592756-an-inside-peek..." article stays out when possible)
    scope = response.css("main") or response
    return [href for href in scope.css("a::attr(href)").getall() if "/review/" in href]


def _requests(
    make: Callable[[str], Request], response: Response, hrefs: Iterable[str]
) -> Iterator[Request]:
    urls = (response.urljoin(href.strip()) for href in hrefs if href and href.strip())
    for url in dict.fromkeys(urls):
        yield make(url)


# --- review pages ------------------------------------------------------------------------------


# The classed elements a review page is read from: class -> (tag, or None for any; role). One walk
# over the page finds them all, where each CSS query would walk it again testing every class.
_CONTAINERS = {
    "matrix-categories": ("div", "matrix"),
    "rating-chart": ("div", "chart"),
    "details-wrap": ("div", "descriptions"),
    "content-approved": ("div", "seal"),
    "approved-text": ("div", "seal_2015"),
    "review-wrap": ("div", "body"),
    "entry-content": ("div", "body"),
    "review-meta": ("ul", "details"),
    "review-details": ("table", "details"),
    "entry-date": (None, "date"),
}
_CONTAINER_CLASSES = frozenset(_CONTAINERS)
# Class lists split as parsel's has-class() does (CSS class selectors: base.has_class)
_HAS_CLASS_SPACES = str.maketrans("\t\n\r\f", "    ")


def parse_review(response: Response) -> Review | None:
    """A Dove review, or None for pages without a rating grid (articles, not-found pages)."""
    if response.selector.type == "json":  # a JSON body fails as the CSS queries did
        raise ValueError("Cannot use css on a Selector of type 'json'")
    # Every element, held for the whole parse: lxml makes an element's Python object when a walk
    # first reaches it (through the HTML parser's class lookup, in Python), and the scoped walks
    # below reuse the objects held here instead of making new ones.
    page = list(elements(response, "*"))
    containers = _containers(page)
    if not (containers["matrix"] or containers["chart"]):
        return None
    details = _details(page, containers["details"])
    ratings = _matrix_ratings(containers) or _chart_ratings(containers["chart"])
    release_date = _first(details, "release date", "theatrical release")
    seal = (element_text(below(containers["seal"], "strong"))
            or element_text(containers["seal_2015"]))
    web_page = _web_page(response)
    return Review(
        url=canonical_url(response),
        title=_title(response, web_page),
        year=_year(release_date),
        mpaa_rating=_first(details, "industry rating", "mpaa rating"),
        runtime_minutes=_first(details, "runtime", "run time"),
        release_date=release_date,
        directors=split_names(_first(details, "director", "directors")),
        cast=split_names(_first(details, "starring", "cast")),
        genres=split_names(_first(details, "genre", "genres")),
        age_native=seal,
        content_native={r.key: r.level for r in ratings if r.level is not None},
        verdict=seal,
        text=_text(containers["body"], ratings),
        reviewer=_first(details, "reviewer"),
        published=web_page.get("datePublished") or element_text(containers["date"]),
    )


def _containers(page: list[Any]) -> dict[str, list[Any]]:
    """The elements of each ``_CONTAINERS`` role, each once and in document order."""
    # str.split() cuts at more kinds of space than CSS does: it finds every candidate, and
    # has_class() keeps the real ones
    candidates = [element for element in page if (classes := element.get("class"))
                  and not _CONTAINER_CLASSES.isdisjoint(classes.split())]
    found: dict[str, list[Any]] = {role: [] for _, role in _CONTAINERS.values()}
    for element in candidates:
        for name in _CONTAINER_CLASSES.intersection(element.get("class").split()):
            tag, role = _CONTAINERS[name]
            if (tag is None or tag == element.tag) and has_class(element, name):
                if not found[role] or found[role][-1] is not element:  # both body classes
                    found[role].append(element)
    return found


def _parsel_has_class(element: Any, name: str) -> bool:
    """parsel's ``has-class(name)``: ``name`` is one of the element's classes."""
    classes = element.get("class")
    if classes is None or name not in classes:
        return False
    return classes == name or name in classes.translate(_HAS_CLASS_SPACES).split(" ")


def _web_page(response: Response) -> dict[str, Any]:
    """Yoast's JSON-LD ``WebPage`` object (empty when the page has none)."""
    for obj in json_ld_objects(response):
        types = obj.get("@type")
        if "WebPage" in (types if isinstance(types, list) else [types]):
            return obj
    return {}


def _title(response: Response, web_page: dict[str, Any]) -> str | None:
    """The film title: JSON-LD page name, then ``<title>``, then the heading; site suffix cut."""
    for candidate in _title_candidates(response, web_page):
        title = clean_text(_SITE_SUFFIX.sub("", candidate)) if isinstance(candidate, str) else None
        if title:
            return title
    return None


def _title_candidates(response: Response, web_page: dict[str, Any]) -> Iterator[Any]:
    """Each read only when the ones before it give no title."""
    yield web_page.get("name")
    yield title_tag_text(response)
    yield element_text(list(elements(response, "h1")))


def _details(page: list[Any], containers: list[Any]) -> dict[str, str]:
    """Label -> value of film facts (2019+ ``ul.review-meta``, 2015 ``table.review-details``)."""
    lists = [container for container in containers if container.tag == "ul"]
    tables = [container for container in containers if container.tag == "table"]
    rows = below(lists, "li") + below(tables, "tr")
    if lists and tables:  # both generations' markup on one page: rows in the page's order
        rows = _in_document_order(page, rows)
    details: dict[str, str] = {}
    for row in rows:
        labels, values = [], []  # span.meta-label or th / span.meta-value or td, in one walk
        for cell in row.iter("span", "th", "td"):
            if cell.tag == "th" or (cell.tag == "span" and has_class(cell, "meta-label")):
                labels.append(cell)
            if cell.tag == "td" or (cell.tag == "span" and has_class(cell, "meta-value")):
                values.append(cell)
        label, value = element_text(labels), element_text(values)
        if label and value:
            details.setdefault(label.rstrip(":").strip().lower(), value)
    return details


def _in_document_order(page: list[Any], nodes: list[Any]) -> list[Any]:
    """``nodes`` (elements of ``page``) sorted as the page has them."""
    position = {node: index for index, node in enumerate(page)}
    return sorted(nodes, key=position.__getitem__)


def _first(details: dict[str, str], *labels: str) -> str | None:
    return next((details[label] for label in labels if label in details), None)


def _year(release_date: str | None) -> int | None:
    match = _YEAR.search(release_date or "")
    return int(match.group(1)) if match else None


def _criteria_key(label: str) -> str:
    word = _WORD.match(label.lower())
    key = word.group() if word else label.lower()
    return _CRITERIA_ALIASES.get(key, key)


def _matrix_ratings(containers: dict[str, list[Any]]) -> list[Rating]:
    descriptions = {
        (element_text([title]) or "").lower(): element_text(
            [part for part in title.getparent().iterchildren("*")
             if _parsel_has_class(part, "details-body")]
        )
        for title in below(containers["descriptions"], "h5")
        if has_class(title, "details-title")
    }
    ratings = []
    for item in below(containers["matrix"], "span"):
        if not has_class(item, "item-text"):
            continue
        label = element_text([item])
        score = next((span for span in item.itersiblings("span")
                      if _parsel_has_class(span, "categories-item")), None)
        if not label or score is None:
            continue
        level = _MATRIX_LEVEL.search(score.get("class", ""))
        ratings.append(
            Rating(
                key=score.get("data-criteria") or _criteria_key(label),
                label=label,
                level=int(level.group(1)) if level else None,
                description=descriptions.get(label.lower()),
            )
        )
    return ratings


def _chart_ratings(charts: list[Any]) -> list[Rating]:
    ratings = []
    for image in below(charts, "img"):
        label = clean_text(image.get("alt"))
        if not label:
            continue
        level = _CHART_LEVEL.search(image.get("src", ""))
        description = _CHART_LABEL.sub("", image.get("title", ""))
        ratings.append(
            Rating(
                key=_criteria_key(label),
                label=label,
                level=int(level.group(1)) if level else None,
                description=clean_text(remove_tags(description)),
            )
        )
    return ratings


def _text(bodies: list[Any], ratings: list[Rating]) -> str | None:
    """The review body, then the content description of each category ("Violence: ...")."""
    paragraphs = [element_text([p]) for p in below(bodies, "p")]
    paragraphs += [f"{r.label}: {r.description}" for r in ratings if r.description]
    return "\n\n".join(p for p in paragraphs if p) or None
