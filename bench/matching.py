"""famreel's matcher on a public labelled benchmark: IMDb-DBpedia movies (27,615 x 23,182 records,
22,863 true pairs), next to a naive rapidfuzz baseline measured in the same run.

    python bench/matching.py                       # data in ../shared/data/em/imdb_dbpedia/
    python bench/matching.py --data DIR

Prints precision, recall and F1 against all true pairs; the blocking's pair completeness and
candidate count; wall time of blocking and of matching; the same for the baseline (for each
record with a title, the other side's record whose title has the best ``token_sort_ratio``,
kept from 80 up, every pair compared); and the recall ceiling of any matcher that reads only
these records: the share of true pairs whose two records have at least one word in common in
any field (the rest share nothing at all: an empty title on one side and other people on the
other). The published results to compare with are in the data's README.

The dataset's columns are mapped to ``aggregator.matching.link``'s keys here, nowhere else:
imdb.csv (DBpedia-style values despite its name) ``title`` -> title, ``starring``,
``writer``, ``editor`` -> cast (it names no director); dbpedia.csv ``title`` -> title (its
"(1999)" suffix is split off by ``link``), ``year`` -> year, ``director name`` -> directors,
``actor name`` -> cast.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from aggregator.matching import LinkStats, link, repair
from aggregator.normalize import title_key

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "em" / "imdb_dbpedia"
PUBLISHED = "pyJedAI best tuned workflow (data README): P 0.940  R 0.858  F1 0.897"
BASELINE_CUTOFF = 80


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="|", quoting=csv.QUOTE_NONE))


def imdb_record(row: dict[str, str]) -> dict:
    return {"title": row["title"], "cast": [row["starring"], row["writer"], row["editor"]]}


def dbpedia_record(row: dict[str, str]) -> dict:
    year = row["year"][:4]
    return {"title": row["title"], "year": int(year) if year.isdigit() else None,
            "directors": [row["director name"]], "cast": [row["actor name"]]}


def scores(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> str:
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return f"P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}"


def naive_baseline(left: list[dict[str, str]], right: list[dict[str, str]]
                   ) -> set[tuple[int, int]]:
    """Every titled left record against every right title (rapidfuzz ``cdist`` in worker
    threads, in slices to bound memory): the best ``token_sort_ratio``, if 80 or more."""
    titled = [(i, row["title"]) for i, row in enumerate(left) if row["title"].strip()]
    choices = [row["title"] for row in right]
    found = set()
    for start in range(0, len(titled), 2000):
        part = titled[start:start + 2000]
        matrix = process.cdist([t for _, t in part], choices, scorer=fuzz.token_sort_ratio,
                               processor=utils.default_process, score_cutoff=BASELINE_CUTOFF,
                               workers=-1)
        for (i, _), row in zip(part, matrix, strict=True):
            best = int(row.argmax())
            if row[best] >= BASELINE_CUTOFF:
                found.add((i, best))
    return found


def words(row: dict[str, str]) -> set[str]:
    return set(title_key(repair(" ".join(v for k, v in row.items() if k != "id"))).split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help=f"benchmark folder ({DATA})")
    args = parser.parse_args()
    if not (args.data / "gt.csv").is_file():
        print(f"bench/matching.py: no benchmark data in {args.data}", file=sys.stderr)
        return 2
    imdb, dbpedia = read(args.data / "imdb.csv"), read(args.data / "dbpedia.csv")
    truth = {(int(r["D1"]), int(r["D2"])) for r in read(args.data / "gt.csv")}
    print(f"IMDb-DBpedia: {len(imdb):,} x {len(dbpedia):,} records, {len(truth):,} true pairs "
          f"({len(imdb) * len(dbpedia):,} possible)")

    stats = LinkStats()
    started = time.perf_counter()
    matches = link([imdb_record(r) for r in imdb], [dbpedia_record(r) for r in dbpedia],
                   stats=stats)
    wall = time.perf_counter() - started
    completeness = len(stats.candidates & truth) / len(truth)
    print(f"famreel link     {scores({(i, j) for i, j, _ in matches}, truth)}   "
          f"blocking: {len(stats.candidates):,} candidates, pair completeness "
          f"{completeness:.3f}, {stats.blocking_seconds:.1f} s   matching "
          f"{stats.matching_seconds:.1f} s   wall {wall:.1f} s")

    started = time.perf_counter()
    baseline = naive_baseline(imdb, dbpedia)
    titled = sum(1 for r in imdb if r["title"].strip())
    print(f"naive baseline   {scores(baseline, truth)}   no blocking: "
          f"{titled * len(dbpedia):,} pairs compared, {time.perf_counter() - started:.1f} s")
    print(f"published        {PUBLISHED}")

    left_words, right_words = [words(r) for r in imdb], [words(r) for r in dbpedia]
    reachable = sum(1 for i, j in truth if left_words[i] & right_words[j]) / len(truth)
    print(f"ceiling          {reachable:.3f} of the true pairs share a word in some field: no "
          f"matcher reading only these records recalls more (F1 at most "
          f"{2 * reachable / (1 + reachable):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
