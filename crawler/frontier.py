"""A shared crawl frontier on Redis: ``famreel crawl --frontier redis://HOST:PORT/DB``.

Every worker process of one run (on one machine or many) uses scrapy-redis's ``Scheduler`` and
``RFPDupeFilter`` on the same Redis keys, so the workers pull from one request queue and no page
is fetched twice; each writes its reviews to the same database. famreel's own spiders are used
as they are (not scrapy-redis's ``RedisSpider``, which seeds through ``start_requests()``, gone
since Scrapy 2.16): every worker runs its spiders' async ``start()``, and the start requests go
through the shared dupefilter like any other request, so each listing page is queued once
however many workers start.

The keys are ``famreel:<run>:<spider>:{requests,dupefilter,busy}``: a run name gives each
scheduled run fresh keys (the default is the UTC date; start every worker of one run with the
same name). A run stopped before it finished keeps its keys, and workers started again with
the same name resume its queue; the last worker of a finished run deletes them.

scrapy-redis 0.9.1 (2024) needs one adapter, ``FrontierScheduler`` below, for one reason: its
workers never close on their own (``RedisSpider`` keeps them alive and ordinary spiders close the
moment their own engine is idle, even while another worker is still producing requests). Here a
worker finishes when the shared queue is empty and no worker of the run is busy.
"""

from __future__ import annotations

import re
import time
import uuid
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, ScrapyDeprecationWarning
from scrapy.utils.asyncio import create_looping_call
from scrapy_redis.scheduler import Scheduler

# scrapy-redis 0.9.1 calls what Scrapy 2.19 deprecates (``spider=`` to the stats collector,
# ``Spider.log()`` when a worker joins a queue that holds requests): warnings on every worker's
# stderr that its user can do nothing about
SCRAPY_REDIS_DEPRECATED = ("Passing a 'spider' argument to StatsCollector",
                           r"Spider\.log\(\) is deprecated")
for deprecated in SCRAPY_REDIS_DEPRECATED:
    warnings.filterwarnings("ignore", message=deprecated, category=ScrapyDeprecationWarning,
                            module=r"scrapy_redis\.")

KEY_PREFIX = "famreel:%(run)s:%%(spider)s"
RUN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
# A busy mark older than this is a worker that died mid-page: it no longer keeps others waiting.
BUSY_STALE_SECONDS = 120.0
BUSY_REFRESH_SECONDS = 10.0


class FrontierError(Exception):
    """A frontier the crawl cannot use: bad URL, bad run name, unreachable Redis."""


def default_run_name() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


@dataclass(frozen=True)
class Frontier:
    """Where the shared queue lives (``url``) and which run's keys it uses (``run``)."""

    url: str
    run: str

    def check(self) -> None:
        """``FrontierError`` unless the run name is valid and Redis answers at ``url``."""
        if not RUN_NAME.match(self.run):
            raise FrontierError(f"frontier run name {self.run!r}: use letters, digits and . _ : -")
        if not self.url.startswith(("redis://", "rediss://", "unix://")):
            raise FrontierError(f"frontier URL must start with redis://: {self.url!r}")
        try:
            client = redis.Redis.from_url(self.url, socket_connect_timeout=5, socket_timeout=5)
            client.ping()
            client.close()
        except (redis.RedisError, ValueError) as exc:
            raise FrontierError(f"cannot reach frontier {self.url}: {exc}") from None

    def settings(self) -> dict[str, Any]:
        """Scrapy settings that make a crawler a worker of this run."""
        prefix = KEY_PREFIX % {"run": self.run}
        return {
            "SCHEDULER": "crawler.frontier.FrontierScheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
            "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
            "FAMREEL_FRONTIER_BUSY_KEY": f"{prefix}:busy",
            "SCHEDULER_PERSIST": True,  # the last worker out clears the keys, not every worker
            "REDIS_URL": self.url,
            "FAMREEL_FRONTIER_RUN": self.run,
        }


class FrontierScheduler(Scheduler):
    """scrapy-redis's scheduler plus the rule for when a worker of a shared run is done.

    A worker marks itself busy in the run's ``busy`` sorted set while it works on requests it
    took from the queue. When its own engine is idle it clears its mark and keeps waiting
    (``DontCloseSpider``) as long as the queue holds requests or another worker is busy, since
    that worker may still queue more. While it waits it looks at the queue every
    ``WAKE_SECONDS``: Scrapy itself would look again only at its 5-second heartbeat, long
    enough for the other workers to take the whole crawl. A finished worker that leaves no work
    behind deletes the run's keys.
    """

    WAKE_SECONDS = 0.25

    @classmethod
    def from_crawler(cls, crawler: Any) -> FrontierScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.busy_key_template = crawler.settings.get("FAMREEL_FRONTIER_BUSY_KEY")
        scheduler.worker = uuid.uuid4().hex
        scheduler.busy_marked_at = 0.0
        scheduler.waiting = create_looping_call(scheduler.wake)
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Any) -> None:
        super().open(spider)
        self.busy_key = self.busy_key_template % {"spider": spider.name}

    def next_request(self) -> Any:
        request = super().next_request()
        now = time.time()
        if request is not None and now - self.busy_marked_at > BUSY_REFRESH_SECONDS:
            self.server.zadd(self.busy_key, {self.worker: now})
            self.busy_marked_at = now
        return request

    def _others_busy(self) -> bool:
        return self.server.zcount(self.busy_key, time.time() - BUSY_STALE_SECONDS, "+inf") > 0

    def _rest(self) -> bool:
        """Clear this worker's busy mark; ``True`` when the whole run has nothing left to do."""
        self.server.zrem(self.busy_key, self.worker)
        self.busy_marked_at = 0.0
        return not self.has_pending_requests() and not self._others_busy()

    def spider_idle(self, spider: Any) -> None:
        if self._rest():
            return
        if not self.waiting.running:
            self.waiting.start(self.WAKE_SECONDS, now=False)
        raise DontCloseSpider

    def wake(self) -> None:
        """Hand one queued request back to the engine (``engine.crawl``, its public way in): it
        goes back into the shared queue, and the engine, woken up, pulls from the queue again."""
        request = super().next_request()
        if request is not None:
            self.waiting.stop()
            self.crawler.engine.crawl(request.replace(dont_filter=True))  # already seen: requeue

    def close(self, reason: str) -> None:
        if self.waiting.running:
            self.waiting.stop()
        if self._rest() and reason == "finished":
            self.server.delete(self.queue.key, self.df.key, self.busy_key)
