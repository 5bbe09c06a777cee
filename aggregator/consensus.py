"""One consensus record per film from its reviews, with every source and disagreement kept.

Rules (CONTRACT.md): title, year, MPAA rating and IMDb id by majority (ties: the value of the
earliest-reviewing source, i.e. the earliest ``published`` date, unknown dates last); runtime
median; age median rounded up to whole years; quality mean; content median per category.

Conflicts are real disagreements, each with every site's value: years differ, MPAA ratings
differ, runtimes differ by more than ``RUNTIME_CONFLICT_MINUTES``, recommended ages by
``AGE_CONFLICT_YEARS`` or more, a content category by ``CONTENT_CONFLICT_POINTS`` or more of its
0-5 scale (field ``content.<category>``); smaller gaps are what different scales and rounding
make, not disagreement.

Confidence (0-1): how many independent sources, times how much they agree:
``sources / (sources + 1)`` (one source 0.5, four 0.8), times 0.75 for each year, MPAA or
runtime conflict (do they even describe the same cut of the film?), times one minus the mean
spread of the rated values (age over 18 years, quality over 100, each content category over 5)
where two or more sites rate them.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Protocol

from aggregator.scales import CONTENT_CATEGORIES

RUNTIME_CONFLICT_MINUTES = 5
AGE_CONFLICT_YEARS = 4
CONTENT_CONFLICT_POINTS = 3.0
IDENTITY_CONFLICT_FACTOR = 0.75
RATED_SCALES = {"age": 18.0, "quality": 100.0}  # content categories: 5


class ReviewValues(Protocol):
    site_name: str
    url: str
    title: str
    year: int | None
    mpaa_rating: str | None
    runtime_minutes: int | None
    imdb_id: str | None
    age_min: int | None
    quality: float | None
    content: dict[str, Any]
    parents_age: int | None
    kids_age: int | None
    verdict: str | None
    published: str | None


@dataclass
class Consensus:
    title: str
    year: int | None
    mpaa_rating: str | None
    runtime_minutes: float | None
    imdb_id: str | None
    age: float | None
    quality: float | None
    content: dict[str, float | None]
    parents_age: float | None
    kids_age: float | None
    by_site: dict[str, Any] = field(default_factory=dict)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    source_count: int = 0
    confidence: float = 0.0


def _number(value: float | None) -> float | int | None:
    """Whole numbers as ints so JSON shows 121, not 121.0."""
    if value is None:
        return None
    value = round(float(value), 2)
    return int(value) if value == int(value) else value


def earliest_first(reviews: Sequence[ReviewValues]) -> list[ReviewValues]:
    return sorted(reviews, key=lambda r: (r.published or "9999-99-99", r.site_name, r.url))


def majority(values: Sequence[Any]) -> Any:
    """Most frequent non-null value; ties go to the first in ``values`` (earliest source)."""
    present = [v for v in values if v not in (None, "")]
    if not present:
        return None
    counts = Counter(present)
    top = max(counts.values())
    return next(v for v in present if counts[v] == top)


def median(values: Sequence[float | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return statistics.median(present) if present else None


def median_up(values: Sequence[float | None]) -> float | None:
    """Median rounded up to whole years (an age recommendation errs on the safe side)."""
    value = median(values)
    return float(math.ceil(value)) if value is not None else None


def mean(values: Sequence[float | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return statistics.fmean(present) if present else None


def _site_value(value: Any) -> Any:
    return _number(value) if isinstance(value, float) else value


def _by_site(first: dict[str, ReviewValues], get: Callable[[ReviewValues], Any]
             ) -> dict[str, Any]:
    """Site -> that site's value, from each site's first review (``first_of_sites``)."""
    return {site: _site_value(get(review)) for site, review in first.items()}


def first_of_sites(reviews: Sequence[ReviewValues]) -> dict[str, ReviewValues]:
    """Each site's first review (there is normally one), the sites in order of appearance."""
    first: dict[str, ReviewValues] = {}
    for review in reviews:
        first.setdefault(review.site_name, review)
    return first


def _conflicts(first: dict[str, ReviewValues], rated: dict[str, dict[str, Any]]
               ) -> list[dict[str, Any]]:
    conflicts = []
    for name in ("year", "mpaa_rating", "runtime_minutes"):
        by_site = {k: v for k, v in _by_site(first, attrgetter(name)).items() if v is not None}
        values = list(by_site.values())
        if name == "runtime_minutes":
            disagree = len(values) > 1 and max(values) - min(values) > RUNTIME_CONFLICT_MINUTES
        else:
            disagree = len(set(values)) > 1
        if disagree:
            conflicts.append({"field": name, "by_site": by_site})
    for name, by_site in rated.items():
        limit = AGE_CONFLICT_YEARS if name == "age" else CONTENT_CONFLICT_POINTS
        if name != "quality" and _spread(by_site) >= limit:
            conflicts.append({"field": name if name == "age" else f"content.{name}",
                              "by_site": by_site})
    return conflicts


def _spread(by_site: dict[str, Any]) -> float:
    values = [float(v) for v in by_site.values()]
    return max(values) - min(values) if len(values) > 1 else 0.0


def confidence(sources: int, conflicts: Sequence[dict[str, Any]],
               rated: dict[str, dict[str, Any]]) -> float:
    """How far to trust a consensus (module docstring): more sources, fewer disagreements."""
    if not sources:
        return 0.0
    identity = sum(c["field"] in ("year", "mpaa_rating", "runtime_minutes") for c in conflicts)
    spreads = [_spread(by_site) / RATED_SCALES.get(name, 5.0)
               for name, by_site in rated.items() if len(by_site) > 1]
    agreement = 1 - statistics.fmean(spreads) if spreads else 1.0
    return round(sources / (sources + 1) * IDENTITY_CONFLICT_FACTOR ** identity * agreement, 3)


def compute(reviews: Sequence[ReviewValues]) -> Consensus:
    ordered = earliest_first(reviews)
    first = first_of_sites(ordered)
    contents = [r.content for r in ordered if r.content]
    content = {cat: median([c.get(cat) for c in contents]) for cat in CONTENT_CATEGORIES}
    site_contents = [(site, r.content or {}) for site, r in first.items()]
    content_by_site = {
        cat: {site: _site_value(v) for site, c in site_contents if (v := c.get(cat)) is not None}
        for cat in CONTENT_CATEGORIES
    }
    age_by_site = _by_site(first, attrgetter("age_min"))
    quality_by_site = _by_site(first, attrgetter("quality"))
    rated = {
        "age": {k: v for k, v in age_by_site.items() if v is not None},
        "quality": {k: v for k, v in quality_by_site.items() if v is not None},
        **content_by_site,
    }
    conflicts = _conflicts(first, rated)
    sources = len(first)
    return Consensus(
        title=majority([r.title for r in ordered]) or "",
        year=majority([r.year for r in ordered]),
        mpaa_rating=majority([r.mpaa_rating for r in ordered]),
        runtime_minutes=median([r.runtime_minutes for r in ordered]),
        imdb_id=majority([r.imdb_id for r in ordered]),
        age=median_up([r.age_min for r in ordered]),
        quality=mean([r.quality for r in ordered]),
        content=content,
        parents_age=median_up([r.parents_age for r in ordered]),
        kids_age=median_up([r.kids_age for r in ordered]),
        by_site={
            "age": age_by_site,
            "quality": quality_by_site,
            "content": content_by_site,
            "sources": [
                {"site": r.site_name, "url": r.url, "title": r.title, "year": r.year,
                 "verdict": r.verdict}
                for r in ordered
            ],
        },
        conflicts=conflicts,
        source_count=sources,
        confidence=confidence(sources, conflicts, rated),
    )


def film_json(film: Any) -> dict[str, Any]:
    """The film JSON of CONTRACT.md from a stored ``Film`` row."""
    by_site = film.by_site or {}
    age_by_site = {k: v for k, v in (by_site.get("age") or {}).items() if v is not None}
    quality_by_site = {k: v for k, v in (by_site.get("quality") or {}).items() if v is not None}
    content_by_site = by_site.get("content") or {}
    return {
        "id": film.id,
        "title": film.title,
        "year": film.year,
        "mpaa_rating": film.mpaa_rating,
        "runtime_minutes": _number(film.runtime_minutes),
        "imdb_id": film.imdb_id,
        "age": {"consensus": _number(film.age), "by_site": age_by_site},
        "quality": {"consensus": _number(film.quality), "by_site": quality_by_site},
        "content": {
            cat: {"consensus": _number(getattr(film, cat)),
                  "by_site": content_by_site.get(cat) or {}}
            for cat in CONTENT_CATEGORIES
        },
        "parents_age": _number(film.parents_age),
        "kids_age": _number(film.kids_age),
        "sources": by_site.get("sources") or [],
        "conflicts": film.conflicts or [],
        "confidence": film.confidence,  # an extra key: sources and their agreement, 0-1
    }
