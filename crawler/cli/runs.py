"""``famreel runs``: the crawl runs recorded in the database, newest first."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from crawler.cli.common import EXIT_NOTHING, EXIT_OK, UsageError, database_session, db_option

COLUMNS = ("id", "started_at", "finished_at", "status", "command", "sites", "pages",
           "pages_not_modified", "pages_failed", "items_new", "items_updated", "items_unchanged",
           "items_dropped", "films_touched", "errors", "checks_failed", "details")


def register(commands: Any) -> None:
    runs = commands.add_parser(
        "runs", help="list the crawl runs, newest first",
        description="Every crawl writes one row: start, end, status, pages (and how many "
                    "answered 304 or still fail), reviews new / updated / unchanged / dropped, "
                    "films touched, errors, failed checks. Status: running, finished, "
                    "checks_failed (a monitor check failed), interrupted (stopped: the next "
                    "run resumes), failed, killed (died; the next run took over).",
        epilog="Exit status: 0; 1 when there is no run yet (or with --check, when the "
               "newest run did not finish with every check passed).",
    )
    runs.add_argument("--json", action="store_true",
                      help="one JSON array of runs, with per-site counts, drop reasons and "
                           "checks under \"details\"")
    runs.add_argument("--limit", type=int, default=20, metavar="N",
                      help="the newest N runs (default 20; 0: all)")
    runs.add_argument("--check", action="store_true",
                      help="exit 1 unless the newest run finished with every check passed (for "
                           "schedulers that start crawls through Scrapyd)")
    db_option(runs)
    runs.set_defaults(handler=cmd_runs)


def cmd_runs(args: argparse.Namespace) -> int:
    from storage.crawl_state import recent_runs

    if args.limit < 0:
        raise UsageError(f"--limit {args.limit}: give 0 or more")
    with database_session(args.db) as session:
        rows = [run_json(run) for run in recent_runs(session, args.limit or None)]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        print_runs(rows)
    if not rows:
        print("famreel: no crawl run recorded yet", file=sys.stderr)
        return EXIT_NOTHING
    if args.check and rows[0]["status"] != "finished":
        return EXIT_NOTHING
    return EXIT_OK


def run_json(run: Any) -> dict[str, Any]:
    record = {name: getattr(run, name) for name in COLUMNS}
    for name in ("started_at", "finished_at"):
        record[name] = record[name].isoformat(timespec="seconds") + "Z" if record[name] else None
    return record


def print_runs(rows: list[dict[str, Any]]) -> None:
    print(f"{'id':>5}  {'started (UTC)':<19}  {'took':>6}  {'status':<13}  {'pages':>6}  "
          f"{'304':>5}  {'fail':>4}  {'new':>5}  {'upd':>5}  {'same':>5}  {'drop':>4}  "
          f"{'films':>5}  {'checks':<6}  sites")
    for row in rows:
        took = _duration(row["started_at"], row["finished_at"])
        checks = f"{row['checks_failed']} bad" if row["checks_failed"] else "ok"
        print(f"{row['id']:>5}  {row['started_at'][:19].replace('T', ' '):<19}  {took:>6}  "
              f"{row['status']:<13}  {row['pages']:>6}  {row['pages_not_modified']:>5}  "
              f"{row['pages_failed']:>4}  {row['items_new']:>5}  {row['items_updated']:>5}  "
              f"{row['items_unchanged']:>5}  {row['items_dropped']:>4}  "
              f"{row['films_touched']:>5}  {checks:<6}  {' '.join(row['sites'] or [])}")


def _duration(started: str, finished: str | None) -> str:
    from datetime import datetime

    if not finished:
        return "-"
    seconds = (datetime.fromisoformat(finished.rstrip("Z"))
               - datetime.fromisoformat(started.rstrip("Z"))).total_seconds()
    return f"{seconds:.0f}s" if seconds < 600 else f"{seconds / 60:.0f}m"
