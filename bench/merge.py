"""CPU of a crawl's merge: every review of a SQLite database matched and merged into films anew.

``--db`` is the database of a crawl (say ``famreel crawl --mirror URL --processes 2 --db
sqlite:////dev/shm/crawl.db`` over a generated mirror). Each pass copies it, forgets its films
(every review pending, as after a first crawl) and times ``aggregator.merge.merge`` in a process
of its own: the merge that ``famreel crawl`` runs when its crawl ends.

``--against TREE`` (another checkout, say ``git worktree add /tmp/base HEAD~1``) merges with
that tree's code too, both at once on two cores so that the VM's drift slows both alike, and
says whether the two made the same films: every film column but ids and times, the films'
blocking keys and every review's film, compared by a digest.

    python bench/merge.py --db /dev/shm/crawl.db
    python bench/merge.py --db /dev/shm/crawl.db --against /tmp/base --repeat 3
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

THIS_TREE = Path(__file__).resolve().parent.parent


def forget_films(db: Path) -> int:
    """Every review of ``db`` pending and no film: what a first crawl leaves to its merge."""
    with sqlite3.connect(db) as connection:
        connection.executescript("UPDATE reviews SET film_id = NULL, needs_merge = 1;"
                                 "DELETE FROM film_keys; DELETE FROM films;")
        return connection.execute("SELECT count(*) FROM reviews").fetchone()[0]


def films_digest(db: Path) -> tuple[int, str]:
    """How many films, and a digest of them that does not depend on their ids."""
    with sqlite3.connect(db) as connection:
        connection.row_factory = sqlite3.Row
        members: dict[int, list[str]] = {}
        for film_id, url in connection.execute("SELECT film_id, url FROM reviews"):
            members.setdefault(film_id, []).append(url)
        keys: dict[int, list[str]] = {}
        for film_id, key in connection.execute("SELECT film_id, key FROM film_keys"):
            keys.setdefault(film_id, []).append(key)
        films = []
        for row in connection.execute("SELECT * FROM films"):
            values = {k: row[k] for k in row.keys() if k not in ("id", "created_at", "updated_at")}
            films.append([sorted(members.get(row["id"], [])), values,
                          sorted(keys.get(row["id"], []))])
    films.sort(key=lambda film: film[0])
    text = json.dumps(films, sort_keys=True, default=str)
    return len(films), hashlib.sha256(text.encode()).hexdigest()[:16]


def child(db: Path) -> dict[str, Any]:
    """Merge ``db`` with the code on ``sys.path`` (this process's tree)."""
    import aggregator.merge
    from storage.db import open_database, session_scope

    engine = open_database(f"sqlite:///{db}")
    started = time.process_time()
    with session_scope(engine) as session:
        result = aggregator.merge.merge(session)
    cpu_s = time.process_time() - started
    engine.dispose()
    films, digest = films_digest(db)
    return {"tree": str(Path(aggregator.merge.__file__).resolve().parent.parent),
            "cpu_s": cpu_s, "reviews": result.reviews_merged, "films": films, "digest": digest}


def start(tree: Path, pending: Path, work: Path, name: str) -> subprocess.Popen[str]:
    copy = work / f"{name}.db"
    shutil.copyfile(pending, copy)
    return subprocess.Popen([sys.executable, __file__, "--child", str(copy)], cwd=tree,
                            stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(tree)})


def outcome(process: subprocess.Popen[str], tree: Path) -> dict[str, Any]:
    stdout, _ = process.communicate()
    if process.returncode:
        sys.exit(f"the merge with {tree}'s code failed (exit status {process.returncode})")
    result = json.loads(stdout)
    if Path(result["tree"]) != tree:  # an editable install's import hook can outrank PYTHONPATH
        sys.exit(f"the merge meant for {tree} imported famreel from {result['tree']}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="SQLite database of a crawl (left unchanged)")
    parser.add_argument("--against", type=Path, metavar="TREE",
                        help="another famreel checkout: merge with its code too, side by side")
    parser.add_argument("--repeat", type=int, default=1, metavar="N", help="passes")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    if args.db is None or not args.db.is_file():
        parser.error("--db: give the SQLite database file of a crawl")
    if args.repeat < 1:
        parser.error("--repeat: at least 1")
    trees = {"this": THIS_TREE}
    if args.against is not None:
        if not (args.against / "aggregator" / "merge.py").is_file():
            parser.error(f"{args.against} is no famreel checkout (no aggregator/merge.py in it)")
        trees["against"] = args.against.resolve()
    with tempfile.TemporaryDirectory(prefix="famreel-merge-bench-") as folder:
        work = Path(folder)
        pending = work / "pending.db"
        shutil.copyfile(args.db, pending)
        reviews = forget_films(pending)
        print(f"{reviews} reviews; CPU s of each merge, " + ", ".join(trees) + " at once")
        passes = []
        for number in range(1, args.repeat + 1):
            running = {name: start(tree, pending, work, name) for name, tree in trees.items()}
            results = {name: outcome(process, trees[name]) for name, process in running.items()}
            passes.append(results)
            line = "  ".join(f"{name} {r['cpu_s']:6.2f} s ({r['films']} films)"
                             for name, r in results.items())
            if "against" in results:
                same = results["this"]["digest"] == results["against"]["digest"]
                ratio = results["this"]["cpu_s"] / results["against"]["cpu_s"]
                line += f"  this/against {ratio:.2f}  films {'the same' if same else 'DIFFER'}"
            print(f"pass {number}: {line}")
        if "against" in trees and len(passes) > 1:
            ratios = [p["this"]["cpu_s"] / p["against"]["cpu_s"] for p in passes]
            print(f"median this/against: {statistics.median(ratios):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
