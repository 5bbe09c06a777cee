"""One run at a time per database: a second crawl exits at once (status 2, one clear line), a
dead holder's lock is taken over (its run marked killed), and the workers of one frontier run
share their lock."""

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from storage.crawl_state import EXCLUSIVE, LockHeld, RunLock, frontier_scope
from storage.db import open_database, session_scope
from storage.models import CrawlLock, CrawlRun, utcnow
from storage.repository import start_run
from tests.conftest import famreel_command
from tests.test_jobs_support import CSM, SEED_SITES, crawl, faulty_mirror, runs  # noqa: F401


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def add_holder(engine, pid, host, heartbeat_age=0.0, scope=EXCLUSIVE):
    with session_scope(engine) as session:
        run_id = start_run(session, "famreel crawl", ["commonsense"])
        beat = utcnow() - timedelta(seconds=heartbeat_age)
        session.add(CrawlLock(scope=scope, pid=pid, host=host, run_id=run_id, acquired_at=beat,
                              heartbeat_at=beat))
    return run_id


@pytest.fixture
def engine(db_url):
    engine = open_database(db_url)
    yield engine
    engine.dispose()


def test_live_holder_blocks_and_dead_or_silent_ones_are_taken_over(engine):
    mine = RunLock(engine)
    live = add_holder(engine, mine.pid, mine.host)
    with pytest.raises(LockHeld, match=rf"already running .*run {live}, pid {mine.pid} on"):
        RunLock(engine).acquire()
    with session_scope(engine) as session:
        session.execute(CrawlLock.__table__.delete())
    dead = add_holder(engine, dead_pid(), mine.host)
    silent = add_holder(engine, 1, "another-host", heartbeat_age=3600)
    assert sorted(mine.acquire()) == sorted([dead, silent])
    with session_scope(engine) as session:
        statuses = dict(session.execute(select(CrawlRun.id, CrawlRun.status)).all())
        assert [h.pid for h in session.scalars(select(CrawlLock))] == [mine.pid]
    assert statuses[dead] == statuses[silent] == "killed"
    mine.release()
    with session_scope(engine) as session:
        assert session.scalars(select(CrawlLock)).all() == []


def test_workers_of_one_frontier_run_share_the_lock(engine):
    first, second = (RunLock(engine, frontier_scope("2026-11-22")) for _ in range(2))
    first.acquire()
    second.acquire()
    with pytest.raises(LockHeld, match="frontier:2026-11-22 crawl is already running"):
        RunLock(engine).acquire()
    with pytest.raises(LockHeld):
        RunLock(engine, frontier_scope("another-run")).acquire()
    first.release()
    second.release()
    alone = RunLock(engine)
    alone.acquire()
    with pytest.raises(LockHeld, match="a crawl is already running"):
        RunLock(engine, frontier_scope("2026-11-22")).acquire()
    alone.release()


def test_second_crawl_exits_at_once_while_one_runs(sqlite_url, faulty_mirror):  # noqa: F811
    faulty_mirror.faults({"match": f"{CSM}/movie-reviews", "fault": "slow", "seconds": 4})
    first = subprocess.Popen(
        [*famreel_command(), "crawl", "--mirror", faulty_mirror.url, "--db", sqlite_url,
         *SEED_SITES], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    engine = open_database(sqlite_url)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with session_scope(engine) as session:
            if session.scalars(select(CrawlLock.run_id)).first():
                break
        time.sleep(0.2)
    engine.dispose()

    started = time.monotonic()
    second = crawl(faulty_mirror.url, sqlite_url, expect=2)
    assert time.monotonic() - started < 10
    assert second.stderr.count("\n") == 1
    assert f"a crawl is already running on this database (run 1, pid {first.pid}" in second.stderr
    assert first.wait(timeout=60) == 0, first.stderr.read()[-2000:]
    assert [run.status for run in runs(sqlite_url)] == ["finished"]  # the refused run left none
