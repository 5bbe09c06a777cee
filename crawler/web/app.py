"""The application: one read-only database, the HTML pages, the JSON API, errors as 4xx.

Why FastAPI + Jinja2 rather than Datasette: Datasette serves SQLite only, and famreel's
deployments run PostgreSQL; the film card (consensus beside every site, a chart per category)
is a page of its own rather than a table view; and FastAPI writes the OpenAPI description from
the same typed parameters that validate the requests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from sqlalchemy import Engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

HERE = Path(__file__).resolve().parent
# no script runs on these pages; styles and images come from this site only
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def read_only_engine(url: str | None) -> Engine:
    """An engine on the database (brought to the current schema first, as every command does)
    whose connections cannot write: SQLite ``query_only``, PostgreSQL read-only sessions."""
    from storage.db import make_engine, open_database

    open_database(url).dispose()
    engine = make_engine(url)
    event.listen(engine, "connect", _read_only_connection)
    return engine


def _read_only_connection(dbapi_connection: Any, _record: Any) -> None:
    if hasattr(dbapi_connection, "read_only"):  # psycopg 3
        dbapi_connection.read_only = True
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only = ON")
    cursor.close()


def templates() -> Jinja2Templates:
    from crawler.web.chart import site_label

    environment = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True)
    environment.filters["site_label"] = site_label
    environment.filters["num"] = lambda v: "–" if v is None else f"{v:g}"
    return Jinja2Templates(env=environment)


def create_app(db_url: str | None = None) -> FastAPI:
    """The site on the database at ``db_url`` (``--db`` > ``$FAMREEL_DB`` > famreel.db)."""
    from crawler.web import api, pages

    engine = read_only_engine(db_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="famreel",
        summary="Family film reviews from eight sites merged into one consensus record per "
                "film: search, filter, read.",
        version="1",
        docs_url=None,  # the interactive docs load scripts from a CDN; /openapi.json stays
        redoc_url=None,
    )
    app.state.sessions = sessionmaker(engine)
    app.state.templates = templates()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(SQLAlchemyError, _database_error)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    return app


def db_session(request: Request) -> Iterator[Session]:
    """One read-only session per request (a FastAPI dependency)."""
    with request.app.state.sessions() as session:
        yield session


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, message: str) -> Any:
    """``{"detail": message}`` for the API, an error page for people."""
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Any:
    return error_response(request, exc.status_code, str(exc.detail))


async def _validation_error(request: Request, exc: RequestValidationError) -> Any:
    if _wants_json(request):
        return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}"
                         for e in exc.errors())
    return error_response(request, 422, problems)


async def _database_error(request: Request, exc: SQLAlchemyError) -> Any:
    return error_response(request, 503, "the database cannot answer right now")


def not_found(message: str) -> HTTPException:
    return HTTPException(status_code=404, detail=message)

