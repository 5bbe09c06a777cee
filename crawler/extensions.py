"""Extensions: progress on stderr while a CLI crawl runs, robots.txt Crawl-delay, the garbage
collector's thresholds, and the crawl's own record of its requests in the database
(``CrawlState``)."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from sqlalchemy.exc import SQLAlchemyError

from crawler.sites.base import KIND
from storage.crawl_state import (
    DONE,
    FAILED,
    PENDING,
    JobCycle,
    PageRecord,
    SiteState,
    job_mode,
    load_site_state,
    open_cycle,
    record_pages,
    writer_lock,
)
from storage.db import open_database, session_scope, write_retrying

logger = logging.getLogger(__name__)

FAILPOINT_ENV = "FAMREEL_FAILPOINT"
_failpoint_passes: dict[str, int] = {}


class Progress:
    """Every ``FAMREEL_PROGRESS_INTERVAL`` seconds and at the end: pages and reviews per site."""

    def __init__(self, crawler: Any, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.last = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        if not crawler.settings.getbool("FAMREEL_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler, crawler.settings.getfloat("FAMREEL_PROGRESS_INTERVAL", 5.0))
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _line(self, final: bool = False) -> None:
        stats = self.crawler.stats
        name = self.crawler.spider.name
        pages = stats.get_value("response_received_count", 0)
        items = stats.get_value("item_scraped_count", 0)
        dropped = stats.get_value("item_dropped_count", 0)
        state = "done" if final else "crawling"
        not_modified = stats.get_value("famreel/not_modified/review", 0)
        print(f"{name:>14}: {state}, {pages} pages, {items} reviews, {dropped} dropped, "
              f"{not_modified} not modified", file=sys.stderr, flush=True)

    def response_received(self, **_: Any) -> None:
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self._line()

    def spider_closed(self, **_: Any) -> None:
        self._line(final=True)


class RobotsCrawlDelay:
    """Honour robots.txt ``Crawl-delay`` on the real hosts (Kids-In-Mind asks 30 s).

    Scrapy parses robots.txt but does not apply Crawl-delay: when a host's robots.txt is
    parsed, its download slot gets at least that delay, and it is re-applied after AutoThrottle
    adjusts the slot. Under a mirror (``FAMREEL_MIRROR``) politeness delays are 0 by contract,
    so the extension is off.
    """

    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.delays: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> RobotsCrawlDelay:
        if crawler.settings.get("FAMREEL_MIRROR") or not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(ext.response_downloaded, signal=signals.response_downloaded)
        return ext

    def robots_parsed(self, robotparser: Any, request: Any) -> None:
        user_agent = self.crawler.settings.get("USER_AGENT", "")
        delay = robotparser.crawl_delay(user_agent)
        host = urlsplit(request.url).hostname or ""
        if delay and host:
            self.delays[host] = float(delay)
            self._clamp(host)

    def response_downloaded(self, response: Any, request: Any, **_: Any) -> None:
        host = urlsplit(request.url).hostname or ""
        if host in self.delays:
            self._clamp(host)

    def _clamp(self, host: str) -> None:
        downloader = self.crawler.engine.downloader
        delay = self.delays[host]
        downloader.per_slot_settings.setdefault(host, {})["delay"] = delay
        slot = downloader.slots.get(host)
        if slot is not None and slot.delay < delay:
            slot.delay = delay


class CollectorThresholds:
    """Set the cyclic garbage collector's thresholds for the crawler process
    (``FAMREEL_GC_THRESHOLDS``, three integers as for ``gc.set_threshold``; empty: Python's).

    Python's (700, 10, 10) collect the youngest generation every 700 new container objects and
    the whole heap every hundred of those: a crawl allocates thousands of objects a page while it
    keeps hundreds of thousands alive (queued requests, the crawl state, the items of a batch), so
    the collector walked them again and again: 12.4 s of a 2,000-film mirror crawl's 56 s of CPU,
    2.7 s with (20000, 5, 5) (``bench/gc_thresholds.py``, README "Throughput"). The price is
    memory: garbage in reference cycles (Twisted failures, responses held by them) lives longer,
    and the crawl's peak RSS rose from 282 to 412 MB; (50000, 20, 10), as fast, took 586.
    Process-wide, like the collector itself.
    """

    @classmethod
    def from_crawler(cls, crawler: Any) -> CollectorThresholds:
        value = crawler.settings.getlist("FAMREEL_GC_THRESHOLDS")
        if not value:
            raise NotConfigured
        try:
            thresholds = [int(part) for part in value]
            if len(thresholds) != 3 or min(thresholds) < 0:
                raise ValueError
        except ValueError:
            logger.warning("FAMREEL_GC_THRESHOLDS must be three integers >= 0, not %r: "
                           "Python's thresholds kept", value)
            raise NotConfigured from None
        gc.set_threshold(*thresholds)
        return cls()


def failpoint(name: str) -> None:
    """SIGKILL this process the N-th time it passes point ``name`` when ``$FAMREEL_FAILPOINT``
    is ``name:N``: how the kill-and-resume tests crash a crawl at a chosen moment (``fetch``: a
    page downloaded; ``store``: inside a review write; ``state``: inside a crawl-state write;
    ``merge``: inside the merge; ``parse``: a parser process, before a page). Unset, it costs
    one environment lookup."""
    wanted, _, count = (os.environ.get(FAILPOINT_ENV) or "").partition(":")
    if wanted != name:
        return
    _failpoint_passes[name] = _failpoint_passes.get(name, 0) + 1
    if _failpoint_passes[name] >= int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)


FP_META = "famreel_fp"  # a request's fingerprint as first emitted (kept by retries and redirects)

# A batch the database refused (down, out of space, a constraint it should not have) stays in
# memory and goes with the next write, WRITE_PAUSE seconds later at the earliest; at the end of
# the crawl the last write is tried FINAL_WRITE_ATTEMPTS times. What still could not be written
# is counted under famreel/lost/<what>, and the run ends "failed": the next run fetches those
# pages again (they were never recorded done).
WRITE_PAUSE = 2.0
FINAL_WRITE_ATTEMPTS = 3
LOST_PREFIX = "famreel/lost/"


def write_refused(stats: Any, what: str, count: int, exc: Exception) -> float:
    """Count and log a write the database refused whose data is kept; when to try again."""
    stats.inc_value(f"famreel/write_failed/{what}")
    logger.warning("could not write %d %s, kept for the next write: %s", count, what,
                   str(exc).splitlines()[0])
    return time.monotonic() + WRITE_PAUSE


async def last_write(flush: Callable[[], Awaitable[None]], left: Callable[[], int], stats: Any,
                     what: str) -> None:
    """The crawl's last ``flush()``, tried FINAL_WRITE_ATTEMPTS times while ``left()`` (what a
    refused write kept) is not 0; what is left after that is counted lost."""
    for attempt in range(FINAL_WRITE_ATTEMPTS):
        if attempt:
            await asyncio.sleep(WRITE_PAUSE)
        await flush()
        if not left():
            return
    stats.set_value(f"{LOST_PREFIX}{what}", left())
    logger.error("%d %s could not be written to the database: lost to this run, whose pages the "
                 "next run fetches again", left(), what)


class CrawlState:
    """The crawl's own record of its requests (``storage.crawl_state``) for one spider.

    ``CrawlState.of(crawler)`` finds it: ``CrawlStateSpiderMiddleware`` seeds the crawl, skips
    requests done in this cycle and records what each page led to;
    ``CrawlStateDownloaderMiddleware`` sends the stored validators and records requests that
    still fail; ``StorePipeline`` marks a review page done in the transaction that stores its
    review. Other records are buffered and written every ``FAMREEL_BATCH_SIZE`` records or
    ``FAMREEL_FLUSH_SECONDS``: losing them in a kill only means fetching those pages again.

    Settings: ``FAMREEL_CRAWL_STATE`` (on), ``FAMREEL_FULL`` (a new cycle and no conditional
    requests), ``FAMREEL_GIVE_UP_AFTER`` (runs in a row a failing page is retried).
    """

    def __init__(self, crawler: Any):
        settings = crawler.settings
        self.crawler = crawler
        self.db_url = settings.get("FAMREEL_DB") or None
        self.full = settings.getbool("FAMREEL_FULL")
        self.give_up_after = settings.getint("FAMREEL_GIVE_UP_AFTER", 10)
        self.batch_size = settings.getint("FAMREEL_BATCH_SIZE", 100)
        self.flush_seconds = settings.getfloat("FAMREEL_FLUSH_SECONDS", 5.0)
        self.engine: Any = None
        self.site = ""
        self.job: JobCycle | None = None
        self.known = SiteState()
        self.buffer: list[PageRecord] = []
        self.claimed: dict[int, PageRecord] = {}
        self.pending_recorded: set[str] = set()  # fingerprints this crawl recorded pending
        self.last_flush = time.monotonic()
        self.retry_at = 0.0  # after a refused write, not before
        self._opening = asyncio.Lock()
        self._flushing = asyncio.Lock()

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlState:
        if not crawler.settings.getbool("FAMREEL_CRAWL_STATE", True):
            raise NotConfigured
        ext = cls(crawler)
        if os.environ.get(FAILPOINT_ENV):  # a test's "fetch" point: no signal per page else
            crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    @staticmethod
    def of(crawler: Any) -> CrawlState | None:
        """The crawler's CrawlState (``None`` when switched off)."""
        return crawler.get_extension(CrawlState)

    # -- opening: the job's cycle and what is known about the site
    async def open(self) -> None:
        async with self._opening:
            if self.job is None:
                await asyncio.to_thread(self._open)

    def _open(self) -> None:
        spider = self.crawler.spider
        self.site = spider.name
        mode = job_mode(getattr(spider, "title", None), getattr(spider, "year", None))
        self.engine = open_database(self.db_url)
        with writer_lock(self.engine), session_scope(self.engine) as session:
            job = open_cycle(session, self.site, mode, full=self.full)
        with session_scope(self.engine) as session:
            self.known = load_site_state(session, self.site, job, retry_failed=mode == "full",
                                         give_up_after=self.give_up_after)
        self.job = job
        stats = self.crawler.stats
        stats.set_value("famreel/job_id", job.job_id)
        stats.set_value("famreel/cycle", job.cycle)
        stats.set_value("famreel/resumed", int(job.resumed))
        stats.set_value("famreel/seeds", len(self.known.seeds))

    # -- requests
    def track(self, request: Request) -> str:
        """The request's fingerprint, kept in its meta so retries and redirects keep it."""
        fp = request.meta.get(FP_META)
        if fp is None:
            fp = self.crawler.request_fingerprinter.fingerprint(request).hex()
            request.meta[FP_META] = fp
        return fp

    def is_done(self, request: Request) -> bool:
        """Done in this cycle (its result is stored): a resumed crawl does not fetch it again."""
        return self.track(request) in self.known.done

    def validators(self, request: Request) -> tuple[str | None, str | None] | None:
        if self.full:
            return None
        return self.known.validators.get(request.meta.get(FP_META, ""))

    def seeds(self) -> list[Request]:
        return [self._rebuild(fp) for fp in self.known.seeds]

    def stored_links(self, request: Request) -> list[Request]:
        """The requests a page led to when it was last fetched (it now answered 304)."""
        fps = self.known.links.get(request.meta.get(FP_META, ""), [])
        return [self._rebuild(fp) for fp in fps if fp in self.known.requests]

    def _rebuild(self, fp: str) -> Request:
        data = self.known.requests[fp]
        return Request(data["url"], method=data.get("method", "GET"), headers=data.get("headers"),
                       body=data.get("body", "").encode("utf-8"),
                       meta={**data.get("meta", {}), FP_META: fp})

    # -- records
    def page_record(self, response: Response, status: str, outcome: str | None = None,
                    links: list[str] | None = None) -> PageRecord:
        """A page's new state; a 304 keeps the stored validators, outcome and links."""
        request = response.request
        complete = response.status == 200  # validators of a 202 or 203 validate nothing here
        return PageRecord(
            self.track(request), request.url, self.site, status, kind=request.meta.get(KIND),
            outcome=outcome,
            etag=_header(response, "ETag") if complete else None,
            last_modified=_header(response, "Last-Modified") if complete else None,
            links=None if response.status == 304 else links,
        )

    def child_record(self, request: Request) -> PageRecord:
        """A request a page led to, pending, with what it takes to ask for it again (taken as
        the spider made it, before other middlewares add their headers and meta)."""
        return PageRecord(self.track(request), request.url, self.site, PENDING,
                          kind=request.meta.get(KIND), request=request_record(request))

    def note_followed(self, response: Response, children: list[Request]) -> None:
        """A page without a review is done once the requests it led to are pending: both in the
        same write. A request already recorded pending by this crawl (most reviews are linked
        from several listings) or done in this cycle is not recorded again."""
        links = [self.track(child) for child in children]
        records = []
        for child, fingerprint in zip(children, links, strict=True):
            if fingerprint not in self.known.done and fingerprint not in self.pending_recorded:
                self.pending_recorded.add(fingerprint)
                records.append(self.child_record(child))
        outcome = None if response.status == 304 else ("followed" if children else "empty")
        page = self.page_record(response, DONE, outcome, links)
        if outcome == "empty":  # no validators: a fixed parser must read it again next time
            page.etag = page.last_modified = None
        self.buffer.extend([*records, page])

    def claim(self, item: Any, response: Response) -> None:
        """Remember which page a review item came from, for the pipeline that stores it."""
        self.claimed[id(item)] = self.page_record(response, DONE)

    def take(self, item: Any) -> PageRecord | None:
        return self.claimed.pop(id(item), None)

    def note_failure(self, request: Request, error: str) -> None:
        """Still failing after retries: recorded, and retried by the next run."""
        if FP_META in request.meta:
            self.crawler.stats.inc_value("famreel/pages_failed")
            self.buffer.append(PageRecord(request.meta[FP_META], request.url, self.site, FAILED,
                                          kind=request.meta.get(KIND), error=error[:2000]))

    def note_gone(self, request: Request, status: int) -> None:
        """A 404 (or another final 4xx): nothing to store, nothing to retry."""
        if FP_META in request.meta:
            self.buffer.append(PageRecord(request.meta[FP_META], request.url, self.site, DONE,
                                          kind=request.meta.get(KIND), outcome=f"gone:{status}"))

    def write(self, session: Any, records: list[PageRecord]) -> None:
        """Write records in the caller's transaction."""
        record_pages(session, records, self.job)

    async def maybe_flush(self) -> None:
        now = time.monotonic()
        if now >= self.retry_at and (len(self.buffer) >= self.batch_size or (
            self.buffer and now - self.last_flush >= self.flush_seconds
        )):
            await self.flush()

    async def flush(self) -> None:
        async with self._flushing:
            records, self.buffer = self.buffer, []
            self.last_flush = time.monotonic()
            if records and self.job is not None:
                try:
                    await asyncio.to_thread(self._write_buffered, records)
                except SQLAlchemyError as exc:
                    self.buffer[:0] = records  # before what came since: the order is kept
                    self.retry_at = write_refused(self.crawler.stats, "crawl-state records",
                                                  len(records), exc)

    def _write_buffered(self, records: list[PageRecord]) -> None:
        def work(session: Any) -> None:
            self.write(session, records)
            failpoint("state")

        with writer_lock(self.engine):
            write_retrying(self.engine, work)

    # -- signals
    def response_received(self, **_: Any) -> None:
        failpoint("fetch")

    def item_dropped(self, item: Any, exception: BaseException, **_: Any) -> None:
        """A dropped review is not stored: its page failed, and the next run tries it again."""
        record = self.take(item)
        if record is not None:
            record.status, record.error = FAILED, f"dropped: {exception}"[:2000]
            record.etag = record.last_modified = None  # next time it must be read whole
            self.buffer.append(record)

    async def spider_closed(self, **_: Any) -> None:
        # (without a job, opened never, flush() drops the records: nothing is left)
        await last_write(self.flush, lambda: len(self.buffer), self.crawler.stats,
                         "crawl-state records")
        if self.engine is not None:
            self.engine.dispose()


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1")[:256] if value else None


def request_record(request: Request) -> dict[str, Any]:
    """What it takes to request it again in another run: URL, method, headers, body and the
    JSON-safe meta the spider gave it (requests are built without callbacks: see KIND)."""
    record: dict[str, Any] = {"url": request.url}
    if request.method != "GET":
        record["method"] = request.method
    if request.body:
        record["body"] = request.body.decode("utf-8", errors="replace")
    headers = {k.decode("latin-1"): [v.decode("latin-1") for v in values]
               for k, values in request.headers.items()}
    if headers:
        record["headers"] = headers
    meta = {k: v for k, v in request.meta.items() if k != FP_META and _json_safe(v)}
    if meta:
        record["meta"] = meta
    return record


def _json_safe(value: Any) -> bool:
    if value is None or type(value) in (str, int, float, bool):  # nearly every meta value
        return True
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True
