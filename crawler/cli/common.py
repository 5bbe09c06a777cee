"""What every command shares: exit codes, the ``--db`` option, opening the database."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

EXIT_OK, EXIT_NOTHING, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user: one line on stderr, exit status 2."""


def db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="URL",
        help="database URL (default: $FAMREEL_DB, else sqlite:///famreel.db); PostgreSQL: "
             "postgresql+psycopg://USER@HOST:PORT/DB",
    )


def site_names() -> list[str]:
    from crawler.sites import available_sites

    return available_sites()


@contextmanager
def database_session(url: str | None) -> Iterator[Session]:
    """The database brought to the current schema, one session for the command's work."""
    from storage.db import open_database, session_scope

    engine = open_database(url)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()
