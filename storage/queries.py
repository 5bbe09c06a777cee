"""Finding films in the merged database: the filters of ``famreel films`` and of the web site.

Every filter is a parameterized SQL condition on the ``films`` consensus columns (or an EXISTS on
``reviews`` for ``site``), so the database does the filtering, counting, sorting and paging on
SQLite and PostgreSQL alike. Only a fuzzy title is ranked in Python: rapidfuzz scores the titles
(and nothing else) of the films the other filters let through.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from aggregator.normalize import MPAA_RATINGS, title_key
from aggregator.scales import CONTENT_CATEGORIES, CONTENT_RANGE, QUALITY_RANGE
from storage.models import Film, Review, Site

# a title must score at least this (0-100) to match; partial matches (the text is the start or
# the end of a longer title, "harry potter", "sorcerers stone") count 0.9 of their score
TITLE_CUTOFF = 70.0
PARTIAL_SCALE = 0.9
# the closest titles kept for a fuzzy filter (a one-letter query must not drag in every film)
TITLE_CANDIDATES = 500

YEAR_RANGE = (1000, 9999)  # what a year filter accepts (keeps SQL integers in range)
MAX_COUNT = 1_000_000  # upper bound of ages, source counts, limits and offsets
MAX_ID = 2**63 - 1  # the largest id SQLite and PostgreSQL (bigint) can hold

# sort name -> ORDER BY; each sort's natural direction, unknown values last, then by title
SORTS: dict[str, tuple[ColumnElement, ...]] = {
    "title": (),
    "year": (Film.year.desc().nulls_last(),),
    "age": (Film.age.asc().nulls_last(),),
    "quality": (Film.quality.desc().nulls_last(),),
    "sources": (Film.source_count.desc(),),
    "confidence": (Film.confidence.desc().nulls_last(),),
}
# ties of the match sort: more sources, newer film, then title
TIE_BREAK = (Film.source_count.desc(), Film.year.desc().nulls_last(), Film.title_key, Film.id)
MATCH_SORT = "match"  # closest title first; only with a title filter, and its default there
SORT_NAMES: tuple[str, ...] = (*SORTS, MATCH_SORT)
SORT_HELP = ("title A-Z; year newest first; age youngest first; quality best first; sources "
             "most first; confidence highest first; match closest title first (with a title)")

_MPAA_SPELLINGS = {rating.replace("-", ""): rating for rating in MPAA_RATINGS}


class FilterError(ValueError):
    """Bad filter input; the message says what is wrong in words a user can act on."""


@dataclass(frozen=True)
class FilmFilter:
    """What ``famreel films`` and ``/api/films`` filter on; build it with ``film_filter``."""

    title: str | None = None
    year: int | None = None
    mpaa: tuple[str, ...] = ()
    max_age: float | None = None
    min_quality: float | None = None
    max_levels: tuple[tuple[str, float], ...] = ()
    site: str | None = None
    min_sources: int | None = None
    conflicts: bool = False


@dataclass
class FilmPage:
    """One page of matching films, the number of all matches, and title scores when fuzzy."""

    total: int
    films: list[Film]
    scores: dict[int, float] = field(default_factory=dict)


def film_filter(*, title: str | None = None, year: int | None = None,
                mpaa: Iterable[str] = (), max_age: float | None = None,
                min_quality: float | None = None, max_levels: Iterable[str] = (),
                site: str | None = None, min_sources: int | None = None,
                conflicts: bool = False) -> FilmFilter:
    """A checked filter from user input; ``FilterError`` for a value that cannot be right."""
    if title is not None and not title_key(title):
        raise FilterError(f"title {title!r} has no letters or digits to match")
    return FilmFilter(
        title=title,
        year=_checked(year, "year", *YEAR_RANGE),
        mpaa=tuple(dict.fromkeys(parse_mpaa_filter(v) for v in mpaa)),
        max_age=_checked(max_age, "maximum age", 0, MAX_COUNT),
        min_quality=_checked(min_quality, "minimum quality", *QUALITY_RANGE),
        max_levels=tuple(parse_level_limit(v) for v in max_levels),
        site=site,
        min_sources=_checked(min_sources, "minimum sources", 0, MAX_COUNT),
        conflicts=conflicts,
    )


def _checked(value: float | None, name: str, low: float, high: float) -> float | None:
    if value is not None and not (math.isfinite(value) and low <= value <= high):
        raise FilterError(f"{name} {value} is outside {low:g}-{high:g}")
    return value


def parse_mpaa_filter(text: str) -> str:
    """``pg-13``, ``PG13``, ``nr`` -> the canonical rating."""
    rating = _MPAA_SPELLINGS.get(text.strip().upper().replace("-", "").replace(" ", ""))
    if rating is None:
        raise FilterError(f"unknown MPAA rating {text!r} (one of {', '.join(MPAA_RATINGS)})")
    return rating


def parse_level_limit(text: str) -> tuple[str, float]:
    """``violence=2`` -> ("violence", 2.0): a content category and a level on the 0-5 scale."""
    category, sep, level = text.partition("=")
    category = category.strip().lower().replace("-", "_").replace(" ", "_")
    if not sep:
        raise FilterError(f"{text!r} is not CATEGORY=LEVEL (e.g. violence=2)")
    if category not in CONTENT_CATEGORIES:
        raise FilterError(f"unknown content category {category!r} "
                          f"(one of {', '.join(CONTENT_CATEGORIES)})")
    try:
        value = float(level)
    except ValueError:
        raise FilterError(f"level {level.strip()!r} of {category} is not a number") from None
    low, high = CONTENT_RANGE
    if not (math.isfinite(value) and low <= value <= high):
        raise FilterError(f"level {level.strip()} of {category} is outside {low:g}-{high:g}")
    return category, value


def conditions(spec: FilmFilter) -> list[ColumnElement[bool]]:
    """The SQL conditions of every filter but the fuzzy title. A film no source rates for a
    limited value (age, quality, a category) is left out: unknown is not known to be within."""
    where: list[ColumnElement[bool]] = []
    if spec.year is not None:
        where.append(Film.year == spec.year)
    if spec.mpaa:
        where.append(Film.mpaa_rating.in_(spec.mpaa))
    if spec.max_age is not None:
        where.append(Film.age <= spec.max_age)
    if spec.min_quality is not None:
        where.append(Film.quality >= spec.min_quality)
    for category, level in spec.max_levels:
        where.append(getattr(Film, category) <= level)
    if spec.site is not None:
        where.append(Film.reviews.any(Review.site.has(Site.name == spec.site)))
    if spec.min_sources is not None:
        where.append(Film.source_count >= spec.min_sources)
    if spec.conflicts:
        where.append(func.json_array_length(Film.conflicts) > 0)
    return where


def resolve_sort(spec: FilmFilter, sort: str | None) -> str:
    """The sort to use: ``sort`` checked, or the default (match with a title, else title)."""
    sort = sort or (MATCH_SORT if spec.title else "title")
    if sort not in SORT_NAMES:
        raise FilterError(f"unknown sort {sort!r} (one of {', '.join(SORT_NAMES)})")
    if sort == MATCH_SORT and not spec.title:
        raise FilterError("sorting by match needs a title to match")
    return sort


def find_films(session: Session, spec: FilmFilter, sort: str | None = None,
               limit: int | None = None, offset: int = 0) -> FilmPage:
    """The films matching ``spec``, sorted, one page of them (``limit``/``offset``)."""
    sort = resolve_sort(spec, sort)
    where = conditions(spec)
    key_scores: dict[str, float] = {}
    if spec.title:
        key_scores = title_scores(session, spec.title, where)
        where.append(Film.title_key.in_(list(key_scores)))
    if sort == MATCH_SORT:
        # SQL orders the candidates by the tie-breakers, a stable sort then puts scores first
        tied = session.execute(select(Film.id, Film.title_key).where(*where)
                               .order_by(*TIE_BREAK)).all()
        ranked = sorted(tied, key=lambda row: -key_scores[row.title_key])
        page = [row.id for row in ranked[offset:None if limit is None else offset + limit]]
        scores = {row.id: key_scores[row.title_key] for row in ranked}
        return FilmPage(len(ranked), films_by_id(session, page), scores)
    total = session.scalar(select(func.count()).select_from(Film).where(*where)) or 0
    stmt = (select(Film).where(*where).order_by(*SORTS[sort], Film.title_key, Film.year, Film.id)
            .offset(offset).limit(limit))
    films = list(session.scalars(stmt))
    return FilmPage(total, films, {f.id: key_scores[f.title_key] for f in films if key_scores})


def search_films(session: Session, text: str, limit: int = 10) -> FilmPage:
    """``famreel search``: the films whose titles are closest to ``text``, best first."""
    return find_films(session, film_filter(title=text), limit=limit)


def films_by_id(session: Session, ids: Sequence[int]) -> list[Film]:
    """Films in the order of ``ids`` (the film JSON needs no review rows: they are in by_site).
    An id no SQL integer can hold is simply not found."""
    ids = [i for i in ids if 0 < i <= MAX_ID]
    found = {film.id: film for film in session.scalars(select(Film).where(Film.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def title_scores(session: Session, text: str, where: Sequence[ColumnElement[bool]]
                 ) -> dict[str, float]:
    """Title key -> score of the (at most TITLE_CANDIDATES) title keys matching ``text`` among
    the films passing ``where``.

    The titles arrive as one aggregated string in one row (``group_concat`` / ``string_agg``):
    turning 50,000 rows into Python tuples costs several times more than the ranking itself.
    The films of the matching keys are then found through the ``title_key`` index.
    """
    keys = session.scalar(select(func.aggregate_strings(Film.title_key, "\n")).where(*where))
    if not keys:
        return {}
    keys = keys.split("\n")
    return {keys[i]: score for i, score in rank_titles(text, keys)}


def rank_titles(text: str, title_keys: Sequence[str]) -> list[tuple[int, float]]:
    """(index, score) of the title keys that match ``text``, best first, at most
    TITLE_CANDIDATES.

    A score is the best of the whole title's similarity (typos, word endings) and 0.9 of the
    similarity to the title's start or end of the text's length (a part of a longer title).
    Three plain ``ratio`` passes are an order of magnitude cheaper than ``WRatio`` or
    ``partial_ratio`` over tens of thousands of titles.
    """
    from rapidfuzz import fuzz, process

    key = title_key(text)
    starts = list(map(itemgetter(slice(None, len(key))), title_keys))
    ends = list(map(itemgetter(slice(-len(key), None)), title_keys))
    best: dict[int, float] = {}
    # a title no longer than the text is its own start and end: 0.9 of it never wins
    for haystack, scale in ((title_keys, 1.0), (starts, PARTIAL_SCALE), (ends, PARTIAL_SCALE)):
        for _, score, index in process.extract(key, haystack, scorer=fuzz.ratio, limit=None,
                                               score_cutoff=TITLE_CUTOFF / scale):
            best[index] = max(best.get(index, 0.0), round(score * scale, 1))
    return sorted(best.items(), key=lambda item: -item[1])[:TITLE_CANDIDATES]
