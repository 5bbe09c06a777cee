"""The JSON API: ``/api/films`` (the search page's filters, paginated) and ``/api/films/{id}``.

Records are the film JSON of CONTRACT.md exactly as ``aggregator.consensus.film_json`` builds
them; the models below describe them in the OpenAPI document (``/openapi.json``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from crawler.web.app import db_session, not_found
from crawler.web.params import FilmQuery

Number = int | float


class Block(BaseModel):
    consensus: Number | None
    by_site: dict[str, Number | None]


class Source(BaseModel):
    site: str
    url: str
    title: str | None
    year: int | None
    verdict: str | None


class Conflict(BaseModel):
    field: str
    by_site: dict[str, Any]


class FilmRecord(BaseModel):
    """The film JSON of famreel's contract (more keys may be added, none removed)."""

    model_config = ConfigDict(extra="allow")

    id: int
    title: str
    year: int | None
    mpaa_rating: str | None
    runtime_minutes: Number | None
    imdb_id: str | None
    age: Block
    quality: Block
    content: dict[str, Block]
    parents_age: Number | None
    kids_age: Number | None
    sources: list[Source]
    conflicts: list[Conflict]


class FilmList(BaseModel):
    total: int
    page: int
    per_page: int
    pages: int
    films: list[FilmRecord]


class Error(BaseModel):
    detail: str | list[Any]


router = APIRouter(prefix="/api", tags=["films"], responses={
    400: {"model": Error, "description": "a filter value that cannot be right"},
    404: {"model": Error, "description": "no such film, or a page past the last"},
    422: {"model": Error, "description": "a parameter of the wrong type"},
})


@router.get("/films", response_model=FilmList, summary="Films matching every filter")
def list_films(query: Annotated[FilmQuery, Query()],
               session: Annotated[Session, Depends(db_session)]) -> Any:
    from aggregator.consensus import film_json
    from storage.queries import find_films

    page = find_films(session, query.to_filter(), query.sort, limit=query.per_page,
                      offset=query.offset)
    pages = query.check_page(page)
    return JSONResponse({"total": page.total, "page": query.page, "per_page": query.per_page,
                         "pages": pages, "films": [film_json(f) for f in page.films]})


@router.get("/films/{film_id}", response_model=FilmRecord, summary="One film's record")
def get_film(film_id: int, session: Annotated[Session, Depends(db_session)]) -> Any:
    from aggregator.consensus import film_json
    from storage.queries import films_by_id

    films = films_by_id(session, [film_id])
    if not films:
        raise not_found(f"no film with id {film_id}")
    return JSONResponse(film_json(films[0]))
