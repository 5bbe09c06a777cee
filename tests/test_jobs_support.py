"""What the scheduled-crawl tests share: a mirror with a fault plan, crawls through the installed
script, and a snapshot of what a database holds (reviews, films, consensus)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from aggregator.consensus import film_json
from crawler.mirror.server import BUNDLED_ROOT, Mirror, make_server
from storage.crawl_state import recent_runs
from storage.db import open_database, session_scope
from storage.models import CrawlUrl, Review
from storage.repository import films_with_reviews
from tests.conftest import run_famreel

SEED_SITES = ("--site", "commonsense", "--site", "parenting")
CSM = "www.commonsensemedia.org"
PARENTING = "www.parenting.com"
WBD_CSM = f"{CSM}/movie-reviews/wont-back-down"


@dataclass
class FaultyMirror:
    """A mirror in this process whose fault plan a test rewrites between crawls."""

    url: str
    plan: Path
    log: Path

    def faults(self, *rules: dict[str, Any]) -> None:
        self.plan.write_text(json.dumps(list(rules)))

    def answers(self, path: str) -> list[int]:
        """The statuses the mirror answered for ``/HOST/PATH`` so far, in order."""
        return [int(line.split()[-1]) for line in self.log.read_text().splitlines()
                if line.split()[1] == path]


@pytest.fixture
def faulty_mirror(tmp_path: Path) -> Iterator[FaultyMirror]:
    plan, log = tmp_path / "faults.json", tmp_path / "mirror.log"
    plan.write_text("[]")
    server = make_server(Mirror(BUNDLED_ROOT, faults=plan), 0, log_file=log)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.wait_ready()
    yield FaultyMirror(server.url, plan, log)
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


def crawl(mirror: str, db: str, *args: str, env: dict[str, str] | None = None,
          expect: int | None = 0) -> Any:
    result = run_famreel("crawl", "--mirror", mirror, "--db", db, *SEED_SITES, *args, env=env)
    if expect is not None:
        assert result.returncode == expect, result.stderr[-3000:]
        assert "Traceback" not in result.stderr
    return result


@dataclass
class CleanCrawl:
    snapshot: dict[str, Any]
    pages: int


@pytest.fixture(scope="session")
def clean_crawl(tmp_path_factory: pytest.TempPathFactory, mirror_url: str) -> CleanCrawl:
    """What one clean crawl of the seed sites leaves (the same on SQLite and PostgreSQL), and
    how many pages it fetched."""
    db = f"sqlite:///{tmp_path_factory.mktemp('clean') / 'clean.db'}"
    crawl(mirror_url, db)
    return CleanCrawl(snapshot(db), runs(db)[0].pages)


def snapshot(db: str) -> dict[str, Any]:
    """Reviews (URL -> content hash), films (their consensus JSON without ids, sources and all),
    and how many reviews still wait for a merge."""
    engine = open_database(db)
    with session_scope(engine) as session:
        reviews = dict(session.execute(select(Review.url, Review.content_hash)).all())
        films = sorted(json.dumps({k: v for k, v in film_json(f).items() if k != "id"},
                                  sort_keys=True) for f in films_with_reviews(session))
        unmerged = session.scalar(select(func.count()).where(Review.needs_merge))
    engine.dispose()
    return {"reviews": reviews, "films": films, "unmerged": unmerged}


def runs(db: str) -> list[Any]:
    """The database's crawl runs, newest first."""
    engine = open_database(db)
    with session_scope(engine) as session:
        found = recent_runs(session, None)
    engine.dispose()
    return found


def requests_by_status(db: str) -> dict[str, set[str]]:
    engine = open_database(db)
    with session_scope(engine) as session:
        rows = session.execute(select(CrawlUrl.status, CrawlUrl.url)).all()
    engine.dispose()
    found: dict[str, set[str]] = {}
    for status, url in rows:
        found.setdefault(status, set()).add(url)
    return found
