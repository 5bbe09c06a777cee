"""Real Scrapy crawls of the bundled mirror on 127.0.0.1, through the installed console script,
into real SQLite and real PostgreSQL."""

import json

from sqlalchemy import func, select

from aggregator.consensus import film_json
from storage.db import open_database, session_scope
from storage.models import Film
from storage.repository import films_with_reviews, table_counts
from tests.conftest import run_famreel

SEED_SITES = ("--site", "commonsense", "--site", "parenting")
CSM_WBD = "https://www.commonsensemedia.org/movie-reviews/wont-back-down"


def crawl(mirror_url, db, *args):
    result = run_famreel("crawl", "--mirror", mirror_url, "--db", db, *args)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return result


def test_title_crawl_prints_one_consensus_record(db_url, mirror_url):
    result = crawl(mirror_url, db_url, *SEED_SITES, "--title", "Won't Back Down", "--json")
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    film = json.loads(lines[0])
    assert (film["title"], film["year"], film["mpaa_rating"], film["runtime_minutes"]) == (
        "Won't Back Down", 2012, "PG", 121)
    sources = {s["site"]: s for s in film["sources"]}
    assert set(sources) == {"commonsense", "parenting"}
    assert sources["commonsense"]["url"] == CSM_WBD
    assert sources["parenting"]["url"].startswith("https://www.parenting.com/")
    assert "127.0.0.1" not in json.dumps(film)
    assert sources["parenting"]["verdict"]
    assert film["age"]["by_site"]["commonsense"] == film["age"]["consensus"] == 12
    assert film["quality"]["by_site"]["commonsense"] == film["quality"]["consensus"] == 60
    assert set(film["content"]) == {"violence", "sex", "language", "substances", "consumerism",
                                    "scariness", "positive_messages", "role_models"}
    assert film["content"]["positive_messages"]["by_site"]["commonsense"] is not None
    assert film["content"]["scariness"]["consensus"] is None
    assert film["parents_age"] == 13
    assert film["conflicts"] == []
    assert film["imdb_id"] == "tt1870529"


def test_title_crawl_keeps_remakes_apart_best_first(sqlite_url, mirror_url):
    result = crawl(mirror_url, sqlite_url, *SEED_SITES, "--title", "The Parent Trap", "--json")
    films = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(f["year"] for f in films) == [1961, 1998]
    assert films[0]["year"] == 1998  # reviewed by both sites: best first
    assert {s["site"] for s in films[0]["sources"]} == {"commonsense", "parenting"}
    only_1961 = run_famreel("crawl", "--mirror", mirror_url, "--db", sqlite_url, *SEED_SITES,
                            "--title", "The Parent Trap", "--year", "1961", "--json")
    assert [json.loads(x)["year"] for x in only_1961.stdout.splitlines()] == [1961]


def test_title_crawl_nothing_found_exits_1(sqlite_url, mirror_url):
    result = run_famreel("crawl", "--mirror", mirror_url, "--db", sqlite_url, *SEED_SITES,
                         "--title", "Qwxzy Nonexistent Film", "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "no film found" in result.stderr


def test_full_crawl_twice_changes_nothing_but_crawl_runs(sqlite_url, mirror_url):
    first = crawl(mirror_url, sqlite_url, *SEED_SITES)
    assert "new reviews" in first.stderr
    engine = open_database(sqlite_url)
    with session_scope(engine) as session:
        counts = table_counts(session)
        films = {f.id: film_json(f) for f in films_with_reviews(session)}
    assert counts["reviews"] >= 30 and counts["films"] >= 15
    second = crawl(mirror_url, sqlite_url, *SEED_SITES)
    assert " 0 new reviews, 0 updated" in second.stderr
    with session_scope(engine) as session:
        again = table_counts(session)
        films_again = {f.id: film_json(f) for f in films_with_reviews(session)}
    assert again["crawl_runs"] == counts["crawl_runs"] + 1
    assert {k: v for k, v in again.items() if k != "crawl_runs"} == {
        k: v for k, v in counts.items() if k != "crawl_runs"}
    assert films_again == films
    engine.dispose()


def test_full_crawl_merges_across_sites(sqlite_url, mirror_url):
    crawl(mirror_url, sqlite_url, *SEED_SITES)
    engine = open_database(sqlite_url)
    with session_scope(engine) as session:
        records = [film_json(f) for f in films_with_reviews(session)]
        assert session.scalar(select(func.count()).select_from(Film)) == len(records)
    engine.dispose()
    by_key = {}
    for record in records:
        by_key.setdefault(record["title"], []).append(record)
    both = [r for r in records if {s["site"] for s in r["sources"]} == {"commonsense", "parenting"}]
    assert len(both) >= 10
    frozen_ii = [r for r in records if r["title"] in ("Frozen II", "Frozen 2")]
    assert len(frozen_ii) == 1 and len(frozen_ii[0]["sources"]) == 2
    frozen = [r for r in records if r["title"] == "Frozen"]
    assert len(frozen) == 1 and frozen[0]["year"] == 2013
    lion_kings = sorted(r["year"] for r in records if r["title"] == "The Lion King")
    assert lion_kings == [1994, 2019]
    toy_stories = {r["title"] for r in records if r["title"].startswith("Toy Story")}
    assert {"Toy Story", "Toy Story 2", "Toy Story 3"} <= toy_stories
    for record in records:
        sites = [s["site"] for s in record["sources"]]
        assert len(sites) == len(set(sites)), record  # one review per site per film


def test_query_commands_on_crawled_database(sqlite_url, mirror_url):
    crawl(mirror_url, sqlite_url, *SEED_SITES)
    found = run_famreel("search", "wont back down", "--db", sqlite_url, "--json")
    assert found.returncode == 0
    first = json.loads(found.stdout.splitlines()[0])
    assert first["title"] == "Won't Back Down"
    shown = run_famreel("show", str(first["id"]), "--db", sqlite_url, "--json")
    assert json.loads(shown.stdout) == first
    card = run_famreel("show", str(first["id"]), "--db", sqlite_url)
    assert CSM_WBD in card.stdout and "conflicts" not in card.stdout
    listed = run_famreel("films", "--format", "json", "--db", sqlite_url)
    films = json.loads(listed.stdout)
    assert first in films
    csv_out = run_famreel("films", "--format", "csv", "--db", sqlite_url).stdout.splitlines()
    assert csv_out[0].startswith("id,title,year,mpaa_rating")
    assert len(csv_out) == len(films) + 1
    missing = run_famreel("show", "999999", "--db", sqlite_url)
    assert missing.returncode == 1 and "no film with id 999999" in missing.stderr
    merged = run_famreel("merge", "--full", "--db", sqlite_url)
    assert merged.returncode == 0
    after = json.loads(run_famreel("films", "--format", "json", "--db", sqlite_url).stdout)
    strip = lambda fs: sorted((f["title"], f["year"], len(f["sources"])) for f in fs)  # noqa: E731
    assert strip(after) == strip(films)
