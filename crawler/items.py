"""The one item famreel's spiders yield.

Site parsers fill the *raw* fields with what the page says (strings such as "121 minutes",
"age 12+", "Rated PG-13", native grades); the normalization pipeline turns them into the canonical
model of ``aggregator.scales`` in place. Pipelines read items only through ``ItemAdapter``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Review:
    # identity
    site: str | None = None
    url: str | None = None  # canonical https:// URL of the review page, never a mirror URL
    # the film as the page names it (raw until normalized)
    title: str | None = None
    year: int | str | None = None
    mpaa_rating: str | None = None
    runtime_minutes: int | str | None = None
    release_date: str | None = None  # ISO date after normalization
    directors: list[str] = field(default_factory=list)
    cast: list[str] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    imdb_id: str | None = None
    # the site's judgement: native value as printed, canonical value after normalization
    age_native: str | int | None = None
    age_min: int | None = None  # whole years
    quality_native: str | float | None = None
    quality: float | None = None  # 0-100
    content_native: dict[str, Any] = field(default_factory=dict)  # site category -> native level
    content: dict[str, float] = field(default_factory=dict)  # canonical category -> 0-5
    # kept with the review but not canonical (e.g. Common Sense educational value)
    extra_ratings: dict[str, Any] = field(default_factory=dict)
    parents_age: int | str | None = None
    parents_count: int | str | None = None
    kids_age: int | str | None = None
    kids_count: int | str | None = None
    verdict: str | None = None  # one-line verdict
    text: str | None = None  # review body (plain text)
    pros: str | None = None
    cons: str | None = None
    reviewer: str | None = None
    published: str | None = None  # ISO date after normalization
    fetched_at: str | None = None  # ISO timestamp (UTC)
