"""famreel's tables (SQLAlchemy 2 typed models). The schema itself is owned by Alembic
(``storage/migrations``); these models must match the latest revision."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    host: Mapped[str | None] = mapped_column(String(128))

    reviews: Mapped[list[Review]] = relationship(back_populates="site")


class Film(Base):
    """One consensus record per film; the scalar columns are what SQL users filter on."""

    __tablename__ = "films"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(512))
    title_key: Mapped[str] = mapped_column(String(512), index=True)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    mpaa_rating: Mapped[str | None] = mapped_column(String(8))
    runtime_minutes: Mapped[float | None] = mapped_column(Float)
    imdb_id: Mapped[str | None] = mapped_column(String(16), index=True)
    age: Mapped[float | None] = mapped_column(Float)
    quality: Mapped[float | None] = mapped_column(Float)
    violence: Mapped[float | None] = mapped_column(Float)
    sex: Mapped[float | None] = mapped_column(Float)
    language: Mapped[float | None] = mapped_column(Float)
    substances: Mapped[float | None] = mapped_column(Float)
    consumerism: Mapped[float | None] = mapped_column(Float)
    scariness: Mapped[float | None] = mapped_column(Float)
    positive_messages: Mapped[float | None] = mapped_column(Float)
    role_models: Mapped[float | None] = mapped_column(Float)
    parents_age: Mapped[float | None] = mapped_column(Float)
    kids_age: Mapped[float | None] = mapped_column(Float)
    source_count: Mapped[int] = mapped_column(Integer, default=0)
    confidence: Mapped[float | None] = mapped_column(Float)
    # the film JSON's per-site parts, rebuilt with the consensus on every merge of this film
    by_site: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    conflicts: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    reviews: Mapped[list[Review]] = relationship(
        back_populates="film", foreign_keys="Review.film_id"
    )


class Review(Base):
    """One row per canonical review URL, values normalized to the canonical model."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(1024), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    film_id: Mapped[int | None] = mapped_column(
        ForeignKey("films.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(512))
    title_key: Mapped[str] = mapped_column(String(512), index=True)
    year: Mapped[int | None] = mapped_column(Integer)
    mpaa_rating: Mapped[str | None] = mapped_column(String(8))
    runtime_minutes: Mapped[int | None] = mapped_column(Integer)
    release_date: Mapped[str | None] = mapped_column(String(10))
    directors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    cast: Mapped[list[Any]] = mapped_column(JSON, default=list)
    genres: Mapped[list[Any]] = mapped_column(JSON, default=list)
    imdb_id: Mapped[str | None] = mapped_column(String(16), index=True)
    age_native: Mapped[str | None] = mapped_column(String(64))
    age_min: Mapped[int | None] = mapped_column(Integer)
    quality_native: Mapped[str | None] = mapped_column(String(64))
    quality: Mapped[float | None] = mapped_column(Float)
    content_native: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    extra_ratings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    parents_age: Mapped[int | None] = mapped_column(Integer)
    parents_count: Mapped[int | None] = mapped_column(Integer)
    kids_age: Mapped[int | None] = mapped_column(Integer)
    kids_count: Mapped[int | None] = mapped_column(Integer)
    verdict: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    pros: Mapped[str | None] = mapped_column(Text)
    cons: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str | None] = mapped_column(String(256))
    published: Mapped[str | None] = mapped_column(String(10))
    fetched_at: Mapped[str | None] = mapped_column(String(32))
    # a hash of every stored value but fetched_at: an unchanged page causes no write
    content_hash: Mapped[str] = mapped_column(String(64))
    # set when the review is new or changed and its film must be (re)matched and recomputed
    needs_merge: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    site: Mapped[Site] = relationship(back_populates="reviews")
    film: Mapped[Film | None] = relationship(back_populates="reviews", foreign_keys=[film_id])

    @property
    def site_name(self) -> str:
        return self.site.name


class FilmKey(Base):
    """A blocking key of a film (``aggregator.matching.block_keys``): an incremental merge looks
    new reviews up by their keys here instead of reading every film. Rebuilt with the film."""

    __tablename__ = "film_keys"

    film_id: Mapped[int] = mapped_column(
        ForeignKey("films.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(600), primary_key=True, index=True)
    year: Mapped[int | None] = mapped_column(Integer)  # the film's, for year-bucketed blocking


class MatchDecision(Base):
    """A person's decision about a review (``famreel link`` / ``unlink``): ``link`` = the same
    film as ``other_review_id``, ``apart`` = never the same film as it. Decisions name reviews,
    not films: film ids change when ``merge --full`` rebuilds the films, review URLs do not."""

    __tablename__ = "match_decisions"

    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True
    )
    other_review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")
    command: Mapped[str | None] = mapped_column(Text)
    sites: Mapped[list[Any]] = mapped_column(JSON, default=list)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    items_new: Mapped[int] = mapped_column(Integer, default=0)
    items_updated: Mapped[int] = mapped_column(Integer, default=0)
    items_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    items_dropped: Mapped[int] = mapped_column(Integer, default=0)
    films_touched: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    # per-site pages and items, drop and field-drop reasons with counts
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # conditional requests answered 304, pages still failing after retries, monitor checks failed
    pages_not_modified: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pages_failed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    checks_failed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class CrawlJob(Base):
    """One way of crawling one site (``full``, or ``title:<title key>[:<year>]``) and its cycle.

    A cycle opens when a run starts the job and closes when a run finishes it, merge included
    (``storage.crawl_state``); a run that finds its job's cycle still open resumes it.
    """

    __tablename__ = "crawl_jobs"
    __table_args__ = (UniqueConstraint("site", "mode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site: Mapped[str] = mapped_column(String(32))
    mode: Mapped[str] = mapped_column(String(600))
    cycle: Mapped[int] = mapped_column(Integer, default=1)
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    # the open cycle was started by ``--full``: another --full run resumes it, not starts over
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # reviews accounted for in the last cycle whose monitor checks passed (collapse baseline)
    baseline_reviews: Mapped[int | None] = mapped_column(Integer)


class CrawlUrl(Base):
    """The crawl's own record of one request (keyed on Scrapy's request fingerprint).

    ``status``: ``pending`` (discovered, not yet done), ``done`` (its result is stored: the
    review row, or the requests it led to), ``failed`` (still failing after retries: retried by
    the next run). ``job_id``/``cycle`` say in which cycle the status was reached.
    """

    __tablename__ = "crawl_urls"
    __table_args__ = (Index("ix_crawl_urls_job_cycle", "job_id", "cycle", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(40), unique=True)
    url: Mapped[str] = mapped_column(String(2048))
    site: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(8))
    # last result: stored / unchanged (a review), followed (led to requests), empty, gone:<status>
    outcome: Mapped[str | None] = mapped_column(String(64))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_jobs.id", ondelete="SET NULL"))
    cycle: Mapped[int | None] = mapped_column(Integer)
    # HTTP validators of the stored result: sent back as If-None-Match / If-Modified-Since
    etag: Mapped[str | None] = mapped_column(String(256))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    # fingerprints of the requests the page led to (re-followed when it answers 304)
    links: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
    # how to request it again (url, method, headers, body, meta): seeds of the next run
    request: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CrawlLock(Base):
    """A running crawl process. Holders of one ``scope`` may run together (the workers of one
    frontier run); the default scope ``crawl`` runs alone (``storage.crawl_state.RunLock``)."""

    __tablename__ = "crawl_locks"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    host: Mapped[str] = mapped_column(String(255))
    run_id: Mapped[int | None] = mapped_column(Integer)
    acquired_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
