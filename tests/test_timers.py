"""CPU time per stage: a crawler's StageClock adds the stages up and puts them in the crawl stats
when the spider closes, and a crawl's run record carries every stage."""

import json
import threading
import time

from scrapy import Spider, signals
from scrapy.utils.test import get_crawler

from crawler.timers import STAT_PREFIX, StageClock, timed
from tests.conftest import run_famreel


class Component:
    def __init__(self, crawler):
        self.crawler = crawler

    @timed("normalize")
    def work(self, seconds: float) -> str:
        deadline = time.thread_time() + seconds
        while time.thread_time() < deadline:
            pass
        return "done"


def test_stages_reach_the_stats_when_the_spider_closes():
    crawler = get_crawler(Spider)
    clock = StageClock.of(crawler)
    assert StageClock.of(crawler) is clock and StageClock.of(get_crawler(Spider)) is not clock
    assert Component(crawler).work(0.02) == "done"
    clock.add("parse", 1.5)
    with clock.timing("parse"):
        pass
    assert crawler.stats.get_stats() == {}  # nothing until the spider closes
    crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")
    stats = crawler.stats.get_stats()
    assert stats[f"{STAT_PREFIX}normalize"] >= 20.0
    assert 1.5 <= stats[f"{STAT_PREFIX}parse"] < 5.0
    assert clock.ms == {}  # flushed: a second close adds nothing twice


def test_threads_adding_at_once_lose_nothing():
    clock = StageClock(get_crawler(Spider).stats)

    def add_many():
        for _ in range(20000):
            clock.add("store", 0.5)

    threads = [threading.Thread(target=add_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert clock.ms["store"] == 4 * 20000 * 0.5


def test_a_crawl_records_every_stages_cpu(mirror_url, sqlite_url):
    result = run_famreel("crawl", "--site", "parenting", "--mirror", mirror_url,
                         "--db", sqlite_url)
    assert result.returncode == 0, result.stderr
    run = json.loads(run_famreel("runs", "--db", sqlite_url, "--json").stdout)[0]
    cpu_ms = run["details"]["cpu_ms"]
    assert set(cpu_ms) == {"parse", "normalize", "store", "merge"}
    assert all(ms > 0 for ms in cpu_ms.values())
