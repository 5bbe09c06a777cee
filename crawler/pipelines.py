"""Item pipelines: normalize each review into the canonical model, then store it in batches.

Both count what they drop in crawl stats (``famreel/dropped/<reason>`` for whole items,
``famreel/field_dropped/<field>`` for single impossible values) and log the URL.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import CloseSpider, DropItem
from sqlalchemy.exc import SQLAlchemyError

from aggregator import normalize
from aggregator.scales import ScaleError, age_years, map_content, scale_for
from crawler.extensions import CrawlState, failpoint, last_write, write_refused
from crawler.monitoring import FieldCoverage
from crawler.timers import timed
from storage.crawl_state import LockHeld, PageRecord, writer_lock
from storage.db import DatabaseError, open_database, write_retrying
from storage.repository import REVIEW_FIELDS, upsert_reviews

logger = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TEXT_FIELDS = ("verdict", "text", "pros", "cons", "reviewer", "age_native", "quality_native")
_IMDB = re.compile(r"^tt\d{7,9}$")


def _text(value: Any, limit: int = 100_000) -> str | None:
    """Plain text safe for any database: control characters (NUL breaks PostgreSQL) removed."""
    if value is None:
        return None
    text = normalize.clean(_CONTROL.sub(" ", str(value)))
    return text[:limit] if text else None


def _names(values: Any) -> list[str]:
    if isinstance(values, str):
        values = re.split(r",|;|\band\b", values)
    seen: dict[str, None] = {}
    for value in values or []:
        name = _text(value, 200)
        if name:
            seen.setdefault(name, None)
    return list(seen)


class NormalizePipeline:
    """Raw page values -> canonical model (``aggregator.normalize`` and ``aggregator.scales``)."""

    def __init__(self, crawler: Any):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> NormalizePipeline:
        return cls(crawler)

    def _drop(self, reason: str, url: Any) -> DropItem:
        self.crawler.stats.inc_value(f"famreel/dropped/{reason}")
        logger.warning("dropped review (%s): %s", reason.replace("_", " "), url or "<no url>")
        return DropItem(f"{reason}: {url}")

    def _field_dropped(self, adapter: ItemAdapter, error: ScaleError) -> None:
        name = error.field.split(".")[0]
        self.crawler.stats.inc_value(f"famreel/field_dropped/{name}")
        logger.warning("dropped %s of %s: %s", error.field, adapter.get("url"), error.reason)

    def _convert(self, adapter: ItemAdapter, name: str, convert: Any, value: Any) -> Any:
        try:
            return convert(value)
        except ScaleError as error:
            self._field_dropped(adapter, error)
            return None

    @timed("normalize")
    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = _text(adapter.get("url"), 1024)
        if not url:
            raise self._drop("no_url", adapter.get("title"))
        adapter["url"] = url
        title, title_year = normalize.split_title(_text(adapter.get("title"), 512))
        if not title:
            raise self._drop("no_title", url)
        adapter["title"] = title
        site = adapter.get("site") or ""
        scale = scale_for(site)

        year = self._convert(adapter, "year", normalize.parse_year, adapter.get("year"))
        adapter["runtime_minutes"] = self._convert(
            adapter, "runtime_minutes", normalize.parse_runtime, adapter.get("runtime_minutes"))
        adapter["mpaa_rating"] = self._convert(
            adapter, "mpaa_rating", normalize.parse_mpaa, adapter.get("mpaa_rating"))
        adapter["release_date"] = normalize.parse_date(adapter.get("release_date"))
        adapter["published"] = normalize.parse_date(adapter.get("published"))
        if year is None:
            year = title_year
        if year is None and adapter["release_date"]:  # a full release date names the year
            year = int(adapter["release_date"][:4])
        adapter["year"] = year

        imdb_id = _text(adapter.get("imdb_id"), 16)
        if imdb_id and not _IMDB.match(imdb_id):
            self._field_dropped(adapter, ScaleError("imdb_id", f"not an IMDb id: {imdb_id!r}"))
            imdb_id = None
        adapter["imdb_id"] = imdb_id
        for name in ("directors", "cast", "genres"):
            adapter[name] = _names(adapter.get(name))
        for name in _TEXT_FIELDS:
            adapter[name] = _text(adapter.get(name))

        adapter["age_min"] = self._convert(adapter, "age", scale.age, adapter.get("age_native"))
        adapter["quality"] = self._convert(
            adapter, "quality", scale.quality, adapter.get("quality_native"))
        native = adapter.get("content_native") or {}
        content, extra, errors = map_content(site, native)
        for error in errors:
            self._field_dropped(adapter, error)
        adapter["content"] = content
        adapter["extra_ratings"] = {**(adapter.get("extra_ratings") or {}), **extra}
        for name in ("parents_age", "kids_age"):
            adapter[name] = self._convert(adapter, name, age_years, adapter.get(name))
        for name in ("parents_count", "kids_count"):
            adapter[name] = self._convert(adapter, name, _count, adapter.get(name))
        return item


def _count(value: Any) -> int | None:
    if value is None or value == "":
        return None
    match = re.search(r"\d[\d,]*", str(value))
    if not match:
        return None
    count = int(match.group().replace(",", ""))
    if count > 10_000_000:
        raise ScaleError("count", f"{count} reviews is not plausible")
    return count


class StorePipeline:
    """Batched upserts keyed on the canonical URL, off the reactor thread.

    Each review page is marked done in the crawl state (``CrawlState``) in the transaction that
    stores its review, so a crawl killed while reviews wait in the buffer fetches them again.

    Settings: ``FAMREEL_DB`` (database URL), ``FAMREEL_BATCH_SIZE`` (reviews per transaction,
    or fewer once the last write is ``FAMREEL_FLUSH_SECONDS`` old), ``FAMREEL_RUN_ID`` (a
    ``crawl_runs`` row the CLI owns; without one, under a lone ``scrapy crawl``, the pipeline
    runs its own ``crawler.runner.RunRecord``: the run lock, then at the end the merge (when
    ``FAMREEL_MERGE``), the cycle's close, the monitor's checks and the run's row).
    """

    def __init__(self, crawler: Any):
        settings = crawler.settings
        self.crawler = crawler
        self.url = settings.get("FAMREEL_DB") or None
        self.batch_size = settings.getint("FAMREEL_BATCH_SIZE", 100)
        self.flush_seconds = settings.getfloat("FAMREEL_FLUSH_SECONDS", 5.0)
        self.merge_on_close = settings.getbool("FAMREEL_MERGE", True)
        self.run_id = settings.getint("FAMREEL_RUN_ID", 0) or None
        self.own_run = self.run_id is None
        self.buffer: list[dict[str, Any]] = []
        self.pages: list[tuple[str, PageRecord]] = []  # (review URL, the page it came from)
        self.last_write = time.monotonic()
        self.retry_at = 0.0  # after a refused write, not before
        self.engine: Any = None
        self.state: CrawlState | None = None
        self.coverage: FieldCoverage | None = None
        self.record: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        try:
            self.engine = open_database(self.url)
        except DatabaseError as exc:
            raise CloseSpider(f"database unavailable: {exc}") from None
        self.lock = writer_lock(self.engine)
        self.state = CrawlState.of(self.crawler)
        self.coverage = FieldCoverage.of(self.crawler)
        if self.own_run:
            from crawler.runner import RunRecord

            name = self.crawler.spider.name
            record = RunRecord(self.engine, f"scrapy crawl {name}", [name])
            try:
                self.run_id = record.start()
            except LockHeld as exc:
                raise CloseSpider(f"locked: {exc}") from None
            self.record = record
            self.crawler.signals.connect(self._finish_own_run, signal=signals.spider_closed)

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        row = {key: adapter.get(key) for key in ("site", "url", "fetched_at", *REVIEW_FIELDS
                                                 ) if key != "title_key"}
        if self.coverage is not None:
            self.coverage.count(row)
        row["title_key"] = normalize.title_key(row["title"])
        self.buffer.append(row)
        page = self.state.take(item) if self.state else None
        if page is not None:
            self.pages.append((row["url"], page))
        now = time.monotonic()
        if now >= self.retry_at and (len(self.buffer) >= self.batch_size
                                     or now - self.last_write >= self.flush_seconds):
            await self._flush()
        return item

    async def _flush(self) -> None:
        batch, pages = self.buffer, self.pages
        self.buffer, self.pages = [], []
        self.last_write = time.monotonic()
        if batch:
            try:
                await asyncio.to_thread(self._write, batch, pages)
            except SQLAlchemyError as exc:
                self.buffer[:0], self.pages[:0] = batch, pages
                self.retry_at = write_refused(self.crawler.stats, "reviews", len(batch), exc)

    @timed("store")
    def _write(self, batch: list[dict[str, Any]], pages: list[tuple[str, PageRecord]]) -> None:
        def work(session: Any) -> dict[str, list[str]]:
            outcome = upsert_reviews(session, batch)
            if self.state is not None and pages:
                self.state.write(session, review_pages_done(pages, outcome))
            failpoint("store")
            return outcome

        with self.lock:
            outcome = write_retrying(self.engine, work)
        stats = self.crawler.stats
        for key, urls in outcome.items():
            stats.inc_value(f"famreel/items/{key}", len(urls))

    async def close_spider(self) -> None:
        if self.engine is not None:
            await last_write(self._flush, lambda: len(self.buffer), self.crawler.stats,
                             "reviews")

    async def _finish_own_run(self, reason: str, **_: Any) -> None:
        """``scrapy crawl`` alone: once the crawl state's last records are written, merge,
        close the cycle, check and record the run (the checks' verdict goes to the log)."""
        from crawler.monitoring import report_lines

        if self.state is not None:
            await self.state.flush()
        stats = {**self.crawler.stats.get_stats(), "finish_reason": reason}
        outcome = await asyncio.to_thread(
            self.record.finish, [stats], self.crawler.settings, merge_reviews=self.merge_on_close)
        self.crawler.stats.set_value("famreel/films_touched", outcome.films_touched)
        log = logger.error if outcome.counts["checks_failed"] else logger.info
        for line in report_lines(outcome.checks):
            log(line)
        self.engine.dispose()


def review_pages_done(pages: list[tuple[str, PageRecord]], outcome: dict[str, list[str]]
                      ) -> list[PageRecord]:
    """The pages of a written batch, done: ``stored`` (new or updated review) or ``unchanged``."""
    unchanged = set(outcome["unchanged"])
    for url, page in pages:
        page.outcome = "unchanged" if url in unchanged else "stored"
    return [page for _, page in pages]
