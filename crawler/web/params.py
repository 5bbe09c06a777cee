"""The query parameters of ``/api/films`` and of the search page: typed for FastAPI's
validation and OpenAPI, checked by ``storage.queries.film_filter`` like the CLI's options."""

from __future__ import annotations

import math
from typing import Any, Literal

from fastapi import HTTPException
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticUseDefault

from crawler.sites import SITE_NAMES
from storage.queries import (
    MAX_COUNT,
    SORT_HELP,
    SORT_NAMES,
    FilmFilter,
    FilmPage,
    FilterError,
    film_filter,
    resolve_sort,
)

PER_PAGE, MAX_PER_PAGE = 20, 100

SiteName = Literal[SITE_NAMES]  # type: ignore[valid-type]
SortName = Literal[SORT_NAMES]  # type: ignore[valid-type]


class FilmQuery(BaseModel):
    """Every filter is optional and all must hold; an empty value (a blank form field) counts
    as not given."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    title: str | None = Field(None, description="fuzzy title match (typos, parts of titles)")
    year: int | None = Field(None, description="release year")
    mpaa: list[str] = Field([], description="MPAA rating (G, PG, PG-13, R, NC-17, NR); "
                                            "repeat for any of several")
    max_age: float | None = Field(None, description="consensus age at most this many years")
    min_quality: float | None = Field(None, description="consensus quality at least (0-100)")
    max_levels: list[str] = Field([], alias="max",
                                  description="CATEGORY=LEVEL: consensus content level at most "
                                              "LEVEL (0-5), e.g. violence=2; repeatable")
    site: SiteName | None = Field(None, description="has a review from this site")
    min_sources: int | None = Field(None, description="reviewed by at least this many sites")
    conflicts: bool = Field(False, description="only films whose sources disagree")
    sort: SortName | None = Field(None, description=f"{SORT_HELP}; default: match with a "
                                                    "title, else title")
    page: int = Field(1, ge=1, le=MAX_COUNT, description="page number, from 1")
    per_page: int = Field(PER_PAGE, ge=1, le=MAX_PER_PAGE, description="films per page")

    @field_validator("*", mode="before")
    @classmethod
    def blank_is_missing(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [v for v in value if v != ""]
        if value == "":
            raise PydanticUseDefault()
        return value

    def to_filter(self) -> FilmFilter:
        """The checked filter; a value that cannot be right is a 400 with the reason."""
        try:
            spec = film_filter(
                title=self.title, year=self.year, mpaa=self.mpaa, max_age=self.max_age,
                min_quality=self.min_quality, max_levels=self.max_levels, site=self.site,
                min_sources=self.min_sources, conflicts=self.conflicts)
            resolve_sort(spec, self.sort)
        except FilterError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from None
        return spec

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def check_page(self, page: FilmPage) -> int:
        """The number of pages; a page past the last is a 404."""
        pages = max(1, math.ceil(page.total / self.per_page))
        if self.page > pages:
            raise HTTPException(status_code=404, detail=f"page {self.page} is past the last "
                                                        f"page ({pages}) of {page.total} films")
        return pages

    def url_query(self, **changes: Any) -> list[tuple[str, str]]:
        """These parameters as (name, value) pairs for a link, with ``changes`` applied."""
        values = {**self.model_dump(by_alias=True, exclude_defaults=True), **changes}
        pairs = []
        for name, value in values.items():
            for item in value if isinstance(value, list) else [value]:
                if item not in (None, False):
                    pairs.append((name, "true" if item is True else str(item)))
        return pairs
