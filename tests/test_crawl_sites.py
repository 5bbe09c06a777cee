"""A real crawl of each site on the bundled mirror, and of all eight together."""

import json

import pytest
from sqlalchemy import func, select

from crawler.sites import SITE_NAMES
from storage.db import open_database, session_scope
from storage.models import Review, Site
from tests.conftest import run_famreel


def reviews_by_site(db):
    engine = open_database(db)
    with session_scope(engine) as session:
        rows = session.execute(
            select(Site.name, func.count(Review.id)).join(Review).group_by(Site.name)).all()
        urls = list(session.scalars(select(Review.url)))
    engine.dispose()
    return dict(rows), urls


@pytest.mark.parametrize("site", SITE_NAMES)
def test_full_crawl_of_one_site(site, sqlite_url, mirror_url):
    result = run_famreel("crawl", "--site", site, "--mirror", mirror_url, "--db", sqlite_url)
    assert result.returncode == 0, result.stderr[-2000:]
    counts, urls = reviews_by_site(sqlite_url)
    assert set(counts) == {site}
    assert counts[site] >= 15
    assert all(u.startswith("https://") and "127.0.0.1" not in u for u in urls)
    assert " 0 dropped" in result.stderr


def test_parent_previews_not_found_with_200_is_never_stored(sqlite_url, mirror_url):
    result = run_famreel("crawl", "--site", "parentpreviews", "--mirror", mirror_url,
                         "--db", sqlite_url)
    assert result.returncode == 0
    _, urls = reviews_by_site(sqlite_url)
    assert "https://parentpreviews.com/movie-reviews/inside-out-2" not in urls


def test_all_eight_sites_one_record_per_film(sqlite_url, mirror_url):
    full = run_famreel("crawl", "--mirror", mirror_url, "--db", sqlite_url)
    assert full.returncode == 0, full.stderr[-2000:]
    for site in SITE_NAMES:
        assert f"{site}: " in full.stderr
    assert "with 4+ sources" in full.stderr
    counts, _ = reviews_by_site(sqlite_url)
    assert set(counts) == set(SITE_NAMES)
    result = run_famreel("crawl", "--mirror", mirror_url, "--db", sqlite_url,
                         "--title", "Won't Back Down", "--json")
    (line,) = result.stdout.splitlines()
    film = json.loads(line)
    assert sorted(s["site"] for s in film["sources"]) == sorted(SITE_NAMES)
    assert (film["year"], film["mpaa_rating"], film["conflicts"]) == (2012, "PG", [])
    films = json.loads(run_famreel("films", "--format", "json", "--db", sqlite_url).stdout)
    assert sum(1 for f in films if len(f["sources"]) >= 4) >= 30
    for record in films:
        sites = [s["site"] for s in record["sources"]]
        assert len(sites) == len(set(sites))
        assert not [c for c in record["conflicts"] if c["field"] == "year"], record
