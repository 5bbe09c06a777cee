"""A database crawled from the bundled mirror, built once per test module by the query tests
(CLI, API, browser, views), plus one hostile review that makes a conflict."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aggregator.merge import merge
from storage.db import open_database, session_scope
from storage.repository import upsert_reviews
from tests.conftest import fresh_pg_database, run_famreel

# a review whose text is an attack: it must render as text everywhere
HOSTILE_VERDICT = "<script>document.title='pwned'</script><img src=x onerror=alert(1)> Fowl & fun"
HOSTILE_URL = "https://www.parenting.com/entertainment/movies/review-wallace-gromit-fowl/"
HOSTILE_FILM = "Wallace & Gromit: Vengeance Most Fowl"


def crawl_mirror(mirror_url: str, db: str) -> None:
    result = run_famreel("crawl", "--mirror", mirror_url, "--db", db)
    assert result.returncode == 0, result.stderr[-3000:]


def add_hostile_review(db: str) -> None:
    """A Parenting.com review of Wallace & Gromit (no such page on the mirror) rating it PG-13
    where the other sites say PG -- a conflict -- with a script in its verdict."""
    engine = open_database(db)
    with session_scope(engine) as session:
        upsert_reviews(session, [{
            "site": "parenting", "url": HOSTILE_URL, "title": HOSTILE_FILM,
            "title_key": "wallace and gromit vengeance most fowl", "year": 2024,
            "mpaa_rating": "PG-13", "runtime_minutes": 79, "verdict": HOSTILE_VERDICT,
            "reviewer": "<b>Mallory</b>",
        }])
        merge(session)
    engine.dispose()


# the first crawled SQLite file of this test run; later modules get a copy of it (a crawl takes
# about ten seconds, a copy nothing, and no query test writes to its database)
_crawled_sqlite: list[Path] = []


@contextmanager
def crawled_database(kind: str, folder: Path, mirror_url: str) -> Iterator[str]:
    """The URL of a fresh SQLite or PostgreSQL database holding the crawled mirror."""
    with scratch_database(kind, folder) as url:
        if kind == "sqlite" and _crawled_sqlite:
            shutil.copyfile(_crawled_sqlite[0], folder / "famreel.db")
        else:
            crawl_mirror(mirror_url, url)
            add_hostile_review(url)
            if kind == "sqlite":
                _crawled_sqlite.append(shutil.copyfile(folder / "famreel.db",
                                                       folder.parent / "crawled-mirror.db"))
        yield url


@contextmanager
def scratch_database(kind: str, folder: Path) -> Iterator[str]:
    """A new empty database: a SQLite file in ``folder``, or a PostgreSQL database dropped
    afterwards (skipped outside CI when PostgreSQL is not running, as ``pg_url``)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'famreel.db'}"
        return
    with fresh_pg_database() as url:
        yield url


def sites_of(film: dict) -> set[str]:
    return {source["site"] for source in film["sources"]}


def at_most(block: dict, limit: float) -> bool:
    return block["consensus"] is not None and block["consensus"] <= limit


# every filter three ways: CLI options, API parameters, and what it must keep (a film JSON test)
FILTER_CASES = [
    (["--year", "2019"], {"year": 2019}, lambda f: f["year"] == 2019),
    (["--mpaa", "g", "--mpaa", "PG-13"], {"mpaa": ["g", "PG-13"]},
     lambda f: f["mpaa_rating"] in ("G", "PG-13")),
    (["--max-age", "5"], {"max_age": 5}, lambda f: at_most(f["age"], 5)),
    (["--min-quality", "95"], {"min_quality": 95},
     lambda f: (f["quality"]["consensus"] or -1) >= 95),
    (["--max", "sex=0", "--max", "language=0.5"], {"max": ["sex=0", "language=0.5"]},
     lambda f: at_most(f["content"]["sex"], 0) and at_most(f["content"]["language"], 0.5)),
    (["--max", "scariness=1.5"], {"max": "scariness=1.5"},
     lambda f: at_most(f["content"]["scariness"], 1.5)),
    (["--site", "kidsinmind"], {"site": "kidsinmind"}, lambda f: "kidsinmind" in sites_of(f)),
    (["--min-sources", "8"], {"min_sources": 8}, lambda f: len(sites_of(f)) >= 8),
    (["--conflicts"], {"conflicts": "true"}, lambda f: bool(f["conflicts"])),
]
