"""``famreel explain``, ``link`` and ``unlink`` through the installed script, on a database
crawled from the bundled mirror (Frozen and Frozen II on three sites)."""

import json
import shutil

import pytest
from sqlalchemy import func, select

from aggregator.consensus import film_json
from storage.db import open_database, session_scope
from storage.models import MatchDecision
from storage.repository import films_with_reviews
from tests.conftest import run_famreel

PARENTING_FROZEN_2 = "https://www.parenting.com/entertainment/movies/frozen-2-review/"
PLUGGEDIN_FROZEN = "https://www.pluggedin.com/movie-reviews/frozen/"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, mirror_url):
    path = tmp_path_factory.mktemp("crawled") / "famreel.db"
    result = run_famreel("crawl", "--mirror", mirror_url, "--db", f"sqlite:///{path}",
                         "--site", "commonsense", "--site", "parenting", "--site", "pluggedin",
                         "--title", "Frozen")
    assert result.returncode == 0, result.stderr[-2000:]
    return path


@pytest.fixture
def db(crawled, tmp_path):
    """A copy of the crawled database for one test to change."""
    copy = tmp_path / "famreel.db"
    shutil.copy(crawled, copy)
    return f"sqlite:///{copy}"


def famreel(*args, ok=True):
    result = run_famreel(*args)
    if ok:
        assert result.returncode == 0, result.stderr[-2000:]
    return result


def films(db):
    """Every film's JSON record, read straight from the database."""
    engine = open_database(db)
    with session_scope(engine) as session:
        records = [film_json(film) for film in films_with_reviews(session)]
    engine.dispose()
    return records


def film_of(db, url):
    return next(r for r in films(db) if url in {s["url"] for s in r["sources"]})


def explain(db, url):
    return json.loads(famreel("explain", url, "--db", db, "--json").stdout)


def test_explain_shows_candidates_scores_and_deciding_evidence(db):
    report = explain(db, PARENTING_FROZEN_2)
    frozen_2 = film_of(db, PARENTING_FROZEN_2)
    assert report["review"]["site"] == "parenting" and report["review"]["year"] is None
    assert report["film_id"] == report["chosen_film_id"] == frozen_2["id"]
    first = report["candidates"][0]
    assert (first["film_id"], first["verdict"]) == (frozen_2["id"], "chosen")
    assert first["score"] >= report["threshold"]
    assert "title 100" in first["evidence"] and any(e.startswith("runtime") for e in
                                                     first["evidence"])
    original = next(c for c in report["candidates"] if c["year"] == 2013)
    assert (original["score"], original["verdict"], original["ruled_out"]) == (
        None, "ruled out", "sequel numbers differ")
    text = famreel("explain", PARENTING_FROZEN_2, "--db", db).stdout
    assert f"film    {frozen_2['id']}" in text
    assert "chosen" in text and "ruled out: sequel numbers differ" in text


def test_unlink_and_link_survive_a_full_rebuild(db):
    frozen_2 = film_of(db, PARENTING_FROZEN_2)
    famreel("unlink", PARENTING_FROZEN_2, "--db", db)
    alone = film_of(db, PARENTING_FROZEN_2)
    assert alone["id"] != frozen_2["id"] and len(alone["sources"]) == 1
    report = explain(db, PARENTING_FROZEN_2)
    assert report["manual"]["apart_from"] == sorted(
        s["url"] for s in frozen_2["sources"] if s["url"] != PARENTING_FROZEN_2)
    assert any(c["verdict"] == "kept apart (famreel unlink)" for c in report["candidates"])
    famreel("merge", "--full", "--db", db)
    assert len(film_of(db, PARENTING_FROZEN_2)["sources"]) == 1

    target = film_of(db, "https://www.commonsensemedia.org/movie-reviews/frozen-2")
    famreel("link", PARENTING_FROZEN_2, str(target["id"]), "--db", db)
    assert film_of(db, PARENTING_FROZEN_2)["id"] == target["id"]
    famreel("merge", "--full", "--db", db)
    rebuilt = film_of(db, PARENTING_FROZEN_2)
    assert {s["site"] for s in rebuilt["sources"]} == {"commonsense", "parenting", "pluggedin"}
    assert explain(db, PARENTING_FROZEN_2)["manual"]["linked_to"].startswith("https://")


def test_a_manual_link_wins_over_the_matcher(db):
    """Plugged In's "Frozen" page linked into Frozen II: the matcher would never (sequel
    numbers, and Plugged In already reviewed Frozen II); the person decides."""
    sequel = film_of(db, PARENTING_FROZEN_2)
    famreel("link", PLUGGEDIN_FROZEN + "  ", str(sequel["id"]), "--db", db)  # pasted sloppily
    famreel("merge", "--full", "--db", db)
    moved = film_of(db, PLUGGEDIN_FROZEN)
    assert moved["year"] == 2019 and [s["site"] for s in moved["sources"]].count("pluggedin") == 2
    assert explain(db, PLUGGEDIN_FROZEN)["candidates"][0]["verdict"] == "chosen (famreel link)"


def decisions(db):
    engine = open_database(db)
    with session_scope(engine) as session:
        count = session.scalar(select(func.count()).select_from(MatchDecision))
    engine.dispose()
    return count


@pytest.mark.parametrize("args, code, message", [
    (("explain", "https://www.parenting.com/nothing/"), 1, "no review with URL"),
    (("link", "https://www.parenting.com/nothing/", "1"), 2, "no review with URL"),
    (("link", PARENTING_FROZEN_2, "9999"), 2, "no film with id 9999"),
    (("link", PARENTING_FROZEN_2, "x"), 2, "invalid int value"),
    (("unlink", "https://www.parenting.com/nothing/"), 2, "no review with URL"),
])
def test_bad_input_is_one_line_and_writes_nothing(db, args, code, message):
    before = films(db)
    result = famreel(*args, "--db", db, ok=False)
    assert result.returncode == code
    assert message in result.stderr and "Traceback" not in result.stderr
    assert films(db) == before and decisions(db) == 0


def test_unlinking_a_review_alone_in_its_film_is_refused(db):
    famreel("unlink", PARENTING_FROZEN_2, "--db", db)
    result = famreel("unlink", PARENTING_FROZEN_2, "--db", db, ok=False)
    assert result.returncode == 2 and "only review of its film" in result.stderr
    assert decisions(db) == 2  # the first unlink's, untouched
