"""Database maintenance: ``famreel merge`` and ``famreel db upgrade``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crawler.cli.common import EXIT_OK, database_session, db_option


def register(commands: Any) -> None:
    merge = commands.add_parser("merge", help="match unmerged reviews into films")
    merge.add_argument("--full", action="store_true",
                       help="forget every film and rebuild them all from the reviews")
    db_option(merge)
    merge.set_defaults(handler=cmd_merge)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_commands.add_parser("upgrade", help="bring the database to the current schema")
    db_option(upgrade)
    upgrade.set_defaults(handler=cmd_db_upgrade)


def cmd_merge(args: argparse.Namespace) -> int:
    from aggregator.merge import merge

    with database_session(args.db) as session:
        result = merge(session, full=args.full)
    print(f"merged {result.reviews_merged} reviews: {result.films_touched} films touched, "
          f"{result.films_created} created, {result.films_removed} removed", file=sys.stderr)
    return EXIT_OK


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from storage.db import current_revision, open_database

    engine = open_database(args.db)
    print(f"database at schema {current_revision(engine)} (current)", file=sys.stderr)
    engine.dispose()
    return EXIT_OK
