"""Review pages parsed in worker processes, so that the reactor's core keeps to crawling.

A crawler process runs its Python on one core, and parsing a review page (lxml and the site
parser's selectors, about 2 ms of CPU) is the largest share of a page's cost: with
``FAMREEL_PARSE_PROCESSES`` = N > 0 the spider sends each review page to one pool of N processes
shared by every spider of the process and awaits the item, while Scrapy goes on fetching. The
site parser is the same function (``site.parse_review``); only where it runs changes. Listing
and search pages stay in the crawler process: they are few, and their links feed the scheduler
and the crawl state there.

Worth it where the crawler is CPU-bound (a mirror replay, a frontier worker on a fast network);
against the real sites the politeness delays bound a crawl, so the default is 0 (parse in the
crawler process). A worker that dies takes no page with it: the page is parsed in the crawler
process instead and the pool is started again (stat ``famreel/parse_pool/restarted``).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.extensions import failpoint
from crawler.sites import site_module

logger = logging.getLogger(__name__)

_META_TYPES = (str, int, float, bool, type(None))  # the meta a parser may read (IMDb's title id)
MAX_RESTARTS = 3  # a pool broken more often than this (a page that kills lxml?) is given up


@dataclass
class Parsed:
    """What parsing one page gave: the site parser's result (an item, a follow-up request or
    ``None``) or the error it raised, and the CPU milliseconds it took in the worker."""

    result: Any = None
    error: str | None = None
    cpu_ms: float = 0.0


def parse_page(site: ModuleType, response: Response) -> Parsed:
    """Run a site module's review parser on ``response`` (in whatever process this is)."""
    started = time.thread_time()
    try:
        parsed = Parsed(result=site.parse_review(response))
    except Exception as exc:  # the spider counts and logs it
        parsed = Parsed(error=f"{type(exc).__name__}: {exc}")
    parsed.cpu_ms = (time.thread_time() - started) * 1000
    return parsed


def _parse_in_worker(site: str, cls: type, url: str, status: int, headers: dict[bytes, Any],
                     body: bytes, encoding: str, request_url: str, meta: dict[str, Any]
                     ) -> Parsed:
    from scrapy import Request

    failpoint("parse")
    started = time.thread_time()
    response = cls(url, status=status, headers=headers, body=body, encoding=encoding,
                   request=Request(request_url, meta=meta))
    parsed = parse_page(site_module(site), response)
    parsed.cpu_ms = (time.thread_time() - started) * 1000  # building the response included
    return parsed


def _quiet_worker() -> None:
    """Ctrl-C reaches the whole process group: the crawler process shuts its workers down."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import crawler.sites  # noqa: F401 - import the parsers once, not with the first page


class ParsePool:
    """The process's one pool of parser processes, opened by the first spider that needs it and
    shut down (its workers joined) when the last one closes."""

    _shared: ParsePool | None = None

    def __init__(self, processes: int):
        self.processes = processes
        self.users = 0
        self.restarts = 0
        self.executor: ProcessPoolExecutor | None = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # spawn: a fresh interpreter per worker, never a fork of a process running a reactor
        # and threads; its workers are this process's own children (their CPU is in
        # RUSAGE_CHILDREN once joined, which bench/crawl.py reports)
        return ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_quiet_worker)

    @classmethod
    def acquire(cls, processes: int) -> ParsePool:
        if cls._shared is None:
            cls._shared = cls(processes)
        cls._shared.users += 1
        return cls._shared

    def release(self) -> None:
        self.users -= 1
        if self.users <= 0 and ParsePool._shared is self:
            ParsePool._shared = None
            self.close()

    def close(self) -> None:
        """Shut the workers down and join them."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    async def parse(self, site: str, response: Response, stats: Any) -> Parsed:
        executor = self.executor
        if executor is None:  # broken too often: parse here
            return parse_page(site_module(site), response)
        meta = {k: v for k, v in response.meta.items() if isinstance(v, _META_TYPES)}
        args = (site, type(response), response.url, response.status, dict(response.headers),
                response.body, response.encoding, response.request.url, meta)
        try:
            return await asyncio.wrap_future(executor.submit(_parse_in_worker, *args))
        except BrokenProcessPool:
            if executor is self.executor:  # the first page to find it broken replaces it
                self._replace(stats, response.url)
            return parse_page(site_module(site), response)

    def _replace(self, stats: Any, url: str) -> None:
        broken = self.executor
        self.restarts += 1
        if self.restarts > MAX_RESTARTS:
            self.executor = None
            logger.error("parser processes died %d times: parsing in the crawler process from "
                         "now on (last page: %s)", self.restarts, url)
        else:
            stats.inc_value("famreel/parse_pool/restarted")
            logger.error("a parser process died; its pages are parsed here and the pool "
                         "starts again (page: %s)", url)
            self.executor = self._start()
        assert broken is not None
        broken.shutdown(wait=False, cancel_futures=True)


class ParseWorkers:
    """Extension: the crawler's share of the ``ParsePool`` (``FAMREEL_PARSE_PROCESSES``)."""

    def __init__(self, crawler: Any, processes: int):
        self.crawler = crawler
        self.processes = processes
        self.pool: ParsePool | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ParseWorkers:
        processes = crawler.settings.getint("FAMREEL_PARSE_PROCESSES", 0)
        if processes <= 0:
            raise NotConfigured
        ext = cls(crawler, processes)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, **_: Any) -> None:
        self.pool = ParsePool.acquire(self.processes)

    def spider_closed(self, **_: Any) -> None:
        if self.pool is not None:
            self.pool.release()
            self.pool = None

    async def parse(self, site: str, response: Response) -> Parsed:
        if self.pool is None:  # not opened (yet): parse here
            return parse_page(site_module(site), response)
        return await self.pool.parse(site, response, self.crawler.stats)
