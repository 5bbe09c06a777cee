"""The HTML pages: the search page (the API's filters as a form) and the film card."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from crawler.sites import SITE_NAMES
from crawler.web.app import db_session, not_found
from crawler.web.params import FilmQuery

router = APIRouter(include_in_schema=False)


def link(url: str | None) -> str | None:
    """A crawled URL fit for an ``href``: http(s) only, never ``javascript:`` and the like."""
    return url if url and urlsplit(url).scheme in ("http", "https") else None


@router.get("/")
def search_page(request: Request, query: Annotated[FilmQuery, Query()],
                session: Annotated[Session, Depends(db_session)]) -> Any:
    from aggregator.consensus import film_json
    from aggregator.normalize import MPAA_RATINGS
    from aggregator.scales import CONTENT_CATEGORIES, CONTENT_RANGE
    from crawler.web.chart import CATEGORY_LABELS
    from storage.queries import SORT_NAMES, find_films

    spec = query.to_filter()
    page = find_films(session, spec, query.sort, limit=query.per_page, offset=query.offset)
    pages = query.check_page(page)

    def page_url(number: int) -> str | None:
        return f"/?{urlencode(query.url_query(page=number))}" if 1 <= number <= pages else None

    low, high = (int(v) for v in CONTENT_RANGE)
    return request.app.state.templates.TemplateResponse(request, "search.html", {
        "query": query, "spec": spec, "films": [film_json(f) for f in page.films],
        "scores": page.scores, "total": page.total, "pages": pages,
        "prev_url": page_url(query.page - 1), "next_url": page_url(query.page + 1),
        "ratings": MPAA_RATINGS, "sites": SITE_NAMES, "sorts": SORT_NAMES,
        "categories": [(c, CATEGORY_LABELS[c]) for c in CONTENT_CATEGORIES],
        "levels": range(low, high + 1), "limits": dict(spec.max_levels),
        "more_filters": any(query.url_query(title=None, page=None)),
    })


@router.get("/films/{film_id}")
def film_page(request: Request, film_id: int,
              session: Annotated[Session, Depends(db_session)]) -> Any:
    from aggregator.consensus import film_json
    from crawler.web.chart import content_charts
    from storage.queries import films_by_id

    films = films_by_id(session, [film_id])
    if not films:
        raise not_found(f"no film with id {film_id}")
    record = film_json(films[0])
    sources = [{**source, "href": link(source["url"])} for source in record["sources"]]
    return request.app.state.templates.TemplateResponse(request, "film.html", {
        "film": record, "sources": sources, "charts": content_charts(record),
        "sites": list(dict.fromkeys(s["site"] for s in record["sources"])),
    })
