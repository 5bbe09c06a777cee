"""Plugged In (www.pluggedin.com, Focus on the Family): WordPress + Elementor.

Discovery: the paged movie archive (``/movie-reviews/``, ``/movie-reviews/page/N/``), the
archive's WordPress RSS feed (``/movie-reviews/feed/``) and the WordPress search (``/?s=<q>``).
Review URLs come only from those pages (old concatenated slugs such as ``findingnemo/`` and new
``<title>-<year>/`` slugs coexist on the real site).

One markup generation is handled: the 2024-2025 Elementor review page
(``div[data-elementor-type=single]``). The 2018 site was an AngularJS app whose review markup was
rendered in the browser, and no saved page of any layout in between was found, so there is no
older generation to ground.

Plugged In gives no score and no age: a review is prose sections (``div.review-column``, ``h2``
headings), up to three "Content Caution" levels and a Credits column. The page prints no film
year of its own (the pipeline derives it from the full credits release date), no runtime, and no
visible posting date (Yoast's JSON-LD ``datePublished`` is read when present; assumed, no source
examined it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any
from urllib.parse import quote_plus

from lxml import etree
from scrapy import Request
from scrapy.http import Response
from scrapy.selector import Selector

from crawler.items import Review
from crawler.sites.base import (
    below,
    canonical_url,
    class_names,
    clean_text,
    element_text,
    elements,
    json_ld_objects,
    listing_request,
    review_request,
    search_request,
)

NAME = "pluggedin"
HOSTS = ("www.pluggedin.com", "www.pluggedin.ca")
# No Crawl-delay is published; one connection at a time with a pause is polite for a nonprofit site.
CUSTOM_SETTINGS = {"CONCURRENT_REQUESTS_PER_DOMAIN": 1, "DOWNLOAD_DELAY": 1.0}

ARCHIVE_URL = "https://www.pluggedin.com/movie-reviews/"
FEED_URL = ARCHIVE_URL + "feed/"  # the standard WordPress feed of the archive (inferred)
SEARCH_URL = "https://www.pluggedin.com/?s={query}"

SITE_SUFFIX = re.compile(r"\s+[-–|]\s+Plugged In\s*$")
JUMP_MENU = "jump to"
CONCLUSION = "conclusion"
CAUTION_NOT_SET = {"–", "-", "—", ""}
# Credits labels that name a field; the column's first pair is the release type ("In Theaters",
# "Streaming"...) with the release date, whatever the label says.
NAMED_CREDITS = {"cast", "director", "directors", "distributor", "home release date", "reviewer"}
# h4 labels, li values and the reviewer's name box, in document order
CREDIT_TOKENS = etree.XPath(
    ".//h4 | .//li"
    " | .//div[contains(concat(' ', normalize-space(@class), ' '), ' contributor-name ')]"
)


# --- discovery ---------------------------------------------------------------------------------

def listing_requests() -> list[Request]:
    return [listing_request(ARCHIVE_URL), listing_request(FEED_URL)]


def search_requests(title: str) -> list[Request]:
    return [search_request(SEARCH_URL.format(query=quote_plus(title)))]


def parse_listing(response: Response) -> Iterator[Request]:
    """Archive page (``div.archive-col-right`` links, pagination) or the RSS feed (item links)."""
    if _is_feed(response):
        feed = Selector(text=response.text, type="xml")
        for link in feed.xpath("//item/link/text()").getall():
            yield review_request(response.urljoin(link.strip()))
        return
    for entry in response.css("div.archives-right div.post-row div.archive-col-right"):
        href = entry.css("a::attr(href)").get()
        if href:
            yield review_request(response.urljoin(href.strip()))
    yield from _other_pages(response, listing_request)


def parse_search(response: Response) -> Iterator[Request]:
    for post in _movie_review_results(response):
        href = post.css(".entry-title a::attr(href)").get() or post.css("a::attr(href)").get()
        if href:
            yield review_request(response.urljoin(href.strip()))
    yield from _other_pages(response, search_request)


def _is_feed(response: Response) -> bool:
    # The feed is XML whatever the server calls it; an HTML parser would empty its <link> elements.
    return b"<rss" in response.body[:1000]


def _movie_review_results(response: Response) -> list[Selector]:
    """Search hits that are movie reviews.

    WordPress searches every post type (blog posts, TV, game and music reviews); its
    ``post_class()`` marks each ``article`` with ``type-<post type>``, and the movie post type is
    ``movie-reviews`` (the feed's guids read ``?post_type=movie-reviews``). Untyped results are
    all kept.
    """
    articles = response.css("article")
    if not articles:
        return response.css(".entry-title")
    typed = [post for post in articles if " type-" in f" {post.attrib.get('class', '')}"]
    if not typed:
        return articles
    return [post for post in typed if "type-movie-reviews" in post.attrib.get("class", "").split()]


def _other_pages(response: Response, make_request: Any) -> Iterator[Request]:
    """WordPress pagination: ``<link rel="next">`` and the ``a.page-numbers`` links."""
    hrefs = response.xpath('//link[@rel="next"]/@href').getall()
    hrefs += response.css("a.page-numbers::attr(href)").getall()
    for url in dict.fromkeys(response.urljoin(href.strip()) for href in hrefs):
        if url != response.url:
            yield make_request(url)


# --- review page -------------------------------------------------------------------------------
# The review is read below the template's element with lxml's own iteration: one walk of its divs
# finds the class-named blocks (``_blocks``), where a CSS query per block walked them all and
# made a parsel Selector per match. CSS semantics are kept: document order, descendants only,
# class names split where XPath's ``normalize-space`` splits them.
BLOCK_CLASSES = ("review-column", "caution-column", "contributor-bio-block")
_BLOCK_CLASS_SET = frozenset(BLOCK_CLASSES)
# The columns holding the Credits heading (an XPath from the heading up, where one per column
# searched each column's subtree); the ones above the template's element come first.
CREDITS_COLUMNS = etree.XPath(
    './/h3[normalize-space()="Credits"]/ancestor::div[@data-element_type="column"]'
)
# a caution's category: the column's text outside its level link
UNLINKED_TEXT = etree.XPath(".//text()[not(ancestor::a)]", smart_strings=False)


def parse_review(response: Response) -> Review | None:
    root = _content_root(response)
    if root is None:
        return None
    blocks = _blocks(root)
    sections = _sections(blocks["review-column"])
    cautions = _cautions(blocks["caution-column"])
    credit_pairs = _credits(root)
    title = _title(response, root)
    if not title or not (sections or cautions or credit_pairs):
        return None
    # the post-info terms list: review type, then MPAA and genre term links (their taxonomy
    # names are assumed; only /blog/movie-mpaa-rating/pg/ was seen)
    header = next(root.iterdescendants("ul"), None)
    release_date, named = _split_credits(credit_pairs)
    return Review(
        url=canonical_url(response),
        title=title,
        mpaa_rating=_first(_terms(header, "movie-mpaa-rating")),
        release_date=release_date,
        directors=named.get("director") or named.get("directors") or [],
        cast=named.get("cast", []),
        genres=_terms(header, "movie-genre"),
        content_native=cautions,
        verdict=_verdict(sections),
        text="\n\n".join(f"{heading}\n{body}" for heading, body in sections.items()) or None,
        reviewer=_first(named.get("reviewer"))
        or element_text(below(blocks["contributor-bio-block"], "h5")),
        published=_published(response),
    )


def _terms(header: Any, taxonomy: str) -> list[str]:
    """Names of the header's term links into one taxonomy (``/blog/<taxonomy>/<term>/``)."""
    if header is None:
        return []
    links = (link for link in header.iterdescendants("a")
             if f"/{taxonomy}/" in (link.get("href") or ""))
    return [name for name in (element_text([link]) for link in links) if name]


def _content_root(response: Response) -> Any:
    """Elementor's single template (``single``; blog posts' ``single-post`` too, which have no
    review parts); 404s, archives and search results use other templates."""
    return next((div for div in elements(response, "div")
                 if "single" in (div.get("data-elementor-type") or "")), None)


def _blocks(root: Any) -> dict[str, list[Any]]:
    """Class -> the divs of that class (``BLOCK_CLASSES``) of the template, in document order."""
    blocks: dict[str, list[Any]] = {name: [] for name in BLOCK_CLASSES}
    for div in root.iter("div"):
        value = div.get("class")
        # str.split() splits at more kinds of space than CSS does, so it only screens
        if value and not _BLOCK_CLASS_SET.isdisjoint(value.split()):
            for name in _BLOCK_CLASS_SET.intersection(class_names(value)):
                blocks[name].append(div)
    return blocks


def _title(response: Response, root: Any) -> str | None:
    """The ``h1`` (the film title, grounded by every scraper) before the ``<title>``.

    The only embedded data a WordPress page carries here is Yoast's page name, i.e. the ``<title>``
    with the site suffix, so it is no better a source than the ``<title>`` fallback.
    """
    heading = element_text(islice(root.iter("h1"), 1))
    if heading:
        return heading
    page_title = clean_text(response.css("title::text").get())
    return SITE_SUFFIX.sub("", page_title) if page_title else None


def _sections(columns: list[Any]) -> dict[str, str]:
    """Heading -> paragraphs (joined by newlines) of every review section in page order.

    Real pages repeat sections (scrapers met each heading more than once): a heading met again
    keeps its last occurrence, the full section. The "Jump to:" menu is skipped.
    """
    sections: dict[str, str] = {}
    for column in columns:
        heading = element_text(islice(column.iter("h2"), 1))
        if not heading or heading.rstrip(":").lower() == JUMP_MENU:
            continue
        body = "\n".join(filter(None, (element_text([p]) for p in column.iter("p"))))
        if body:
            sections.pop(heading, None)
            sections[heading] = body
    return sections


def _cautions(columns: list[Any]) -> dict[str, str]:
    """"Content Caution" levels by category text; "–" (not set) is left out.

    The block is printed twice (desktop and mobile layouts): the first level of a category counts.
    """
    levels: dict[str, str] = {}
    for column in columns:
        level = element_text(islice(column.iter("a"), 1))
        category = clean_text(" ".join(UNLINKED_TEXT(column)))
        if category and level and level not in CAUTION_NOT_SET:
            levels.setdefault(category.rstrip(":").strip(), level)
    return levels


def _credits(root: Any) -> list[tuple[str, list[str]]]:
    """The Credits column as ``(h4 label, [li values])`` pairs in page order."""
    columns = CREDITS_COLUMNS(root)
    # the last in document order is the innermost column holding the heading; when that is not
    # below the template's element, no column below it holds one
    if not columns or not any(ancestor is root for ancestor in columns[-1].iterancestors()):
        return []
    pairs: list[tuple[str, list[str]]] = []
    for node in CREDIT_TOKENS(columns[-1]):
        text = element_text([node])
        if not text:
            continue
        if node.tag == "h4":
            pairs.append((text, []))
        elif pairs:
            pairs[-1][1].append(text)
    return pairs


def _split_credits(
    credit_pairs: list[tuple[str, list[str]]],
) -> tuple[str | None, dict[str, list[str]]]:
    """(release date of the leading release-type pair, the other pairs by lowercase label)."""
    release_date = None
    if credit_pairs and credit_pairs[0][0].lower() not in NAMED_CREDITS:
        (_, values), *credit_pairs = credit_pairs
        release_date = _first(values)
    return release_date, {label.lower(): values for label, values in credit_pairs}


def _verdict(sections: dict[str, str]) -> str | None:
    """The Conclusion's first sentence (Plugged In prints no one-line verdict of its own)."""
    for heading, body in sections.items():
        if heading.lower().startswith(CONCLUSION):
            return first_sentence(body.split("\n")[0])
    return None


def _published(response: Response) -> str | None:
    """Yoast's ``WebPage.datePublished``: the WordPress post date, never a film year."""
    for obj in json_ld_objects(response):
        if isinstance(obj.get("datePublished"), str):
            return obj["datePublished"]
    return None


def _first(values: Iterable[str] | None) -> str | None:
    return next(iter(values or ()), None)


_SENTENCE_END = re.compile(r"[.!?][\"”’)]*(?=\s+[\"“‘(]?[A-Z0-9])")
_ABBREVIATIONS = {"Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "vs"}
_INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]")  # "E.T", "U.S", "J"


def first_sentence(text: str) -> str:
    """The text up to its first sentence end that is not an abbreviation ("E.T. is..." stays)."""
    for match in _SENTENCE_END.finditer(text):
        words = text[: match.start()].split()
        last_word = words[-1].lstrip("\"“‘(") if words else ""
        if text[match.start()] == "." and (
            last_word in _ABBREVIATIONS or _INITIALS.fullmatch(last_word)
        ):
            continue
        return text[: match.end()]
    return text
