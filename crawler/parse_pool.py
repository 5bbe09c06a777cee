"""Review pages parsed in worker processes, so that the reactor's core keeps to crawling.

A crawler process runs its Python on one core, and parsing a review page (lxml and the site
parser's selectors, about 2 ms of CPU) is the largest share of a page's cost: with
``FAMREEL_PARSE_PROCESSES`` = N > 0 the spider sends each review page to one pool of N processes
shared by every spider of the process and awaits the item, while Scrapy goes on fetching. The
site parser is the same function (``site.parse_review``); only where it runs changes. Listing
and search pages stay in the crawler process: they are few, and their links feed the scheduler
and the crawl state there.

Each worker is a fresh interpreter (``serve`` in ``python -c``, never a fork of a process
running a reactor and threads) joined to the crawler by a socket pair that the event loop reads
itself: length-prefixed pickles, one page in, one ``Parsed`` out, in order. Not
``concurrent.futures.ProcessPoolExecutor``: its feeder and manager threads fight the reactor
for the GIL, and measured they cost the crawler process more than the parsing they took away.

Meant for a CPU-bound crawler (a mirror replay, a frontier worker on a fast network) with cores
to spare. On the 2-vCPU VM of README "Throughput" one worker took a 10,000-film crawl from 200
to 237 pages/s, and was within the noise on 600 films (both vCPUs busy slow every process).
Against the real sites the politeness delays bound a crawl, so the default is 0 (parse in the
crawler process).

A worker that dies takes no page with it: its pages are parsed in the crawler process and a new
worker starts (stat ``famreel/parse_pool/restarted``), up to
``MAX_RESTARTS`` times a pool; after that the crawl parses in its own process.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import os
import pickle
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from types import ModuleType
from typing import Any, BinaryIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.extensions import failpoint
from crawler.sites import site_module
from crawler.sites.base import with_plain_selectors

logger = logging.getLogger(__name__)

_META_TYPES = (str, int, float, bool, type(None))  # the meta a parser may read (IMDb's title id)
MAX_RESTARTS = 3  # a pool whose workers died more often (a page that kills lxml?) is given up
_HEADER = 4  # bytes of a message's length


@dataclass
class Parsed:
    """What parsing one page gave: the site parser's result (an item, a follow-up request or
    ``None``) or the error it raised, and the CPU milliseconds it took."""

    result: Any = None
    error: str | None = None
    cpu_ms: float = 0.0


def parse_page(site: ModuleType, response: Response) -> Parsed:
    """Run a site module's review parser on ``response`` (in whatever process this is)."""
    started = time.thread_time()
    try:
        parsed = Parsed(result=site.parse_review(with_plain_selectors(response)))
    except Exception as exc:  # the spider counts and logs it
        parsed = Parsed(error=f"{type(exc).__name__}: {exc}")
    parsed.cpu_ms = (time.thread_time() - started) * 1000
    return parsed


# --- the worker process ------------------------------------------------------------------------


def _page_message(response: Response) -> bytes:
    meta = {k: v for k, v in response.meta.items() if isinstance(v, _META_TYPES)}
    return pickle.dumps((type(response), response.url, response.status, dict(response.headers),
                         response.body, response.encoding, response.request.url, meta),
                        protocol=pickle.HIGHEST_PROTOCOL)


def _parse_message(site: str, data: bytes) -> Parsed:
    from scrapy import Request

    started = time.thread_time()
    cls, url, status, headers, body, encoding, request_url, meta = pickle.loads(data)
    response = cls(url, status=status, headers=headers, body=body, encoding=encoding,
                   request=Request(request_url, meta=meta))
    parsed = parse_page(site_module(site), response)
    parsed.cpu_ms = (time.thread_time() - started) * 1000  # building the response included
    return parsed


def _read_message(stream: BinaryIO) -> bytes | None:
    header = stream.read(_HEADER)
    if len(header) < _HEADER:
        return None
    return stream.read(int.from_bytes(header, "big"))


def serve(fd: int) -> None:
    """A worker's loop: ``(site, page)`` messages in, ``Parsed`` messages out, until EOF."""
    # Ctrl-C reaches the whole process group: the crawler process shuts its workers down
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sock = socket.socket(fileno=fd)
    try:
        _serve(sock.makefile("rb"), sock.makefile("wb"))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the crawler process is gone or done
    finally:
        sock.close()


def _serve(reader: BinaryIO, writer: BinaryIO) -> None:
    while (site := _read_message(reader)) is not None:
        page = _read_message(reader)
        if page is None:
            return
        failpoint("parse")
        parsed = _parse_message(site.decode("ascii"), page)
        try:
            data = pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - a result that cannot travel is an error
            data = pickle.dumps(Parsed(error=f"unpicklable result: {exc}"))
        writer.write(len(data).to_bytes(_HEADER, "big") + data)
        writer.flush()


# --- the crawler's side ------------------------------------------------------------------------


# not ``-m crawler.parse_pool``: run as __main__, this module's classes would travel back as
# ``__main__.Parsed``, which the crawler process cannot unpickle
WORKER_MAIN = "import sys; from crawler.parse_pool import serve; serve(int(sys.argv[1]))"


class WorkerDied(Exception):
    pass


class ParserProcess:
    """One worker and the pages it holds (answered in the order they were sent)."""

    def __init__(self) -> None:
        mine, theirs = socket.socketpair()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER_MAIN, str(theirs.fileno())],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env=env)
        theirs.close()
        self.sock = mine
        self.waiting: collections.deque[asyncio.Future[Parsed]] = collections.deque()
        self.writer: asyncio.StreamWriter | None = None
        self.connecting: asyncio.Future[asyncio.StreamWriter] | None = None
        self.reading: asyncio.Task[None] | None = None
        self.alive = True

    async def _connect(self) -> asyncio.StreamWriter:
        reader, writer = await asyncio.open_connection(sock=self.sock)
        self.reading = asyncio.ensure_future(self._read(reader))
        return writer

    async def parse(self, site: str, response: Response) -> Parsed:
        if self.writer is None:  # one connection, however many pages arrive while it opens
            if self.connecting is None:
                self.connecting = asyncio.ensure_future(self._connect())
            self.writer = await self.connecting
        answer: asyncio.Future[Parsed] = asyncio.get_running_loop().create_future()
        self.waiting.append(answer)
        page = _page_message(response)
        name = site.encode("ascii")
        self.writer.write(len(name).to_bytes(_HEADER, "big") + name)
        self.writer.write(len(page).to_bytes(_HEADER, "big"))
        self.writer.write(page)
        try:
            await self.writer.drain()
        except ConnectionError:
            self._died()
        return await answer

    async def _read(self, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                header = await reader.readexactly(_HEADER)
                data = await reader.readexactly(int.from_bytes(header, "big"))
                self.waiting.popleft().set_result(pickle.loads(data))
        except (asyncio.IncompleteReadError, ConnectionError):
            self._died()

    def _died(self) -> None:
        self.alive = False
        while self.waiting:
            answer = self.waiting.popleft()
            if not answer.done():
                answer.set_exception(WorkerDied())

    def close(self) -> None:
        """End the worker (EOF on its socket) and join it."""
        # EOF now: a transport's close() only takes effect on the loop's next turn, which the
        # wait below would hold up (for its whole timeout)
        try:
            self.sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the worker is gone already
        if self.writer is not None:
            self.writer.close()
        else:
            self.sock.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.reading is not None:
            self.reading.cancel()


class ParsePool:
    """The process's one pool of parser processes, opened by the first spider that needs it and
    shut down (its workers joined: their CPU is then in this process's ``RUSAGE_CHILDREN``,
    which bench/crawl.py reports) when the last one closes."""

    _shared: ParsePool | None = None

    def __init__(self, processes: int):
        self.users = 0
        self.restarts = 0
        self.workers = [ParserProcess() for _ in range(processes)]

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
        for worker in self.workers:
            worker.close()
        self.workers = []

    async def parse(self, site: str, response: Response, stats: Any) -> Parsed:
        if not self.workers:  # given up: parse here
            return parse_page(site_module(site), response)
        worker = min(self.workers, key=lambda w: len(w.waiting))
        try:
            return await worker.parse(site, response)
        except WorkerDied:
            if worker in self.workers:  # the first page to find it dead replaces it
                self._replace(worker, stats, response.url)
            return parse_page(site_module(site), response)

    def _replace(self, dead: ParserProcess, stats: Any, url: str) -> None:
        self.workers.remove(dead)
        dead.close()
        self.restarts += 1
        if self.restarts > MAX_RESTARTS:
            logger.error("parser processes died %d times: parsing in the crawler process from "
                         "now on (last page: %s)", self.restarts, url)
            self.close()
            return
        stats.inc_value("famreel/parse_pool/restarted")
        logger.error("a parser process died (exit %s); its pages are parsed here and a new one "
                     "starts (page: %s)", dead.process.returncode, url)
        self.workers.append(ParserProcess())


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

