"""Run famreel's spiders in one process and merge once: what ``famreel crawl`` and
``famreel demo`` do. (Twisted's reactor cannot restart: one call per process.)

Around the spiders, ``RunRecord``: the run lock, the ``crawl_runs`` row, the merge (which also
closes the finished crawl cycles, in one transaction) and the monitor's checks.
"""

from __future__ import annotations

import logging
import os
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scrapy.crawler import AsyncCrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from aggregator.merge import merge
from crawler.extensions import LOST_PREFIX, failpoint
from crawler.monitoring import Check, as_dicts, check_site
from crawler.runstats import run_counts
from crawler.sites import site_module
from crawler.timers import cpu_ms
from storage.crawl_state import EXCLUSIVE, RunLock, close_cycles, frontier_scope, writer_lock
from storage.db import open_database, serialize_merges, session_scope
from storage.repository import films_by_source_count, finish_run, start_run

if TYPE_CHECKING:
    from crawler.frontier import Frontier


logger = logging.getLogger(__name__)


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
    status: str = "finished"
    checks: list[Check] = field(default_factory=list)


class RunRecord:
    """One crawl run from its lock to its finished ``crawl_runs`` row: what ``famreel crawl``
    does around its spiders, and what ``StorePipeline`` does around a lone ``scrapy crawl``.

    ``start()`` takes the run lock (``storage.crawl_state.LockHeld`` when another live crawl
    holds the database; the runs of dead holders are marked ``killed``) and writes the row.
    ``finish()`` merges, closing the cycles of the spiders that finished in the merge's
    transaction, runs the monitor's checks and writes the counts and the status: ``finished``,
    ``checks_failed``, ``interrupted`` (Ctrl-C or SIGTERM: the next run resumes) or ``failed``.
    """

    def __init__(self, engine: Any, command: str, sites: list[str], scope: str = EXCLUSIVE):
        self.engine = engine
        self.command = command
        self.sites = sites
        self.lock = RunLock(engine, scope)
        self.run_id = 0

    def start(self) -> int:
        killed = self.lock.acquire()
        try:
            with session_scope(self.engine) as session:
                self.run_id = start_run(session, self.command, self.sites)
            self.lock.attach(self.run_id)
        except BaseException:
            self.lock.release()
            raise
        if killed:
            logger.warning("run(s) %s had died: this run takes over their unfinished cycles",
                           ", ".join(map(str, killed)))
        return self.run_id

    def finish(self, all_stats: list[dict[str, Any]], settings: Any, interrupted: bool = False,
               merge_reviews: bool = True, monitor: bool = True) -> CrawlOutcome:
        try:
            return self._finish(all_stats, settings, interrupted, merge_reviews, monitor)
        finally:
            self.lock.release()

    def _finish(self, all_stats: list[dict[str, Any]], settings: Any, interrupted: bool,
                merge_reviews: bool, monitor: bool) -> CrawlOutcome:
        counts = run_counts(all_stats, self.sites)
        finished = {site: stats for site, stats in zip(self.sites, all_stats, strict=True)
                    if stats.get("finish_reason") == "finished" and "famreel/job_id" in stats}
        with writer_lock(self.engine), session_scope(self.engine) as session, \
                cpu_ms(counts["details"]["cpu_ms"], "merge"):
            serialize_merges(session)  # frontier workers elsewhere merge into the same films
            result = merge(session) if merge_reviews else None
            close_cycles(session, [(s["famreel/job_id"], s["famreel/cycle"])
                                   for s in finished.values()])
            failpoint("merge")
            counts["details"]["films_by_sources"] = films_by_source_count(session)
        counts["films_touched"] = result.films_touched if result else 0
        checks: list[Check] = []
        if monitor:
            with session_scope(self.engine) as session:
                for site, stats in finished.items():
                    checks += check_site(session, site, stats, settings)
        counts["checks_failed"] = sum(not c.ok for c in checks)
        counts["details"]["checks"] = as_dicts(checks)
        status = run_status(all_stats, interrupted)
        if status == "finished" and counts["checks_failed"]:
            status = "checks_failed"
        with session_scope(self.engine) as session:
            finish_run(session, self.run_id, status, counts)
        return CrawlOutcome(run_id=self.run_id, counts=counts,
                            films_touched=counts["films_touched"], status=status, checks=checks)


def run_status(all_stats: list[dict[str, Any]], interrupted: bool = False) -> str:
    reasons = {stats.get("finish_reason") for stats in all_stats}
    if interrupted or "shutdown" in reasons:
        return "interrupted"
    lost = any(value for stats in all_stats for key, value in stats.items()
               if key.startswith(LOST_PREFIX))
    return "finished" if reasons <= {"finished"} and not lost else "failed"


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
    frontier: Frontier | None = None,
    full: bool = False,
    overrides: dict[str, str] | None = None,
    processes: int = 1,
) -> CrawlOutcome:
    """Crawl ``sites``, merge once, check and record the run.

    One run at a time per database (``LockHeld`` otherwise); the workers of a frontier run share
    its lock instead. ``full``: a new cycle of every site and no conditional requests.
    ``overrides``: Scrapy settings given on the command line (``famreel crawl -s NAME=VALUE``).
    ``processes``: crawler processes the sites are spread over (``crawler.processes``); 1 runs
    every spider in this process. A title crawl is not monitored.
    """
    engine = open_database(db_url)
    scope = frontier_scope(frontier.run) if frontier is not None else EXCLUSIVE
    record = RunRecord(engine, command, sites, scope)
    try:
        record.start()
        run_settings = {
            "FAMREEL_DB": str(engine.url.render_as_string(hide_password=False)),
            "FAMREEL_MIRROR": mirror or "",
            "FAMREEL_MERGE": False,
            "FAMREEL_RUN_ID": record.run_id,
            "FAMREEL_FULL": full,
            "FAMREEL_PROGRESS": True,
            "LOG_LEVEL": "INFO" if verbose else "WARNING",
            "EXTENSIONS": {**project_settings().getdict("EXTENSIONS"),
                           "crawler.extensions.Progress": 900},
        }
        if frontier is not None:  # a worker of a shared Redis frontier (crawler/frontier.py)
            run_settings.update(frontier.settings())
        run_settings.update(overrides or {})
        spider_args = {"title": title, "year": str(year) if year else None} if title else {}
        if processes > 1 and len(sites) > 1:
            from crawler.processes import crawl_in_processes

            all_stats, interrupted = crawl_in_processes(
                engine, sites, processes, run_settings, spider_args)
        else:
            all_stats, interrupted = crawl_sites(sites, run_settings, spider_args)
        return record.finish(all_stats, project_settings(run_settings), interrupted=interrupted,
                             monitor=title is None)
    finally:
        record.lock.release()  # already released by finish(), unless the crawl never got there
        engine.dispose()


def project_settings(overrides: dict[str, Any] | None = None) -> Settings:
    """famreel's settings wherever the command runs (scrapy.cfg only helps inside the project),
    with ``overrides`` at command-line priority."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.setdict(overrides or {}, priority="cmdline")
    return settings


def crawl_sites(sites: list[str], run_settings: dict[str, Any], spider_args: dict[str, Any]
                ) -> tuple[list[dict[str, Any]], bool]:
    """Run the spiders of ``sites`` in this process until they close: each one's stats, in
    the order of ``sites``, and whether Ctrl-C stopped the crawl."""
    process = AsyncCrawlerProcess(project_settings(run_settings))
    crawlers = []
    for site in sites:
        crawler = process.create_crawler(spider_class(site))
        crawlers.append(crawler)
        process.crawl(crawler, **spider_args)
    interrupted = False
    try:
        process.start()
    except KeyboardInterrupt:
        interrupted = True
    return [c.stats.get_stats() for c in crawlers], interrupted
