"""A crawl spread over crawler processes (``famreel crawl --processes N``): real crawls of the
mirror give what one process gives, on SQLite and PostgreSQL; Ctrl-C or SIGTERM to the parent
stops every child gracefully and the next run resumes; children die with a parent that is
SIGKILLed; the sites are grouped by the weight of their crawl state."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from crawler.processes import site_groups, site_weights
from storage.db import open_database
from tests.conftest import famreel_command
from tests.test_jobs_support import (  # noqa: F401
    SEED_SITES,
    clean_crawl,
    crawl,
    faulty_mirror,
    runs,
    snapshot,
)


def test_processes_give_the_films_of_one_process(db_url, mirror_url, clean_crawl):  # noqa: F811
    result = crawl(mirror_url, db_url, "--processes", "2")
    assert snapshot(db_url) == clean_crawl.snapshot
    run = runs(db_url)[0]
    assert (run.status, run.pages) == ("finished", clean_crawl.pages)
    assert set(run.details["sites"]) == {"commonsense", "parenting"}
    assert "checks: all" in result.stderr  # the monitor ran on both processes' stats


def test_sites_are_weighed_by_their_crawl_state(sqlite_url, mirror_url):
    crawl(mirror_url, sqlite_url, "--processes", "2")
    engine = open_database(sqlite_url)
    try:
        weights = site_weights(engine, ["commonsense", "parenting", "dove"])
    finally:
        engine.dispose()
    assert weights["commonsense"] > weights["parenting"] > 0
    # never crawled: the mean of the others
    assert weights["dove"] == (weights["commonsense"] + weights["parenting"]) / 2


def test_heaviest_site_goes_to_the_lightest_group():
    weights = {"a": 10.0, "b": 6.0, "c": 5.0, "d": 4.0, "e": 1.0}
    # loads 10, 6, 11 (c), 14 (d), 12 (e)
    assert site_groups(list(weights), 2, weights) == [["a", "d"], ["b", "c", "e"]]
    assert site_groups(["a", "b"], 4, weights) == [["a"], ["b"]]  # no empty process
    equal = dict.fromkeys("abcd", 1.0)
    assert site_groups(list(equal), 2, equal) == [["a", "c"], ["b", "d"]]


def _start_slow_crawl(faulty_mirror, db: str, log: Path) -> subprocess.Popen[str]:  # noqa: F811
    """A crawl in two processes that takes a while: every page of the mirror comes late."""
    faulty_mirror.faults({"match": "*", "fault": "slow", "seconds": 1})
    env = {k: v for k, v in os.environ.items() if k not in ("FAMREEL_DB", "FAMREEL_MIRROR")}
    return subprocess.Popen(
        [*famreel_command(), "crawl", "--mirror", faulty_mirror.url, "--db", db, *SEED_SITES,
         "--processes", "2"],
        stdout=subprocess.DEVNULL, stderr=log.open("w"), text=True, env=env,
        stdin=subprocess.DEVNULL)


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name, or None for no live process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else fields  # a zombie has ended


def _children(pid: int) -> list[int]:
    return [int(path.name) for path in Path("/proc").glob("[0-9]*")
            if (fields := _stat(int(path.name))) and int(fields[1]) == pid]


def _wait_for_children(pid: int, count: int) -> list[int]:
    deadline = time.monotonic() + 60
    while len(children := _children(pid)) < count:
        assert time.monotonic() < deadline, f"no {count} crawler processes under pid {pid}"
        time.sleep(0.1)
    return children


def _wait_gone(pids: list[int]) -> None:
    deadline = time.monotonic() + 30
    while any(_stat(pid) for pid in pids):
        assert time.monotonic() < deadline, "crawler processes outlived their parent"
        time.sleep(0.1)


def _wait_for_a_page(log: Path) -> None:
    deadline = time.monotonic() + 60
    while "crawling," not in log.read_text():  # a progress line: a page was fetched
        assert time.monotonic() < deadline, log.read_text()[-2000:]
        time.sleep(0.1)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_parent_stops_every_process_and_the_next_run_resumes(
        signum, sqlite_url, faulty_mirror, tmp_path, clean_crawl):  # noqa: F811
    log = tmp_path / "crawl.log"
    parent = _start_slow_crawl(faulty_mirror, sqlite_url, log)
    children = _wait_for_children(parent.pid, 2)
    _wait_for_a_page(log)
    parent.send_signal(signum)
    assert parent.wait(timeout=120) == 1, log.read_text()[-3000:]
    assert "Traceback" not in log.read_text()
    _wait_gone(children)  # the crawler processes have ended (spawn's resource tracker follows)
    assert runs(sqlite_url)[0].status == "interrupted"

    faulty_mirror.faults()
    resumed = crawl(faulty_mirror.url, sqlite_url, "--processes", "2")
    assert "resumed" in resumed.stderr
    assert snapshot(sqlite_url) == clean_crawl.snapshot


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_children_die_with_a_killed_parent(sqlite_url, faulty_mirror, tmp_path, clean_crawl):  # noqa: F811
    log = tmp_path / "crawl.log"
    parent = _start_slow_crawl(faulty_mirror, sqlite_url, log)
    children = _wait_for_children(parent.pid, 2)
    parent.kill()
    parent.wait(timeout=30)
    _wait_gone(children)

    faulty_mirror.faults()
    crawl(faulty_mirror.url, sqlite_url, "--processes", "2")
    assert [run.status for run in runs(sqlite_url)] == ["finished", "killed"]
    assert snapshot(sqlite_url) == clean_crawl.snapshot


def test_processes_option_rejects_bad_values(sqlite_url):
    from tests.conftest import run_famreel

    for value in ("0", "-1", "many", "65"):
        result = run_famreel("crawl", "--db", sqlite_url, "--processes", value)
        assert result.returncode == 2
        assert "--processes" in result.stderr and "Traceback" not in result.stderr
    result = run_famreel("crawl", "--db", sqlite_url, "--processes", "2", "--frontier",
                         "redis://127.0.0.1:6379/0")
    assert result.returncode == 2
    assert "--processes goes without --frontier" in result.stderr
