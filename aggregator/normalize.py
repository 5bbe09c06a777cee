"""Text normalizers shared by the pipeline and matching: titles, runtimes, dates, MPAA ratings.

Each function takes what a page printed and returns the canonical value or ``None``; impossible
values raise ``aggregator.scales.ScaleError`` so the caller can count the reason.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

from aggregator.scales import ScaleError

MPAA_RATINGS = ("G", "PG", "PG-13", "R", "NC-17", "NR")
YEAR_RANGE = (1888, date.today().year + 3)
RUNTIME_RANGE = (1, 600)  # minutes

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "`": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
                         "\u2013": "-", "\u2014": "-", "\u00a0": " "})
_WS = re.compile(r"\s+")
# "Review: 'X'", "Movie Review: X", "'X' Review", "X Movie Review", "X - Review", "Review of X"
_REVIEW_PREFIX = re.compile(r"^(?:(?:movie|film)\s+)?review\s*(?:of\s+|[:\-|]\s*)", re.I)
_REVIEW_SUFFIX = re.compile(r"\s*(?:[:\-|]\s*)?(?:(?:movie|film)\s+)?review\s*$", re.I)
_TRAILING_YEAR = re.compile(r"\s*[\(\[](\d{4})(?:/[IVX]+)?[\)\]]\s*$")


def clean(text: str | None) -> str | None:
    if text is None:
        return None
    # str.split() splits at the regex \s+'s characters (str.isspace), several times faster
    return " ".join(str(text).translate(_QUOTES).split()) or None


def _unquote(title: str) -> str:
    if len(title) >= 2 and title[0] == title[-1] and title[0] in "'\"":
        return title[1:-1].strip()
    return title


def split_title(raw: str | None) -> tuple[str | None, int | None]:
    """A display title and the year a ``(1961)`` suffix carried.

    ``Review: 'Won’t Back Down'`` -> ("Won't Back Down", None);
    ``The Parent Trap (1961)`` -> ("The Parent Trap", 1961).
    """
    title = clean(raw)
    if not title:
        return None, None
    stripped = _REVIEW_PREFIX.sub("", title)
    stripped = _REVIEW_SUFFIX.sub("", stripped)
    title = _unquote(stripped.strip()) or title
    year = None
    match = _TRAILING_YEAR.search(title)
    if match:
        year = int(match.group(1))
        title = title[: match.start()].strip()
    return (recase(title) if title else None), year


_SMALL_WORDS = {"a", "an", "the", "and", "but", "or", "for", "nor", "of", "on", "in", "at", "to",
                "by", "from", "with", "vs"}


def recase(title: str) -> str:
    """An ALL-CAPS title ("E.T. THE EXTRA-TERRESTRIAL", MovieGuide style) in title case; titles
    that mix cases, or one word in capitals ("WALL-E", "UP"), are left as printed."""
    if not title.isupper() or " " not in title:
        return title
    words = title.lower().split(" ")
    out = []
    for i, word in enumerate(words):
        if i and word in _SMALL_WORDS and not out[-1].endswith(":"):
            out.append(word)
        else:
            out.append(re.sub(r"(^|[-.(/])([a-z])", lambda m: m[1] + m[2].upper(), word))
    return " ".join(out)


_ARTICLES = ("the ", "a ", "an ")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9,
          "x": 10}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def title_key(title: str | None) -> str:
    """The comparison form of a title: accents, case, punctuation and articles folded away,
    ``&`` -> ``and``, roman sequel numbers -> digits ("Frozen II" and "Frozen 2" -> "frozen 2").
    """
    if not title:
        return ""
    text = _fold(title).replace("&", " and ").replace("'", "")
    text = re.sub(r"[^\w\s]", " ", text)
    words = text.split()
    out = []
    for i, word in enumerate(words):
        if i > 0 and word in _ROMAN and (i == len(words) - 1 or words[i + 1] in ("the", "and")):
            word = str(_ROMAN[word])
        out.append(word)
    text = " ".join(out)
    for article in _ARTICLES:
        if text.startswith(article):
            text = text[len(article):]
            break
    return text


@lru_cache(maxsize=65536)  # matching asks for every title of every pair it weighs
def sequel_numbers(key: str) -> tuple[str, ...]:
    """Numbers in a title key ("toy story 2" -> ("2",)): different numbers mean different films."""
    return tuple(w for w in key.split() if w.isdigit() and len(w) <= 2)


def parse_year(value: object) -> int | None:
    if value is None or value == "":
        return None
    match = re.search(r"\b(\d{4})\b", str(value))
    if not match:
        raise ScaleError("year", f"no year in {value!r}")
    year = int(match.group(1))
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise ScaleError("year", f"{year} is outside {YEAR_RANGE[0]}-{YEAR_RANGE[1]}")
    return year


_HOURS_MINUTES = re.compile(
    r"(?:(\d+)\s*(?:hours|hour|hrs|hr|h)\b\.?)?\s*(?:(\d+)\s*(?:minutes|minute|mins|min|m)\b\.?)?",
    re.I,
)


def parse_runtime(value: object) -> int | None:
    """``121``, ``"121 minutes"``, ``"1:46"``, ``"2 hr 1 min"``, ``"PT121M"`` -> minutes."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        minutes = int(round(value))
    else:
        text = str(value).strip()
        if match := re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?", text, re.I):
            minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
        elif match := re.search(r"\b(\d{1,2}):(\d{2})\b", text):
            minutes = int(match.group(1)) * 60 + int(match.group(2))
        elif (match := _find_hours_minutes(text)) is not None:
            minutes = match
        elif match := re.search(r"\d+", text):
            minutes = int(match.group())
        else:
            raise ScaleError("runtime_minutes", f"no runtime in {value!r}")
    if not RUNTIME_RANGE[0] <= minutes <= RUNTIME_RANGE[1]:
        raise ScaleError("runtime_minutes", f"{minutes} minutes is outside 1-600")
    return minutes


def _find_hours_minutes(text: str) -> int | None:
    for match in _HOURS_MINUTES.finditer(text):
        hours, minutes = match.group(1), match.group(2)
        if hours or minutes:
            if hours and not minutes and not re.search(r"h", match.group(0), re.I):
                continue
            return int(hours or 0) * 60 + int(minutes or 0)
    return None


def parse_mpaa(value: object) -> str | None:
    """``"Rated PG-13 for ..."``, ``"PG13"``, ``"Not Rated"``, ``"Unrated"`` -> canonical rating."""
    if value is None or value == "":
        return None
    text = clean(str(value)) or ""
    upper = text.upper()
    if re.search(r"\b(NOT\s+RATED|UNRATED|NR|N/R)\b", upper):
        return "NR"
    match = re.search(r"(?<![A-Z0-9])(NC\s*-?\s*17|PG\s*-?\s*13|PG|G|R)(?![A-Z0-9])", upper)
    if not match:
        raise ScaleError("mpaa_rating", f"not an MPAA rating: {text!r}")
    rating = re.sub(r"\s+", "", match.group(1))
    if rating in ("PG13",):
        rating = "PG-13"
    elif rating in ("NC17",):
        rating = "NC-17"
    return rating


_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%d %B %Y", "%m/%d/%Y",
                 "%b. %d, %Y", "%Y/%m/%d", "%B %Y")


def parse_date(value: object) -> str | None:
    """A full date as printed -> ISO ``YYYY-MM-DD``; a date without a year -> ``None``.

    ISO timestamps keep only their date part.
    """
    if value is None or value == "":
        return None
    text = clean(str(value)) or ""
    if match := re.match(r"(\d{4}-\d{2}-\d{2})(?:[T ]|$)", text):
        try:  # what strptime's "%Y-%m-%d" reads, without its cost (most dates are ISO)
            return date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            text = match.group(1)
    return _parse_printed_date(text)


@lru_cache(maxsize=16384)
def _parse_printed_date(text: str) -> str | None:
    """Cached: ``strptime`` keeps only five formats' regexes, so trying nine formats compiles
    them again and again, and a crawl's reviews print a few thousand distinct dates."""
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    text = re.sub(r"\b(Sept)\b", "Sep", text)
    text = re.sub(r"\b([A-Z][a-z]{2})\.", r"\1", text)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None
