"""Common Sense Media (www.commonsensemedia.org): Drupal review pages of two theme generations.

Every field is read from embedded data first -- the JSON-LD review (2022-2026 inside ``@graph``,
<= 2021 a bare ``Review``), the ``amplitude_props`` numbers of the Drupal settings JSON, the older
GA variables (``csm_content_grid``, ``csm_age_rating``, ``csm_outside_rating``) -- and then from the
DOM of the current theme (2022-2026) or of the Drupal-7 theme (<= 2021).

Discovery: the 2025 ``/movie-reviews`` browse shell (sections loaded as Drupal AJAX command lists,
no paging), the 2021 paged listing (``/movie-reviews?page=N``, ``div.views-row`` + pager), and the
search page ``/search/category/movie/<query>`` (or its AJAX twin ``/ajax/search/<query>``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import cached_property, partial
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from lxml import etree
from parsel import Selector
from scrapy import Request
from scrapy.http import Response

from crawler.items import Review
from crawler.sites.base import (
    canonical_url,
    class_test,
    clean_text,
    element_text,
    elements,
    has_class,
    imdb_id_in,
    json_ld_objects,
    listing_request,
    node_text,
    normalized_space,
    review_request,
    search_request,
)

NAME = "commonsense"
HOSTS = ("www.commonsensemedia.org", "commonsensemedia.org")
BASE_URL = "https://www.commonsensemedia.org"
# Plain requests with a browser UA worked in 2025-2026; no Crawl-delay is published (assumed:
# two parallel requests a second keep well inside what a Drupal site behind a CDN tolerates).
CUSTOM_SETTINGS = {"CONCURRENT_REQUESTS_PER_DOMAIN": 2, "DOWNLOAD_DELAY": 0.5}

AJAX_HEADERS = {"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"}

# Native content keys are the ``amplitude_props`` suffixes (``csm_review_rating_details_<key>``);
# the Drupal-7 grid ids and GA variables spell educational value ``educational``.
KEY_ALIASES = {"educational": "education"}


# --- discovery --------------------------------------------------------------------------------


def listing_requests() -> list[Request]:
    """The 2025 browse shell (curated sections, no paging) and the Drupal views pager (``?page=N``)
    that enumerates the whole catalog wherever the server still renders it; the dupefilter drops
    whatever both lead to."""
    return [
        listing_request(f"{BASE_URL}/movie-reviews"),
        listing_request(f"{BASE_URL}/movie-reviews?page=0"),
    ]


def search_requests(title: str) -> list[Request]:
    """The movie tab of the site search; the query is a path segment, spaces as ``%20``."""
    return [search_request(f"{BASE_URL}/search/category/movie/{quote(title, safe='')}")]


def parse_listing(response: Response) -> Iterator[Request]:
    commands = ajax_commands(response)
    if commands is not None:  # a browse section: each ``li`` holds ``h3 > a``
        yield from _review_requests(
            response, inserted_html(commands).xpath("//li//h3/a/@href").getall()
        )
        return
    yield from _browse_section_requests(response)
    rows = response.css("div.views-row")
    yield from _review_requests(response, [row.xpath("(.//a/@href)[1]").get() for row in rows])
    for href in dict.fromkeys(response.css("ul.pager a::attr(href)").getall()):
        yield listing_request(response.urljoin(href))


def parse_search(response: Response) -> Iterator[Request]:
    """Result links of the search page or of its AJAX command list. A search page with neither
    results nor the "no results" block renders them client-side (assumed for 2025): its AJAX
    twin ``/ajax/search/<query>`` is requested instead, as the site's own script does."""
    commands = ajax_commands(response)
    results = inserted_html(commands) if commands is not None else response
    links = results.css('a.link--title[href^="/movie-reviews/"]::attr(href)').getall()
    if links or commands is not None or response.css(".search-no-results"):
        yield from _review_requests(response, links)
        return
    query = urlsplit(response.url).path.rstrip("/").rsplit("/", 1)[-1]
    headers = {**AJAX_HEADERS, "Referer": response.url}
    yield search_request(f"{BASE_URL}/ajax/search/{query}", headers=headers)


def ajax_commands(response: Response) -> list[dict[str, Any]] | None:
    """A Drupal AJAX command list (JSON array of ``{"command": ...}``), else None (an HTML page)."""
    body = response.text.lstrip()
    if not body.startswith("["):
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, list):
        return None
    return [command for command in data if isinstance(command, dict)]


def inserted_html(commands: Iterable[dict[str, Any]]) -> Selector:
    """The HTML of every ``insert`` command, concatenated (the index of the insert varies)."""
    fragments = [
        c["data"]
        for c in commands
        if c.get("command") == "insert" and isinstance(c.get("data"), str)
    ]
    return Selector(text="".join(fragments))


def _review_requests(response: Response, hrefs: Iterable[str | None]) -> Iterator[Request]:
    """Review requests for the hrefs found, each once, in page order."""
    for href in dict.fromkeys(h.strip() for h in hrefs if h and h.strip()):
        yield review_request(response.urljoin(href))


def _browse_section_requests(response: Response) -> Iterator[Request]:
    """2025 shell: each ``div[data-url][data-filter]`` section is fetched as AJAX from
    ``data-url.format(**data-filter)`` (lists joined with ``+``) plus the page's libraries."""
    libraries = (drupal_settings(response).get("ajaxPageState") or {}).get("libraries")
    query = "?" + urlencode({"ajax_page_state[libraries]": libraries}) if libraries else ""
    sections = response.xpath('//div[@id="content"][@role="main"]//div[@data-url][@data-filter]')
    for section in sections:
        path = _section_path(section.attrib["data-url"], section.attrib["data-filter"])
        if path:
            yield listing_request(response.urljoin(path) + query, headers=AJAX_HEADERS)


def _section_path(template: str, raw_filter: str) -> str | None:
    try:
        filters = json.loads(raw_filter)
        values = {
            k: "+".join(map(str, v)) if isinstance(v, list) else v for k, v in filters.items()
        }
        return template.format(**values)
    except (ValueError, AttributeError, KeyError, IndexError):
        return None


# --- review pages -----------------------------------------------------------------------------
#
# Most of a review page's parsing time went to queries rooted at the page: each tests every
# element, and class tests cost most. The elements every page is read from are therefore found
# by a few scans of the ``@class`` and ``@id`` attributes alone (``_Divs``, ``_BLOCKS``,
# ``_ID_TARGETS``); the selectors below them run as compiled XPath with the elements found as a
# node-set variable (``$roots/descendant::li``: the same elements in the same order as the CSS
# selector), or as lxml's own iteration. DOM fallbacks that embedded data nearly always makes
# unnecessary keep their CSS selectors.


def parse_review(response: Response) -> Review | None:
    divs = _Divs(response.selector.root)
    if divs.coming_soon:
        return None
    return ReviewPage(response, divs).review()


def drupal_settings(response: Response) -> dict[str, Any]:
    raw = next(  # //script[@data-drupal-selector="drupal-settings-json"]/text()
        (
            script.text
            for script in elements(response, "script")
            if script.get("data-drupal-selector") == "drupal-settings-json"
            and script.text is not None
        ),
        None,
    )
    try:
        settings = json.loads(raw or "{}")
    except ValueError:
        return {}
    return settings if isinstance(settings, dict) else {}


class ReviewPage:
    """One review page: embedded sources parsed once, then one method per field."""

    def __init__(self, response: Response, divs: _Divs):
        self.response = response
        self.root = response.selector.root
        self.divs = divs
        self.ld = next((o for o in json_ld_objects(response) if "itemReviewed" in o), {})
        self.film = (
            self.ld.get("itemReviewed") if isinstance(self.ld.get("itemReviewed"), dict) else {}
        )
        amplitude = _find_key(drupal_settings(response), "amplitude_props")
        self.amplitude = amplitude if isinstance(amplitude, dict) else {}
        self.ga = _ga_variables(response.text)
        self.facts = _summary_facts(self.root, divs)
        by_id = _ID_TARGETS(self.root)
        self.details = _ProductDetails(self.root, by_id)
        self.grid_items = [e for e in by_id if e.get("id").startswith("content-grid-item-")]
        blocks = _BLOCKS(self.root)
        self.community = _community_blocks(blocks)
        self.panes = [block for block in blocks if "pane-node-field-" in block.get("class")]

    def review(self) -> Review | None:
        title = self.title()
        age, quality, content = self.age(), self.quality(), self.content()
        if not title or (age is None and quality is None and not content):
            return None
        parents_age, parents_count = _community(self.community.get("adult"))
        kids_age, kids_count = _community(self.community.get("child"))
        return Review(
            url=canonical_url(self.response),
            title=title,
            year=self.facts.get("year"),
            mpaa_rating=self.mpaa_rating(),
            runtime_minutes=self.facts.get("runtime") or self.details.text("Run time"),
            release_date=self.details.text("In theaters", "Release date"),
            directors=self.details.names("Director", "Directors"),
            cast=self.details.names("Cast"),
            genres=self.details.names("Genre", "Genres"),
            imdb_id=imdb_id_in(_string(self.film.get("sameAs"))),
            age_native=age,
            quality_native=quality,
            content_native=content,
            parents_age=parents_age,
            parents_count=parents_count,
            kids_age=kids_age,
            kids_count=kids_count,
            verdict=self.verdict(),
            text=self.text(),
            reviewer=self.reviewer(),
            published=self.published(),
        )

    def title(self) -> str | None:
        return _first(
            clean_text(_string(self.film.get("name"))),
            lambda: node_text(
                self.response.css(
                    "div.review-view-top.review-teaser-parent h1, div.review-view-summary h1,"
                    " div.panel-pane.pane-node-title.csm_movie h1"
                )[:1]
            ),
        )

    def mpaa_rating(self) -> str | None:
        return _first(
            _string(self.amplitude.get("csm_title_industry_rating_mpaa")),
            self.ga.get("csm_outside_rating"),
            self.facts.get("mpaa"),
            lambda: self.details.text("MPAA rating"),
        )

    def age(self) -> str | int | None:
        """``"12+"`` (JSON-LD), ``12`` (amplitude), ``"12"`` (GA) or ``"age 12+"`` (DOM)."""
        return _first(
            self.ld.get("typicalAgeRange"),
            self.amplitude.get("csm_review_rating_age"),
            self.ga.get("csm_age_rating"),
            lambda: node_text(
                self.response.css("div.review-rating span.rating__age, .csm-green-age")[:1]
            ),
        )

    def quality(self) -> str | int | None:
        rating = self.ld.get("reviewRating")
        return _first(
            rating.get("ratingValue") if isinstance(rating, dict) else None,
            self.amplitude.get("csm_review_rating_overall"),
            lambda: _dom_stars(self.root),
        )

    def content(self) -> dict[str, int]:
        """Grid levels 0-5 by native key: amplitude numbers, then GA string, then the DOM (which
        alone carries diverse representations)."""
        amplitude = {
            _native_key(k.removeprefix("csm_review_rating_details_")): v
            for k, v in self.amplitude.items()
            if k.startswith("csm_review_rating_details_")
        }
        return {
            **_dom_grid(self.grid_items),
            **_ga_grid(self.ga.get("csm_content_grid")),
            **amplitude,
        }

    def verdict(self) -> str | None:
        """The one-liner: the Drupal-7 RDFa ``description`` meta, else the printed one-liner
        (its container classes are assumed: no source names them)."""
        return _first(
            lambda: clean_text(_meta_content(self.response, "description")),
            lambda: _text(self.divs.one_liner),
        )

    def text(self) -> str | None:
        """The sections "What's the story?" and "Is it any good?"; JSON-LD ``reviewBody`` holds the
        story only, so it is the fallback when the DOM sections are missing."""
        sections = [
            self._section("pane-node-field-what-is-story", "what's the story"),
            self._section("pane-node-field-any-good", "is it any good"),
        ]
        return "\n\n".join(s for s in sections if s) or clean_text(
            _string(self.ld.get("reviewBody"))
        )

    def _section(self, pane_class: str, heading: str) -> str | None:
        """A text section: the Drupal-7 pane's field, else the block after the heading that
        starts with ``heading`` (case and curly apostrophes ignored) -- paragraphs joined by blank
        lines."""
        panes = [pane for pane in self.panes if has_class(pane, pane_class)]
        fields = _FIELD_ITEM(self.root, panes=panes) if panes else []
        block = fields[0] if fields else _after_heading(self.root, self.headings, heading)
        if block is None:
            return None
        paragraphs = [_text(p) for p in block.iterdescendants("p")] or [_text(block)]
        return "\n\n".join(p for p in paragraphs if p) or None

    @cached_property
    def headings(self) -> list[tuple[str, Any]]:
        return _headings(self.root)

    def reviewer(self) -> str | None:
        """JSON-LD ``author``, else the byline's ``/users/`` link (byline classes assumed)."""
        author = self.ld.get("author")
        if isinstance(author, list):
            author = author[0] if author else None
        name = author.get("name") if isinstance(author, dict) else author
        return _first(clean_text(_string(name)), lambda: node_text(self.response.xpath(
            '//*[contains(@class, "byline") or contains(@class, "pane-review-author")]'
            '//a[starts-with(@href, "/users/")]'
        )[:1]))

    def published(self) -> str | None:
        return _first(
            clean_text(_string(self.ld.get("datePublished"))),
            lambda: node_text(self.response.css("span.detail--last-updated")[:1]),
        )


# --- page lookups -----------------------------------------------------------------------------

def _meta_content(response: Response, property_name: str) -> str | None:
    """``//meta[@property=...]/@content``, from the page's few ``meta`` elements."""
    return next(
        (
            meta.get("content")
            for meta in elements(response, "meta")
            if meta.get("property") == property_name and meta.get("content") is not None
        ),
        None,
    )


def _text(element: Any) -> str | None:
    """``node_text`` of one lxml element (None for None)."""
    return None if element is None else element_text([element])


# Class scans: XPath looks for a substring of the class names in the ``@class`` attributes alone
# (half the cost of a class test on every element, and no Python object per element), then
# ``has_class`` checks the few elements found as a CSS class selector would. Each substring
# costs about as much as the scan itself, hence substrings common to several names.


class _Divs:
    """The ``div``s that the selectors every review page runs start from: the coming-soon
    notice, the facts lists, the one-liner."""

    # "product-su": review-product-summary, product-subtitle; "liner": the one-liners'.
    _SCAN = etree.XPath(
        '//div/@class[contains(., "review-view-coming-soon") or contains(., "product-su")'
        ' or contains(., "liner")]/..'
    )

    def __init__(self, root: Any):
        self.coming_soon = False
        self.summaries: list[Any] = []  # div.review-product-summary (current theme)
        self.subtitles: list[Any] = []  # div.product-subtitle.csm_movie (Drupal 7)
        self.one_liner = None  # div.review-view-summary-oneliner, div.pane-node-field-one-liner
        for div in self._SCAN(root):
            if has_class(div, "review-view-coming-soon"):
                self.coming_soon = True
            if has_class(div, "review-product-summary"):
                self.summaries.append(div)
            if has_class(div, "product-subtitle", "csm_movie"):
                self.subtitles.append(div)
            if self.one_liner is None and (
                has_class(div, "review-view-summary-oneliner")
                or has_class(div, "pane-node-field-one-liner")
            ):
                self.one_liner = div


# Community blocks ("user-r": user-rating--, user-review-statistics) and Drupal 7's text panes
# (pane-node-field-<name>).
_BLOCKS = etree.XPath('//@class[contains(., "user-r") or contains(., "pane-node-field-")]/..')
_RATING_DIVS = etree.XPath('//div/@class[contains(., "review-rating")]/..')
_STARS_FIELDS = etree.XPath('//@class[contains(., "field-name-field-stars-rating")]/..')

# The elements whose id the page is read by (grid items, the details list), found by testing
# the page's ``@id`` attributes rather than every element.
_ID_TARGETS = etree.XPath(
    '//@id[starts-with(., "content-grid-item-") or . = "review-product-details"'
    ' or . = "review-product-details-list"]/..'
)

# Selectors below the elements found, given as node-set variables (a grid item's run on it).
_FACT_ITEMS = etree.XPath("$summaries/descendant::li | $subtitles/descendant::ul/descendant::li")
_DETAIL_ITEMS = etree.XPath("$details/descendant::li | $lists/descendant::li")
_FIELD_ITEM = etree.XPath(f"($panes/descendant::*[{class_test('field-item')}])[1]")
_RATING_SCORE = etree.XPath(f"($ratings/descendant::span[{class_test('rating__score')}])[1]")
_STARS_CLASSES = etree.XPath(
    f"$fields/descendant::*[{class_test('field_stars_rating')}]/@class", smart_strings=False
)
_DOCUMENT_ORDER = etree.XPath("$nodes/self::*")  # sorted, each once
_GRID_SCORE = etree.XPath(f"(descendant-or-self::span[{class_test('rating__score')}])[1]")
_GRID_CLASSES = etree.XPath('.//*[contains(@class, "content-grid-")]/@class', smart_strings=False)


# --- field helpers ----------------------------------------------------------------------------


def _first(*values: Any) -> Any:
    """The first value that is neither None nor an empty string (0 counts). A callable stands
    for a value read from the DOM: it is called only when every value before it is empty, so a
    page whose embedded data has the field pays for no DOM query (they cost most of a parse)."""
    for value in values:
        if callable(value):
            value = value()
        if value is not None and value != "":
            return value
    return None


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _native_key(key: str) -> str:
    return KEY_ALIASES.get(key, key)


def _find_key(data: Any, key: str) -> Any:
    """The value of the first ``key`` anywhere in nested JSON (amplitude_props' nesting varies)."""
    if isinstance(data, dict):
        if key in data:
            return data[key]
        data = list(data.values())
    if isinstance(data, list):
        return next((f for f in (_find_key(v, key) for v in data) if f is not None), None)
    return None


_GA_VARIABLE = re.compile(r'"(csm_content_grid|csm_age_rating|csm_outside_rating)"\s*:\s*"([^"]*)"')


def _ga_variables(html: str) -> dict[str, str]:
    """The older GA data-layer variables, wherever a script prints them."""
    return {name: value for name, value in _GA_VARIABLE.findall(html) if value}


def _ga_grid(raw: str | None) -> dict[str, int]:
    """``"violence:3,sex:1,..."`` -> ``{"violence": 3, "sex": 1, ...}``."""
    pairs = (part.split(":", 1) for part in (raw or "").split(",") if ":" in part)
    return {_native_key(k.strip()): int(v) for k, v in pairs if v.strip().isdigit()}


_YEAR = re.compile(r"(?:19|20)\d\d")
_RUNTIME = re.compile(r"\d+\s*(?:min|hr|h\b)|^\d+:\d\d$", re.IGNORECASE)
_MPAA = re.compile(r"^(?:rated\s+)?(?:G|PG|PG-13|R|NC-17|NR|not rated|unrated)$", re.IGNORECASE)


def _summary_facts(root: Any, divs: _Divs) -> dict[str, Any]:
    """MPAA / year / runtime from the summary list under the title (``li`` per fact, classified
    by shape rather than position because unrated films drop the MPAA item). Drupal 7:
    ``div.product-subtitle.csm_movie``; current theme: ``div.review-product-summary`` (assumed,
    the seed page prints the same three bullets)."""
    facts: dict[str, Any] = {}
    items = _FACT_ITEMS(root, summaries=divs.summaries, subtitles=divs.subtitles)
    for value in filter(None, map(_text, items)):
        if _YEAR.fullmatch(value):
            facts.setdefault("year", int(value))
        elif _RUNTIME.search(value):
            facts.setdefault("runtime", value)
        elif _MPAA.match(value):
            facts.setdefault("mpaa", value)
    return facts


class _ProductDetails:
    """The labelled "Movie details" list of either theme: ``#review-product-details`` /
    ``ul#review-product-details-list``, one ``li`` per fact whose first element is the label
    (label wording such as "In theaters", "Cast", "Director" assumed)."""

    def __init__(self, root: Any, by_id: list[Any]):
        self.items: dict[str, tuple[str, Any]] = {}  # label -> (label as printed, li)
        details = [e for e in by_id if e.get("id") == "review-product-details"]
        lists = [
            e for e in by_id if e.get("id") == "review-product-details-list" and e.tag == "ul"
        ]
        for li in _DETAIL_ITEMS(root, details=details, lists=lists):
            label = _text(next(li.iterchildren(etree.Element), None))
            if label:
                self.items.setdefault(label.rstrip(": ").lower(), (label, li))

    def text(self, *labels: str) -> str | None:
        return _first(*(partial(self._value, label) for label in labels))

    def names(self, *labels: str) -> list[str]:
        """Linked names, else the comma-separated value, of the first label present."""
        for label in labels:
            if label.lower() in self.items:
                li = self.items[label.lower()][1]
                names = [_text(a) for a in li.iterdescendants("a")] or (
                    self._value(label) or ""
                ).split(",")
                return [n for n in map(clean_text, names) if n]
        return []

    def _value(self, label: str) -> str | None:
        """The text after the label (read only for the labels asked for)."""
        if label.lower() not in self.items:
            return None
        printed, li = self.items[label.lower()]
        return clean_text((_text(li) or "")[len(printed) :].lstrip(" :"))


_AGE = re.compile(r"\bage\s*\d+\+", re.IGNORECASE)
_REVIEW_COUNT = re.compile(r"(\d[\d,]*)\s+reviews?\b", re.IGNORECASE)


def _community_blocks(candidates: list[Any]) -> dict[str, Any]:
    """The first block of each role, parents' (``adult``) and kids' (``child``), among the
    elements of ``_BLOCKS``: Drupal 7 ``div.user-review-statistics.<role>``, current theme
    ``.user-rating--<role>`` (assumed)."""
    blocks: dict[str, Any] = {}
    for block in candidates:
        value = block.get("class")
        if "user-rating--" not in value and "user-review-statistics" not in value:
            continue  # a text pane, or another class holding "user-r"
        classes = value.split()
        for role in ("adult", "child"):
            if f"user-rating--{role}" in classes or (
                    "user-review-statistics" in classes and role in classes):
                blocks.setdefault(role, block)
    return blocks


def _community(block: Any) -> tuple[str | None, int | None]:
    """A community block's age and review count ("age 13+", "Based on 2 reviews"; "No reviews
    yet" -> None)."""
    text = _text(block)
    age = _AGE.search(text or "")
    count = _REVIEW_COUNT.search(text or "")
    return (
        age.group(0) if age else None,
        int(count.group(1).replace(",", "")) if count else None,
    )


_OUT_OF = re.compile(r"(\d+)\s+out\s+of\s+\d+")
_STARS_CLASS = re.compile(r"\brating-(\d)\b")
_GRID_CLASS = re.compile(r"\bcontent-grid-(\d)\b")
# Active icons of a ``span.rating__score``: ``i.icon-star-solid.active, i.icon-star-rating.active``
# (stars), ``i.icon-circle-solid.active`` (grid dots).
_STAR_ICONS = etree.XPath(
    f"count(descendant-or-self::i[{class_test('icon-star-solid')} and {class_test('active')}]"
    f" | descendant-or-self::i[{class_test('icon-star-rating')} and {class_test('active')}])"
)
_GRID_ICONS = etree.XPath(
    f"count(descendant-or-self::i[{class_test('icon-circle-solid')} and {class_test('active')}])"
)


def _dom_stars(root: Any) -> int | None:
    """The critic's stars: current ``span.rating__score`` (aria-label, else active star icons,
    older ``icon-star-rating``), Drupal 7 ``div.field_stars_rating.rating-N``."""
    ratings = [div for div in _RATING_DIVS(root) if has_class(div, "review-rating")]
    score = _RATING_SCORE(root, ratings=ratings)
    if score:
        return _score(score[0], _STAR_ICONS)
    fields = [e for e in _STARS_FIELDS(root) if has_class(e, "field-name-field-stars-rating")]
    return _class_number(_STARS_CLASSES(root, fields=fields), _STARS_CLASS)


def _dom_grid(items: list[Any]) -> dict[str, int]:
    """``*#content-grid-item-<key>`` of either theme: current, a button holding
    ``span.rating__score`` dots; Drupal 7, a div holding
    ``div.content-grid-rating.content-grid-N``."""
    grid = {}
    for item in items:
        key = item.get("id").removeprefix("content-grid-item-").removesuffix("-score")
        score = _GRID_SCORE(item)
        if score:
            level = _score(score[0], _GRID_ICONS)
        else:
            level = _class_number(_GRID_CLASSES(item), _GRID_CLASS)
        if key and level is not None:
            grid.setdefault(_native_key(key), level)
    return grid


def _score(score: Any, active_icons: etree.XPath) -> int:
    """A ``span.rating__score``: the number of its aria-label ("4 out of 5"), else its active
    icons."""
    label = _OUT_OF.search(score.get("aria-label", ""))
    return int(label.group(1)) if label else int(active_icons(score))


def _class_number(classes: Iterable[str], pattern: re.Pattern[str]) -> int | None:
    """The level a class name carries (``rating-4``, ``content-grid-3``)."""
    return next((int(m.group(1)) for m in map(pattern.search, classes) if m), None)


# What ``translate(normalize-space(.), $upper, $lower)`` makes of a heading's text.
_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ\u2019", "abcdefghijklmnopqrstuvwxyz'")


def _headings(root: Any) -> list[tuple[str, Any]]:
    """The page's ``h2`` and ``h3`` (``//h2 | //h3``) with their text, spaces normalized and
    lowercased as ``_FOLD`` does."""
    return [
        (normalized_space(h).translate(_FOLD), h)
        for h in root.iter("h2", "h3")
    ]


def _after_heading(root: Any, headings: list[tuple[str, Any]], heading: str) -> Any:
    """The element after (``following-sibling::*[1]``) the ``h2``/``h3`` whose text starts with
    ``heading``; should several match, the first of those elements in document order (a heading
    may hold another)."""
    followers = [
        follower
        for text, element in headings
        if text.startswith(heading)
        and (follower := next(element.itersiblings(etree.Element), None)) is not None
    ]
    if len(followers) > 1:
        return _DOCUMENT_ORDER(root, nodes=followers)[0]
    return followers[0] if followers else None
