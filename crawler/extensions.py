"""Progress on stderr while a CLI crawl runs (Scrapy's own logging stays at WARNING there)."""

from __future__ import annotations

import sys
import time
from typing import Any

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
