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
from urllib.parse import quote_plus

from scrapy import Request
from scrapy.http import Response
from scrapy.selector import Selector

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


def _has_class(name: str) -> str:
    """XPath predicate: the element's class list contains ``name`` (not just the substring)."""
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


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
    hrefs = response.xpath(f'//div[{_has_class("facetwp-template")}]//a/@href').getall()
    yield from _review_requests(response, hrefs)


def _title_list(response: Response) -> Selector | None:
    """The text module after the one headed "Movie Reviews by Title" (else the 3rd module)."""
    inners = response.xpath(f'//div[{_has_class("et_pb_text_inner")}]')
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
    header = _header_line(response)
    title_tag = _title_tag_line(response)
    sections = {key: _section(response, key) for key in SECTIONS}
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
        imdb_id=imdb_id_in(response.xpath('//a[contains(@href, "imdb.com/title/")]/@href').get()),
        content_native=content,
        verdict=message,  # KIM's one-line takeaway; it prints no verdict of its own
        text=_body_text(synopsis, sections),
    )


def _header_line(response: Response) -> dict:
    """``Title | 2002 | PG-13 | - 4.4.4`` from the ``h1`` (Divi, 2025+) or the 14px span's line."""
    scope = f'//div[{_has_class("et_pb_text_inner")}]'
    line = response.xpath(f"{scope}//h1") or response.xpath(
        f'{scope}//span[contains(translate(@style, " ", ""), "font-size:14px")]/..'
    )
    text = node_text(line[:1])
    if not text or "|" not in text:
        return {}
    title, *rest = (part.strip(" -–—") for part in text.split("|"))
    fields = _classify(rest)
    if "year" not in fields and "svl" not in fields:
        return {}
    return {"title": clean_text(title), **fields}


def _title_tag_line(response: Response) -> dict:
    """``Title [YYYY] [MPAA] - S.V.L | Parents' Guide …`` (2025+: no ``[YYYY]``).

    Foreign films carry their original title in an extra bracket before the year, so only the
    brackets from the year on (or, without a year, the last one) are year and MPAA.
    """
    text = clean_text(response.xpath("//title/text()").get()) or ""
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


def _section(response: Response, key: str) -> tuple[int | None, str | None]:
    """(level printed in the heading or None, section text) of one review section."""
    label = SECTIONS[key]
    heading = response.xpath(f'//h2[@id="{key}"]') or response.xpath(
        f'//*[self::h2 or self::h3][contains(normalize-space(.), "{label}")]'
    )
    if not heading:
        return None, None
    heading = heading[0]
    match = re.search(re.escape(label) + r"\s*(\d{1,2})\s*$", node_text(heading) or "")
    return (int(match.group(1)) if match else None), _section_text(heading)


def _section_text(heading: Selector) -> str | None:
    """Text after a heading: its siblings up to the next heading, else (2025+) the next module."""
    parts = []
    for sibling in heading.xpath("following-sibling::*"):
        if sibling.root.tag in ("h2", "h3"):
            break
        parts.append(node_text(sibling))
    if not any(parts):
        parts = [node_text(module) for module in heading.xpath(
            f'ancestor::div[{_has_class("et_pb_module")}][1]'
            f'/following-sibling::div[{_has_class("et_pb_module")}][1][not(.//h2)]'
        )]
    return clean_text(_BULLET.sub(" ", " ".join(filter(None, parts))))


def _content_levels(header: dict, title_tag: dict, sections: dict) -> dict[str, int]:
    """{sex, violence, language: 0-10}: the S.V.L triple, else each section heading's level."""
    svl = header.get("svl") or title_tag.get("svl")
    if svl:
        return dict(zip(RATED_SECTIONS, map(int, _SVL.search(svl).groups()), strict=False))
    return {key: sections[key][0] for key in RATED_SECTIONS if sections[key][0] is not None}


def _synopsis(response: Response) -> str | None:
    """First paragraph after the first ``hr`` of the 3rd text module, else the paragraph that
    ends with the running time."""
    inner = response.xpath(f'(//div[{_has_class("et_pb_text_inner")}])[3]')
    for paragraph in inner.xpath("hr[1]/following-sibling::p"):
        if text := node_text(paragraph):
            return text
    for paragraph in response.xpath("//p"):
        text = node_text(paragraph)
        if text and _RUNTIME.search(text):
            return text
    return None


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
