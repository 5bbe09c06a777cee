"""Merging into films: sequels, remakes and regional titles through the whole pipeline (real
crawls of two mirror sites each), an incremental merge that reads only candidate films, manual
decisions that every merge respects, and ``merge --full`` that rebuilds the same films."""

import json

import pytest
from sqlalchemy import func, select

import aggregator.merge as merge_module
from aggregator.merge import merge
from aggregator.normalize import title_key
from storage.db import open_database, session_scope
from storage.matching_repo import store_decision
from storage.models import Film, FilmKey, Review
from storage.repository import films_with_reviews, upsert_reviews
from tests.conftest import run_famreel


def film_groups(db_url):
    """Each film as (title, year, {site: review title}), sorted: what the films are, whatever
    their ids."""
    engine = open_database(db_url)
    with session_scope(engine) as session:
        groups = sorted(
            (f.title, f.year or 0, tuple(sorted((r.site_name, r.title) for r in f.reviews)))
            for f in films_with_reviews(session))
    engine.dispose()
    return groups


def crawl_title(mirror_url, db_url, title, *sites):
    args = [a for site in sites for a in ("--site", site)]
    result = run_famreel("crawl", "--mirror", mirror_url, "--db", db_url, *args,
                         "--title", title, "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    return [json.loads(line) for line in result.stdout.splitlines()]


# --- whole pipeline: mirror pages on two sites each -------------------------------------------

def test_sequels_stay_apart_through_the_pipeline(sqlite_url, mirror_url):
    crawl_title(mirror_url, sqlite_url, "Toy Story", "commonsense", "pluggedin")
    assert film_groups(sqlite_url) == [
        ("Toy Story", 1995, (("commonsense", "Toy Story"), ("pluggedin", "Toy Story"))),
        ("Toy Story 2", 1999, (("commonsense", "Toy Story 2"), ("pluggedin", "Toy Story 2"))),
        ("Toy Story 3", 2010, (("commonsense", "Toy Story 3"), ("pluggedin", "Toy Story 3"))),
    ]


def test_yearless_sequel_review_joins_the_sequel_not_the_original(sqlite_url, mirror_url):
    """Parenting.com prints no year: its "Frozen 2" joins Common Sense's "Frozen II"."""
    crawl_title(mirror_url, sqlite_url, "Frozen", "commonsense", "parenting")
    groups = {(title_key(t), y): sources for t, y, sources in film_groups(sqlite_url)}
    assert groups == {
        ("frozen", 2013): (("commonsense", "Frozen"), ("parenting", "Frozen")),
        ("frozen 2", 2019): (("commonsense", "Frozen II"), ("parenting", "Frozen 2")),
    }


def test_remakes_stay_apart_through_the_pipeline(sqlite_url, mirror_url):
    """MovieGuide has both Lion Kings; Parenting.com's year-less one (118 min, PG) is 2019's."""
    films = crawl_title(mirror_url, sqlite_url, "The Lion King", "movieguide", "parenting")
    assert [(f["year"], sorted(s["site"] for s in f["sources"])) for f in films] == [
        (2019, ["movieguide", "parenting"]), (1994, ["movieguide"])]


def test_regional_title_joins_when_year_runtime_and_director_agree(sqlite_url, mirror_url):
    """MovieGuide's mirror page uses the UK title; no IMDb id on it decides."""
    crawl_title(mirror_url, sqlite_url, "Harry Potter", "movieguide", "commonsense")
    (film,) = film_groups(sqlite_url)
    assert film[1] == 2001 and film[2] == (
        ("commonsense", "Harry Potter and the Sorcerer's Stone"),
        ("movieguide", "Harry Potter and the Philosopher's Stone"))


# --- storage: incremental, full rebuild, manual decisions (SQLite and PostgreSQL) -------------

def row(site, slug, title, year=None, runtime=None, mpaa=None, directors=(), **extra):
    return {"site": site, "url": f"https://{site}.example/{slug}", "title": title,
            "title_key": title_key(title), "year": year, "runtime_minutes": runtime,
            "mpaa_rating": mpaa, "directors": list(directors), "cast": [], "genres": [],
            "content_native": {}, "content": {}, "extra_ratings": {}, **extra}


CATALOGUE = [row("commonsense", f"film-{n}", f"Film Number {n} of the Catalogue", 1950 + n % 60,
                 80 + n % 50, "PG") for n in range(300)]


def test_incremental_merge_reads_only_the_films_sharing_keys(db_url, monkeypatch):
    engine = open_database(db_url)
    with session_scope(engine) as session:
        upsert_reviews(session, [*CATALOGUE, row("commonsense", "frozen", "Frozen", 2013, 102,
                                                  "PG", ["Chris Buck"])])
        assert merge(session).films_created == 301
        assert session.scalar(select(func.count()).select_from(FilmKey)) > 301
    loaded = []
    real = merge_module.films_for_merge
    monkeypatch.setattr(merge_module, "films_for_merge",
                        lambda session, ids: loaded.extend(ids) or real(session, ids))
    with session_scope(engine) as session:
        upsert_reviews(session, [row("pluggedin", "frozen", "Frozen", 2013, 102, "PG"),
                                 row("pluggedin", "frozen-ii", "Frozen II", 2019, 103, "PG")])
        result = merge(session)
    assert (result.reviews_merged, result.films_created) == (2, 1)
    assert len(loaded) < 5  # "Frozen" itself, not 301 films
    groups = {t: s for t, _, s in film_groups(db_url) if t.startswith("Frozen")}
    assert groups == {"Frozen": (("commonsense", "Frozen"), ("pluggedin", "Frozen")),
                      "Frozen II": (("pluggedin", "Frozen II"),)}
    engine.dispose()


def test_full_rebuild_agrees_with_incremental_merges(db_url):
    engine = open_database(db_url)
    batches = [
        [row("commonsense", "trap-61", "The Parent Trap", 1961, 129, "G"),
         row("commonsense", "trap-98", "The Parent Trap", 1998, 128, "PG", ["Nancy Meyers"])],
        [row("parenting", "trap", "The Parent Trap", None, 128, "PG"),
         row("kidsinmind", "trap-98", "Parent Trap, The", 1998, 127, "PG", ["Meyers, Nancy"])],
        [row("movieguide", "trap-61", "The Parent Trap", 1961, 129, "G"),
         row("dove", "trap-98", "The Parent Trap", 1999, 128, "PG")],
    ]
    for batch in batches:
        with session_scope(engine) as session:
            upsert_reviews(session, batch)
            merge(session)
    incremental = film_groups(db_url)
    assert [(t, y, len(s)) for t, y, s in incremental] == [
        ("The Parent Trap", 1961, 2), ("The Parent Trap", 1998, 4)]
    with session_scope(engine) as session:
        merge(session, full=True)
    assert film_groups(db_url) == incremental
    engine.dispose()


def test_manual_decisions_hold_in_every_merge(db_url):
    engine = open_database(db_url)
    with session_scope(engine) as session:
        upsert_reviews(session, [
            row("commonsense", "cinderella", "Cinderella", 2015, 105, "PG", ["Kenneth Branagh"]),
            row("dove", "cinderella", "Cinderella", 2015, 105, "PG"),
            row("pluggedin", "cinderella", "Cinderella", 2015, 105, "PG"),
            row("kidsinmind", "cinderella-1950", "Cinderella", 1950, 74, "G"),
        ])
        merge(session)
    with session_scope(engine) as session:
        ids = {r.url.split("/")[2].split(".")[0] + "/" + r.url.rsplit("/", 1)[1]: r
               for r in session.scalars(select(Review))}
        dove, pluggedin = ids["dove/cinderella"], ids["pluggedin/cinderella"]
        old = ids["kidsinmind/cinderella-1950"]
        # a person says: Dove reviewed another Cinderella; this 1950 page is the 2015 film
        store_decision(session, dove.id, "apart", [ids["commonsense/cinderella"].id,
                                                   pluggedin.id])
        store_decision(session, old.id, "link", [pluggedin.id])
        dove.needs_merge = old.needs_merge = True
        merge(session)

    def check():
        groups = {frozenset(site for site, _ in s) for _, _, s in film_groups(db_url)}
        assert groups == {frozenset({"commonsense", "pluggedin", "kidsinmind"}),
                          frozenset({"dove"})}

    check()
    with session_scope(engine) as session:
        merge(session, full=True)
    check()
    # the review a link follows moves: the linked review moves with it
    with session_scope(engine) as session:
        pluggedin = session.scalar(select(Review).where(Review.url.like("%pluggedin%")))
        store_decision(session, pluggedin.id, "apart", [
            r.id for r in session.scalars(select(Review).where(Review.url.like("%commonsense%")))])
        pluggedin.needs_merge = True
        merge(session)
    groups = {frozenset(site for site, _ in s) for _, _, s in film_groups(db_url)}
    assert groups == {frozenset({"commonsense"}), frozenset({"pluggedin", "kidsinmind"}),
                      frozenset({"dove"})}
    engine.dispose()


@pytest.mark.parametrize("full", [False, True])
def test_a_film_left_by_its_only_review_is_removed(sqlite_url, full):
    engine = open_database(sqlite_url)
    with session_scope(engine) as session:
        upsert_reviews(session, [row("commonsense", "up", "Up", 2009, 96, "PG"),
                                 row("dove", "up", "Up!", 2009, 96, "PG")])
        merge(session)
        assert session.scalar(select(func.count()).select_from(Film)) == 1
    with session_scope(engine) as session:
        upsert_reviews(session, [row("dove", "up", "Up", 2009, 96, "PG", verdict="changed")])
        result = merge(session, full=full)
        assert result.reviews_merged == (2 if full else 1)
        (film,) = films_with_reviews(session)
        assert len(film.reviews) == 2
        keys = set(session.scalars(select(FilmKey.key).where(FilmKey.film_id == film.id)))
        assert {"t:up", "w:up"} <= keys
    engine.dispose()


def test_films_stored_before_keys_existed_are_still_found(sqlite_url):
    """A database from schema 0001 has films but no film_keys: the next merge keys them."""
    engine = open_database(sqlite_url)
    with session_scope(engine) as session:
        upsert_reviews(session, [row("commonsense", "coco", "Coco", 2017, 105, "PG")])
        merge(session)
        session.execute(FilmKey.__table__.delete())
    with session_scope(engine) as session:
        upsert_reviews(session, [row("dove", "coco", "Coco", 2017, 105, "PG")])
        assert merge(session).films_created == 0
        assert session.scalar(select(func.count()).select_from(FilmKey)) > 0
    assert len(film_groups(sqlite_url)) == 1
    engine.dispose()


def consensus_of(*values):
    from types import SimpleNamespace

    from aggregator.consensus import compute

    defaults = {"url": "", "title": "Coco", "year": 2017, "mpaa_rating": "PG",
                "runtime_minutes": 105, "imdb_id": None, "age_min": None, "quality": None,
                "content": {}, "parents_age": None, "kids_age": None, "verdict": None,
                "published": None}
    return compute([SimpleNamespace(**{**defaults, "url": f"https://{v['site_name']}/",
                                       **v}) for v in values])


def test_conflicts_are_real_disagreements_and_confidence_follows_agreement():
    agreeing = consensus_of(
        {"site_name": "commonsense", "age_min": 6, "content": {"violence": 1}},
        {"site_name": "dove", "age_min": 8, "content": {"violence": 2}},
        {"site_name": "kidsinmind", "content": {"violence": 1.5}})
    assert agreeing.conflicts == []  # 2 years and 1 point apart: scales, not disagreement
    split = consensus_of(
        {"site_name": "commonsense", "age_min": 6, "content": {"violence": 1}},
        {"site_name": "dove", "age_min": 12, "content": {"violence": 4.5}},
        {"site_name": "kidsinmind", "runtime_minutes": 120, "content": {"violence": 1.5}})
    assert [c["field"] for c in split.conflicts] == ["runtime_minutes", "age",
                                                      "content.violence"]
    assert split.conflicts[1]["by_site"] == {"commonsense": 6, "dove": 12}
    assert 0 < split.confidence < agreeing.confidence < 0.75  # three sources: at most 3/4
    alone = consensus_of({"site_name": "commonsense"})
    assert alone.confidence == 0.5
    eight = consensus_of(*({"site_name": f"site{n}", "quality": 80} for n in range(8)))
    assert eight.confidence == 0.889
