"""Run famreel's spiders in one process and merge once: what ``famreel crawl`` and
``famreel demo`` do. (Twisted's reactor cannot restart: one call per process.)"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import AsyncCrawlerProcess
from scrapy.utils.project import get_project_settings

from aggregator.merge import merge
from crawler.runstats import run_counts
from crawler.sites import site_module
from storage.db import open_database, session_scope
from storage.repository import films_by_source_count, finish_run, start_run


class MirrorUnreachable(Exception):
    pass


def check_mirror(url: str, timeout: float = 5.0) -> None:
    """Any HTTP answer proves the mirror is up; a refused or hanging connection does not."""
    if not url.startswith(("http://", "https://")):
        raise MirrorUnreachable(f"mirror URL must start with http:// or https://: {url!r}")
    try:
        urllib.request.urlopen(url.rstrip("/") + "/", timeout=timeout).close()  # noqa: S310
    except urllib.error.HTTPError:
        return
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise MirrorUnreachable(f"cannot reach mirror {url}: {reason}") from None


@dataclass
class CrawlOutcome:
    run_id: int
    counts: dict[str, Any]
    films_touched: int = 0
    film_ids: set[int] = field(default_factory=set)


def spider_class(site: str) -> type:
    module = site_module(site)
    from importlib import import_module

    spiders = import_module(f"crawler.spiders.{site}")
    for value in vars(spiders).values():
        if isinstance(value, type) and getattr(value, "name", None) == site:
            return value
    raise LookupError(f"no spider for {module.NAME}")


def run_crawl(
    sites: list[str],
    db_url: str | None,
    mirror: str | None = None,
    title: str | None = None,
    year: int | None = None,
    verbose: bool = False,
    command: str = "famreel crawl",
) -> CrawlOutcome:
    engine = open_database(db_url)
    with session_scope(engine) as session:
        run_id = start_run(session, command, sites)
    # famreel's settings wherever the command runs (scrapy.cfg only helps inside the project)
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.setdict(
        {
            "FAMREEL_DB": str(engine.url.render_as_string(hide_password=False)),
            "FAMREEL_MIRROR": mirror or "",
            "FAMREEL_MERGE": False,
            "FAMREEL_RUN_ID": run_id,
            "FAMREEL_PROGRESS": True,
            "LOG_LEVEL": "INFO" if verbose else "WARNING",
            "EXTENSIONS": {**settings.getdict("EXTENSIONS"), "crawler.extensions.Progress": 900},
        },
        priority="cmdline",
    )
    process = AsyncCrawlerProcess(settings)
    crawlers = []
    for site in sites:
        crawler = process.create_crawler(spider_class(site))
        crawlers.append(crawler)
        kwargs = {"title": title, "year": str(year) if year else None} if title else {}
        process.crawl(crawler, **kwargs)
    status = "finished"
    try:
        process.start()
    except KeyboardInterrupt:
        status = "interrupted"
    counts = run_counts([c.stats.get_stats() for c in crawlers], sites)
    if any(s.get("finish_reason") not in ("finished", None)
           for s in counts["details"]["sites"].values()):
        status = "failed" if status == "finished" else status
    with session_scope(engine) as session:
        result = merge(session)
        counts["details"]["films_by_sources"] = films_by_source_count(session)
    counts["films_touched"] = result.films_touched
    with session_scope(engine) as session:
        finish_run(session, run_id, status, counts)
    engine.dispose()
    return CrawlOutcome(run_id=run_id, counts=counts, films_touched=result.films_touched)
