"""How long does an incremental merge of 1,000 new reviews into 100,000 take? (goal: < 10 s)

Builds a SQLite database of 100,000 synthetic reviews derived from the real catalogs in
``../shared/data/catalogs/`` (12,623 distinct titles, via ``bench/search.py``'s
``catalog_films``, plus remakes of some of them to reach the count): every film reviewed by
all eight sites, each spelling the title its own way
(MovieGuide in capitals, Kids-In-Mind "Title, The", "&" for "and", a "(year)" suffix,
Parenting.com without a year). ``merge --full`` turns them into films (timed, for scale), then
1,000 held-back reviews arrive -- mostly one more site's review of a film already in the
database, and all the reviews of 25 films that are not -- and only their merge is timed:
matching against the indexed films, consensus, keys, commit. The result is checked against the
truth the reviews were made from.

    python bench/merge_incremental.py                # temporary SQLite database
    python bench/merge_incremental.py --reviews 20000 --new 500
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

from search import catalog_films  # bench/search.py: one record per distinct catalog title
from sqlalchemy import func, select

from aggregator.merge import merge
from aggregator.normalize import title_key
from storage.db import open_database, session_scope
from storage.models import Review
from storage.repository import upsert_reviews

SITES = ("commonsense", "parenting", "pluggedin", "kidsinmind", "parentpreviews", "dove",
         "movieguide", "imdb")
MPAA = ("G", "PG", "PG-13", "R")


def _hash(*parts: object) -> int:
    return int(hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def films(count: int) -> list[dict]:
    """``count`` films: the catalog's, each with a year, rating and runtime (derived from the
    title where the catalog has none, or a year like "20"), then remakes of the first ones
    (same title, another year and runtime) until there are enough."""
    out = []
    for n, film in enumerate(catalog_films()):
        h = _hash(film["title"])
        known = film.get("year") if 1888 <= (film.get("year") or 0) <= 2030 else None
        out.append({"n": n, "title": film["title"], "year": known or 1950 + h % 74,
                    "mpaa_rating": film.get("mpaa_rating") or MPAA[h % 4],
                    "runtime_minutes": 80 + (h >> 8) % 70})
    for original in out[: max(0, count - len(out))]:
        year = original["year"] + 30 if original["year"] <= 1994 else original["year"] - 30
        out.append({**original, "n": len(out), "year": year,
                    "runtime_minutes": original["runtime_minutes"] + 11})
    return out


def spelled(title: str, site: str, year: int) -> str:
    """How each site prints a title."""
    if site == "movieguide":
        return title.upper()
    if site == "kidsinmind" and title.startswith("The "):
        return f"{title[4:]}, The"
    if site == "dove":
        return title.replace(" and ", " & ")
    if site == "commonsense" and _hash(title, site) % 5 == 0:
        return f"{title} ({year})"
    return title


def review(film: dict, site: str) -> dict:
    yearless = site == "parenting"
    return {
        "site": site, "url": f"https://{site}.example/review/{film['n']}",
        "title": (title := spelled(film["title"], site, film["year"])),
        "title_key": title_key(title), "year": None if yearless else film["year"],
        "runtime_minutes": film["runtime_minutes"] if site != "pluggedin" else None,
        "mpaa_rating": film["mpaa_rating"], "directors": [], "cast": [], "genres": [],
        "content_native": {}, "content": {}, "extra_ratings": {},
        "quality": float(_hash(film["n"], site) % 101),
    }


def reviews(total: int, new: int, new_films: int) -> tuple[list[dict], list[dict]]:
    """(reviews for the database, the ``new`` held back: ``new_films`` films entirely, the
    rest single reviews of films the database has)."""
    catalog = films(-(-(total + new) // len(SITES)))
    every = [review(film, site) for film in catalog for site in SITES]
    held_films = {film["n"] for film in catalog[-new_films:]}
    held = [r for r in every if int(r["url"].rsplit("/", 1)[1]) in held_films]
    rest = [r for r in every if int(r["url"].rsplit("/", 1)[1]) not in held_films]
    held += rest[:: max(1, len(rest) // (new - len(held)))][: new - len(held)]
    held_urls = {r["url"] for r in held}
    stored = [r for r in rest if r["url"] not in held_urls][:total]
    return stored, held


def store(url: str, rows: list[dict]) -> None:
    engine = open_database(url)
    for start in range(0, len(rows), 5000):
        with session_scope(engine) as session:
            upsert_reviews(session, rows[start:start + 5000])
    engine.dispose()


def timed_merge(url: str, full: bool = False) -> tuple[float, object]:
    engine = open_database(url)
    started = time.perf_counter()
    with session_scope(engine) as session:
        result = merge(session, full=full)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds, result


def mistakes(url: str) -> tuple[int, int]:
    """(films mixing reviews of two catalog films, catalog films spread over two films)."""
    engine = open_database(url)
    with session_scope(engine) as session:
        rows = session.execute(select(Review.film_id, Review.url)).all()
    engine.dispose()
    origins: dict[int, set[str]] = {}
    films_of: dict[str, set[int]] = {}
    for film_id, review_url in rows:
        origin = review_url.rsplit("/", 1)[1]
        origins.setdefault(film_id, set()).add(origin)
        films_of.setdefault(origin, set()).add(film_id)
    return (sum(len(o) > 1 for o in origins.values()),
            sum(len(f) > 1 for f in films_of.values()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviews", type=int, default=100_000, help="reviews stored (100000)")
    parser.add_argument("--new", type=int, default=1_000, help="new reviews merged (1000)")
    args = parser.parse_args()
    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='famreel-bench-')) / 'famreel.db'}"
    stored, held = reviews(args.reviews, args.new, new_films=args.new // 40)
    print(f"database {url}: {len(stored):,} reviews, then {len(held):,} new "
          f"({args.new // 40} films not in the database)", file=sys.stderr)
    store(url, stored)
    full_seconds, full = timed_merge(url, full=True)
    print(f"merge --full of {full.reviews_merged:,} reviews: {full_seconds:.1f} s "
          f"({full.films_created:,} films)")
    store(url, held)
    seconds, result = timed_merge(url)
    engine = open_database(url)
    with session_scope(engine) as session:
        total = session.scalar(select(func.count()).select_from(Review))
    engine.dispose()
    print(f"incremental merge of {result.reviews_merged:,} new reviews into {total:,}: "
          f"{seconds:.2f} s ({result.films_touched:,} films touched, "
          f"{result.films_created:,} created)  goal < 10 s")
    mixed, split = mistakes(url)
    print(f"check: {mixed} films mix two catalog films, {split} catalog films are split")
    return 0


if __name__ == "__main__":
    sys.exit(main())
