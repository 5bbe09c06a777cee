"""Review pages parsed in worker processes (``--parse-processes``): real crawls of the bundled
mirror into SQLite give the same films as parsing in the crawler process, and a parser process
that dies loses no page."""

import asyncio
import json

from scrapy.utils.test import get_crawler
from sqlalchemy import select

from crawler.mirror.paths import INDEX_FILE
from crawler.parse_pool import MAX_RESTARTS, ParsePool, parse_page
from crawler.sites import commonsense
from crawler.sites.base import KIND, REVIEW
from storage.db import open_database, session_scope
from storage.models import CrawlRun
from storage.repository import table_counts
from tests.conftest import run_famreel
from tests.helpers import MIRROR_ROOT, mirror_response

CSM_HOST = "www.commonsensemedia.org"


def crawl(mirror_url, db, *args, env=None):
    result = run_famreel("crawl", "--mirror", mirror_url, "--db", db, *args, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return result


def films(db):
    listed = run_famreel("films", "--format", "json", "--db", db)
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


def run_details(db):
    engine = open_database(db)
    with session_scope(engine) as session:
        counts = table_counts(session)
        details = session.scalars(select(CrawlRun.details)).one()
    engine.dispose()
    return counts, details


def test_parser_processes_give_the_same_films(tmp_path, mirror_url):
    inline, pooled = f"sqlite:///{tmp_path / 'inline.db'}", f"sqlite:///{tmp_path / 'pool.db'}"
    crawl(mirror_url, inline)
    crawl(mirror_url, pooled, "--parse-processes", "2")
    assert films(pooled) == films(inline)
    inline_counts, inline_details = run_details(inline)
    pooled_counts, pooled_details = run_details(pooled)
    assert pooled_counts == inline_counts
    assert pooled_counts["reviews"] >= 200
    # the parse stage's CPU is measured in the workers and reaches the run's record
    assert pooled_details["cpu_ms"]["parse"] > 0


def test_a_parser_process_that_dies_loses_no_page(tmp_path, mirror_url):
    reference, killed = f"sqlite:///{tmp_path / 'ref.db'}", f"sqlite:///{tmp_path / 'kill.db'}"
    crawl(mirror_url, reference, "--site", "commonsense", "--site", "kidsinmind")
    # the parser process is SIGKILLed before its 5th page: the pages it held are parsed in the
    # crawler process, and a new pool takes the pages after them
    result = crawl(mirror_url, killed, "--site", "commonsense", "--site", "kidsinmind",
                   "--parse-processes", "1", env={"FAMREEL_FAILPOINT": "parse:5"})
    assert "a parser process died" in result.stderr
    assert films(killed) == films(reference)
    assert run_details(killed)[0] == run_details(reference)[0]


def test_parse_processes_option_rejects_bad_values(sqlite_url):
    for value in ("-1", "many", "65"):
        result = run_famreel("crawl", "--db", sqlite_url, "--parse-processes", value)
        assert result.returncode == 2
        assert "--parse-processes" in result.stderr and "Traceback" not in result.stderr


def test_a_pool_broken_too_often_is_given_up(monkeypatch):
    """Each new parser process dies at its first page: every page is still parsed (here), the
    pool is started again MAX_RESTARTS times, then no more."""
    monkeypatch.setenv("FAMREEL_FAILPOINT", "parse:1")  # read by the spawned workers only
    crawler = get_crawler()
    crawler.stats.open_spider()
    index = json.loads((MIRROR_ROOT / CSM_HOST / INDEX_FILE).read_text("utf-8"))
    responses = [mirror_response(f"https://{CSM_HOST}{entry['path']}", meta={KIND: REVIEW})
                 for entry in index[:MAX_RESTARTS + 3]]

    async def parse_all(pool):
        return [await pool.parse("commonsense", response, crawler.stats)
                for response in responses]

    pool = ParsePool(1)
    try:
        parsed = asyncio.run(parse_all(pool))
        assert pool.workers == []  # given up
    finally:
        pool.close()
    expected = [parse_page(commonsense, response).result for response in responses]
    assert [p.result for p in parsed] == expected
    assert all(p.error is None and p.result.title for p in parsed)
    assert crawler.stats.get_value("famreel/parse_pool/restarted") == MAX_RESTARTS


def test_a_pool_closed_from_the_event_loop_ends_its_workers_by_eof():
    """``spider_closed`` closes the pool on the reactor's loop: the workers must see EOF at once
    and exit 0, not sit until the join times out and kills them."""
    entry = json.loads((MIRROR_ROOT / CSM_HOST / INDEX_FILE).read_text("utf-8"))[0]
    response = mirror_response(f"https://{CSM_HOST}{entry['path']}", meta={KIND: REVIEW})

    async def parse_then_close(pool):
        parsed = await pool.parse("commonsense", response, None)
        workers = list(pool.workers)
        pool.close()  # synchronously, as spider_closed does
        return parsed, workers

    # one worker got the page (and a connection), the other none: both paths of close()
    parsed, workers = asyncio.run(parse_then_close(ParsePool(2)))
    assert parsed.error is None and parsed.result.title
    assert [worker.process.returncode for worker in workers] == [0, 0]
