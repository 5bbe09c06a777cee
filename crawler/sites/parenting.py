"""Parenting.com: movie reviews published as ordinary magazine articles.

No public scraper or saved review page of this site exists (``sites/README.md`` section 0), so
everything here except the review text itself is ASSUMED and kept in the constants below: the
pages are modelled on a WordPress-style publisher theme (``article`` with ``h1.entry-title`` and
``div.entry-content``, ``meta property="article:published_time"``, a JSON-LD ``NewsArticle``), the
movie section lists reviews at ``/entertainment/movies/`` (+ ``page/N/``) and search answers at
``/search?q=<query>``.

What the seed review does fix: a headline such as ``Review: 'Won't Back Down'``; body paragraphs
with ``RELATED:`` / ``MORE:`` promo lines inside; labelled lines ``What We Love:``, ``Hold on a
Minute:``, ``Opens:`` (month and day only), ``MPAA Rating:``, ``Running Time:``; no film year, no
age, no stars, no content levels (so ``aggregator.scales.PARENTING`` maps nothing).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import quote_plus

from lxml import etree
from scrapy import Request
from scrapy.http import Response
from w3lib.html import remove_tags, replace_entities

from crawler.items import Review
from crawler.sites.base import (
    canonical_url,
    class_test,
    clean_text,
    element_text,
    json_ld_objects,
    listing_request,
    review_request,
    search_request,
    split_names,
    xpath_strings,
)

NAME = "parenting"
HOSTS = ("www.parenting.com", "parenting.com")
# A magazine site on shared publisher hosting: stay gentle (assumed, nothing published).
CUSTOM_SETTINGS = {"CONCURRENT_REQUESTS_PER_DOMAIN": 2, "DOWNLOAD_DELAY": 1.0}

ORIGIN = "https://www.parenting.com"
MOVIES_SECTION = f"{ORIGIN}/entertainment/movies/"  # assumed section listing all movie reviews
SEARCH_URL = f"{ORIGIN}/search?q={{query}}"  # assumed (sites/README.md section 0)

# --- discovery -----------------------------------------------------------------------------------
# Listing and search pages (assumed markup) show one card per article, the article link on its
# heading; pagination is WordPress's (``<link rel="next">`` in the head, ``a.next.page-numbers``).
ARTICLE_LINKS = "//main//article//*[self::h2 or self::h3]//a/@href"
NEXT_PAGE = '//link[@rel="next"]/@href | //a[contains(concat(" ", @class, " "), " next ")]/@href'


def listing_requests() -> list[Request]:
    return [listing_request(MOVIES_SECTION)]


def search_requests(title: str) -> list[Request]:
    return [search_request(SEARCH_URL.format(query=quote_plus(title.strip())))]


def parse_listing(response: Response) -> Iterator[Request]:
    return _article_links(response, listing_request)


def parse_search(response: Response) -> Iterator[Request]:
    """Search returns articles of every kind; ``parse_review`` drops those that are no review."""
    return _article_links(response, search_request)


def _article_links(
    response: Response, next_page_request: Callable[[str], Request]
) -> Iterator[Request]:
    for href in response.xpath(ARTICLE_LINKS).getall():
        yield review_request(response.urljoin(href.strip()))
    next_href = response.xpath(NEXT_PAGE).get()
    if next_href:
        yield next_page_request(response.urljoin(next_href.strip()))


# --- review pages --------------------------------------------------------------------------------
# Compiled XPaths giving lxml elements (``xpath_strings`` for attribute values): a parsel Selector
# per query and per match cost more than the queries themselves. An attribute test reads
# ``//@attr[test]/..`` where it would be ``//*[test(@attr)]``: libxml2 then tests the attributes
# there are rather than evaluate ``@attr`` on every element (a half to three quarters less time).
ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting", "ReviewNewsArticle", "OpinionNewsArticle"}
# The article body: the theme's content block, any microdata body, else the whole <article>.
BODY = etree.XPath(
    f'//article//div[{class_test("entry-content")}] | //@itemprop[. = "articleBody"]/..'
)
PARAGRAPHS = etree.XPath(
    ".//p[not(ancestor::aside or ancestor::figure or ancestor::header or ancestor::footer)]"
)
HEADLINE = etree.XPath("(//article//h1 | //h1)[1]")
DEK = etree.XPath(
    '(//article//*/@class[contains(., "dek") or contains(., "subtitle")'
    ' or contains(., "entry-summary")]/..)[1]'
)
BYLINE = etree.XPath('(//article//*[@rel="author"])[1]')
TIME = etree.XPath("(//article//time)[1]")
FIRST_ARTICLE = etree.XPath("(//article)[1]")

# Labelled lines at the end of a review, label -> Review field (case-insensitive). A line is
# labelled when a colon or dash follows the label ("Opens: June 14", "Opens - June 14"), when the
# label stands alone in bold ("<strong>Opens</strong> June 14"), or when a bare fact label is
# followed by a value of that fact's shape ("Running Time 121 minutes", "MPAA Rating PG"); prose
# that merely starts with the words ("Opens with a bang.") is not.
LABELS: dict[str, str] = {
    "pros": r"what we lov(?:e|ed)",
    "cons": r"hold on,? a (?:minute|sec(?:ond)?)",
    "release_date": r"opens(?: in theaters)?",
    "mpaa_rating": r"mpaa(?: rating)?|rating",
    "runtime_minutes": r"running time|run ?time",
}
FACT_SHAPES: dict[str, re.Pattern[str]] = {
    "release_date": re.compile(r"^\w+\.? \d{1,2}$"),  # month and day: "June 14", "Nov. 22"
    "mpaa_rating": re.compile(r"^(?:Rated )?(?:G|PG|PG-13|R|NC-17|NR|Not Rated|Unrated)\b"),
    # "121 minutes", "1:43", "2 hr 1 min", "2h 1m"
    "runtime_minutes": re.compile(
        r"^\d+(?::\d\d)?\s*(?:(?:hours?|hrs?|h)\.?(?:,?\s*\d+\s*)?)?(?:minutes?|mins?|m)?\.?$",
        re.IGNORECASE,
    ),
}
_ANY_LABEL = "|".join(f"(?P<{name}>{pattern})" for name, pattern in LABELS.items())
_LABELLED = re.compile(
    rf"^(?:{_ANY_LABEL})\b\s*(?:(?P<separator>[:\u2013\u2014-])\s*)?(?P<value>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_BOLD_LEAD = re.compile(r"^\s*<(strong|b)\b[^>]*>(?P<text>.*?)</\1>", re.IGNORECASE | re.DOTALL)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_PARAGRAPH_START = re.compile(r"^\s*<p\b[^>]*>", re.IGNORECASE)
_PARAGRAPH_END = re.compile(r"</p>\s*$", re.IGNORECASE)
# Promo lines inside the body ("RELATED: 12 Ways ...", "MORE: ...") and the related-posts heading.
_PROMO = re.compile(r"^(?:related|more|read more|see also|plus)\s*:|^more from \w+$", re.IGNORECASE)
_REVIEW_WORD = re.compile(r"\breview\b", re.IGNORECASE)

# "Directed by Chris Buck and Jennifer Lee" / "starring Maggie Gyllenhaal and Viola Davis":
# capitalised words, a list only when it ends in "and"/"&" (so "Directed by Lee Unkrich, Coco
# is ..." stops at the comma; "Paul King." loses the full stop, "Samuel L. Jackson" keeps its
# initial). Lower-case name particles ("del Toro") are not supported.
_NAME_WORD = r"(?:[A-ZÀ-Þ]\.)+|[A-ZÀ-Þ][\w'’-]*\w|[A-ZÀ-Þ]"
_NAME = rf"(?:{_NAME_WORD})(?: (?:{_NAME_WORD}))*"
_NAME_LIST = rf"{_NAME}(?:(?:, {_NAME})*,? (?:and|&) {_NAME})?"
_DIRECTED_BY = re.compile(rf"\b[Dd]irected by ({_NAME_LIST})")
_STARRING = re.compile(rf"\b(?:[Ss]tarring|the voices of) ({_NAME_LIST})")


def parse_review(response: Response) -> Review | None:
    """The review on an article page; ``None`` for any other article or page.

    A page counts as a review when its headline says "review" or its body carries at least one of
    the review's labelled lines (throwback reviews such as "'The Parent Trap' 20 Years Later" have
    the lines but not the word).
    """
    graph = list(json_ld_objects(response))
    article = next((obj for obj in graph if _is_article(obj)), {})
    headline = _headline(response, article)
    if not headline:
        return None
    story, labelled = _split_body(_body_lines(response))
    if not labelled and not _REVIEW_WORD.search(headline):
        return None
    text = "\n\n".join(story) or None
    return Review(
        url=canonical_url(response),
        title=film_title(headline),
        year=None,  # the page never states the film's year; its date is the article's
        mpaa_rating=labelled.get("mpaa_rating"),
        runtime_minutes=labelled.get("runtime_minutes"),
        release_date=labelled.get("release_date"),
        directors=_names_after(_DIRECTED_BY, text),
        cast=_names_after(_STARRING, text),
        verdict=_dek(response, article) or labelled.get("pros"),
        text=text,
        pros=labelled.get("pros"),
        cons=labelled.get("cons"),
        reviewer=_author(response, article, graph),
        published=_published(response, article),
    )


# --- headline and film title ----------------------------------------------------------------------
# A quoted film title: opening quote at the start or after a space/colon, closing quote followed
# by the end, a space or punctuation (so the apostrophes of "Won't" / "Sorcerer's" do not close it).
_QUOTED = re.compile(r"(?:^|(?<=[\s:(]))['‘\"“](?P<title>.+?)['’\"”](?=$|[\s:,.!?;)—-])")
_CLASSIC = re.compile(r"^Review\s*:?\s+", re.IGNORECASE)
_PREFIX = re.compile(r"^(?:Movie|Film)\s+Review\s*:?\s+(?P<title>.+)$", re.IGNORECASE)
_SUFFIX = re.compile(r"^(?P<title>.+?)\s+(?:Movie\s+|Film\s+)?Review\s*(?::|$)", re.IGNORECASE)


def film_title(headline: str) -> str:
    """The film's title inside a review headline, raw.

    * ``Review: 'Won't Back Down'`` -> kept whole: the site's classic form, which the
      normalization pipeline reduces ("Review:" and the quotes stripped);
    * a quoted title anywhere else -> that title (the site's house style quotes film titles):
      ``'Frozen 2' Review: Elsa and Anna's ...`` -> ``Frozen 2``,
      ``Review: 'Incredibles 2' Is Worth the Wait`` -> ``Incredibles 2``,
      ``'The Parent Trap' 20 Years Later: ...`` -> ``The Parent Trap``;
    * ``Movie Review: Inside Out`` -> ``Inside Out``;
    * ``Coco Review: Pixar's Day of the Dead Tale ...`` -> ``Coco``;
    * anything else -> the headline.
    """
    quoted = _QUOTED.search(headline)
    if _CLASSIC.match(headline) and (not quoted or quoted.end() == len(headline)):
        return headline
    if quoted:
        return quoted.group("title").strip()
    for pattern in (_PREFIX, _SUFFIX):
        match = pattern.match(headline)
        if match:
            return match.group("title").strip()
    return headline


def _is_article(obj: dict[str, Any]) -> bool:
    types = obj.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(t in ARTICLE_TYPES for t in types)


def _headline(response: Response, article: dict[str, Any]) -> str | None:
    return (
        _string(article.get("headline"))
        or element_text(HEADLINE(response.selector.root))
        or clean_text(_first_string(response, '//meta/@property[. = "og:title"]/../@content'))
    )


def _dek(response: Response, article: dict[str, Any]) -> str | None:
    """The article's one-line summary under the headline: the site's own verdict in one line.

    Embedded description first, then the dek printed under the ``h1``, then the meta description.
    Pages without any of them fall back to the "What We Love" line (in ``parse_review``).
    """
    return (
        _string(article.get("description"))
        or element_text(DEK(response.selector.root))
        or clean_text(_first_string(response, '//meta/@name[. = "description"]/../@content'))
        or clean_text(_first_string(response, '//meta/@property[. = "og:description"]/../@content'))
    )


def _published(response: Response, article: dict[str, Any]) -> str | None:
    return (
        _string(article.get("datePublished"))
        or clean_text(
            _first_string(response, '//meta/@property[. = "article:published_time"]/../@content')
        )
        or clean_text(_first_string(response, "//article//time/@datetime"))
        or element_text(TIME(response.selector.root))
    )


def _author(response: Response, article: dict[str, Any], graph: list[dict[str, Any]]) -> str | None:
    """JSON-LD ``author`` (name, Person, list, or ``@id`` into the graph), else the byline."""
    author = article.get("author")
    if isinstance(author, list):
        author = author[0] if author else None
    if isinstance(author, dict) and "name" not in author and author.get("@id"):
        author = next((obj for obj in graph if obj.get("@id") == author["@id"]), None)
    name = author.get("name") if isinstance(author, dict) else author
    return (
        _string(name)
        or element_text(BYLINE(response.selector.root))
        or clean_text(_first_string(response, '//meta/@name[. = "author"]/../@content'))
    )


def _first_string(response: Response, query: str) -> str | None:
    """The first string an XPath selects (``response.xpath(query).get()``)."""
    return next(iter(xpath_strings(response, query)), None)


def _string(value: Any) -> str | None:
    """A JSON-LD text value (some themes leave HTML entities in it), else None."""
    return clean_text(replace_entities(value)) if isinstance(value, str) else None


# --- body ----------------------------------------------------------------------------------------
def _body_lines(response: Response) -> list[tuple[str, str | None]]:
    """Every line of the article body as (text, bold lead text); ``<br>`` splits a paragraph."""
    body = BODY(response.selector.root)
    if body:  # a body block without <p> is one paragraph split at its <br>s
        paragraphs = PARAGRAPHS(body[0]) or body[:1]
    else:
        paragraphs = [p for article in FIRST_ARTICLE(response.selector.root)
                      for p in PARAGRAPHS(article)]
    # each paragraph's markup as parsel's Selector.get() serializes it (XML for an XML response)
    method = "xml" if response.selector.type == "xml" else "html"
    lines = []
    for paragraph in paragraphs:
        html = etree.tostring(paragraph, method=method, encoding="unicode", with_tail=False)
        # the <p> tags around it (two patterns: one alternation tried at every position is slower)
        inner = _PARAGRAPH_END.sub("", _PARAGRAPH_START.sub("", html))
        for piece in _BREAK.split(inner):
            text = clean_text(_entities_replaced(_tags_removed(piece)))
            if text:
                bold = _BOLD_LEAD.match(piece)
                bold_text = clean_text(_tags_removed(bold.group("text"))) if bold else None
                lines.append((text, bold_text))
    return lines


# w3lib's remove_tags and replace_entities, skipped on the many pieces they would leave as they are
def _tags_removed(html: str) -> str:
    return remove_tags(html) if "<" in html else html


def _entities_replaced(text: str) -> str:
    return replace_entities(text) if "&" in text else text


def _split_body(lines: Iterable[tuple[str, str | None]]) -> tuple[list[str], dict[str, str]]:
    """(story paragraphs, {Review field: labelled value}); promo lines go to neither."""
    story: list[str] = []
    labelled: dict[str, str] = {}
    for text, bold in lines:
        field_name, value = _labelled(text, bold)
        if field_name:
            if value and field_name not in labelled:
                labelled[field_name] = value
        elif not _PROMO.match(text):
            story.append(text)
    return story, labelled


def _labelled(text: str, bold: str | None) -> tuple[str | None, str | None]:
    """(field, value) when the line is a labelled line, else (None, None)."""
    match = _LABELLED.match(text)
    if not match:
        return None, None
    field_name = next(name for name in LABELS if match.group(name))
    value = clean_text(match.group("value"))
    label = match.group(field_name).lower()
    marked = (
        match.group("separator")
        or (bold is not None and bold.rstrip(":").strip().lower() == label)
        or (field_name in FACT_SHAPES and value and FACT_SHAPES[field_name].match(value))
    )
    return (field_name, value) if marked else (None, None)


def _names_after(pattern: re.Pattern[str], text: str | None) -> list[str]:
    match = pattern.search(text or "")
    return split_names(match.group(1)) if match else []
