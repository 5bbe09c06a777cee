"""The benchmarks' own logic: bench/crawl.py --repeat reports each full run from its median
round against that round's own null spider; bench/merge.py merges a crawl's reviews anew and
tells whether two merges made the same films."""

import importlib.util
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aggregator.merge import merge
from storage.db import open_database, session_scope
from storage.repository import upsert_reviews
from tests.test_merge_cases import row

BENCH = Path(__file__).resolve().parent.parent / "bench"


def bench_module(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


bench = bench_module("crawl")


def run(seconds: float, pages: int = 1000) -> dict:
    return {"pages": pages, "seconds": seconds}


def test_each_run_comes_from_its_median_round_with_that_rounds_null_spider():
    rounds = [
        {"null": run(10.0), "sqlite_procs": run(20.0), "pg_procs": run(11.0)},  # 0.50, 0.91
        {"null": run(20.0), "sqlite_procs": run(25.0), "pg_procs": run(40.0)},  # 0.80, 0.50
        {"null": run(10.0), "sqlite_procs": run(14.0), "pg_procs": run(16.0)},  # 0.71, 0.62
    ]
    picked = bench.median_rounds(rounds)
    assert picked["sqlite_procs"] is rounds[2]["sqlite_procs"]
    assert picked["null:sqlite_procs"] is rounds[2]["null"]
    assert picked["pg_procs"] is rounds[2]["pg_procs"]
    assert picked["null"] is rounds[0]["null"]
    assert bench.ratio(rounds[1], "sqlite_procs") == pytest.approx(0.8)


def test_an_even_number_of_rounds_reports_the_lower_middle_one():
    rounds = [{"null": run(10.0), "sqlite_procs": run(10.0 / ratio)} for ratio in (0.9, 0.6)]
    assert bench.median_rounds(rounds)["sqlite_procs"] is rounds[1]["sqlite_procs"]


def test_a_run_missing_from_a_round_is_picked_from_the_rounds_that_have_it():
    rounds = [{"null": run(10.0), "pg_procs": run(20.0)}, {"null": run(10.0)}]
    picked = bench.median_rounds(rounds)
    assert picked["pg_procs"] is rounds[0]["pg_procs"]
    assert "sqlite_procs" not in picked


def test_the_ratio_without_the_merge_takes_the_merges_cpu_seconds_out_of_the_runs_time():
    results = {"null": run(10.0), "sqlite_procs": {**run(20.0), "cpu_ms": {"merge": 4000.0}}}
    assert bench.ratio(results, "sqlite_procs") == pytest.approx(0.5)
    assert bench.crawl_ratio(results, "sqlite_procs") == pytest.approx(10.0 / 16.0)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="no /proc on this system")
def test_the_mirrors_cpu_is_measured_around_a_run_and_left_out_when_unknown():
    def burn() -> dict:
        started = time.process_time()
        while time.process_time() - started < 0.2:
            pass
        return {"pages": 1}

    measured = bench.MirrorProcess("http://127.0.0.1:1", os.getpid()).measured(burn)
    assert measured is not None and measured["mirror_cpu_s"] >= 0.15
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert bench.process_cpu_seconds(gone.pid) is None
    assert "mirror_cpu_s" not in bench.MirrorProcess("", gone.pid).measured(lambda: {"pages": 1})


def merged_database(path: Path) -> Path:
    engine = open_database(f"sqlite:///{path}")
    with session_scope(engine) as session:
        upsert_reviews(session, [
            row("commonsense", "trap", "The Parent Trap", 1998, 128, "PG", ["Nancy Meyers"]),
            row("kidsinmind", "trap", "Parent Trap, The", 1998, 127, "PG", ["Meyers, Nancy"]),
            row("movieguide", "trap-61", "The Parent Trap", 1961, 129, "G"),
        ])
        merge(session)
    engine.dispose()
    return path


def test_merge_bench_forgets_the_films_and_its_merge_makes_them_again(tmp_path):
    merge_bench = bench_module("merge")
    db = merged_database(tmp_path / "crawl.db")
    films, digest = merge_bench.films_digest(db)
    assert films == 2
    again = tmp_path / "again.db"
    shutil.copyfile(db, again)
    assert merge_bench.forget_films(again) == 3
    with sqlite3.connect(again) as connection:
        assert connection.execute("SELECT count(*) FROM films").fetchone() == (0,)
        assert connection.execute(
            "SELECT count(*) FROM reviews WHERE needs_merge AND film_id IS NULL").fetchone() == (3,)
    assert merge_bench.films_digest(again) != (films, digest)
    result = subprocess.run([sys.executable, str(BENCH / "merge.py"), "--db", str(db),
                             "--repeat", "2"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "3 reviews" in result.stdout and result.stdout.count("(2 films)") == 2
    child = merge_bench.child(again)  # the merge the bench times, in this process
    assert (child["reviews"], child["films"], child["digest"]) == (3, films, digest)


def test_crawl_against_crawls_with_each_trees_code_in_turn(tmp_path):
    """bench/crawl_against.py over a small generated mirror, this tree against a copy of it:
    each round crawls the mirror once with each tree's own code."""
    from crawler.mirror.generate import generate

    root = tmp_path / "mirror"
    generate(12, root)
    other = tmp_path / "other"
    shutil.copytree(BENCH.parent, other, ignore=shutil.ignore_patterns(
        ".git", "*.egg-info", "__pycache__", ".pytest_cache", "node_modules"))
    result = subprocess.run([sys.executable, str(BENCH / "crawl_against.py"), "--root",
                             str(root), "--against", str(other), "--repeat", "2"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines if line.startswith("round")] == [
        "round 1", "round 2"]
    this = [line for line in lines if line.strip().startswith("this ")]
    against = [line for line in lines if line.strip().startswith("against ")]
    assert len(this) == len(against) == 2
    pages = {line.split("(")[1].split(" pages")[0] for line in this + against}
    assert len(pages) == 1 and int(pages.pop()) > 12  # the same crawl each time
    assert lines[-1].startswith("median this/against CPU: ")


def test_crawl_against_refuses_what_is_no_checkout_or_no_mirror(tmp_path):
    for args, error in ((["--root", str(tmp_path), "--against", str(BENCH.parent)],
                         "holds no mirror"),
                        (["--root", str(tmp_path), "--against", str(tmp_path)],
                         "no famreel checkout")):
        if error == "no famreel checkout":
            (tmp_path / "_films.json").write_text("[]")
        result = subprocess.run([sys.executable, str(BENCH / "crawl_against.py"), *args],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and error in result.stderr
