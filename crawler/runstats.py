"""Turn Scrapy crawl stats into famreel's run summary (``crawl_runs`` row and CLI summary)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

_PREFIXES = {
    "famreel/dropped/": "dropped",
    "famreel/field_dropped/": "field_dropped",
    "famreel/parse_error/": "parse_errors",
    "famreel/cpu_ms/": "cpu_ms",  # CPU per stage (crawler/timers.py)
    "famreel/page_dropped/": "pages_dropped",  # truncated, bad_encoding (PageCheckMiddleware)
}


def run_counts(all_stats: Sequence[Mapping[str, Any]], sites: Sequence[str]) -> dict[str, Any]:
    """Totals over one or more crawlers' stats, with per-site detail and reasons."""
    totals = {"pages": 0, "items_new": 0, "items_updated": 0, "items_unchanged": 0,
              "items_dropped": 0, "errors": 0, "films_touched": 0, "pages_not_modified": 0,
              "pages_failed": 0}
    details: dict[str, Any] = {"sites": {}, "dropped": {}, "field_dropped": {},
                               "parse_errors": {}, "cpu_ms": {}, "pages_dropped": {}}
    for site, stats in zip(sites, all_stats, strict=True):
        pages = int(stats.get("response_received_count", 0))
        per_site = {
            "pages": pages,
            "new": int(stats.get("famreel/items/new", 0)),
            "updated": int(stats.get("famreel/items/updated", 0)),
            "unchanged": int(stats.get("famreel/items/unchanged", 0)),
            "dropped": int(stats.get("item_dropped_count", 0)),
            "errors": int(stats.get("log_count/ERROR", 0)),
            "finish_reason": stats.get("finish_reason"),
            # crawl state (crawler/extensions.py CrawlState): 304s, still failing, resumed cycle
            "not_modified": sum(int(v) for k, v in stats.items()
                                if k.startswith("famreel/not_modified/")),
            "failed": int(stats.get("famreel/pages_failed", 0)),
            "resumed": bool(stats.get("famreel/resumed")),
            "seeded": int(stats.get("famreel/seeded", 0)),
            "bytes": int(stats.get("downloader/response_bytes", 0)),
        }
        details["sites"][site] = per_site
        totals["pages"] += pages
        totals["items_new"] += per_site["new"]
        totals["items_updated"] += per_site["updated"]
        totals["items_unchanged"] += per_site["unchanged"]
        totals["items_dropped"] += per_site["dropped"]
        totals["errors"] += per_site["errors"]
        totals["pages_not_modified"] += per_site["not_modified"]
        totals["pages_failed"] += per_site["failed"]
        totals["films_touched"] += int(stats.get("famreel/films_touched", 0))
        for key, value in stats.items():
            for prefix, bucket in _PREFIXES.items():
                if key.startswith(prefix):
                    reason = key[len(prefix):]
                    details[bucket][reason] = details[bucket].get(reason, 0) + int(value)
    totals["details"] = details
    return totals
