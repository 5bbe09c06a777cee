"""Querying the merged database: ``famreel search``, ``show``, ``films``."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any

from crawler.cli.common import EXIT_NOTHING, EXIT_OK, UsageError, database_session, db_option
from crawler.cli.output import FILM_CSV_COLUMNS, flat_row, format_card, label, print_table


def register(commands: Any) -> None:
    search = commands.add_parser("search", help="fuzzy-search film titles in the database")
    search.add_argument("text", help="title or part of it, any spelling")
    search.add_argument("--limit", type=int, default=10, help="at most this many films (10)")
    search.add_argument("--json", action="store_true", help="print film JSON records")
    db_option(search)
    search.set_defaults(handler=cmd_search)

    show = commands.add_parser("show", help="print one film's consensus card")
    show.add_argument("film_id", type=int, metavar="FILM_ID")
    show.add_argument("--json", action="store_true", help="print the film JSON record")
    db_option(show)
    show.set_defaults(handler=cmd_show)

    films = commands.add_parser("films", help="list the merged films")
    films.add_argument("--format", choices=("table", "json", "csv"), default="table",
                       help="table (default), one JSON array, or CSV with a header")
    films.add_argument("--limit", type=int, help="at most this many films")
    db_option(films)
    films.set_defaults(handler=cmd_films)


def cmd_search(args: argparse.Namespace) -> int:
    from aggregator.consensus import film_json
    from storage.repository import search_films

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    with database_session(args.db) as session:
        found = [(film_json(f), score) for f, score in search_films(session, args.text, args.limit)]
    if not found:
        print(f"famreel: no film matches {args.text!r}", file=sys.stderr)
        return EXIT_NOTHING
    for record, score in found:
        if args.json:
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(f"{record['id']:>6}  {label(record)}  [{len(record['sources'])} sources, "
                  f"match {score:.0f}]")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from aggregator.consensus import film_json
    from storage.repository import film_with_reviews

    with database_session(args.db) as session:
        film = film_with_reviews(session, args.film_id)
        record = film_json(film) if film else None
    if record is None:
        print(f"famreel: no film with id {args.film_id}", file=sys.stderr)
        return EXIT_NOTHING
    print(json.dumps(record, ensure_ascii=False, indent=2) if args.json else format_card(record))
    return EXIT_OK


def cmd_films(args: argparse.Namespace) -> int:
    from aggregator.consensus import film_json
    from storage.repository import films_with_reviews, list_films

    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be at least 1")
    with database_session(args.db) as session:
        ids = [f.id for f in list_films(session, args.limit)]
        by_id = {f.id: f for f in films_with_reviews(session, ids)}
        records = [film_json(by_id[i]) for i in ids]
    if args.format == "json":
        print(json.dumps(records, ensure_ascii=False))
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=FILM_CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(flat_row(r) for r in records)
    else:
        print_table(records)
    return EXIT_OK
