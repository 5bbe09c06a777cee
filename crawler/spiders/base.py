"""The spider every site shares: discovery and parsing live in the site module.

Spider arguments (strings, as Scrapy passes them):

``title``  one-off crawl: run the site's own search for this title instead of its listings
``year``   with ``title``: passed to sites whose search takes a year (optional)
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from types import ModuleType
from typing import Any, ClassVar

import scrapy
from scrapy import signals
from scrapy.http import Response

from crawler.items import Review
from crawler.parse_pool import ParseWorkers, parse_page
from crawler.sites.base import KIND, LISTING, REVIEW, SEARCH, with_plain_selectors
from crawler.timers import StageClock

logger = logging.getLogger(__name__)

# A review says something about the film for parents. A page parsed into a title alone (changed
# markup, a "page not found" served with status 200) is no review: never stored half-parsed.
JUDGEMENT_FIELDS = ("age_native", "quality_native", "content_native", "verdict", "pros", "cons")


class SiteSpider(scrapy.Spider):
    site: ClassVar[ModuleType]

    def __init__(self, title: str | None = None, year: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.title = (title or "").strip() or None
        self.year = int(year) if year not in (None, "") else None
        self.parse_workers: ParseWorkers | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._find_parse_workers, signal=signals.spider_opened)
        return spider

    def _find_parse_workers(self, **_: Any) -> None:
        self.parse_workers = self.crawler.get_extension(ParseWorkers)

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        settings.setdict(getattr(cls.site, "CUSTOM_SETTINGS", {}), priority="spider")
        if settings.get("FAMREEL_MIRROR"):
            # politeness delays protect the real hosts; a local mirror crawl runs at full speed
            settings.set("DOWNLOAD_DELAY", 0, priority="spider")
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
            # and without the per-host limit (politeness too): Scrapy's global limit remains
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", settings.getint("CONCURRENT_REQUESTS"),
                         priority="spider")
            settings.set("FAMREEL_RETRY_BACKOFF", 0.1, priority="spider")

    @property
    def allowed_domains(self) -> list[str]:  # type: ignore[override]
        return list(self.site.HOSTS)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.title:
            requests = self.site.search_requests(self.title)
        else:
            requests = self.site.listing_requests()
        for request in requests:
            yield request

    async def parse(self, response: Response, **kwargs: Any) -> AsyncIterator[Any]:
        kind = response.meta.get(KIND, REVIEW)
        stats = self.crawler.stats
        if response.status == 304:  # unchanged since stored: nothing to parse (see CrawlState)
            stats.inc_value(f"famreel/not_modified/{kind}")
            return
        stats.inc_value(f"famreel/pages/{kind}")
        if kind == REVIEW:
            output = await self._parse_review(response)
            if output is not None:
                yield output
        elif kind in (LISTING, SEARCH):
            parser = self.site.parse_listing if kind == LISTING else self.site.parse_search
            try:
                with StageClock.of(self.crawler).timing("parse"):
                    found = list(parser(with_plain_selectors(response)))
            except Exception:  # a broken listing must not end the crawl
                stats.inc_value(f"famreel/parse_error/{kind}")
                logger.warning("could not parse %s page %s", kind, response.url, exc_info=True)
                return
            if not found:
                stats.inc_value(f"famreel/empty/{kind}")
            for output in found:
                yield output

    async def _parse_review(self, response: Response) -> Review | scrapy.Request | None:
        """The review on the page, parsed here or by the parser processes (``ParseWorkers``)."""
        stats = self.crawler.stats
        if self.parse_workers is not None:
            parsed = await self.parse_workers.parse(self.name, response)
        else:
            parsed = parse_page(self.site, response)
        StageClock.of(self.crawler).add("parse", parsed.cpu_ms)
        item = parsed.result
        if parsed.error:
            stats.inc_value("famreel/parse_error/review")
            logger.warning("could not parse review page %s: %s", response.url, parsed.error)
            return None
        if item is None:
            stats.inc_value("famreel/not_a_review")
            logger.info("not a review page: %s", response.url)
            return None
        if isinstance(item, Review) and not any(getattr(item, f) for f in JUDGEMENT_FIELDS):
            stats.inc_value("famreel/not_a_review")
            stats.inc_value("famreel/incomplete_review")
            logger.warning("no rating, verdict, pros or cons on %s: not stored", response.url)
            return None
        if isinstance(item, scrapy.Request):  # the page's data lives elsewhere (e.g. IMDb GraphQL)
            stats.inc_value("famreel/review_followup")
            return item
        item.site = self.name
        item.fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        return item
