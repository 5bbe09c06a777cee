"""How fast is ``famreel search`` on 50,000 films? (goal: under 50 ms a query)

Builds a database of N films (default 50,000) from the real catalogs in
``../shared/data/catalogs/`` (Common Sense Media's title list, Kids-In-Mind's catalogue and ratings:
about 12,900 distinct titles; the rest are numbered sequels of them, "Frozen 2", "Frozen 3", the
hardest case for a fuzzy search), then times, side by side in this one run, the search the CLI
and the web use (``storage.queries.search_films``: read every title, rank, load the best films)
against a plain rapidfuzz ``WRatio`` ranking of the same titles, for typed, misspelled, partial
and re-worded queries. Also times one whole ``famreel search`` process for scale.

    python bench/search.py                 # temporary SQLite database, 50,000 films
    python bench/search.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test --films 50000

With ``--db`` the films table of that database is emptied first: use a scratch database.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import delete, insert, select

from aggregator.normalize import parse_mpaa, split_title, title_key
from aggregator.scales import ScaleError
from storage.db import open_database, session_scope
from storage.models import Film, Review
from storage.queries import search_films

CATALOGS = Path(__file__).resolve().parents[2] / "shared" / "data" / "catalogs"
QUERIES = ("won't back down", "the parent trap", "harry poter sorcerers stone", "harry potter",
           "spiderman into the spider verse", "frozen", "toy story 2", "sorcerers stone",
           "abominable", "qwxzy nothing like it")
ROUNDS = 7


def catalog_films() -> list[dict]:
    """One record per distinct title of the catalogs: Kids-In-Mind's carry year, MPAA rating
    and its three ratings (0-10, halved to the 0-5 scale as famreel does)."""
    films: dict[str, dict] = {}
    with open(CATALOGS / "kim_movies_tiroger.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            title = split_title(row["movie_title"])[0]
            try:
                mpaa = parse_mpaa(row["movie_rating"])
            except ScaleError:
                mpaa = None
            levels = [int(row[k]) / 2 if row[k].strip().isdigit() else None
                      for k in ("sex_nudity", "violence_gore", "language")]
            if title:
                films.setdefault(title_key(title), {
                    "title": title, "year": int(row["movie_year"]) if row["movie_year"].strip()
                    .isdigit() else None, "mpaa_rating": mpaa, "sex": levels[0],
                    "violence": levels[1], "language": levels[2]})
    with open(CATALOGS / "csm_movie_list_thedivtagguy.csv", encoding="latin-1") as handle:
        for row in csv.reader(handle):
            title = split_title(row[0])[0]
            if title:
                films.setdefault(title_key(title), {"title": title})
    for raw in json.loads((CATALOGS / "kim_ratings_ta9ay.json").read_text(encoding="utf-8")):
        title = split_title(raw)[0]
        if title:
            films.setdefault(title_key(title), {"title": title})
    return [films[key] for key in sorted(films) if key]


def film_rows(count: int) -> list[dict]:
    base = catalog_films()
    rows = []
    for n in range(count):
        film = dict(base[n % len(base)])
        sequel = n // len(base) + 1
        if sequel > 1:
            film["title"] = f"{film['title']} {sequel}"
            film["year"] = (film.get("year") or 1990) + 3 * sequel
        rows.append({
            "title": film["title"], "title_key": title_key(film["title"]),
            "year": film.get("year"), "mpaa_rating": film.get("mpaa_rating"),
            "violence": film.get("violence"), "sex": film.get("sex"),
            "language": film.get("language"), "source_count": 1 + n % 8,
            "by_site": {"sources": [{"site": "kidsinmind", "url": f"https://kids-in-mind.com/{n}",
                                     "title": film["title"], "year": film.get("year"),
                                     "verdict": None}]},
            "conflicts": [],
        })
    return rows


def build(url: str, count: int) -> float:
    started = time.perf_counter()
    engine = open_database(url)
    with session_scope(engine) as session:
        session.execute(delete(Review))
        session.execute(delete(Film))
        rows = film_rows(count)
        for start in range(0, len(rows), 5000):
            session.execute(insert(Film), rows[start:start + 5000])
    engine.dispose()
    return time.perf_counter() - started


def wratio_search(session, text: str, limit: int = 10) -> list[Film]:
    """The baseline: read every title, rank them all with WRatio, load the best."""
    from rapidfuzz import fuzz, process

    rows = session.execute(select(Film.id, Film.title_key)).all()
    best = process.extract(title_key(text), [r[1] for r in rows], scorer=fuzz.WRatio,
                           score_cutoff=60, limit=limit)
    ids = [rows[i][0] for _, _, i in best]
    return list(session.scalars(select(Film).where(Film.id.in_(ids))))


def timed(function, *args) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args)
    return (time.perf_counter() - started) * 1000, result


def cpu_timed(function, *args) -> tuple[float, float, object]:
    """Wall and this process's CPU milliseconds: on a busy machine the wall time grows with
    the other processes' load, the CPU time does not (SQLite runs inside this process)."""
    cpu = time.process_time()
    wall, result = timed(function, *args)
    return wall, (time.process_time() - cpu) * 1000, result


def figures(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"median {statistics.median(ordered):6.1f} ms   p95 {p95:6.1f} ms   "
            f"max {ordered[-1]:6.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="database URL to fill (default: a temporary SQLite file)")
    parser.add_argument("--films", type=int, default=50_000, help="films to build (50000)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="famreel-bench-")
    url = args.db or f"sqlite:///{workdir}/bench.db"
    try:
        seconds = build(url, args.films)
        print(f"built {args.films} films in {seconds:.1f} s ({url.split(':')[0]})")
        engine = open_database(url)
        ours, ours_cpu, baseline = [], [], []
        with session_scope(engine) as session:
            for text in QUERIES:
                search_films(session, text)  # warm the connection and the imports
                wratio_search(session, text)
                rounds = [cpu_timed(search_films, session, text) for _ in range(ROUNDS)]
                base = [timed(wratio_search, session, text)[0] for _ in range(ROUNDS)]
                ours += [wall for wall, _, _ in rounds]
                ours_cpu += [cpu for _, cpu, _ in rounds]
                baseline += base
                top = [f"{f.title} ({f.year})" for f in rounds[-1][2].films[:3]]
                print(f"  {text!r:36} {statistics.median(w for w, _, _ in rounds):5.1f} ms"
                      f"  (WRatio {statistics.median(base):5.1f} ms)  -> {'; '.join(top) or '-'}")
        engine.dispose()
        print(f"load average (1 min) {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        print(f"famreel search       ({len(ours)} queries): {figures(ours)}")
        print(f"  its CPU time       ({len(ours)} queries): {figures(ours_cpu)}")
        print(f"WRatio baseline      ({len(baseline)} queries): {figures(baseline)}")
        print(f"speed-up (median): {statistics.median(baseline) / statistics.median(ours):.1f}x")
        script = shutil.which("famreel")
        if script:
            env = {**os.environ, "FAMREEL_DB": url}
            ms, _ = timed(lambda: subprocess.run([script, "search", "harry potter"], env=env,
                                                 capture_output=True, check=True))
            print(f"one whole `famreel search` process (interpreter, imports, schema check, "
                  f"query): {ms:.0f} ms")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
