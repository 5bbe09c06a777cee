"""IMDb Parents Guide (www.imdb.com): discovery and parsers for every page generation.

Discovery never guesses a parents-guide URL: the search page (``/find/?q=``) and the full-crawl
list link *title pages* (``/title/tt…/``, crawled as listings), and a title page's own "Parents
guide" link leads to the review page.

A parents guide comes in three shapes, all parsed here:

* 2024+ Next.js page: ``__NEXT_DATA__`` first, then the ``data-testid`` markup
  (``li[data-testid=rating-item]`` summary, per-category sections, certificates);
* 2023-and-older page: ``section#advisory-<category>`` with ``span.ipl-status-pill``;
* GraphQL ``parentsGuide`` JSON: IMDb's AWS WAF answers scripted page requests with HTTP 202, an
  empty body and an ``x-amzn-waf-action`` header; ``parse_review`` then returns the GraphQL POST
  the site's own front end makes, and parses its answer when it comes back.

Severities stay as printed (None / Mild / Moderate / Severe) in ``content_native`` under the site's
own category keys, which are also its page anchors (``#nudity``) and lowercased GraphQL ids.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

from scrapy import Request
from scrapy.http import Response
from scrapy.selector import SelectorList

from crawler.items import Review
from crawler.sites.base import (
    canonical_url,
    clean_text,
    imdb_id_in,
    json_ld_objects,
    listing_request,
    node_text,
    review_request,
    search_request,
    strip_query,
)

NAME = "imdb"
GRAPHQL_HOSTS = ("graphql.imdb.com", "api.graphql.imdb.com")
HOSTS = ("www.imdb.com", *GRAPHQL_HOSTS)
SITE_URL = "https://www.imdb.com"
GRAPHQL_URL = "https://graphql.imdb.com/"

# IMDb localizes titles by Accept-Language: ask for the US English titles every other site prints.
CUSTOM_SETTINGS: dict[str, Any] = {
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "DOWNLOAD_DELAY": 3,
    "DEFAULT_REQUEST_HEADERS": {
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Language": "en-US,en;q=0.9",
    },
}

# Full crawl: a user list of family films. Assumed: IMDb has no family index page, so the id is a
# placeholder to replace with a real list; any /list/ls…/ page (paged by ``<link rel=next>``, or
# ``a.lister-page-next`` before 2024) or an advanced-search page of the same markup works.
LIST_URLS = (f"{SITE_URL}/list/ls000000001/",)

# The site's own categories in page order; labels as the page prints them.
CATEGORY_LABELS = {
    "nudity": "Sex & Nudity",
    "violence": "Violence & Gore",
    "profanity": "Profanity",
    "alcohol": "Alcohol, Drugs & Smoking",
    "frightening": "Frightening & Intense Scenes",
}

# Meta key carrying the title id from the refused page to the GraphQL answer.
TITLE_ID_META = "imdb_title_id"

GRAPHQL_CLIENT_HEADERS = {
    "Content-Type": "application/json",
    "x-imdb-client-name": "imdb-web-next-localized",
}
# The documented parentsGuide query plus the title's name, year and MPA certificate, so a review
# that only ever came through GraphQL still names its film (``certificate.ratingReason``: assumed).
PARENTS_GUIDE_QUERY = """\
query ParentsGuide($id: ID!) {
  title(id: $id) {
    id
    titleText { text }
    releaseYear { year }
    certificate { rating ratingReason }
    parentsGuide {
      categories {
        category { id text }
        severity { text }
        guideItems(first: 50) { total edges { node { text { plainText } isSpoiler } } }
      }
    }
  }
}"""

_TITLE_PAGE_PATH = re.compile(r"^/title/tt\d{7,9}/?$")
_PARENTS_GUIDE_PATH = re.compile(r"^/title/tt\d{7,9}/parentalguide/?$")
# "The Matrix (1999) - Parents guide - IMDb", "Bluey (TV Series 2018- ) - Parents Guide - IMDb"
_PAGE_TITLE = re.compile(
    r"^(?P<title>.+?)\s*\((?:[^()]*?\s)?(?P<year>\d{4})[^()]*\)\s*-\s*Parents guide\b", re.I
)
_YEAR = re.compile(r"\b(\d{4})\b")


# --- discovery ---------------------------------------------------------------------------------
def listing_requests() -> list[Request]:
    return [listing_request(url) for url in LIST_URLS]


def search_requests(title: str) -> list[Request]:
    """The site's title search, narrowed to feature films as its own "Movies" filter does."""
    query = urlencode({"q": title, "s": "tt", "ttype": "ft"})
    return [search_request(f"{SITE_URL}/find/?{query}")]


def parse_search(response: Response) -> Iterator[Request]:
    """Title pages of the results: 2023+ ``li.find-title-result``, older ``td.result_text``."""
    if _refused_by_waf(response):  # nothing to read; only review pages have a GraphQL twin
        return
    hrefs = response.css(
        "li.find-title-result a.ipc-metadata-list-summary-item__t::attr(href),"
        " td.result_text a::attr(href)"
    ).getall()
    yield from _title_page_requests(response, hrefs)


def parse_listing(response: Response) -> Iterator[Request]:
    """A title page yields its parents-guide link; a list page its titles and its next page."""
    if _refused_by_waf(response):
        return
    yield from _parents_guide_requests(response)
    yield from _title_page_requests(response, _listed_title_hrefs(response))
    for href in response.css(
        'link[rel="next"]::attr(href), a.lister-page-next::attr(href)'
    ).getall():
        yield listing_request(response.urljoin(href))


def _listed_title_hrefs(response: Response) -> list[str]:
    """Titles of a list page: JSON-LD ``ItemList`` first, then the list rows (2024+ and legacy).

    Title pages link other titles too ("More like this" poster cards), but never in list rows.
    """
    embedded = [
        entry["item"]["url"]
        for obj in json_ld_objects(response)
        if obj.get("@type") == "ItemList"
        for entry in obj.get("itemListElement") or []
        if isinstance(entry, dict)
        and isinstance(entry.get("item"), dict)
        and entry["item"].get("url")
    ]
    return (
        embedded
        or response.css(
            "li.ipc-metadata-list-summary-item a.ipc-title-link-wrapper::attr(href),"
            " h3.lister-item-header a::attr(href)"
        ).getall()
    )


def _title_page_requests(response: Response, hrefs: Iterable[str]) -> Iterator[Request]:
    yield from (listing_request(url) for url in _links_to(response, hrefs, _TITLE_PAGE_PATH))


def _parents_guide_requests(response: Response) -> Iterator[Request]:
    hrefs = response.css('a[href*="/parentalguide"]::attr(href)').getall()
    yield from (review_request(url) for url in _links_to(response, hrefs, _PARENTS_GUIDE_PATH))


def _links_to(response: Response, hrefs: Iterable[str], path: re.Pattern[str]) -> list[str]:
    """Absolute links whose path matches, once each, without IMDb's ``?ref_=`` tracking query."""
    found: dict[str, None] = {}
    for href in hrefs:
        url = strip_query(response.urljoin(href.strip()))
        if path.match(urlsplit(url).path):
            found.setdefault(url)
    return list(found)


# --- review pages ------------------------------------------------------------------------------
def parse_review(response: Response) -> Review | Request | None:
    """A Review, the GraphQL request replacing a WAF-refused page, or None for a non-review."""
    if _refused_by_waf(response):
        return graphql_request(imdb_id_in(response.url))
    if urlsplit(response.url).netloc in GRAPHQL_HOSTS:
        return _review_from_graphql(response)
    return _review_from_page(response)


def graphql_request(title_id: str | None) -> Request | None:
    if not title_id:
        return None
    body = {
        "operationName": "ParentsGuide",
        "query": PARENTS_GUIDE_QUERY,
        "variables": {"id": title_id},
    }
    return review_request(
        GRAPHQL_URL,
        method="POST",
        body=json.dumps(body),
        headers=GRAPHQL_CLIENT_HEADERS,
        meta={TITLE_ID_META: title_id},
    )


def parents_guide_url(title_id: str) -> str:
    """The page a GraphQL answer stands for (2024+ trailing-slash form)."""
    return f"{SITE_URL}/title/{title_id}/parentalguide/"


def _refused_by_waf(response: Response) -> bool:
    return b"x-amzn-waf-action" in response.headers or (
        response.status == 202 and not response.body
    )


def _review_from_page(response: Response) -> Review | None:
    content = _next_data_content(response)
    embedded = _next_data_severities(content)
    levels = {
        key: level for key in CATEGORY_LABELS if (level := _severity(response, embedded, key))
    }
    if not levels:  # 404 page, title page, a guide nobody has rated yet
        return None
    url = canonical_url(response)
    page_title = _PAGE_TITLE.match(response.css("title::text").get(default="").strip())
    return Review(
        url=url,
        title=_page_film_title(response, content, page_title),
        year=_page_year(response, content, page_title),
        mpaa_rating=_page_mpa_rating(response, content),
        imdb_id=imdb_id_in(url),
        content_native=levels,
        text=_guide_text({key: _page_items(response, key) for key in levels}),
    )


def _next_data_content(response: Response) -> dict[str, Any]:
    """``props.pageProps.contentData`` of ``__NEXT_DATA__`` (empty when absent or broken)."""
    raw = response.css("script#__NEXT_DATA__::text").get()
    try:
        content = _dig(json.loads(raw), "props", "pageProps", "contentData") if raw else None
    except ValueError:
        content = None
    return content if isinstance(content, dict) else {}


def _page_film_title(response: Response, content: dict, page_title: re.Match | None) -> str | None:
    # entityMetadata: assumed from IMDb's other title subpages
    return (
        clean_text(_dig(content, "entityMetadata", "titleText", "text"))
        or node_text(response.css('h2[data-testid="subtitle"]'))
        or node_text(response.css('.subpage_title_block h3[itemprop="name"] > a'))
        or (clean_text(page_title.group("title")) if page_title else None)
    )


def _page_year(response: Response, content: dict, page_title: re.Match | None) -> int | None:
    year = _dig(content, "entityMetadata", "releaseYear", "year")
    if isinstance(year, int):
        return year
    if page_title:
        return int(page_title.group("year"))
    legacy = _YEAR.search(response.css(".subpage_title_block h3 .nobr::text").get(default=""))
    return int(legacy.group(1)) if legacy else None


def _page_mpa_rating(response: Response, content: dict) -> str | None:
    """The MPA line with its reason ("Rated R for ..."), else the bare US certificate ("G")."""
    return (
        clean_text(_dig(content, "contentRatingData", "ratingReason"))
        or node_text(
            response.xpath(
                '//section[@data-testid="content-rating"]'
                '//li[.//*[contains(@class, "ipc-metadata-list-item__label")]'
                '[starts-with(normalize-space(), "Motion Picture Rating")]]'
                '//div[contains(@class, "ipc-html-content-inner-div")]'
            )
        )
        or node_text(response.xpath('//tr[@id="mpaa-rating"]/td[2]'))
        or node_text(
            response.xpath(
                '(//*[@data-testid="certificates-item"][.//*[contains(@class,'
                ' "ipc-metadata-list-item__label")][normalize-space()="United States"]]'
                '//*[contains(@class, "ipc-metadata-list-item__list-content-item--link")])[1]'
            )
        )
        or _legacy_us_certificate(response)
    )


def _legacy_us_certificate(response: Response) -> str | None:
    printed = node_text(response.css('#certificates a[href*="certificates=US:"]')[:1])
    return clean_text(printed.partition(":")[2]) if printed else None


def _severity(response: Response, embedded: dict[str, str], key: str) -> str | None:
    """One category's level: ``__NEXT_DATA__``, summary list, section signpost, legacy pill."""
    return (
        embedded.get(key)
        or node_text(
            response.xpath(
                f'//li[@data-testid="rating-item"][a[@href="#{key}"]]'
                '//div[contains(@class, "ipc-html-content-inner-div")]'
            )
        )
        or node_text(_category_section(response, key).css(".ipc-signpost__text")[:1])
        or node_text(
            response.xpath(
                f'(//section[@id="advisory-{key}"]//span[contains(@class, "ipl-status-pill")]'
                "[normalize-space()])[1]"
            )
        )
    )


def _next_data_severities(content: dict) -> dict[str, str]:
    """``section.items[]``: ``{"id": "advisory-nudity", "severityVote": {"severity": "Mild"}}``.

    Later pages dropped the severities from ``__NEXT_DATA__`` (then the DOM answers).
    """
    levels = {}
    for item in _dig(content, "section", "items") or []:
        if not isinstance(item, dict):
            continue
        key = str(item.get("id", "")).removeprefix("advisory-")
        level = clean_text(_dig(item, "severityVote", "severity") or item.get("votedSeverity"))
        if key in CATEGORY_LABELS and level:
            levels[key] = level
    return levels


def _category_section(response: Response, key: str) -> SelectorList:
    """The 2024+ section of one category: the nearest ``section`` around its ``id`` anchor, found
    through XPath's ``id()`` (libxml2's table of the page's ids) rather than a scan of every
    element's attributes: five such scans were a quarter of the page's parsing time."""
    return response.xpath("id($key)/ancestor::section[1]", key=key)


def _page_items(response: Response, key: str) -> list[str]:
    items = _category_section(response, key).css(
        '[data-testid="item-html"] .ipc-html-content-inner-div'
    )
    texts = [node_text(item) for item in items]
    if not texts:  # legacy rows: the item is the row's own text; its "Edit" link is a child div
        rows = response.xpath(
            f'//section[@id="advisory-{key}"]//li[contains(@class, "ipl-zebra-list__item")]'
        )
        texts = [clean_text(" ".join(row.xpath("./text()").getall())) for row in rows]
    return [text for text in texts if text]


# --- GraphQL -----------------------------------------------------------------------------------
def _review_from_graphql(response: Response) -> Review | None:
    try:
        title = _dig(json.loads(response.text), "data", "title")
    except (ValueError, AttributeError):
        return None
    if not isinstance(title, dict):
        return None
    title_id = imdb_id_in(title.get("id")) or response.meta.get(TITLE_ID_META)
    categories = [c for c in _dig(title, "parentsGuide", "categories") or [] if isinstance(c, dict)]
    levels, items = {}, {}
    for category in categories:
        key = str(_dig(category, "category", "id") or "").lower()
        level = clean_text(_dig(category, "severity", "text"))
        if key in CATEGORY_LABELS and level:
            levels[key] = level
            items[key] = _graphql_items(category)
    if not title_id or not levels:
        return None
    year = _dig(title, "releaseYear", "year")
    return Review(
        url=parents_guide_url(title_id),
        title=clean_text(_dig(title, "titleText", "text")),
        year=year if isinstance(year, int) else None,
        mpaa_rating=clean_text(
            _dig(title, "certificate", "ratingReason") or _dig(title, "certificate", "rating")
        ),
        imdb_id=title_id,
        content_native={key: levels[key] for key in CATEGORY_LABELS if key in levels},
        text=_guide_text(items),
    )


def _graphql_items(category: dict) -> list[str]:
    """Guide items without spoilers (the page hides those behind a toggle)."""
    texts = []
    for edge in _dig(category, "guideItems", "edges") or []:
        node = _dig(edge, "node") or {}
        text = clean_text(_dig(node, "text", "plainText"))
        if text and not node.get("isSpoiler"):
            texts.append(text)
    return texts


# --- shared ------------------------------------------------------------------------------------
def _guide_text(items: dict[str, list[str]]) -> str | None:
    """The guide's items as plain text, one paragraph per category in page order."""
    paragraphs = [
        f"{label}: {' '.join(items[key])}"
        for key, label in CATEGORY_LABELS.items()
        if items.get(key)
    ]
    return "\n\n".join(paragraphs) or None


def _dig(data: Any, *keys: str) -> Any:
    """``data[k1][k2]…`` or None when any step is missing or not a mapping."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
