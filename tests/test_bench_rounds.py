"""bench/crawl.py --repeat: each full run is reported from its median round, against that
round's own null spider."""

import importlib.util
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "bench_crawl", Path(__file__).resolve().parent.parent / "bench" / "crawl.py")
assert _SPEC and _SPEC.loader
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)


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
