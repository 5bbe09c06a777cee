"""Repository functions: every read and write famreel does, parameterized, dialect-aware."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from storage.models import CrawlRun, Film, Review, Site, utcnow

# Review columns a crawl writes (everything but keys, film link and bookkeeping)
REVIEW_FIELDS: tuple[str, ...] = (
    "title", "title_key", "year", "mpaa_rating", "runtime_minutes", "release_date", "directors",
    "cast", "genres", "imdb_id", "age_native", "age_min", "quality_native", "quality",
    "content_native", "content", "extra_ratings", "parents_age", "parents_count", "kids_age",
    "kids_count", "verdict", "text", "pros", "cons", "reviewer", "published",
)


def content_hash(row: Mapping[str, Any]) -> str:
    """Hash of the stored values of a review (not ``fetched_at``): equal hash = unchanged page."""
    payload = {key: row.get(key) for key in ("site", "url", *REVIEW_FIELDS)}
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def dialect_insert(dialect: str):  # type: ignore[no-untyped-def]
    """The ``insert`` of ``dialect`` that has ``on_conflict_do_update``."""
    if dialect == "postgresql":
        return postgresql.insert
    if dialect == "sqlite":
        return sqlite.insert
    raise RuntimeError(f"no upsert for {dialect}")


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def execute_many(session: Session, statement: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    """``statement`` (a Core DML on a ``Table``) once per row, as one executemany on the
    session's connection, in its transaction.

    Not ``session.execute``: with a list of rows that is the ORM's bulk path, which groups the
    rows by the columns they leave ``None`` and runs one statement per group (a dozen per
    batch of reviews), each with its own cache-key walk; here every row has every column."""
    session.connection().execute(statement, list(rows))


def _or_default(key: str, value: Any) -> Any:
    """A review column's value, ``None`` replaced by the column's default (``[]``, ``{}``):
    what the ORM's bulk insert wrote by leaving ``None`` out."""
    if value is not None:
        return value
    default = Review.__table__.c[key].default
    if default is None:
        return None
    return default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined]


@cache
def _review_upsert(dialect: str) -> Any:
    """The reviews' upsert keyed on the URL, built once per dialect (Core, on the table)."""
    stmt = dialect_insert(dialect)(Review.__table__)
    return stmt.on_conflict_do_update(
        index_elements=[Review.__table__.c.url],
        set_={key: stmt.excluded[key] for key in (*REVIEW_FIELDS, "site_id", "fetched_at",
                                                  "content_hash", "needs_merge",
                                                  "updated_at")})


def ensure_sites(session: Session, sites: Mapping[str, str | None]) -> dict[str, int]:
    """Site name -> id, inserting missing sites (idempotent under concurrent writers)."""
    if sites:
        insert = dialect_insert(dialect_of(session))
        stmt = insert(Site).values([{"name": n, "host": h} for n, h in sites.items()])
        session.execute(stmt.on_conflict_do_nothing(index_elements=[Site.name]))
    return dict(session.execute(select(Site.name, Site.id)).all())


def upsert_reviews(session: Session, rows: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Insert or update reviews keyed on the canonical URL; unchanged rows are not written.

    ``rows`` carry ``site`` (name), ``url`` and REVIEW_FIELDS. Returns the URLs that were
    ``new``, ``updated`` and ``unchanged``. New and updated reviews are flagged for merging.
    """
    outcome: dict[str, list[str]] = {"new": [], "updated": [], "unchanged": []}
    if not rows:
        return outcome
    latest = {row["url"]: row for row in rows}  # one page twice in a batch: the last one wins
    hashes = {url: content_hash(row) for url, row in latest.items()}
    existing = dict(
        session.execute(
            select(Review.url, Review.content_hash).where(Review.url.in_(list(latest)))
        ).all()
    )
    site_ids = ensure_sites(session, {row["site"]: None for row in latest.values()})
    now = utcnow()
    values = []
    for url, row in latest.items():
        if existing.get(url) == hashes[url]:
            outcome["unchanged"].append(url)
            continue
        outcome["updated" if url in existing else "new"].append(url)
        values.append(
            {
                "url": url,
                "site_id": site_ids[row["site"]],
                **{key: _or_default(key, row.get(key)) for key in REVIEW_FIELDS},
                "fetched_at": row.get("fetched_at"),
                "content_hash": hashes[url],
                "needs_merge": True,
                "created_at": now,
                "updated_at": now,
            }
        )
    if values:
        execute_many(session, _review_upsert(dialect_of(session)), values)
    return outcome


def start_run(session: Session, command: str, sites: Iterable[str]) -> int:
    run = CrawlRun(command=command, sites=list(sites), status="running", details={})
    session.add(run)
    session.flush()
    return run.id


def finish_run(session: Session, run_id: int, status: str, counts: Mapping[str, Any]) -> None:
    run = session.get(CrawlRun, run_id)
    if run is None:
        return
    for key in ("pages", "items_new", "items_updated", "items_unchanged", "items_dropped",
                "films_touched", "errors", "pages_not_modified", "pages_failed", "checks_failed"):
        if key in counts:
            setattr(run, key, int(counts[key]))
    run.details = dict(counts.get("details", {}))
    run.status = status
    run.finished_at = utcnow()


def table_counts(session: Session) -> dict[str, int]:
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Site, Review, Film, CrawlRun)
    }




def films_with_reviews(session: Session, film_ids: Iterable[int] | None = None) -> list[Film]:
    stmt = select(Film).options(selectinload(Film.reviews).selectinload(Review.site))
    if film_ids is not None:
        stmt = stmt.where(Film.id.in_(list(film_ids)))
    return list(session.scalars(stmt.order_by(Film.title_key, Film.year, Film.id)))


def films_by_title_key(session: Session, keys: Iterable[str]) -> list[Film]:
    keys = list(set(keys))
    if not keys:
        return []
    return list(
        session.scalars(
            select(Film)
            .where(Film.title_key.in_(keys))
            .options(selectinload(Film.reviews).selectinload(Review.site))
        )
    )




def films_by_source_count(session: Session) -> dict[int, int]:
    """How many films have 1, 2, 3, ... sources (sites reviewing them)."""
    rows = session.execute(
        select(Film.source_count, func.count()).group_by(Film.source_count)
    ).all()
    return {int(sources): int(count) for sources, count in sorted(rows)}
