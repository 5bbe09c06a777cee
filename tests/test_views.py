"""The SQL views ``film_summary`` and ``film_sources`` (migration 0003) on real SQLite and real
PostgreSQL, read with plain SQL as a ``sqlite3`` or ``psql`` user would, and the README's SQL
examples run against them."""

import re
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from aggregator.consensus import film_json
from aggregator.merge import merge
from storage.db import alembic_config, open_database, session_scope
from storage.queries import films_by_id
from storage.repository import upsert_reviews

README = Path(__file__).resolve().parent.parent / "README.md"
CATEGORIES = ["violence", "sex", "language", "substances", "consumerism", "scariness",
              "positive_messages", "role_models"]
SUMMARY_COLUMNS = ["film_id", "title", "year", "mpaa_rating", "runtime_minutes", "imdb_id", "age",
                   "quality", *CATEGORIES, "parents_age", "kids_age", "source_count", "confidence",
                   "conflict_count", "sites"]
SOURCES_COLUMNS = ["film_id", "film_title", "film_year", "site", "url", "title", "year",
                   "mpaa_rating", "runtime_minutes", "age", "quality", *CATEGORIES, "parents_age",
                   "kids_age", "verdict", "reviewer", "published"]
WBD = {"title": "Won't Back Down", "title_key": "wont back down", "runtime_minutes": 121,
       "imdb_id": "tt1870529"}
REVIEWS = [
    {**WBD, "site": "commonsense", "url": "https://www.commonsensemedia.org/movie-reviews/wont-back-down",
     "year": 2012, "mpaa_rating": "PG", "age_min": 12, "quality": 60.0, "parents_age": 13,
     "content": {"violence": 1, "sex": 2, "language": 2, "positive_messages": 4},
     "verdict": "Inspiring tale of a mom's quest.", "published": "2012-09-20"},
    {**WBD, "site": "parenting", "url": "https://www.parenting.com/entertainment/movies/review-wont-back-down/",
     "year": None, "mpaa_rating": "PG-13", "verdict": "Seeing the determination of moms."},
    {"site": "kidsinmind", "url": "https://kids-in-mind.com/f/frozen.htm", "title": "Frozen",
     "title_key": "frozen", "year": 2013, "mpaa_rating": "PG", "runtime_minutes": 102,
     "content": {"violence": 1.5, "sex": 0.5, "language": 0}},
]


@pytest.fixture
def engine(db_url):
    engine = open_database(db_url)
    with session_scope(engine) as session:
        upsert_reviews(session, REVIEWS)
        merge(session)
    yield engine
    engine.dispose()


def rows(engine, sql, **params):
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(text(sql), params)]


def test_film_summary_is_the_consensus_in_plain_columns(engine):
    assert [c["name"] for c in inspect(engine).get_columns("film_summary")] == SUMMARY_COLUMNS
    (wbd,) = rows(engine, "SELECT * FROM film_summary WHERE title = :title",
                  title="Won't Back Down")
    with session_scope(engine) as session:
        record = film_json(films_by_id(session, [wbd["film_id"]])[0])
    assert (wbd["year"], wbd["mpaa_rating"], wbd["runtime_minutes"], wbd["age"],
            wbd["quality"]) == (2012, "PG", 121, 12, 60)
    for category in CATEGORIES:
        assert wbd[category] == record["content"][category]["consensus"]
    assert wbd["sites"] == "commonsense parenting" and wbd["source_count"] == 2
    assert wbd["conflict_count"] == len(record["conflicts"]) >= 1  # PG against PG-13
    (frozen,) = rows(engine, "SELECT * FROM film_summary WHERE sites = 'kidsinmind'")
    assert (frozen["title"], frozen["violence"], frozen["conflict_count"]) == ("Frozen", 1.5, 0)


def test_film_sources_puts_every_site_beside_the_film(engine):
    assert [c["name"] for c in inspect(engine).get_columns("film_sources")] == SOURCES_COLUMNS
    found = rows(engine, "SELECT * FROM film_sources WHERE film_title = :title ORDER BY site",
                 title="Won't Back Down")
    assert [(r["site"], r["mpaa_rating"], r["film_year"]) for r in found] == [
        ("commonsense", "PG", 2012), ("parenting", "PG-13", 2012)]
    commonsense, parenting = found
    assert commonsense["url"] == REVIEWS[0]["url"] and commonsense["age"] == 12
    assert [commonsense[c] for c in CATEGORIES] == [1, 2, 2, None, None, None, 4, None]
    assert all(parenting[c] is None for c in CATEGORIES)
    assert parenting["verdict"] == "Seeing the determination of moms."
    assert len(rows(engine, "SELECT * FROM film_sources")) == len(REVIEWS)


def readme_sql_examples():
    section = README.read_text(encoding="utf-8").split("## SQL views", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def test_the_readme_examples_run(engine):
    examples = readme_sql_examples()
    assert len(examples) >= 3
    with engine.connect() as connection:
        for example in examples:
            for statement in filter(str.strip, example.split(";")):
                connection.execute(text(statement)).all()


def test_downgrade_drops_the_views_and_upgrade_restores_them(engine):
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    assert not {"film_summary", "film_sources"} & set(inspect(engine).get_view_names())
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    assert {"film_summary", "film_sources"} <= set(inspect(engine).get_view_names())
    assert len(rows(engine, "SELECT film_id FROM film_summary")) == 2
