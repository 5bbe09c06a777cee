"""Scheduled re-crawls: a second run over an unchanged mirror sends conditional requests, writes
nothing and re-merges nothing; a page that changed updates its review and its film's consensus;
`--full` fetches everything again."""

from storage.db import open_database, session_scope
from storage.queries import search_films
from tests.test_jobs_support import (  # noqa: F401
    WBD_CSM,
    clean_crawl,
    crawl,
    faulty_mirror,
    runs,
    snapshot,
)


def wont_back_down(db):
    engine = open_database(db)
    with session_scope(engine) as session:
        film, *_ = search_films(session, "Won't Back Down", limit=1).films
        found = film.age, film.by_site
    engine.dispose()
    return found


def test_unchanged_rerun_is_conditional_and_a_changed_page_updates_its_film(
        db_url, faulty_mirror, clean_crawl):  # noqa: F811
    crawl(faulty_mirror.url, db_url)
    assert snapshot(db_url) == clean_crawl.snapshot

    again = crawl(faulty_mirror.url, db_url)
    second = runs(db_url)[0]
    assert (second.items_new, second.items_updated, second.films_touched) == (0, 0, 0)
    assert second.pages_not_modified >= second.pages - 4  # robots.txt and pages with no review
    assert faulty_mirror.answers(f"/{WBD_CSM}") == [200, 304]
    assert " 0 new reviews, 0 updated" in again.stderr
    assert snapshot(db_url) == clean_crawl.snapshot

    assert wont_back_down(db_url)[0] == 12
    faulty_mirror.faults({"match": WBD_CSM, "fault": "replace", "old": "12+", "new": "14+"})
    crawl(faulty_mirror.url, db_url)
    third = runs(db_url)[0]
    assert (third.items_new, third.items_updated, third.films_touched) == (0, 1, 1)
    age, by_site = wont_back_down(db_url)
    assert age == 14 and by_site["age"]["commonsense"] == 14

    faulty_mirror.faults()
    crawl(faulty_mirror.url, db_url, "--full")
    fourth = runs(db_url)[0]
    assert fourth.pages_not_modified == 0 and fourth.items_updated == 1  # back to age 12+
    assert snapshot(db_url) == clean_crawl.snapshot

