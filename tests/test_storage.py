"""Storage on real SQLite and real PostgreSQL: migrations, upserts, merge, schema guard."""

import pytest
from sqlalchemy import select, text

from aggregator.consensus import film_json
from aggregator.merge import merge
from aggregator.normalize import title_key
from storage.db import (
    DatabaseError,
    current_revision,
    head_revision,
    make_engine,
    open_database,
    session_scope,
)
from storage.models import Review
from storage.repository import films_with_reviews, table_counts, upsert_reviews


def row(site, url, title, year=None, runtime=None, mpaa=None, **extra):
    values = {"site": site, "url": url, "title": title, "title_key": title_key(title),
              "year": year, "runtime_minutes": runtime, "mpaa_rating": mpaa, "directors": [],
              "cast": [], "genres": [], "content_native": {}, "content": {},
              "extra_ratings": {}}
    values.update(extra)
    return values


WBD_CSM = row("commonsense", "https://www.commonsensemedia.org/movie-reviews/wont-back-down",
              "Won't Back Down", 2012, 121, "PG", age_min=12, quality=60.0,
              content={"violence": 1.0, "language": 2.0}, published="2012-09-27")
WBD_PARENTING = row("parenting", "https://www.parenting.com/movies/wont-back-down-review/",
                    "Won't Back Down", None, 121, "PG", verdict="Seeing the determination of moms",
                    published="2012-09-26")
TRAP_1961 = row("commonsense", "https://www.commonsensemedia.org/movie-reviews/the-parent-trap",
                "The Parent Trap", 1961, 129, "G")
TRAP_1998 = row("commonsense",
                "https://www.commonsensemedia.org/movie-reviews/the-parent-trap-0",
                "The Parent Trap", 1998, 128, "PG")
TRAP_PARENTING = row("parenting", "https://www.parenting.com/movies/parent-trap-20-years/",
                     "The Parent Trap", None, 128, "PG")


def test_migrations_reach_head(db_url):
    engine = open_database(db_url)
    assert current_revision(engine) == head_revision()
    open_database(db_url).dispose()  # idempotent
    engine.dispose()


def test_upsert_is_keyed_on_url_and_skips_unchanged(db_url):
    engine = open_database(db_url)
    with session_scope(engine) as session:
        assert upsert_reviews(session, [WBD_CSM, WBD_PARENTING])["new"] == [
            WBD_CSM["url"], WBD_PARENTING["url"]]
    with session_scope(engine) as session:
        outcome = upsert_reviews(session, [WBD_CSM, WBD_PARENTING])
        assert outcome["unchanged"] == [WBD_CSM["url"], WBD_PARENTING["url"]]
        assert outcome["new"] == outcome["updated"] == []
    changed = {**WBD_CSM, "quality": 80.0}
    with session_scope(engine) as session:
        assert upsert_reviews(session, [changed])["updated"] == [WBD_CSM["url"]]
    with session_scope(engine) as session:
        stored = session.scalar(select(Review).where(Review.url == WBD_CSM["url"]))
        assert stored.quality == 80.0 and stored.needs_merge
        assert table_counts(session)["reviews"] == 2
    engine.dispose()


def test_missing_lists_and_ratings_are_stored_empty_not_null(db_url):
    """A row without directors, content and the like (``None``) stores the columns' defaults,
    ``[]`` and ``{}``, on insert and on update alike: readers never meet a JSON null."""
    bare = {**WBD_PARENTING, "directors": None, "cast": None, "genres": None,
            "content_native": None, "content": None, "extra_ratings": None}
    engine = open_database(db_url)
    with session_scope(engine) as session:
        assert upsert_reviews(session, [bare])["new"] == [bare["url"]]
    with session_scope(engine) as session:
        assert upsert_reviews(session, [{**bare, "verdict": "Changed."}])["updated"] == [
            bare["url"]]
    with session_scope(engine) as session:
        stored = session.scalar(select(Review).where(Review.url == bare["url"]))
        assert (stored.directors, stored.cast, stored.genres) == ([], [], [])
        assert (stored.content_native, stored.content, stored.extra_ratings) == ({}, {}, {})
        assert stored.verdict == "Changed."
        raw = session.execute(text("SELECT content_native, directors FROM reviews")).one()
        assert [str(value) for value in raw] == ["{}", "[]"]  # SQLite: text; PostgreSQL: json
    engine.dispose()


def test_merge_builds_consensus_and_keeps_remakes_apart(db_url):
    engine = open_database(db_url)
    with session_scope(engine) as session:
        upsert_reviews(session, [WBD_PARENTING, WBD_CSM, TRAP_PARENTING, TRAP_1961, TRAP_1998])
        result = merge(session)
        assert result.reviews_merged == 5
    with session_scope(engine) as session:
        films = films_with_reviews(session)
        assert len(films) == 3
        by_title = {(f.title, f.year): film_json(f) for f in films}
    wbd = by_title[("Won't Back Down", 2012)]
    assert {s["site"] for s in wbd["sources"]} == {"commonsense", "parenting"}
    assert wbd["mpaa_rating"] == "PG" and wbd["runtime_minutes"] == 121
    assert wbd["age"] == {"consensus": 12, "by_site": {"commonsense": 12}}
    assert wbd["quality"]["consensus"] == 60
    assert wbd["content"]["violence"]["consensus"] == 1
    assert wbd["content"]["scariness"] == {"consensus": None, "by_site": {}}
    assert wbd["conflicts"] == []
    assert wbd["sources"][0]["site"] == "parenting"  # earliest-reviewing source first
    trap_1998 = by_title[("The Parent Trap", 1998)]
    assert {s["site"] for s in trap_1998["sources"]} == {"commonsense", "parenting"}
    assert len(by_title[("The Parent Trap", 1961)]["sources"]) == 1
    engine.dispose()


def test_merge_is_incremental_and_full_rebuild_agrees(db_url):
    engine = open_database(db_url)
    with session_scope(engine) as session:
        upsert_reviews(session, [WBD_CSM, TRAP_1961, TRAP_1998])
        merge(session)
    with session_scope(engine) as session:
        upsert_reviews(session, [WBD_CSM, TRAP_1961, TRAP_1998])  # unchanged: nothing to merge
        assert merge(session).reviews_merged == 0
        upsert_reviews(session, [WBD_PARENTING, TRAP_PARENTING])
        assert merge(session).reviews_merged == 2
    with session_scope(engine) as session:
        before = sorted((f.title, f.year, len(f.reviews)) for f in films_with_reviews(session))
    with session_scope(engine) as session:
        merge(session, full=True)
    with session_scope(engine) as session:
        after = sorted((f.title, f.year, len(f.reviews)) for f in films_with_reviews(session))
    assert before == after
    engine.dispose()


def test_conflicts_are_reported(db_url):
    engine = open_database(db_url)
    other = row("kidsinmind", "https://kids-in-mind.com/w/wontbackdown.htm", "Won't Back Down",
                2012, 124, "PG")
    rated_differently = {**WBD_CSM, "mpaa_rating": "PG", "runtime_minutes": 115}
    with session_scope(engine) as session:
        upsert_reviews(session, [rated_differently, other])
        merge(session)
    with session_scope(engine) as session:
        (film,) = films_with_reviews(session)
        record = film_json(film)
    assert [c["field"] for c in record["conflicts"]] == ["runtime_minutes"]
    assert record["conflicts"][0]["by_site"] == {"commonsense": 115, "kidsinmind": 124}
    engine.dispose()


def test_newer_schema_is_refused_untouched(db_url):
    engine = open_database(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": "9999"})
    with pytest.raises(DatabaseError, match="newer"):
        open_database(db_url)
    assert current_revision(engine) == "9999"
    engine.dispose()


@pytest.mark.parametrize("url", ["nonsense", "mysql://x@y/z", "sqlite+nodriver:///x.db"])
def test_bad_urls_are_refused(url):
    with pytest.raises(DatabaseError):
        make_engine(url)
