"""Querying the merged database: ``famreel search``, ``show``, ``films``."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any

from crawler.cli.common import (
    EXIT_NOTHING,
    EXIT_OK,
    UsageError,
    database_session,
    db_option,
    site_names,
)
from crawler.cli.output import FILM_CSV_COLUMNS, flat_row, format_card, label, print_table

FILMS_EPILOG = """\
A film passes a limit only if its consensus is known and within it: --max-age 8 leaves out
films no site gives an age. Content levels are on famreel's 0-5 scale (violence, sex,
language, substances, consumerism, scariness: higher = more of it; positive_messages,
role_models: higher = better).

examples:
  famreel films --mpaa PG --max-age 8 --max violence=2 --sort quality
  famreel films --title "parent trap" --format json
  famreel films --site kidsinmind --min-sources 4 --format csv > films.csv
  famreel films --conflicts
"""


def register(commands: Any) -> None:
    search = commands.add_parser(
        "search", help="fuzzy-search film titles in the database",
        description="The films whose titles are closest to TEXT (typos, missing words and "
                    "punctuation forgiven), best first.")
    search.add_argument("text", help="title or part of it, any spelling")
    search.add_argument("--limit", type=int, default=10, help="at most this many films (10)")
    search.add_argument("--json", action="store_true",
                        help="print one film JSON record per line")
    db_option(search)
    search.set_defaults(handler=cmd_search)

    show = commands.add_parser(
        "show", help="print one film's consensus card",
        description="A film card: the consensus beside every source site's values, the "
                    "sources with their links and verdicts, and where the sources disagree.")
    show.add_argument("film_id", type=int, metavar="FILM_ID", help="film id (see search/films)")
    show.add_argument("--json", action="store_true", help="print the film JSON record")
    db_option(show)
    show.set_defaults(handler=cmd_show)

    films = commands.add_parser(
        "films", help="list and filter the merged films",
        description="The merged films, filtered in SQL, sorted and printed as a table, one "
                    "JSON array of film records, or CSV.",
        epilog=FILMS_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_filter_options(films)
    films.add_argument("--format", choices=("table", "json", "csv"), default="table",
                       help="table (default), one JSON array of film records, or CSV with a "
                            "header")
    films.add_argument("--limit", type=int, metavar="N", help="at most this many films")
    db_option(films)
    films.set_defaults(handler=cmd_films)


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    from storage.queries import SORT_HELP, SORT_NAMES

    filters = parser.add_argument_group("filters (all must hold)")
    filters.add_argument("--title", metavar="TEXT",
                         help="fuzzy title match (typos and parts of titles forgiven)")
    filters.add_argument("--year", type=int, help="release year")
    filters.add_argument("--mpaa", action="append", metavar="RATING",
                         help="MPAA rating G, PG, PG-13, R, NC-17 or NR; repeat for any of "
                              "several")
    filters.add_argument("--max-age", type=float, metavar="N",
                         help="consensus age (youngest recommended) at most N years")
    filters.add_argument("--min-quality", type=float, metavar="Q",
                         help="consensus quality at least Q (0-100)")
    filters.add_argument("--max", action="append", dest="max_levels", metavar="CATEGORY=LEVEL",
                         help="consensus content level at most LEVEL (0-5), e.g. violence=2; "
                              "repeatable")
    filters.add_argument("--site", choices=site_names(), metavar="NAME",
                         help=f"has a review from this site ({', '.join(site_names())})")
    filters.add_argument("--min-sources", type=int, metavar="N",
                         help="reviewed by at least N sites")
    filters.add_argument("--conflicts", action="store_true",
                         help="only films whose sources disagree (the film JSON's conflicts)")
    parser.add_argument("--sort", choices=SORT_NAMES,
                        help=f"{SORT_HELP}; default: match with --title, else title")


def _checked_limit(limit: int | None) -> int | None:
    if limit is not None and limit < 1:
        raise UsageError("--limit must be at least 1")
    return limit


def cmd_search(args: argparse.Namespace) -> int:
    from aggregator.consensus import film_json
    from storage.queries import FilterError, film_filter, find_films

    limit = _checked_limit(args.limit)
    try:
        spec = film_filter(title=args.text)
    except FilterError as exc:
        raise UsageError(str(exc)) from None
    with database_session(args.db) as session:
        page = find_films(session, spec, limit=limit)
        found = [(film_json(f), page.scores[f.id]) for f in page.films]
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
    from storage.queries import films_by_id

    with database_session(args.db) as session:
        records = [film_json(f) for f in films_by_id(session, [args.film_id])]
    if not records:
        print(f"famreel: no film with id {args.film_id}", file=sys.stderr)
        return EXIT_NOTHING
    (record,) = records
    print(json.dumps(record, ensure_ascii=False, indent=2) if args.json else format_card(record))
    return EXIT_OK


def cmd_films(args: argparse.Namespace) -> int:
    from aggregator.consensus import film_json
    from storage.queries import FilterError, film_filter, find_films, resolve_sort

    limit = _checked_limit(args.limit)
    try:
        spec = film_filter(title=args.title, year=args.year, mpaa=args.mpaa or (),
                           max_age=args.max_age, min_quality=args.min_quality,
                           max_levels=args.max_levels or (), site=args.site,
                           min_sources=args.min_sources, conflicts=args.conflicts)
        sort = resolve_sort(spec, args.sort)
    except FilterError as exc:
        raise UsageError(str(exc)) from None
    with database_session(args.db) as session:
        page = find_films(session, spec, sort=sort, limit=limit)
        records = [film_json(f) for f in page.films]
    if args.format == "json":
        print(json.dumps(records, ensure_ascii=False))
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=FILM_CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(flat_row(r) for r in records)
    elif records:
        print_table(records, categories=[c for c, _ in spec.max_levels], scores=page.scores)
    if not records:
        print("famreel: no film matches these filters", file=sys.stderr)
        return EXIT_NOTHING
    if page.total > len(records):
        print(f"famreel: {len(records)} of {page.total} matching films shown (--limit)",
              file=sys.stderr)
    return EXIT_OK
