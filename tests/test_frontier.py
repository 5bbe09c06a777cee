"""Two crawler processes sharing one Redis frontier (scrapy-redis) over a generated mirror, into
one PostgreSQL database, against one crawler process into SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import select

from crawler.frontier import Frontier, FrontierError
from crawler.mirror.generate import generate
from crawler.mirror.paths import INDEX_FILE
from tests.conftest import IN_CI, famreel_command, run_famreel

REDIS_URL = os.environ.get("FAMREEL_TEST_REDIS", "redis://127.0.0.1:6379/0")
FILMS = 200


@pytest.fixture(scope="module")
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        if IN_CI:
            pytest.fail(f"Redis must run in CI ({REDIS_URL}): {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_URL} (outside CI): {exc}")
    return REDIS_URL


@pytest.fixture(scope="module")
def big_mirror(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    """A generated mirror of FILMS films served by ``famreel mirror --log``: (URL, root, log)."""
    work = tmp_path_factory.mktemp("frontier")
    root, log = work / "mirror", work / "requests.log"
    generate(FILMS, root, seed=3)
    process = subprocess.Popen(
        [*famreel_command(), "mirror", "--root", str(root), "--port", "0", "--log", str(log)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    yield url, root, log
    process.terminate()
    process.wait(timeout=10)


def _fetched(log: Path, start: int) -> Counter[str]:
    """GETs logged after byte ``start``, robots.txt (each worker reads its own) and the CLI's
    reachability probe of the mirror root left out."""
    with log.open("rb") as handle:
        handle.seek(start)
        lines = handle.read().decode("utf-8").splitlines()
    targets = (line.split(" ")[1] for line in lines if line.startswith("GET "))
    return Counter(t for t in targets if t != "/" and not t.endswith("/robots.txt"))


def _review_paths(root: Path) -> set[str]:
    return {f"/{host.name}{entry['path']}"
            for host in root.iterdir() if (host / INDEX_FILE).is_file()
            for entry in json.loads((host / INDEX_FILE).read_text("utf-8"))}


def _database(url: str) -> tuple[set[str], list[str], list[int]]:
    """(review URLs, films as JSON without ids, pages per crawl run) of a database."""
    from aggregator.consensus import film_json
    from storage.db import open_database, session_scope
    from storage.models import CrawlRun, Review
    from storage.repository import films_with_reviews

    engine = open_database(url)
    try:
        with session_scope(engine) as session:
            urls = list(session.scalars(select(Review.url)))
            assert len(urls) == len(set(urls))
            films = []
            for film in films_with_reviews(session):
                record = film_json(film)
                del record["id"]
                record["sources"].sort(key=lambda source: source["url"])
                films.append(json.dumps(record, sort_keys=True))
            runs = list(session.scalars(select(CrawlRun.pages)))
    finally:
        engine.dispose()
    return set(urls), sorted(films), runs


def test_two_workers_split_one_crawl_fetching_every_page_once(
        big_mirror: tuple[str, Path, Path], redis_url: str, pg_url: str, sqlite_url: str):
    mirror, root, log = big_mirror
    single = run_famreel("crawl", "--mirror", mirror, "--db", sqlite_url)
    assert single.returncode == 0, single.stderr

    start = log.stat().st_size
    run = f"test-{uuid.uuid4().hex[:8]}"
    worker = [*famreel_command(), "crawl", "--mirror", mirror, "--db", pg_url,
              "--frontier", redis_url, "--frontier-run", run]
    env = {k: v for k, v in os.environ.items() if k not in ("FAMREEL_DB", "FAMREEL_MIRROR")}
    workers = [subprocess.Popen(worker, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, env=env) for _ in range(2)]
    errors = [w.communicate(timeout=240)[1] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], errors
    assert not [e for e in errors if "Warning" in e or "Traceback" in e], errors

    fetched = _fetched(log, start)
    reviews = _review_paths(root)
    assert reviews <= set(fetched), sorted(reviews - set(fetched))[:5]
    twice = {target: n for target, n in fetched.items() if n > 1}
    assert not twice, twice  # no review page, listing page or IMDb title page fetched twice

    frontier_urls, frontier_films, runs = _database(pg_url)
    single_urls, single_films, _ = _database(sqlite_url)
    assert len(runs) == 2 and all(pages > 0 for pages in runs)  # both workers did a share
    assert frontier_urls == single_urls
    assert len(frontier_urls) >= 0.9 * len(reviews)
    assert frontier_films == single_films
    assert FILMS <= len(single_films) <= FILMS * 1.05
    assert redis.Redis.from_url(redis_url).keys(f"famreel:{run}:*") == []  # finished: keys gone


def test_each_run_name_has_its_own_keys():
    nightly = Frontier("redis://127.0.0.1:6379/0", "2026-11-22").settings()
    again = Frontier("redis://127.0.0.1:6379/0", "2026-11-23").settings()
    assert nightly["SCHEDULER_QUEUE_KEY"] == "famreel:2026-11-22:%(spider)s:requests"
    assert nightly["SCHEDULER_DUPEFILTER_KEY"] != again["SCHEDULER_DUPEFILTER_KEY"]
    assert nightly["SCHEDULER"] == "crawler.frontier.FrontierScheduler"
    assert nightly["SCHEDULER_PERSIST"] is True
    with pytest.raises(FrontierError):
        Frontier("redis://127.0.0.1:6379/0", "100%").check()


@pytest.mark.parametrize("args, message", [
    (["--frontier", "redis://127.0.0.1:1/0"], "cannot reach frontier redis://127.0.0.1:1/0"),
    (["--frontier", "http://127.0.0.1:6379"], "frontier URL must start with redis://"),
    (["--frontier", "redis://127.0.0.1:6379/0", "--frontier-run", "a b"], "frontier run name"),
    (["--frontier-run", "x"], "--frontier-run goes with --frontier"),
])
def test_bad_frontier_is_one_line_exit_2(args: list[str], message: str, mirror_url: str,
                                         sqlite_url: str):
    result = run_famreel("crawl", "--site", "dove", "--mirror", mirror_url, "--db", sqlite_url,
                         *args, timeout=60)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
