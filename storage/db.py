"""Engines, the database URL, and bringing a database to the current schema.

URL precedence (CONTRACT.md): ``--db URL`` > ``$FAMREEL_DB`` > ``sqlite:///famreel.db``.
"""

from __future__ import annotations

import logging
import os
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_URL = "sqlite:///famreel.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def postgres_pool() -> dict[str, object]:
    """Connection pool of a PostgreSQL engine: ``$FAMREEL_DB_POOL_SIZE`` connections kept open
    (default 5) plus as many again under load. Every crawler process holds one pool per spider,
    so N frontier workers x 8 spiders must stay under the server's ``max_connections``.
    Connections are checked before use and renewed hourly (a nightly crawl outlives idle
    timeouts of proxies and servers); the most recently used one is reused first, so an idle
    crawl keeps few of them busy."""
    raw = os.environ.get("FAMREEL_DB_POOL_SIZE") or "5"
    if not raw.isdigit() or int(raw) < 1:
        raise DatabaseError(f"FAMREEL_DB_POOL_SIZE={raw!r}: give a number, 1 or more")
    size = int(raw)
    return {"pool_size": size, "max_overflow": size, "pool_pre_ping": True,
            "pool_recycle": 3600, "pool_use_lifo": True}


class DatabaseError(Exception):
    """A database the command cannot use: bad URL, unreachable server, newer schema."""


def resolve_url(url: str | None = None) -> str:
    return url or os.environ.get("FAMREEL_DB") or DEFAULT_URL


def make_engine(url: str | None = None) -> Engine:
    """An engine for the URL, checked for form and for a driver (``DatabaseError`` if not)."""
    url = resolve_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"bad database URL {url!r}: {exc}") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseError(f"unsupported database {backend!r} in {url!r} (sqlite or postgresql)")
    try:
        if backend == "sqlite":
            engine = create_engine(parsed, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(parsed, **postgres_pool())
    except (ArgumentError, ImportError, SQLAlchemyError) as exc:
        raise DatabaseError(f"cannot use database {url!r}: {exc}") from None
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the crawl's writer
    # WAL's own safe setting: a commit waits for no fsync (checkpoints do), a killed process
    # loses nothing committed, only a power cut can roll back the last commits (never corrupt)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@cache
def migrations_folder() -> Path:
    """The Alembic scripts as a real folder. Scrapyd imports famreel from a zipped egg, which
    Alembic cannot read: there they are copied out once per process."""
    if MIGRATIONS.is_dir():
        return MIGRATIONS
    target = Path(tempfile.mkdtemp(prefix="famreel-migrations-"))
    _copy_tree(resources.files("storage") / "migrations", target)
    return target


def _copy_tree(source: Traversable, target: Path) -> None:
    for entry in source.iterdir():
        if entry.is_dir():
            (target / entry.name).mkdir()
            _copy_tree(entry, target / entry.name)
        elif entry.name.endswith((".py", ".mako")):
            (target / entry.name).write_bytes(entry.read_bytes())


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_folder()))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring an empty or older database to the current schema; refuse a newer one untouched."""
    script = ScriptDirectory.from_config(alembic_config())
    try:
        current = current_revision(engine)
        if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
            raise DatabaseError(
                f"the database schema ({current}) is newer than this famreel "
                f"(knows up to {script.get_current_head()}): upgrade famreel"
            )
        if current == script.get_current_head():
            return
        config = alembic_config()
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # workers starting together on a fresh database upgrade one after the other;
                # Alembic then reads the revision the one before left
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                   {"key": SCHEMA_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as exc:
        raise DatabaseError(f"cannot reach database {engine.url!r}: {exc.orig}") from None


def open_database(url: str | None = None) -> Engine:
    """The engine of a database brought to the current schema (what every command starts with)."""
    engine = make_engine(url)
    try:
        upgrade(engine)
    except DatabaseError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseError(f"cannot use database {engine.url!r}: {exc}") from None
    return engine


MERGE_LOCK = 0x66616D72  # PostgreSQL advisory lock key of the merge ("famr")
SCHEMA_LOCK = 0x66616D73  # ... and of a schema upgrade ("fams")


def serialize_merges(session: Session) -> None:
    """Hold the merge lock until the session's transaction ends, so merges of several crawler
    processes into one database (frontier workers) run one after the other and never create one
    film twice. On SQLite a first, empty write takes the database's write lock before the merge
    reads anything."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MERGE_LOCK})
    elif dialect == "sqlite":
        session.execute(text("UPDATE reviews SET needs_merge = needs_merge WHERE 0 = 1"))


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One session per unit of work: commit on success, roll back on any error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


# PostgreSQL's SQLSTATEs for "this transaction was aborted to let another one through; run it
# again": deadlock_detected and serialization_failure. Its rollback left nothing behind.
RETRY_SQLSTATES = frozenset({"40P01", "40001"})


def write_retrying(engine: Engine, work: Callable[[Session], T], attempts: int = 5) -> T:
    """``work(session)`` in a transaction of its own (``session_scope``), run again after a short
    pause when PostgreSQL aborted it for a deadlock or a serialization conflict with another
    process's transaction: two frontier workers upserting the same crawl-state rows (reviews
    linked from both their listings) can deadlock, and a batch lost to that would be a batch of
    reviews missing from the run. Any other error, and the last attempt's, is raised."""
    attempt = 1
    while True:
        try:
            with session_scope(engine) as session:
                return work(session)
        except DBAPIError as exc:
            sqlstate = getattr(exc.orig, "sqlstate", None)
            if attempt >= attempts or sqlstate not in RETRY_SQLSTATES:
                raise
            logger.warning("transaction aborted by the database (%s), attempt %d of %d: %s",
                           sqlstate, attempt, attempts, str(exc.orig).splitlines()[0])
            time.sleep(random.uniform(0.02, 0.1) * attempt)  # out of step with the other one
            attempt += 1
