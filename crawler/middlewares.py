"""Downloader components: the mirror download handler and Retry-After-aware retries."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.response import response_status_message

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
    """Scrapy's retries, waiting as long as a 429/503 ``Retry-After`` asks (capped by
    ``FAMREEL_MAX_RETRY_AFTER`` seconds; a longer wait gives the page up for this run)."""

    def __init__(self, settings: Any):
        super().__init__(settings)
        self.max_wait = settings.getfloat("FAMREEL_MAX_RETRY_AFTER", 120.0)

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
            if wait > 0:
                self.crawler.stats.inc_value("famreel/retry_after_waits")
                await asyncio.sleep(wait)
        return self._retry(request, response_status_message(response.status)) or response
