"""Downloader and spider components: the mirror download handler, retries with backoff that
honour Retry-After, page checks (wrong charset, truncated HTML), and the crawl-state middlewares
(seeds, skips, conditional requests, failures: see ``crawler.extensions.CrawlState``)."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from itemadapter import is_item
from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response, TextResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.response import response_status_message
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

from crawler.extensions import CrawlState

logger = logging.getLogger(__name__)


def mirror_url(mirror: str, url: str) -> str:
    """``https://HOST/PATH?Q`` -> ``MIRROR/HOST/PATH?Q`` (a trailing ``/`` on MIRROR tolerated)."""
    parts = urlsplit(url)
    target = f"{mirror.rstrip('/')}/{parts.netloc}{parts.path or '/'}"
    return f"{target}?{parts.query}" if parts.query else target


class MirrorDownloadHandler:
    """HTTP(S) handler that, when ``FAMREEL_MIRROR`` is set, fetches every request from the mirror.

    It sits below everything else: the scheduler, download slots, robots.txt, retries, spiders
    and parsers all see the real URL, so slots and per-site settings key on the real host and
    relative links resolve against the real site. Only the bytes come from the mirror.
    """

    lazy = False

    def __init__(self, crawler: Any):
        self.mirror = (crawler.settings.get("FAMREEL_MIRROR") or "").strip()
        self._http = build_from_crawler(HTTP11DownloadHandler, crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> MirrorDownloadHandler:
        return cls(crawler)

    async def download_request(self, request: Request) -> Response:
        if not self.mirror:
            return await self._http.download_request(request)
        response = await self._http.download_request(
            request.replace(url=mirror_url(self.mirror, request.url))
        )
        return response.replace(url=request.url, request=request)

    async def close(self) -> None:
        await self._http.close()


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header (seconds or an HTTP date) in seconds; ``None`` when absent/garbled."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries (5xx, 429, timeouts, connection resets), each after a wait: as long as a
    429/503 ``Retry-After`` asks (capped by ``FAMREEL_MAX_RETRY_AFTER`` seconds; a longer wait
    gives the page up for this run), else an exponential backoff with jitter,
    ``FAMREEL_RETRY_BACKOFF`` x 2^(n-1) seconds for the n-th retry, at most
    ``FAMREEL_RETRY_BACKOFF_MAX``."""

    def __init__(self, settings: Any):
        super().__init__(settings)
        self.max_wait = settings.getfloat("FAMREEL_MAX_RETRY_AFTER", 120.0)
        self.backoff = settings.getfloat("FAMREEL_RETRY_BACKOFF", 1.0)
        self.backoff_max = settings.getfloat("FAMREEL_RETRY_BACKOFF_MAX", 60.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is not None and response.status in (429, 503):
            if wait > self.max_wait:
                logger.warning("%s asks to retry after %.0fs (> %.0fs): giving up for this run",
                               request.url, wait, self.max_wait)
                self.crawler.stats.inc_value("famreel/retry_after_too_long")
                return response
            self.crawler.stats.inc_value("famreel/retry_after_waits")
        return await self._retry_later(request, response_status_message(response.status),
                                       wait) or response

    async def process_exception(self, request: Request, exception: Exception  # type: ignore[override]
                                ) -> Request | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry"):
            return None
        return await self._retry_later(request, exception, None)

    async def _retry_later(self, request: Request, reason: Any, wait: float | None
                           ) -> Request | None:
        retry = self._retry(request, reason)
        if retry is not None:
            if wait is None:
                attempt = retry.meta.get("retry_times", 1)
                wait = min(self.backoff_max, self.backoff * 2 ** (attempt - 1))
                wait *= random.uniform(0.5, 1.0)  # jitter: retries of many pages spread out
            if wait > 0:
                await asyncio.sleep(wait)
        return retry


class PageCheckMiddleware:
    """Pages are decoded correctly or not used: never parsed half.

    - **Wrong or missing charset**: a body that is not UTF-8 although it says it is (or says
      nothing) is decoded as windows-1252, the web's legacy default
      (``famreel/encoding/cp1252_fallback``); one that is neither is dropped
      (``famreel/page_dropped/bad_encoding``, recorded failed).
    - **Truncated HTML**: a page that starts as HTML but has no ``FAMREEL_HTML_END_MARKER``
      (``</html>``), or that Scrapy flags ``dataloss``, is retried and, still cut after the
      retries, dropped (``famreel/page_dropped/truncated``, recorded failed, tried again by the
      next run).

    It sits between the HTTP-compression (590) and the retry (550) middlewares, so it reads
    decompressed bodies and its retries count with the others.
    """

    def __init__(self, crawler: Any):
        self.crawler = crawler
        marker = crawler.settings.get("FAMREEL_HTML_END_MARKER", "</html>")
        self.end_marker = marker.lower().encode("ascii") if marker else b""
        self.state = CrawlState.of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> PageCheckMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status != 200 or not isinstance(response, TextResponse):
            return response
        if self._truncated(response):
            retry = get_retry_request(request, spider=self.crawler.spider,
                                      reason="truncated page")
            if retry is not None:
                return retry
            self._reject(request, "truncated", "truncated page (no end of document)")
        repaired = repair_encoding(response)
        if repaired is None:
            self._reject(request, "bad_encoding", "undecodable body")
        if repaired is not response:
            self.crawler.stats.inc_value("famreel/encoding/cp1252_fallback")
        return repaired

    def _truncated(self, response: TextResponse) -> bool:
        if "dataloss" in response.flags:
            return True
        head = response.body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if not self.end_marker or not head.startswith((b"<!doctype html", b"<html")):
            return False
        return self.end_marker not in response.body[-4096:].lower()

    def _reject(self, request: Request, reason: str, error: str) -> None:
        self.crawler.stats.inc_value(f"famreel/page_dropped/{reason}")
        logger.warning("dropped page (%s): %s", error, request.url)
        if self.state is not None:
            self.state.note_failure(request, error)
        raise IgnoreRequest(f"{reason}: {request.url}")


def repair_encoding(response: TextResponse) -> TextResponse | None:
    """The response decoded right: as is when its body is UTF-8 or in a declared non-UTF-8
    encoding; re-decoded as windows-1252 when it claims UTF-8 (or nothing) but is not;
    ``None`` when it is neither."""
    body = response.body
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
    declared = (read_bom(body)[0] or http_content_type_encoding(content_type)
                or html_body_declared_encoding(body))
    if declared and declared.replace("_", "-").lower() not in ("utf-8", "utf8"):
        return response
    try:
        body.decode("utf-8")
        return response
    except UnicodeDecodeError:
        pass
    try:
        body.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return response.replace(encoding="cp1252")


class CrawlStateDownloaderMiddleware:
    """Sends a page's stored validators (``If-None-Match`` / ``If-Modified-Since``), and records
    requests that still fail after the retries: below the retry middleware, it sees only final
    answers. A 4xx other than 408/429 is recorded as gone (nothing stored, nothing retried)."""

    def __init__(self, crawler: Any, state: CrawlState):
        self.crawler = crawler
        self.state = state
        self.retry_codes = {int(x) for x in crawler.settings.getlist("RETRY_HTTP_CODES")}
        self.allowed = {int(x) for x in crawler.settings.getlist("HTTPERROR_ALLOWED_CODES")}

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlStateDownloaderMiddleware:
        state = CrawlState.of(crawler)
        if state is None:
            raise NotConfigured
        return cls(crawler, state)

    def process_request(self, request: Request) -> None:
        for name in ("If-None-Match", "If-Modified-Since"):
            request.headers.pop(name, None)
        validators = None if request.meta.get("redirect_times") else self.state.validators(
            request)
        if validators is None:
            return
        etag, last_modified = validators
        if etag:
            request.headers["If-None-Match"] = etag
        if last_modified:
            request.headers["If-Modified-Since"] = last_modified
        self.crawler.stats.inc_value("famreel/conditional_requests")

    def process_response(self, request: Request, response: Response) -> Response:
        status = response.status
        allowed = self.allowed | set(request.meta.get("handle_httpstatus_list", ()))
        if status >= 400 and status not in allowed:
            if status >= 500 or status in self.retry_codes:
                self.state.note_failure(request, f"HTTP {status}")
            else:
                self.state.note_gone(request, status)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not isinstance(exception, IgnoreRequest):
            self.state.note_failure(request, f"{type(exception).__name__}: {exception}")


class CrawlStateSpiderMiddleware:
    """Starts a crawl from where the last one stopped and records what every page led to.

    At the start: requests done in this cycle are skipped, and the cycle's pending and failed
    requests (or, in a new cycle, every request still pending or failed) are added. For each
    page: requests done in this cycle are skipped, a page that answered 304 leads again to the
    requests it led to when last fetched, and a page without a review is recorded done together
    with its requests (pending). A review page is recorded by ``StorePipeline`` with its review.
    """

    def __init__(self, crawler: Any, state: CrawlState):
        self.stats = crawler.stats
        self.state = state

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlStateSpiderMiddleware:
        state = CrawlState.of(crawler)
        if state is None:
            raise NotConfigured
        return cls(crawler, state)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        await self.state.open()
        async for output in start:
            if not self._done(output):
                yield output
        for request in self.state.seeds():
            if not self._done(request):
                self.stats.inc_value("famreel/seeded")
                yield request

    async def process_spider_output(self, response: Response, result: AsyncIterator[Any]
                                    ) -> AsyncIterator[Any]:
        children: list[Request] = []
        review = False
        async for output in result:
            if isinstance(output, Request):
                children.append(output)
                if self._done(output):
                    continue
            elif is_item(output):
                self.state.claim(output, response)
                review = True
            yield output
        if response.status == 304:
            for request in self.state.stored_links(response.request):
                children.append(request)
                if not self._done(request):
                    yield request
        if not review:
            self.state.note_followed(response, children)
        await self.state.maybe_flush()

    def _done(self, output: Any) -> bool:
        if isinstance(output, Request) and self.state.is_done(output):
            self.stats.inc_value("famreel/skipped_done")
            return True
        return False
