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
    canonical_url,
    clean_text,
    json_ld_objects,
    listing_request,
    node_text,
    review_request,
    search_request,
    split_names,
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


def parse_review(response: Response) -> Review | None:
    """A Dove review, or None for pages without a rating grid (articles, not-found pages)."""
    if not response.css("div.matrix-categories, div.rating-chart"):
        return None
    details = _details(response)
    ratings = _matrix_ratings(response) or _chart_ratings(response)
    release_date = _first(details, "release date", "theatrical release")
    seal = node_text(response.css("div.content-approved strong")) or node_text(
        response.css("div.approved-text")
    )
    return Review(
        url=canonical_url(response),
        title=_title(response),
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
        text=_text(response, ratings),
        reviewer=_first(details, "reviewer"),
        published=_web_page(response).get("datePublished")
        or node_text(response.css(".entry-date")),
    )


def _web_page(response: Response) -> dict[str, Any]:
    """Yoast's JSON-LD ``WebPage`` object (empty when the page has none)."""
    for obj in json_ld_objects(response):
        types = obj.get("@type")
        if "WebPage" in (types if isinstance(types, list) else [types]):
            return obj
    return {}


def _title(response: Response) -> str | None:
    """The film title: JSON-LD page name, then ``<title>``, then the heading; site suffix cut."""
    candidates = (
        _web_page(response).get("name"),
        response.css("title::text").get(),
        node_text(response.css("h1")),
    )
    for candidate in candidates:
        title = clean_text(_SITE_SUFFIX.sub("", candidate)) if isinstance(candidate, str) else None
        if title:
            return title
    return None


def _details(response: Response) -> dict[str, str]:
    """Label -> value of film facts (2019+ ``ul.review-meta``, 2015 ``table.review-details``)."""
    details: dict[str, str] = {}
    for row in response.css("ul.review-meta li, table.review-details tr"):
        label = node_text(row.css("span.meta-label, th"))
        value = node_text(row.css("span.meta-value, td"))
        if label and value:
            details.setdefault(label.rstrip(":").strip().lower(), value)
    return details


def _first(details: dict[str, str], *labels: str) -> str | None:
    return next((details[label] for label in labels if label in details), None)


def _year(release_date: str | None) -> int | None:
    match = _YEAR.search(release_date or "")
    return int(match.group(1)) if match else None


def _criteria_key(label: str) -> str:
    word = re.match(r"[a-z]+", label.lower())
    key = word.group() if word else label.lower()
    return _CRITERIA_ALIASES.get(key, key)


def _matrix_ratings(response: Response) -> list[Rating]:
    descriptions = {
        (node_text(title) or "").lower(): node_text(title.xpath('../*[has-class("details-body")]'))
        for title in response.css("div.details-wrap h5.details-title")
    }
    ratings = []
    for item in response.css("div.matrix-categories span.item-text"):
        label = node_text(item)
        score = item.xpath('following-sibling::span[has-class("categories-item")][1]')
        if not label or not score:
            continue
        level = _MATRIX_LEVEL.search(score.attrib.get("class", ""))
        ratings.append(
            Rating(
                key=score.attrib.get("data-criteria") or _criteria_key(label),
                label=label,
                level=int(level.group(1)) if level else None,
                description=descriptions.get(label.lower()),
            )
        )
    return ratings


def _chart_ratings(response: Response) -> list[Rating]:
    ratings = []
    for image in response.css("div.rating-chart img"):
        label = clean_text(image.attrib.get("alt"))
        if not label:
            continue
        level = _CHART_LEVEL.search(image.attrib.get("src", ""))
        description = _CHART_LABEL.sub("", image.attrib.get("title", ""))
        ratings.append(
            Rating(
                key=_criteria_key(label),
                label=label,
                level=int(level.group(1)) if level else None,
                description=clean_text(remove_tags(description)),
            )
        )
    return ratings


def _text(response: Response, ratings: list[Rating]) -> str | None:
    """The review body, then the content description of each category ("Violence: ...")."""
    paragraphs = [node_text(p) for p in response.css("div.review-wrap p, div.entry-content p")]
    paragraphs += [f"{r.label}: {r.description}" for r in ratings if r.description]
    return "\n\n".join(p for p in paragraphs if p) or None
