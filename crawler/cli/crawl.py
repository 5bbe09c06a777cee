"""``famreel crawl`` (full or one-off title crawl) and ``famreel demo``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from rapidfuzz import fuzz

from crawler.cli.common import (
    EXIT_NOTHING,
    EXIT_OK,
    UsageError,
    database_session,
    db_option,
    site_names,
)
from crawler.cli.output import format_card, print_table


def register(commands: Any) -> None:
    sites = site_names()
    crawl = commands.add_parser(
        "crawl", help="crawl sites into the database and merge the reviews into films",
        description="Full crawl of each chosen site's listings, or with --title a one-off "
                    "crawl of each site's search for one film, printing its consensus record. "
                    "A crawl is incremental (pages unchanged since the last run answer 304 and "
                    "are not parsed again) and resumable (a crawl killed at any moment and "
                    "started again the same way goes on from where it stopped). One crawl at a "
                    "time per database. After a full crawl, per-site checks (field coverage, "
                    "review counts against the previous run, failing pages) are reported.",
        epilog="Exit status: 0 done and every check passed; 1 a check failed, the crawl was "
               "interrupted or failed (with --title: no film found); 2 bad usage or input, or "
               "another crawl is running on the database.",
    )
    crawl.add_argument("--site", action="append", choices=sites, metavar="SITE",
                       help=f"site to crawl, repeatable (default: all: {', '.join(sites)})")
    crawl.add_argument("--mirror", metavar="URL", default=os.environ.get("FAMREEL_MIRROR"),
                       help="fetch every page from a famreel mirror (e.g. http://127.0.0.1:8765) "
                            "instead of the real sites (default: $FAMREEL_MIRROR, else the real "
                            "sites)")
    crawl.add_argument("--full", action="store_true",
                       help="fetch every page again, without conditional requests, in a new "
                            "cycle (after upgrading famreel, so fixed parsers read every page)")
    crawl.add_argument("-s", "--set", action="append", type=_setting, default=[],
                       metavar="NAME=VALUE",
                       help="override a Scrapy or famreel setting, as `scrapy crawl -s` does "
                            "(e.g. -s DOWNLOAD_TIMEOUT=10); repeatable")
    crawl.add_argument("--parse-processes", type=_processes, metavar="N",
                       help="parse review pages in N processes beside the crawler's own, for a "
                            "CPU-bound crawl (a mirror, a fast frontier worker); default 0: parse "
                            "in the crawler process, right for the real sites, whose politeness "
                            "delays bound a crawl (setting FAMREEL_PARSE_PROCESSES)")
    crawl.add_argument("--processes", type=_crawler_processes, default=1, metavar="N",
                       help="spread the sites over N crawler processes, for a CPU-bound crawl "
                            "(a mirror, a fast network) on a machine with N cores; the run, its "
                            "lock and the merge stay in this process (default 1: every site in "
                            "this process)")
    crawl.add_argument("--title", help="one-off crawl: search each site for this film title")
    crawl.add_argument("--year", type=int, help="with --title: keep only films of this year")
    crawl.add_argument("--json", action="store_true",
                       help="with --title: print one JSON object per film, nothing else on stdout")
    crawl.add_argument("-v", "--verbose", action="store_true", help="Scrapy's INFO log on stderr")
    crawl.add_argument("--frontier", metavar="URL",
                       help="share one Redis request queue and dupefilter (e.g. "
                            "redis://127.0.0.1:6379/0) with every other `famreel crawl` started "
                            "with the same --frontier and --frontier-run: the workers split the "
                            "crawl, no page is fetched twice; use one PostgreSQL --db for all")
    crawl.add_argument("--frontier-run", metavar="NAME",
                       help="with --frontier: the run's name, fresh for each scheduled run "
                            "(default: today's UTC date); started again with the same name, an "
                            "interrupted run resumes its queue")
    db_option(crawl)
    crawl.set_defaults(handler=cmd_crawl)

    demo = commands.add_parser(
        "demo", help="offline demo: crawl the bundled mirror into SQLite and query it",
        description="Starts the bundled mirror on a free port, crawls every site into the "
                    "database (default sqlite:///famreel.db), prints what it stored and one "
                    "example query. Needs no network.",
    )
    db_option(demo)
    demo.set_defaults(handler=cmd_demo)


def cmd_crawl(args: argparse.Namespace) -> int:
    from crawler.monitoring import report_lines
    from crawler.runner import check_mirror, run_crawl
    from storage.crawl_state import LockHeld
    from storage.db import make_engine

    if args.year is not None and not args.title:
        raise UsageError("--year goes with --title")
    if args.json and not args.title:
        raise UsageError("--json goes with --title")
    if args.title is not None and not args.title.strip():
        raise UsageError("--title is empty")
    if args.year is not None and not 1888 <= args.year <= 2100:
        raise UsageError(f"--year {args.year} is not a film year")
    if args.processes > 1 and args.frontier:
        raise UsageError("--processes goes without --frontier: start more frontier workers "
                         "instead")
    make_engine(args.db).dispose()  # a bad URL fails here, before anything is crawled
    if args.mirror:
        check_mirror(args.mirror)
    frontier = _frontier(args)
    sites = list(dict.fromkeys(args.site or site_names()))
    try:
        outcome = run_crawl(sites, args.db, mirror=args.mirror, title=args.title, year=args.year,
                            verbose=args.verbose, command=" ".join(["famreel", *sys.argv[1:]]),
                            frontier=frontier, full=args.full, overrides=_overrides(args),
                            processes=args.processes)
    except LockHeld as exc:
        raise UsageError(str(exc)) from None
    print_summary(outcome.counts)
    if args.title:
        return _print_title_result(args)
    for line in report_lines(outcome.checks):
        print(line, file=sys.stderr)
    if outcome.status != "finished":
        print(f"famreel: crawl {outcome.status} (run {outcome.run_id}; `famreel runs` lists "
              "the runs)", file=sys.stderr)
        return EXIT_NOTHING
    return EXIT_OK


def _setting(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value


def _processes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {text!r}"
                                         ) from None
    if not 0 <= value <= 64:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 64")
    return value


def _crawler_processes(text: str) -> int:
    value = _processes(text)
    if value < 1:
        raise argparse.ArgumentTypeError("at least 1 crawler process")
    return value


def _overrides(args: argparse.Namespace) -> dict[str, str]:
    overrides = dict(args.set)
    if args.parse_processes is not None:
        overrides["FAMREEL_PARSE_PROCESSES"] = str(args.parse_processes)
    return overrides


def _frontier(args: argparse.Namespace) -> Any:
    if args.frontier_run and not args.frontier:
        raise UsageError("--frontier-run goes with --frontier")
    if not args.frontier:
        return None
    from crawler.frontier import Frontier, FrontierError, default_run_name

    frontier = Frontier(args.frontier, args.frontier_run or default_run_name())
    try:
        frontier.check()
    except FrontierError as exc:
        raise UsageError(str(exc)) from None
    return frontier


def print_summary(counts: dict[str, Any]) -> None:
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
        resumed = ", resumed" if per.get("resumed") else ""
        print(f"  {site:>14}: {per['pages']} pages, {per['new']} new, {per['updated']} updated, "
              f"{per['unchanged']} unchanged, {per['dropped']} dropped, "
              f"{per.get('not_modified', 0)} not modified, {per.get('failed', 0)} failed"
              f"{resumed}", file=err)
    for bucket in ("dropped", "field_dropped", "parse_errors", "pages_dropped"):
        reasons = details.get(bucket) or {}
        if reasons:
            text = ", ".join(f"{k}: {v}" for k, v in sorted(reasons.items()))
            print(f"  {bucket.replace('_', ' ')}: {text}", file=err)


def _print_title_result(args: argparse.Namespace) -> int:
    from aggregator.consensus import film_json
    from aggregator.normalize import split_title, title_key
    from storage.queries import search_films
    from storage.repository import films_by_title_key

    wanted = title_key(split_title(args.title)[0])
    with database_session(args.db) as session:
        films = films_by_title_key(session, [wanted])
        if args.year is not None:
            films = [f for f in films if f.year == args.year]
        if not films:
            closest = [f for f in search_films(session, args.title, limit=10).films
                       if args.year is None or f.year == args.year]
            films = closest[:1]
        films.sort(key=lambda f: (-f.source_count, -(f.confidence or 0),
                                  -fuzz.ratio(wanted, f.title_key), -(f.year or 0)))
        records = [film_json(f) for f in films]
    if not records:
        suffix = f" ({args.year})" if args.year else ""
        print(f"famreel: no film found for {args.title!r}{suffix}", file=sys.stderr)
        return EXIT_NOTHING
    for record in records:
        print(json.dumps(record, ensure_ascii=False) if args.json else format_card(record))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from aggregator.consensus import film_json
    from crawler.mirror.server import running_mirror
    from crawler.runner import run_crawl
    from storage.db import make_engine, resolve_url
    from storage.queries import search_films
    from storage.repository import films_with_reviews

    make_engine(args.db).dispose()
    sites = site_names()
    print(f"famreel demo: crawling the bundled mirror of {len(sites)} sites into "
          f"{resolve_url(args.db)}", file=sys.stderr)
    with running_mirror() as url:
        print(f"mirror at {url}", file=sys.stderr)
        outcome = run_crawl(sites, args.db, mirror=url, command="famreel demo")
    print_summary(outcome.counts)
    with database_session(args.db) as session:
        records = [film_json(f) for f in films_with_reviews(session)]
        example = search_films(session, "Won't Back Down", limit=1).films
        example_record = film_json(example[0]) if example else None
    print(f"\nStored {len(records)} films:")
    print_table(records)
    if example_record:
        print("\nExample query: famreel search \"Won't Back Down\" then famreel show "
              f"{example_record['id']}\n")
        print(format_card(example_record))
    return EXIT_OK if records else EXIT_NOTHING
