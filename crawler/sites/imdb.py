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
from functools import cached_property
from typing import Any
from urllib.parse import urlencode, urlsplit

from lxml import etree
from scrapy import Request
from scrapy.http import Response

from crawler.items import Review
from crawler.sites.base import (
    canonical_url,
    class_test,
    clean_text,
    element_text,
    imdb_id_in,
    json_ld_objects,
    listing_request,
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
    page = _Page(response.selector.root)
    content = _next_data_content(page)
    embedded = _next_data_severities(content)
    levels = {
        key: level for key in CATEGORY_LABELS if (level := _severity(page, embedded, key))
    }
    if not levels:  # 404 page, title page, a guide nobody has rated yet
        return None
    url = canonical_url(response)
    page_title = _PAGE_TITLE.match(next(iter(_TITLE_TEXT(page.root)), "").strip())
    return Review(
        url=url,
        title=_page_film_title(page, content, page_title),
        year=_page_year(page, content, page_title),
        mpaa_rating=_page_mpa_rating(page, content),
        imdb_id=imdb_id_in(url),
        content_native=levels,
        text=_guide_text({key: _page_items(page, key) for key in levels}),
    )


class _Page:
    """A guide page's DOM and the lookups that its fields share, each made once per page."""

    def __init__(self, root: Any):
        self.root = root

    @cached_property
    def rating_items(self) -> list[Any]:
        """The 2024+ summary's ``li[data-testid=rating-item]``."""
        return _RATING_ITEMS(self.root)

    @cached_property
    def sections(self) -> list[Any]:
        """The page's ``section`` elements (a few: legacy categories, the 2024+ MPA line)."""
        return list(self.root.iter("section"))


# The page's queries, compiled once and run on lxml elements (no parsel Selector per node). A
# query rooted at the page costs a walk over every node of it, several times the cost of
# lxml's ``iter(name)`` for an element name the page has a few of (``_where`` then tests their
# attribute); the queries that start from such elements take them as a node-set variable
# (``$headings/a``: the same elements in the same order as the CSS selector). The certificate
# queries test the ``@id`` / ``@data-testid`` attributes alone rather than every element. Class
# tests are cssselect's (``_class_test``).


def _where(elements: Iterable[Any], attribute: str, value: str) -> list[Any]:
    """The ``elements`` whose ``attribute`` is ``value`` (``tag[@attribute = value]``)."""
    return [element for element in elements if element.get(attribute) == value]


_TITLE_TEXT = etree.XPath("//title/text()", smart_strings=False)
# .subpage_title_block h3[itemprop="name"] > a; .subpage_title_block h3 .nobr::text
_LEGACY_TITLE = etree.XPath(f'$headings[ancestor::*[{class_test("subpage_title_block")}]]/a')
_LEGACY_YEAR = etree.XPath(
    f'$headings[ancestor::*[{class_test("subpage_title_block")}]]'
    f'/descendant::*[{class_test("nobr")}]/text()',
    smart_strings=False,
)
# In section[data-testid="content-rating"]
_MPA_LINE = etree.XPath(
    '$sections//li[.//*[contains(@class, "ipc-metadata-list-item__label")]'
    '[starts-with(normalize-space(), "Motion Picture Rating")]]'
    '//div[contains(@class, "ipc-html-content-inner-div")]'
)
_SECOND_CELL = etree.XPath("$rows/td[2]")
_US_CERTIFICATE = etree.XPath(
    '(//@data-testid[. = "certificates-item"]/parent::*[.//*[contains(@class,'
    ' "ipc-metadata-list-item__label")][normalize-space()="United States"]]'
    '//*[contains(@class, "ipc-metadata-list-item__list-content-item--link")])[1]'
)
# #certificates a[href*="certificates=US:"]
_LEGACY_US_CERTIFICATE = etree.XPath(
    '(//@id[. = "certificates"]/../descendant::a[contains(@href, "certificates=US:")])[1]'
)
_RATING_ITEMS = etree.XPath('//li[@data-testid="rating-item"]')
_RATING_LEVEL = etree.XPath('$items//div[contains(@class, "ipc-html-content-inner-div")]')
# The 2024+ section of one category is the nearest ``section`` around its ``id`` anchor, found
# through XPath's ``id()`` (libxml2's table of the page's ids) rather than a scan of every
# element's attributes: five such scans were a quarter of the page's parsing time. In it:
# .ipc-signpost__text; [data-testid="item-html"] .ipc-html-content-inner-div
_CATEGORY_SECTION = "id($key)/ancestor::section[1]"
_SIGNPOST = etree.XPath(
    f"({_CATEGORY_SECTION}/descendant-or-self::*[{class_test('ipc-signpost__text')}])[1]"
)
_ITEM_TEXTS = etree.XPath(
    f'{_CATEGORY_SECTION}/descendant-or-self::*[@data-testid = "item-html"]'
    f"/descendant::*[{class_test('ipc-html-content-inner-div')}]"
)
# In a category's legacy section#advisory-<key>
_LEGACY_ROWS = etree.XPath('$sections//li[contains(@class, "ipl-zebra-list__item")]')
_OWN_TEXT = etree.XPath("text()", smart_strings=False)


def _next_data_content(page: _Page) -> dict[str, Any]:
    """``props.pageProps.contentData`` of ``__NEXT_DATA__`` (empty when absent or broken)."""
    scripts = _where(page.root.iter("script"), "id", "__NEXT_DATA__")
    raw = next((script.text for script in scripts if script.text is not None), None)
    try:
        content = _dig(json.loads(raw), "props", "pageProps", "contentData") if raw else None
    except ValueError:
        content = None
    return content if isinstance(content, dict) else {}


def _page_film_title(page: _Page, content: dict, page_title: re.Match | None) -> str | None:
    # entityMetadata: assumed from IMDb's other title subpages
    return (
        clean_text(_dig(content, "entityMetadata", "titleText", "text"))
        or element_text(_where(page.root.iter("h2"), "data-testid", "subtitle"))
        or element_text(
            _LEGACY_TITLE(page.root, headings=_where(page.root.iter("h3"), "itemprop", "name"))
        )
        or (clean_text(page_title.group("title")) if page_title else None)
    )


def _page_year(page: _Page, content: dict, page_title: re.Match | None) -> int | None:
    year = _dig(content, "entityMetadata", "releaseYear", "year")
    if isinstance(year, int):
        return year
    if page_title:
        return int(page_title.group("year"))
    printed = _LEGACY_YEAR(page.root, headings=list(page.root.iter("h3")))
    legacy = _YEAR.search(printed[0] if printed else "")
    return int(legacy.group(1)) if legacy else None


def _page_mpa_rating(page: _Page, content: dict) -> str | None:
    """The MPA line with its reason ("Rated R for ..."), else the bare US certificate ("G")."""
    return (
        clean_text(_dig(content, "contentRatingData", "ratingReason"))
        or element_text(
            _MPA_LINE(page.root, sections=_where(page.sections, "data-testid", "content-rating"))
        )
        or element_text(
            _SECOND_CELL(page.root, rows=_where(page.root.iter("tr"), "id", "mpaa-rating")))
        or element_text(_US_CERTIFICATE(page.root))
        or _legacy_us_certificate(page)
    )


def _legacy_us_certificate(page: _Page) -> str | None:
    printed = element_text(_LEGACY_US_CERTIFICATE(page.root))
    return clean_text(printed.partition(":")[2]) if printed else None


def _severity(page: _Page, embedded: dict[str, str], key: str) -> str | None:
    """One category's level: ``__NEXT_DATA__``, summary list, section signpost, legacy pill."""
    if embedded.get(key):
        return embedded[key]
    # li[data-testid=rating-item][a[@href="#<key>"]]
    items = [
        item
        for item in page.rating_items
        if any(a.get("href") == f"#{key}" for a in item.iterchildren("a"))
    ]
    return (
        element_text(_RATING_LEVEL(page.root, items=items))
        or element_text(_SIGNPOST(page.root, key=key))
        or _legacy_pill(_where(page.sections, "id", f"advisory-{key}"))
    )


def _legacy_pill(sections: list[Any]) -> str | None:
    """The first ``span`` with a text and a class holding "ipl-status-pill" below ``sections``
    (in document order: each section's spans follow the previous section's unless it lies
    inside it, and then they were seen already)."""
    for section in sections:
        for span in section.iterdescendants("span"):
            # [normalize-space()]: some text besides XPath's whitespace
            if "ipl-status-pill" in (span.get("class") or "") and "".join(
                span.itertext()
            ).strip(" \t\n\r"):
                return element_text([span])
    return None


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


def _page_items(page: _Page, key: str) -> list[str]:
    items = _ITEM_TEXTS(page.root, key=key)
    texts = [element_text([item]) for item in items]
    if not texts:  # legacy rows: the item is the row's own text; its "Edit" link is a child div
        rows = _LEGACY_ROWS(page.root, sections=_where(page.sections, "id", f"advisory-{key}"))
        texts = [clean_text(" ".join(_OWN_TEXT(row))) for row in rows]
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
