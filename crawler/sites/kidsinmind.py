"""Kids-In-Mind (kids-in-mind.com): WordPress + Divi, three 0-10 levels "S.V.L" per film.

Discovery: the 26 letter index pages ``/{a..z}.htm`` (the list under "Movie Reviews by Title") and
the FacetWP search ``/search-desktop.htm?fwp_keyword=<q+with+plus>``. There is no ``0-9`` index:
titles starting with a digit are filed under the spelled number (``/s/7daysinentebbe.htm``).

Review pages come in three markup generations; every one is read:

* classic (pre-2019 reviews moved into Divi): ``<title>Title [YYYY] [MPAA] - S.V.L | ...``, the
  header line ``Title <span style="font-size:14px !important">| 2002 | PG-13 | - 4.4.4</span>``,
  sections ``h2#sex`` "SEX/NUDITY 4" followed by their ``p`` in the same module;
* Divi (2019-2024): the same ``<title>``, ``<h1>Abominable | 2019 | PG | – 1.2.1</h1>``;
* 2025+: ``<title>`` without ``[YYYY]`` (the year is only in ``<h1>Title <span>| 2020 | PG |``),
  headings prefixed with the title ("Onward VIOLENCE/GORE 3") in a module of their own, the text
  in the next module.

The synopsis (3rd ``div.et_pb_text_inner``, after its first ``hr``) ends "Directed by … [1:37]"
(newer pages "[Running Time: 1:37]"); an IMDb title link carries the IMDb id. No JSON-LD exists.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any
from urllib.parse import quote_plus

from scrapy import Request
from scrapy.http import Response
from scrapy.selector import Selector

from crawler.items import Review
from crawler.sites.base import (
    canonical_url,
    class_test,
    clean_text,
    element_text,
    elements,
    has_class,
    imdb_id_in,
    listing_request,
    node_text,
    normalized_space,
    review_request,
    search_request,
    split_names,
    title_tag_text,
    xpath_strings,
)

NAME = "kidsinmind"
HOSTS = ("kids-in-mind.com", "www.kids-in-mind.com")  # www: assumed alias of the bare host
BASE_URL = "https://kids-in-mind.com"
# robots.txt asks for Crawl-delay: 30 and Cloudflare blocks bursts: one request at a time.
CUSTOM_SETTINGS = {"CONCURRENT_REQUESTS_PER_DOMAIN": 1, "DOWNLOAD_DELAY": 30}

SEARCH_PATH = "/search-desktop.htm"
SEARCH_PARAM = "fwp_keyword"
LIST_HEADING = "Movie Reviews by Title"

# section id -> printed label; the first three carry a 0-10 level, the others are text only
RATED_SECTIONS = {"sex": "SEX/NUDITY", "violence": "VIOLENCE/GORE", "language": "LANGUAGE"}
TEXT_SECTIONS = {
    "substance": "SUBSTANCE USE",
    "discussion": "DISCUSSION TOPICS",
    "message": "MESSAGE",
}
SECTIONS = {**RATED_SECTIONS, **TEXT_SECTIONS}

_SVL = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{1,2})\b")
_YEAR = re.compile(r"^\d{4}$")
_BRACKETS = re.compile(r"\[([^\]]*)\]")
_TITLE_TAG_LINE = re.compile(r"^(?P<head>.*?)\s*[-–—]\s*(?P<svl>\d{1,2}\.\d{1,2}\.\d{1,2})\s*$")
# "[1:37]", "[Running Time: 1:37]", 2018's "[1:58 - PG-13]", and the real pages' typo "[1.52]"
_RUNTIME = re.compile(
    r"\[\s*(?:Running Time:\s*)?(\d{1,2})[:.](\d{2})\s*(?:-[^\]]*)?\]", re.IGNORECASE
)
# a sentence ends at a period that does not close an initial ("Samuel L. Jackson")
_SENTENCE_END = r"(?<!\b[A-Z])\.(?=\s|$)"
_DIRECTED_BY = re.compile(r"\bDirected by\s+(?P<names>.+?)" + _SENTENCE_END)
_CAST = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:Also with|With)\s+(?:the voices? of\s+)?(?P<names>.+?)" + _SENTENCE_END
)
_BULLET = re.compile(r"\s*►\s*")  # newer pages start each item of a section with "►"
# "SEX/NUDITY 4": the level printed after a section's label
_LEVEL_AFTER_LABEL = {
    key: re.compile(re.escape(label) + r"\s*(\d{1,2})\s*$") for key, label in SECTIONS.items()
}
TEXT_MODULE, MODULE = "et_pb_text_inner", "et_pb_module"  # Divi's classes
_IMDB_LINKS = '//a[contains(@href, "imdb.com/title/")]/@href'


# --- discovery ---------------------------------------------------------------------------------


def listing_requests() -> list[Request]:
    return [listing_request(f"{BASE_URL}/{letter}.htm") for letter in string.ascii_lowercase]


def search_requests(title: str) -> list[Request]:
    """FacetWP keyword search, encoded as the site's GET form does (spaces as ``+``)."""
    return [search_request(f"{BASE_URL}{SEARCH_PATH}?{SEARCH_PARAM}={quote_plus(title.strip())}")]


def parse_listing(response: Response) -> Iterator[Request]:
    """Review links of a letter page (no pagination: one page per letter)."""
    title_list = _title_list(response)
    if title_list is not None:
        yield from _review_requests(response, title_list.xpath(".//a/@href").getall())


def parse_search(response: Response) -> Iterator[Request]:
    """Review links of a FacetWP result page (``div.fwpl-item.search-result a`` in the template).

    Assumed: all hits on one page (no FacetWP pager has been seen on KIM's search).
    """
    hrefs = response.xpath(f'//div[{class_test("facetwp-template")}]//a/@href').getall()
    yield from _review_requests(response, hrefs)


def _title_list(response: Response) -> Selector | None:
    """The text module after the one headed "Movie Reviews by Title" (else the 3rd module)."""
    inners = response.xpath(f'//div[{class_test(TEXT_MODULE)}]')
    for index, inner in enumerate(inners[:-1]):
        if LIST_HEADING.lower() in (node_text(inner) or "").lower():
            return inners[index + 1]
    return inners[2] if len(inners) > 2 else None


def _review_requests(response: Response, hrefs: Iterable[str]) -> Iterator[Request]:
    seen: set[str] = set()
    for href in hrefs:
        href = (href or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = response.urljoin(href)
        if url not in seen:
            seen.add(url)
            yield review_request(url)


# --- review pages ------------------------------------------------------------------------------


def parse_review(response: Response) -> Review | None:
    """A review, or ``None`` when the page rates nothing (not found, index or search pages)."""
    if response.selector.type == "json":  # a JSON body fails as the XPath queries did
        raise ValueError("Cannot use xpath on a Selector of type 'json'")
    # Read with lxml walks over one tag and element reads: an XPath query rooted at the page tests
    # every element, and a class test (the text modules') costs most.
    header = _header_line(response)
    title_tag = _title_tag_line(response)
    sections = _sections(response)
    content = _content_levels(header, title_tag, sections)
    if not content:
        return None
    synopsis = _synopsis(response)
    message = sections["message"][1]
    return Review(
        url=canonical_url(response),
        title=header.get("title") or title_tag.get("title"),
        year=header.get("year") or title_tag.get("year"),
        mpaa_rating=header.get("mpaa") or title_tag.get("mpaa"),
        runtime_minutes=_runtime(synopsis),
        directors=_names_after(_DIRECTED_BY, synopsis),
        cast=_names_after(_CAST, synopsis),
        imdb_id=imdb_id_in(_imdb_link(response)),
        content_native=content,
        verdict=message,  # KIM's one-line takeaway; it prints no verdict of its own
        text=_body_text(synopsis, sections),
    )


def _texts(nodes: Iterable[Any]) -> list[str]:
    """The text nodes below lxml elements. An element without children has only its ``.text``,
    several times cheaper to read than through ``itertext()``."""
    return [text for node in nodes for text in (node.itertext() if len(node) else (node.text,))
            if text is not None]


def _header_line(response: Response) -> dict:
    """``Title | 2002 | PG-13 | - 4.4.4`` from the ``h1`` (Divi, 2025+) or the 14px span's line."""
    headings = (h1 for h1 in elements(response, "h1") if _in_text_module(h1))
    line = next(headings, None)
    if line is None:
        line = _first_styled_line(response)
    text = element_text([line] if line is not None else [])
    if not text or "|" not in text:
        return {}
    title, *rest = (part.strip(" -–—") for part in text.split("|"))
    fields = _classify(rest)
    if "year" not in fields and "svl" not in fields:
        return {}
    return {"title": clean_text(title), **fields}


def _in_text_module(element: Any) -> bool:
    """Whether the element lies in a text module (XPath ``//div[text module]//…``)."""
    return any(has_class(div, TEXT_MODULE) for div in element.iterancestors("div"))


def _first_styled_line(response: Response) -> Any:
    """The first in page order of the elements holding a 14px span in a text module (XPath
    ``//div[text module]//span[contains(translate(@style, " ", ""), "font-size:14px")]/..``)."""
    lines = [
        span.getparent() for span in elements(response, "span")
        if "font-size:14px" in (span.get("style") or "").replace(" ", "") and _in_text_module(span)
    ]
    if not lines:
        return None
    first = lines[0]
    if len(lines) > 1:  # the first span's line comes first, unless a later span's line holds it
        for ancestor in first.iterancestors():
            if ancestor in lines:
                first = ancestor
    return first


def _title_tag_line(response: Response) -> dict:
    """``Title [YYYY] [MPAA] - S.V.L | Parents' Guide …`` (2025+: no ``[YYYY]``).

    Foreign films carry their original title in an extra bracket before the year, so only the
    brackets from the year on (or, without a year, the last one) are year and MPAA.
    """
    text = clean_text(title_tag_text(response)) or ""
    match = _TITLE_TAG_LINE.match(text.split(" | ")[0])
    if not match:
        return {}
    head = match.group("head")
    brackets = [b.strip() for b in _BRACKETS.findall(head)]
    years = [i for i, b in enumerate(brackets) if _YEAR.match(b)]
    brackets = brackets[years[0]:] if years else brackets[-1:]
    return {"title": clean_text(head.split("[")[0]), **_classify([*brackets, match.group("svl")])}


def _classify(parts: list[str]) -> dict:
    """Sort the pieces of a title line into year (int), MPAA (first other piece) and S.V.L."""
    fields: dict = {}
    for part in filter(None, parts):
        if _YEAR.match(part) and "year" not in fields:
            fields["year"] = int(part)
        elif _SVL.fullmatch(part):
            fields["svl"] = part
        else:
            fields.setdefault("mpaa", part)
    return fields


def _sections(response: Response) -> dict[str, tuple[int | None, str | None]]:
    """(level printed in the heading or None, section text) of each review section."""
    # both tags in one walk, in page order (the root is an element: JSON was refused)
    headings = list(response.selector.root.iter("h2", "h3"))
    by_id: dict[str | None, Any] = {}
    for heading in headings:
        if heading.tag == "h2":
            by_id.setdefault(heading.get("id"), heading)
    return {key: _section(headings, by_id.get(key), key) for key in SECTIONS}


def _section(headings: list[Any], heading: Any, key: str) -> tuple[int | None, str | None]:
    """The section's heading is the first ``h2#key`` (``heading``), else the first ``h2``/``h3``
    whose text holds the label (both in page order)."""
    label = SECTIONS[key]
    if heading is None:
        heading = next((h for h in headings if label in normalized_space(h)), None)
    if heading is None:
        return None, None
    match = _LEVEL_AFTER_LABEL[key].search(element_text([heading]) or "")
    return (int(match.group(1)) if match else None), _section_text(heading)


def _section_text(heading: Any) -> str | None:
    """Text after a heading: its siblings up to the next heading, else (2025+) the next module.

    The text nodes are joined raw and cleaned once: cleaning each sibling's text first would
    give the same words with the same single spaces, at twice the cost."""
    siblings = []
    for sibling in heading.itersiblings("*"):
        if sibling.tag in ("h2", "h3"):
            break
        siblings.append(sibling)
    text = " ".join(_texts(siblings))
    if not text.strip():
        text = " ".join(_texts(_next_module(heading)))
    return clean_text(_BULLET.sub(" ", text) if "►" in text else text)


def _next_module(heading: Any) -> list[Any]:
    """The module after the heading's own, unless it holds a heading of its own (XPath
    ``ancestor::div[module][1]/following-sibling::div[module][1][not(.//h2)]``)."""
    module = next((div for div in heading.iterancestors("div") if has_class(div, MODULE)),
                  None)
    if module is None:
        return []
    following = next((div for div in module.itersiblings("div") if has_class(div, MODULE)),
                     None)
    if following is None or next(following.iterdescendants("h2"), None) is not None:
        return []
    return [following]


def _content_levels(header: dict, title_tag: dict, sections: dict) -> dict[str, int]:
    """{sex, violence, language: 0-10}: the S.V.L triple, else each section heading's level."""
    svl = header.get("svl") or title_tag.get("svl")
    if svl:
        return dict(zip(RATED_SECTIONS, map(int, _SVL.search(svl).groups()), strict=False))
    return {key: sections[key][0] for key in RATED_SECTIONS if sections[key][0] is not None}


def _synopsis(response: Response) -> str | None:
    """First paragraph after the first ``hr`` of the 3rd text module, else the paragraph that
    ends with the running time."""
    modules = (div for div in elements(response, "div") if has_class(div, TEXT_MODULE))
    third = next(islice(modules, 2, None), None)  # the walk stops at it
    rule = next(third.iterchildren("hr"), None) if third is not None else None
    if rule is not None:
        for paragraph in rule.itersiblings("p"):
            if text := element_text([paragraph]):
                return text
    for paragraph in elements(response, "p"):
        text = element_text([paragraph])
        if text and _RUNTIME.search(text):
            return text
    return None


def _imdb_link(response: Response) -> str | None:
    """The first IMDb title link's ``href``."""
    links = xpath_strings(response, _IMDB_LINKS)
    return links[0] if links else None


def _runtime(synopsis: str | None) -> str | None:
    """The running time as printed, "h:mm" (the "1.52" typo read as "1:52")."""
    match = _RUNTIME.search(synopsis or "")
    return f"{match.group(1)}:{match.group(2)}" if match else None


def _names_after(pattern: re.Pattern, synopsis: str | None) -> list[str]:
    """Names listed in the synopsis sentence ``pattern`` finds ("A, B and C" / "A & B")."""
    match = pattern.search(synopsis or "")
    if not match:
        return []
    return split_names(match.group("names"))


def _body_text(synopsis: str | None, sections: dict) -> str | None:
    """Synopsis, then each section as "LABEL level: text", one paragraph each."""
    paragraphs = [synopsis] if synopsis else []
    for key, label in SECTIONS.items():
        level, text = sections[key]
        if text:
            heading = label if level is None else f"{label} {level}"
            paragraphs.append(f"{heading}: {text}")
    return "\n\n".join(paragraphs) or None
