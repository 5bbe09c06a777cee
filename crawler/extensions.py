"""Progress on stderr while a CLI crawl runs (Scrapy's own logging stays at WARNING there)."""

from __future__ import annotations

import sys
import time
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured


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
        print(f"{name:>14}: {state}, {pages} pages, {items} reviews, {dropped} dropped",
              file=sys.stderr, flush=True)

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
