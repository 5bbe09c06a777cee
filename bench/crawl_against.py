"""CPU of famreel's full crawl with this tree's code and another tree's, in turn, in one run.

Run (b) of ``bench/crawl.py`` (``run_crawl`` in one crawler process: fetch, parse, normalize,
store, crawl state, merge, into a fresh SQLite database) over a generated mirror served on
127.0.0.1, once with each tree's code per round, the order alternating between rounds so that a
VM's drift favours neither. A change worth a few percent of a crawl's CPU shows here, in CPU
seconds per crawl; it does not show in one run of ``bench/crawl.py`` (two rounds of the same
code differ by more).

    git worktree add /tmp/base HEAD~1
    famreel mirror generate --films 2000 --out /dev/shm/gen2k
    python bench/crawl_against.py --root /dev/shm/gen2k --against /tmp/base --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

THIS_TREE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(THIS_TREE / "bench"))

from crawl import FILMS_FILE, STAGES, mirror_process  # noqa: E402  (bench/crawl.py)


def tree_env(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree)}


def check_tree(tree: Path) -> None:
    """The tree's code is what its crawl imports (an editable install's finder could win)."""
    found = subprocess.run([sys.executable, "-c", "import crawler; print(crawler.__file__)"],
                           cwd=tree, env=tree_env(tree), capture_output=True, text=True)
    if Path(found.stdout.strip()).resolve().parent.parent != tree:
        sys.exit(f"a crawl meant for {tree} imports famreel from {found.stdout.strip() or '?'}")


def crawl(tree: Path, mirror: str, db: Path) -> dict[str, Any]:
    """One full crawl by ``tree``'s own ``bench/crawl.py`` child: its outcome and CPU s."""
    db.unlink(missing_ok=True)
    result = subprocess.run(
        [sys.executable, str(tree / "bench" / "crawl.py"), "--child", "full", mirror,
         f"sqlite:///{db}", "0"],
        cwd=tree, env=tree_env(tree), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True)
    if result.returncode:
        sys.exit(f"the crawl with {tree}'s code failed (exit status {result.returncode})")
    return json.loads(result.stdout.strip().splitlines()[-1])


def line(name: str, outcome: dict[str, Any]) -> str:
    stages = " ".join(f"{stage} {outcome['cpu_ms'].get(stage, 0) / 1000:5.1f}"
                      for stage in STAGES)
    return (f"{name} {outcome['cpu_s']:6.1f} CPU s {outcome['seconds']:6.1f} s "
            f"({outcome['pages']} pages, {outcome['reviews']} reviews; {stages})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True,
                        help="a generated mirror (famreel mirror generate --out DIR)")
    parser.add_argument("--against", type=Path, required=True, metavar="TREE",
                        help="another famreel checkout (say git worktree add /tmp/base HEAD~1)")
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="rounds (default 3)")
    args = parser.parse_args()
    if not (args.root / FILMS_FILE).is_file():
        parser.error(f"--root: {args.root} holds no mirror (famreel mirror generate --out DIR)")
    if not (args.against / "bench" / "crawl.py").is_file():
        parser.error(f"--against: {args.against} is no famreel checkout (no bench/crawl.py)")
    if args.repeat < 1:
        parser.error("--repeat: at least 1")
    trees = {"this": THIS_TREE, "against": args.against.resolve()}
    for tree in trees.values():
        check_tree(tree)
    ratios = []
    with tempfile.TemporaryDirectory(prefix="famreel-crawl-against-") as folder:
        work = Path(folder)
        with mirror_process(args.root, work / "requests.log") as mirror:
            print(f"full crawls of {args.root} served at {mirror.url}, one process each, "
                  "this tree's code and the other's in turn")
            for number in range(1, args.repeat + 1):
                order = list(trees) if number % 2 else list(reversed(trees))
                outcomes = {name: crawl(trees[name], mirror.url, work / f"{name}.db")
                            for name in order}
                ratio = outcomes["this"]["cpu_s"] / outcomes["against"]["cpu_s"]
                ratios.append(ratio)
                print(f"round {number}: this/against CPU {ratio:.3f}")
                for name in trees:
                    print("  " + line(f"{name:>7}", outcomes[name]))
    print(f"median this/against CPU: {statistics.median(ratios):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
