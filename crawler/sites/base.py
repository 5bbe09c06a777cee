"""Helpers shared by every site module: request kinds, canonical URLs, text and JSON extraction."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import parsel
from lxml import etree
from parsel import SelectorList
from parsel.selector import create_root_node
from scrapy import Request
from scrapy.http import HtmlResponse, Response
from scrapy.utils.response import get_base_url

# The spider dispatches a response to the site parser named by this meta key. Strings (not
# callbacks) keep requests picklable for JOBDIR and shareable through a Redis frontier.
KIND = "famreel_kind"
REVIEW, LISTING, SEARCH = "review", "listing", "search"


def review_request(url: str, **kwargs: Any) -> Request:
    return _request(url, REVIEW, **kwargs)


def listing_request(url: str, **kwargs: Any) -> Request:
    return _request(url, LISTING, **kwargs)


def search_request(url: str, **kwargs: Any) -> Request:
    return _request(url, SEARCH, **kwargs)


def _request(url: str, kind: str, **kwargs: Any) -> Request:
    meta = dict(kwargs.pop("meta", None) or {})
    meta[KIND] = kind
    return Request(url, meta=meta, **kwargs)


class PlainSelectorResponse(HtmlResponse):
    """An HTML response whose selectors are plain parsel ones, for the site parsers.

    Scrapy's ``Selector`` subclass records every instance in ``scrapy.utils.trackref`` and holds
    its response; a parser makes a hundred selectors a page, and that bookkeeping cost 2-10% of
    its parsing time (``bench/parse.py --against``). The document is the one Scrapy's selector
    of an ``HtmlResponse`` reads (the same text, type and base URL), parsed by lxml's plain
    ``etree.HTMLParser``: the same tree as parsel's ``lxml.html`` parser, without its Python
    class lookup for every element a parser reaches (which made walks 2-4 times slower)."""

    @cached_property
    def selector(self) -> parsel.Selector:  # type: ignore[override]
        root = create_root_node(self.text, etree.HTMLParser, base_url=get_base_url(self))
        return parsel.Selector(root=root, type="html")


ResponseT = TypeVar("ResponseT", bound=Response)


def with_plain_selectors(response: ResponseT) -> ResponseT:
    """``response`` as a ``PlainSelectorResponse`` if it is an ``HtmlResponse`` (a copy sharing
    its body and request), else as it is: XML, JSON and text keep Scrapy's choice of type."""
    if type(response) is HtmlResponse:
        return response.replace(cls=PlainSelectorResponse)  # type: ignore[return-value]
    return response


def strip_query(url: str) -> str:
    """``https://HOST/PATH`` without query string or fragment (trailing slash kept as given)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def canonical_url(response: Response) -> str:
    """The page's own name for itself: ``<link rel="canonical">`` when present, else the URL.

    Always https, never a query string or fragment; relative canonicals resolve against the page.
    """
    href = next((link.get("href") for link in elements(response, "link")
                 if (link.get("rel") or "").lower() == "canonical"), None)
    url = response.urljoin(href.strip()) if href and href.strip() else response.url
    parts = urlsplit(url)
    scheme = "https" if parts.scheme in ("http", "https") else parts.scheme
    return urlunsplit((scheme, parts.netloc.lower(), parts.path or "/", "", ""))


def clean_text(value: str | None) -> str | None:
    """Collapse whitespace; ``None`` for empty. (``str.split()`` splits where the regex ``\\s+``
    matches, the same ``str.isspace`` characters, in a sixth of the time.)"""
    if value is None:
        return None
    return " ".join(value.split()) or None


def node_text(selector: Any) -> str | None:
    """All text below a selector (or selector list), whitespace collapsed.

    The text nodes of ``.//text()``, read with lxml's ``itertext`` rather than as one parsel
    Selector per text node (a fifth of a review page's parsing time went to those objects)."""
    if selector is None:
        return None
    selectors = selector if isinstance(selector, SelectorList) else [selector]
    return clean_text(" ".join(
        text for each in selectors if _is_element(each.root) for text in each.root.itertext()
    ))


def element_text(elements: Iterable[Any]) -> str | None:
    """``node_text`` of lxml elements: all their text, whitespace collapsed. An element without
    children has only its ``.text``, several times cheaper to read than through ``itertext()``."""
    texts: list[str] = []
    for element in elements:
        if len(element):
            texts.extend(element.itertext())
        elif element.text is not None:
            texts.append(element.text)
    return clean_text(" ".join(texts))


# The site parsers read lxml elements directly where a page-wide CSS query would test every
# element of the page: the helpers below keep the CSS selectors' meaning.

# what XPath's normalize-space() treats as white space: where cssselect's ``.name`` test splits
_XPATH_SPACES = str.maketrans("\t\n\r", "   ")


_XPATH_SPACE_RUN = re.compile(r"[ \t\n\r]+")


def normalized_space(element: Any) -> str:
    """XPath's ``normalize-space(.)`` of an lxml element: its text joined, runs of XPath white
    space (space, tab, CR, LF; not every ``str.isspace`` character) made one space."""
    return _XPATH_SPACE_RUN.sub(" ", "".join(element.itertext())).strip(" ")


def class_test(name: str) -> str:
    """The XPath predicate of the CSS selector ``.name``, as cssselect writes it."""
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


def class_names(value: str) -> list[str]:
    """The names of a ``class`` attribute, split where ``class_test`` splits them (and an empty
    name for each extra space: no class is named so)."""
    return value.translate(_XPATH_SPACES).split(" ")


def has_class(element: Any, *names: str) -> bool:
    """Whether an lxml element matches the CSS selector ``.name1.name2...`` (``class_test``)."""
    classes = element.get("class")
    if not classes or any(name not in classes for name in names):  # the cheap test first
        return False
    padded = f" {classes.translate(_XPATH_SPACES)} "
    return all(f" {name} " in padded for name in names)


def below(containers: Iterable[Any], tag: Any, class_name: str | None = None) -> list[Any]:
    """The ``tag`` elements (of class ``class_name``) below any of ``containers``: what CSS's
    ``container tag.class`` selects, each element once (a nested container adds none), in
    document order when the containers are in it."""
    found: dict[Any, None] = {}
    for container in containers:
        for element in container.iterdescendants(tag):
            if class_name is None or has_class(element, class_name):
                found[element] = None
    return list(found)


def title_tag_text(response: Response) -> str | None:
    """The first text node of the page's ``<title>`` elements (``//title/text()``)."""
    for title in elements(response, "title"):
        # the parser joins adjacent text, so .text is the first text node, or else a tail is
        if title.text is not None:
            return title.text
        text = next((child.tail for child in title if child.tail is not None), None)
        if text is not None:
            return text
    return None


@lru_cache(maxsize=256)
def _string_xpath(query: str) -> etree.XPath:
    return etree.XPath(query, smart_strings=False)


def xpath_strings(selector: Any, query: str) -> list[str]:
    """The strings an XPath selects below a selector or response (text nodes, attribute values):
    ``selector.xpath(query).getall()`` without a parsel Selector per string (a page's hundreds
    of text nodes cost more as objects than to find)."""
    root = getattr(selector, "selector", selector).root
    return [str(value) for value in _string_xpath(query)(root)]


def elements(response: Response, tag: str) -> Iterator[Any]:
    """The page's ``tag`` elements in document order, as lxml elements: ``root.iter(tag)`` walks
    the tree in C, where an XPath ``//tag[...]`` query with a predicate costs several times
    as much (``canonical_url`` and ``json_ld_objects`` run on every review page)."""
    root = response.selector.root
    return root.iter(tag) if _is_element(root) else iter(())


def _is_element(node: Any) -> bool:
    return isinstance(node, etree._Element) and not isinstance(
        node, etree._Comment | etree._ProcessingInstruction)


def json_ld_objects(response: Response) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object on the page, ``@graph`` members flattened; broken blocks skipped."""
    for script in elements(response, "script"):
        if script.get("type") != "application/ld+json" or not script.text:
            continue
        raw = script.text
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        for obj in stack:
            if not isinstance(obj, dict):
                continue
            graph = obj.get("@graph")
            if isinstance(graph, list):
                yield from (g for g in graph if isinstance(g, dict))
            else:
                yield obj


_NAME_SEPARATORS = re.compile(r"\s*[,;]\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+")


def split_names(value: str | None) -> list[str]:
    """People as pages list them: "A, B and C", "A & B", "A; B" -> ["A", "B", "C"]."""
    return [name for name in (clean_text(p) for p in _NAME_SEPARATORS.split(value or "")) if name]


_IMDB_ID = re.compile(r"\b(tt\d{7,9})\b")


def imdb_id_in(text: str | None) -> str | None:
    """The first IMDb title id (``tt`` + 7-9 digits) in a URL or text."""
    if not text:
        return None
    match = _IMDB_ID.search(text)
    return match.group(1) if match else None
