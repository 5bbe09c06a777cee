"""famreel's command line: crawl family-media sites, merge reviews into films, query them.

Exit status: 0 success; 1 nothing found or a check failed; 2 bad usage or bad input.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz

EXIT_OK, EXIT_NOTHING, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user: one line on stderr, exit status 2."""


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="URL",
        help="database URL (default: $FAMREEL_DB, else sqlite:///famreel.db); PostgreSQL: "
             "postgresql+psycopg://USER@HOST:PORT/DB",
    )


def _site_names() -> list[str]:
    from crawler.sites import available_sites

    return available_sites()


def build_parser() -> argparse.ArgumentParser:
    sites = _site_names()
    parser = argparse.ArgumentParser(
        prog="famreel",
        description="Crawl family film reviews (Common Sense Media, Parenting.com, ...), merge "
                    "them into one consensus record per film, and query the result.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    crawl = commands.add_parser(
        "crawl", help="crawl sites into the database and merge the reviews into films",
        description="Full crawl of each chosen site's listings, or with --title a one-off "
                    "crawl of each site's search for one film, printing its consensus record.",
    )
    crawl.add_argument("--site", action="append", choices=sites, metavar="SITE",
                       help=f"site to crawl, repeatable (default: all: {', '.join(sites)})")
    crawl.add_argument("--mirror", metavar="URL",
                       help="fetch every page from a famreel mirror (e.g. http://127.0.0.1:8765) "
                            "instead of the real sites")
    crawl.add_argument("--title", help="one-off crawl: search each site for this film title")
    crawl.add_argument("--year", type=int, help="with --title: keep only films of this year")
    crawl.add_argument("--json", action="store_true",
                       help="with --title: print one JSON object per film, nothing else on stdout")
    crawl.add_argument("-v", "--verbose", action="store_true", help="Scrapy's INFO log on stderr")
    _db_option(crawl)

    search = commands.add_parser("search", help="fuzzy-search film titles in the database")
    search.add_argument("text", help="title or part of it, any spelling")
    search.add_argument("--limit", type=int, default=10, help="at most this many films (10)")
    search.add_argument("--json", action="store_true", help="print film JSON records")
    _db_option(search)

    show = commands.add_parser("show", help="print one film's consensus card")
    show.add_argument("film_id", type=int, metavar="FILM_ID")
    show.add_argument("--json", action="store_true", help="print the film JSON record")
    _db_option(show)

    films = commands.add_parser("films", help="list the merged films")
    films.add_argument("--format", choices=("table", "json", "csv"), default="table",
                       help="table (default), one JSON array, or CSV with a header")
    films.add_argument("--limit", type=int, help="at most this many films")
    _db_option(films)

    merge = commands.add_parser("merge", help="match unmerged reviews into films")
    merge.add_argument("--full", action="store_true",
                       help="forget every film and rebuild them all from the reviews")
    _db_option(merge)

    mirror = commands.add_parser(
        "mirror", help="serve a local mirror of the sites on 127.0.0.1",
        description="Serves https://HOST/PATH at http://127.0.0.1:PORT/HOST/PATH and answers "
                    "each site's search endpoint. The first stdout line is the mirror's URL.",
    )
    mirror.add_argument("--port", type=int, default=0, help="port (0, the default: any free)")
    mirror.add_argument("--root", metavar="DIR",
                        help="folder of pages, one subfolder per host (default: bundled mirror)")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_commands.add_parser("upgrade", help="bring the database to the current schema")
    _db_option(upgrade)

    demo = commands.add_parser(
        "demo", help="offline demo: crawl the bundled mirror into SQLite and query it",
        description="Starts the bundled mirror on a free port, crawls every site into the "
                    "database (default sqlite:///famreel.db), prints what it stored and one "
                    "example query. Needs no network.",
    )
    _db_option(demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from crawler.runner import MirrorUnreachable
    from storage.db import DatabaseError

    handler = COMMANDS[args.command]
    try:
        return handler(args)
    except (UsageError, DatabaseError, MirrorUnreachable) as exc:
        print(f"famreel: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("famreel: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


# --- commands ------------------------------------------------------------------------------


def cmd_crawl(args: argparse.Namespace) -> int:
    from crawler.runner import check_mirror, run_crawl
    from storage.db import make_engine

    if args.year is not None and not args.title:
        raise UsageError("--year goes with --title")
    if args.json and not args.title:
        raise UsageError("--json goes with --title")
    if args.title is not None and not args.title.strip():
        raise UsageError("--title is empty")
    if args.year is not None and not 1888 <= args.year <= 2100:
        raise UsageError(f"--year {args.year} is not a film year")
    make_engine(args.db).dispose()  # a bad URL fails here, before anything is crawled
    if args.mirror:
        check_mirror(args.mirror)
    sites = list(dict.fromkeys(args.site or _site_names()))
    outcome = run_crawl(sites, args.db, mirror=args.mirror, title=args.title, year=args.year,
                        verbose=args.verbose, command=" ".join(["famreel", *sys.argv[1:]]))
    _print_summary(outcome.counts)
    if args.title:
        return _print_title_result(args)
    return EXIT_OK


def _print_summary(counts: dict[str, Any]) -> None:
    err = sys.stderr
    print(f"crawled {counts['pages']} pages: {counts['items_new']} new reviews, "
          f"{counts['items_updated']} updated, {counts['items_unchanged']} unchanged, "
          f"{counts['items_dropped']} dropped; {counts['films_touched']} films touched",
          file=err)
    details = counts.get("details", {})
    by_sources = {int(k): v for k, v in (details.get("films_by_sources") or {}).items()}
    if by_sources:
        total = sum(by_sources.values())
        four_plus = sum(v for k, v in by_sources.items() if k >= 4)
        spread = ", ".join(f"{v} with {k}" for k, v in sorted(by_sources.items()))
        print(f"database: {total} films, {four_plus} with 4+ sources ({spread})", file=err)
    for site, per in details.get("sites", {}).items():
        print(f"  {site:>14}: {per['pages']} pages, {per['new']} new, {per['updated']} updated, "
              f"{per['unchanged']} unchanged, {per['dropped']} dropped", file=err)
    for bucket in ("dropped", "field_dropped", "parse_errors"):
        reasons = details.get(bucket) or {}
        if reasons:
            text = ", ".join(f"{k}: {v}" for k, v in sorted(reasons.items()))
            print(f"  {bucket.replace('_', ' ')}: {text}", file=err)


def _print_title_result(args: argparse.Namespace) -> int:
    from aggregator.consensus import film_json
    from aggregator.normalize import split_title, title_key
    from storage.db import open_database, session_scope
    from storage.repository import films_by_title_key, search_films

    wanted = title_key(split_title(args.title)[0])
    engine = open_database(args.db)
    with session_scope(engine) as session:
        films = films_by_title_key(session, [wanted])
        if args.year is not None:
            films = [f for f in films if f.year == args.year]
        if not films:
            closest = [f for f, _ in search_films(session, args.title, limit=10)
                       if args.year is None or f.year == args.year]
            films = closest[:1]
        films.sort(key=lambda f: (-f.source_count, -(f.confidence or 0),
                                  -fuzz.ratio(wanted, f.title_key), -(f.year or 0)))
        records = [film_json(f) for f in films]
    engine.dispose()
    if not records:
        suffix = f" ({args.year})" if args.year else ""
        print(f"famreel: no film found for {args.title!r}{suffix}", file=sys.stderr)
        return EXIT_NOTHING
    for record in records:
        if args.json:
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(format_card(record))
    return EXIT_OK


def _with_session(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from storage.db import open_database, session_scope

    engine = open_database(args.db)
    return engine, session_scope(engine)


def cmd_search(args: argparse.Namespace) -> int:
    from aggregator.consensus import film_json
    from storage.repository import search_films

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    engine, scope = _with_session(args)
    with scope as session:
        found = [(film_json(f), score) for f, score in search_films(session, args.text, args.limit)]
    engine.dispose()
    if not found:
        print(f"famreel: no film matches {args.text!r}", file=sys.stderr)
        return EXIT_NOTHING
    for record, score in found:
        if args.json:
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(f"{record['id']:>6}  {_label(record)}  [{len(record['sources'])} sources, "
                  f"match {score:.0f}]")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from aggregator.consensus import film_json
    from storage.repository import film_with_reviews

    engine, scope = _with_session(args)
    with scope as session:
        film = film_with_reviews(session, args.film_id)
        record = film_json(film) if film else None
    engine.dispose()
    if record is None:
        print(f"famreel: no film with id {args.film_id}", file=sys.stderr)
        return EXIT_NOTHING
    print(json.dumps(record, ensure_ascii=False, indent=2) if args.json else format_card(record))
    return EXIT_OK


FILM_CSV_COLUMNS = ("id", "title", "year", "mpaa_rating", "runtime_minutes", "imdb_id", "age",
                    "quality", "violence", "sex", "language", "substances", "consumerism",
                    "scariness", "positive_messages", "role_models", "parents_age", "kids_age",
                    "sources", "sites", "conflicts")


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    row = {key: record.get(key) for key in ("id", "title", "year", "mpaa_rating",
                                             "runtime_minutes", "imdb_id", "parents_age",
                                             "kids_age")}
    row["age"] = record["age"]["consensus"]
    row["quality"] = record["quality"]["consensus"]
    for category, value in record["content"].items():
        row[category] = value["consensus"]
    row["sources"] = len(record["sources"])
    row["sites"] = " ".join(sorted({s["site"] for s in record["sources"]}))
    row["conflicts"] = " ".join(c["field"] for c in record["conflicts"])
    return row


def cmd_films(args: argparse.Namespace) -> int:
    from aggregator.consensus import film_json
    from storage.repository import films_with_reviews, list_films

    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be at least 1")
    engine, scope = _with_session(args)
    with scope as session:
        ids = [f.id for f in list_films(session, args.limit)]
        by_id = {f.id: f for f in films_with_reviews(session, ids)}
        records = [film_json(by_id[i]) for i in ids]
    engine.dispose()
    if args.format == "json":
        print(json.dumps(records, ensure_ascii=False))
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=FILM_CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(_flat(r) for r in records)
    else:
        print_table(records)
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    from aggregator.merge import merge

    engine, scope = _with_session(args)
    with scope as session:
        result = merge(session, full=args.full)
    engine.dispose()
    print(f"merged {result.reviews_merged} reviews: {result.films_touched} films touched, "
          f"{result.films_created} created, {result.films_removed} removed", file=sys.stderr)
    return EXIT_OK


def cmd_mirror(args: argparse.Namespace) -> int:
    from pathlib import Path

    from crawler.mirror.server import BUNDLED_ROOT, Mirror, make_server

    root = Path(args.root) if args.root else BUNDLED_ROOT
    if not root.is_dir():
        raise UsageError(f"mirror root {root} is not a folder")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port")
    try:
        server = make_server(Mirror(root), args.port)
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror}") from None
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    print(f"serving {root} (Ctrl-C stops)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK


def cmd_db(args: argparse.Namespace) -> int:
    from storage.db import current_revision, open_database

    engine = open_database(args.db)
    print(f"database at schema {current_revision(engine)} (current)", file=sys.stderr)
    engine.dispose()
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from crawler.mirror.server import running_mirror
    from crawler.runner import run_crawl
    from storage.db import make_engine, resolve_url

    make_engine(args.db).dispose()
    sites = _site_names()
    print(f"famreel demo: crawling the bundled mirror of {len(sites)} sites into "
          f"{resolve_url(args.db)}", file=sys.stderr)
    with running_mirror() as url:
        print(f"mirror at {url}", file=sys.stderr)
        outcome = run_crawl(sites, args.db, mirror=url, command="famreel demo")
    _print_summary(outcome.counts)
    from aggregator.consensus import film_json
    from storage.db import open_database, session_scope
    from storage.repository import films_with_reviews, search_films

    engine = open_database(args.db)
    with session_scope(engine) as session:
        records = [film_json(f) for f in films_with_reviews(session)]
        example = search_films(session, "Won't Back Down", limit=1)
        example_record = film_json(example[0][0]) if example else None
    engine.dispose()
    print(f"\nStored {len(records)} films:")
    print_table(records)
    if example_record:
        print("\nExample query: famreel search \"Won't Back Down\" then famreel show "
              f"{example_record['id']}\n")
        print(format_card(example_record))
    return EXIT_OK if records else EXIT_NOTHING


COMMANDS = {"crawl": cmd_crawl, "search": cmd_search, "show": cmd_show, "films": cmd_films,
            "merge": cmd_merge, "mirror": cmd_mirror, "db": cmd_db, "demo": cmd_demo}


# --- output --------------------------------------------------------------------------------


def _label(record: dict[str, Any]) -> str:
    year = record["year"] if record["year"] is not None else "year ?"
    return f"{record['title']} ({year})"


def _fmt(value: Any) -> str:
    return "-" if value is None else str(value)


def print_table(records: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, box=None, pad_edge=False)
    for column in ("id", "title", "year", "MPAA", "min", "age", "quality", "violence", "sex",
                   "language", "sources", "conflicts"):
        table.add_column(column, overflow="fold", no_wrap=column != "title")
    for r in records:
        content = r["content"]
        table.add_row(
            str(r["id"]), r["title"], _fmt(r["year"]), _fmt(r["mpaa_rating"]),
            _fmt(r["runtime_minutes"]), _fmt(r["age"]["consensus"]),
            _fmt(r["quality"]["consensus"]), _fmt(content["violence"]["consensus"]),
            _fmt(content["sex"]["consensus"]), _fmt(content["language"]["consensus"]),
            str(len(r["sources"])),
            " ".join(c["field"] for c in r["conflicts"]) or "-",
        )
    width = None if sys.stdout.isatty() else 160  # piped output is not cut at 80 columns
    Console(width=width, highlight=False, markup=False).print(table)


def format_card(record: dict[str, Any]) -> str:
    """A film's consensus beside every source's value, the conflicts and the links."""
    lines = [f"{_label(record)}  [film {record['id']}]",
             f"  MPAA {_fmt(record['mpaa_rating'])}   runtime {_fmt(record['runtime_minutes'])} min"
             f"   IMDb {_fmt(record['imdb_id'])}",
             f"  parents say age {_fmt(record['parents_age'])}   kids say age "
             f"{_fmt(record['kids_age'])}"]

    def row(name: str, block: dict[str, Any]) -> str:
        by_site = ", ".join(f"{site} {value}" for site, value in block["by_site"].items())
        return f"  {name:<24} {_fmt(block['consensus']):>6}   {by_site}"

    lines.append(row("age", record["age"]))
    lines.append(row("quality (0-100)", record["quality"]))
    for category, block in record["content"].items():
        lines.append(row(category + " (0-5)", block))
    lines.append("  sources:")
    for source in record["sources"]:
        verdict = f" - {source['verdict']}" if source.get("verdict") else ""
        lines.append(f"    {source['site']:<14} {source['url']}{verdict}")
    if record["conflicts"]:
        lines.append("  conflicts:")
        for conflict in record["conflicts"]:
            values = ", ".join(f"{s} {v}" for s, v in conflict["by_site"].items())
            lines.append(f"    {conflict['field']}: {values}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
