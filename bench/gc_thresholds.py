"""How much CPU does the garbage collector take from a crawl, at which thresholds?

Serves a generated mirror (as bench/crawl.py does) and runs the full crawl into SQLite once per
``--thresholds`` value, each in a process of its own, timing every collection with
``gc.callbacks``; prints GC seconds, the process's CPU seconds, pages/s and peak memory.
README "Throughput" shows its table for 2,000 films:

    python bench/gc_thresholds.py --films 2000 --out /dev/shm/gen2k \\
        --thresholds 700,10,10 50000,20,10 20000,5,5
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawl import ensure_mirror, mirror_process


def child(mirror: str, db: str, thresholds: str) -> None:
    from crawler.runner import run_crawl
    from crawler.sites import available_sites

    spent, started = [0.0], [0.0]

    def timing(phase: str, _info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - started[0]

    gc.callbacks.append(timing)
    begun = time.perf_counter()
    outcome = run_crawl(available_sites(), db, mirror=mirror, command="bench/gc_thresholds.py",
                        overrides={"FAMREEL_GC_THRESHOLDS": thresholds})
    seconds = time.perf_counter() - begun
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"gc_s": spent[0], "cpu_s": usage.ru_utime + usage.ru_stime,
                      "pages_per_s": outcome.counts["pages"] / seconds,
                      "peak_mb": usage.ru_maxrss / 1024}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--films", type=int, default=2000)
    parser.add_argument("--out", type=Path, help="mirror folder (kept; reused when present)")
    parser.add_argument("--thresholds", nargs="+", default=["700,10,10", "20000,5,5"])
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    root, _ = ensure_mirror(args.films, args.out)
    work = Path(tempfile.mkdtemp(prefix="famreel-gc-"))
    print(f"{'thresholds':16}{'GC s':>8}{'CPU s':>8}{'pages/s':>9}{'peak MB':>9}")
    with mirror_process(root, work / "requests.log") as mirror:
        for n, thresholds in enumerate(args.thresholds):
            result = subprocess.run(
                [sys.executable, __file__, "--child", mirror, f"sqlite:///{work / f'{n}.db'}",
                 thresholds], stdout=subprocess.PIPE, text=True, check=True)
            run = json.loads(result.stdout.strip().splitlines()[-1])
            print(f"{thresholds:16}{run['gc_s']:>8.1f}{run['cpu_s']:>8.1f}"
                  f"{run['pages_per_s']:>9.0f}{run['peak_mb']:>9.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
