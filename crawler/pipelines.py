"""Item pipelines: normalize each review into the canonical model, then store it in batches.

Both count what they drop in crawl stats (``famreel/dropped/<reason>`` for whole items,
``famreel/field_dropped/<field>`` for single impossible values) and log the URL.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import CloseSpider, DropItem

from aggregator import normalize
from aggregator.scales import ScaleError, age_years, map_content, scale_for
from storage.db import DatabaseError, open_database, session_scope
from storage.repository import REVIEW_FIELDS, finish_run, start_run, upsert_reviews

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


# one writer at a time per database inside a process (several spiders share one CrawlerProcess)
_WRITE_LOCKS: dict[str, threading.Lock] = {}


class StorePipeline:
    """Batched upserts keyed on the canonical URL, off the reactor thread; merge on close.

    Settings: ``FAMREEL_DB`` (database URL), ``FAMREEL_BATCH_SIZE`` (reviews per transaction),
    ``FAMREEL_MERGE`` (merge into films when the spider closes; the CLI merges once after all
    its spiders instead), ``FAMREEL_RUN_ID`` (a ``crawl_runs`` row the CLI owns; without one the
    pipeline records its own run).
    """

    def __init__(self, crawler: Any):
        settings = crawler.settings
        self.crawler = crawler
        self.url = settings.get("FAMREEL_DB") or None
        self.batch_size = settings.getint("FAMREEL_BATCH_SIZE", 100)
        self.merge_on_close = settings.getbool("FAMREEL_MERGE", True)
        self.run_id = settings.getint("FAMREEL_RUN_ID", 0) or None
        self.own_run = self.run_id is None
        self.buffer: list[dict[str, Any]] = []
        self.engine: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        try:
            self.engine = open_database(self.url)
        except DatabaseError as exc:
            raise CloseSpider(f"database unavailable: {exc}") from None
        self.lock = _WRITE_LOCKS.setdefault(str(self.engine.url), threading.Lock())
        if self.own_run:
            with session_scope(self.engine) as session:
                self.run_id = start_run(session, f"scrapy crawl {self.crawler.spider.name}",
                                        [self.crawler.spider.name])

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        row = {key: adapter.get(key) for key in ("site", "url", "fetched_at", *REVIEW_FIELDS
                                                 ) if key != "title_key"}
        row["title_key"] = normalize.title_key(row["title"])
        self.buffer.append(row)
        if len(self.buffer) >= self.batch_size:
            batch, self.buffer = self.buffer, []
            await asyncio.to_thread(self._write, batch)
        return item

    def _write(self, batch: list[dict[str, Any]]) -> None:
        with self.lock, session_scope(self.engine) as session:
            outcome = upsert_reviews(session, batch)
        stats = self.crawler.stats
        for key, urls in outcome.items():
            stats.inc_value(f"famreel/items/{key}", len(urls))

    async def close_spider(self) -> None:
        if self.engine is None:
            return
        try:
            if self.buffer:
                batch, self.buffer = self.buffer, []
                await asyncio.to_thread(self._write, batch)
            if self.merge_on_close:
                await asyncio.to_thread(self._merge)
            if self.own_run:
                reason = self.crawler.stats.get_value("finish_reason") or "finished"
                await asyncio.to_thread(self._finish_run, reason)
        finally:
            self.engine.dispose()

    def _merge(self) -> None:
        from aggregator.merge import merge

        with self.lock, session_scope(self.engine) as session:
            result = merge(session)
        self.crawler.stats.set_value("famreel/films_touched", result.films_touched)

    def _finish_run(self, reason: str) -> None:
        from crawler.runstats import run_counts

        counts = run_counts([self.crawler.stats.get_stats()], [self.crawler.spider.name])
        status = "finished" if reason == "finished" else "failed"
        with session_scope(self.engine) as session:
            finish_run(session, self.run_id, status, counts)
