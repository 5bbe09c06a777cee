"""Engines, the database URL, and bringing a database to the current schema.

URL precedence (CONTRACT.md): ``--db URL`` > ``$FAMREEL_DB`` > ``sqlite:///famreel.db``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///famreel.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


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
            engine = create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=5)
    except (ArgumentError, ImportError, SQLAlchemyError) as exc:
        raise DatabaseError(f"cannot use database {url!r}: {exc}") from None
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the crawl's writer
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
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


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One session per unit of work: commit on success, roll back on any error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session
