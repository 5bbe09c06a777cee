"""``famreel films | search | show`` through the installed console script, on a database crawled
from the bundled mirror (SQLite; the filters also on PostgreSQL)."""

import csv
import io
import json

import pytest

from crawler.cli.output import FILM_CSV_COLUMNS, printable
from tests.conftest import run_famreel
from tests.query_db import FILTER_CASES, HOSTILE_FILM, HOSTILE_URL, crawled_database


@pytest.fixture(scope="module")
def db(tmp_path_factory, mirror_url):
    with crawled_database("sqlite", tmp_path_factory.mktemp("db"), mirror_url) as url:
        yield url


@pytest.fixture(scope="module")
def pg_db(tmp_path_factory, mirror_url):
    with crawled_database("postgresql", tmp_path_factory.mktemp("db"), mirror_url) as url:
        yield url


def famreel(db, *args, expect=0):
    result = run_famreel(*args, "--db", db)
    assert result.returncode == expect, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    return result


def films_json(db, *args):
    return json.loads(famreel(db, "films", "--format", "json", *args).stdout)


@pytest.fixture(scope="module")
def everything(db):
    films = films_json(db)
    assert len(films) >= 40
    return films


@pytest.mark.parametrize(("args", "_params", "keep"), FILTER_CASES,
                         ids=[" ".join(args) for args, _, _ in FILTER_CASES])
def test_each_filter_keeps_exactly_the_matching_films(db, everything, args, _params, keep):
    expected = {f["id"] for f in everything if keep(f)}
    assert expected, "the mirror database should have films for every filter"
    assert expected != {f["id"] for f in everything}, "a filter that keeps everything tests nothing"
    assert {f["id"] for f in films_json(db, *args)} == expected


@pytest.mark.parametrize("database", ["db", "pg_db"])
def test_filters_combine_on_sqlite_and_postgresql(request, database):
    any_db = request.getfixturevalue(database)
    films = films_json(any_db, "--mpaa", "PG", "--max-age", "8", "--max", "violence=2",
                       "--sort", "quality")
    assert len(films) >= 5
    for film in films:
        assert film["mpaa_rating"] == "PG"
        assert film["age"]["consensus"] <= 8
        assert film["content"]["violence"]["consensus"] <= 2
    qualities = [f["quality"]["consensus"] for f in films]
    assert qualities == sorted(qualities, reverse=True)
    assert "Frozen" in {f["title"] for f in films}
    disputed = {f["title"]: f for f in films_json(any_db, "--conflicts", "--site", "parenting")}
    assert all(f["conflicts"] for f in disputed.values())
    fowl = disputed[HOSTILE_FILM]
    assert {"field": "mpaa_rating", "by_site": {"pluggedin": "PG", "dove": "PG", "imdb": "PG",
                                                "parenting": "PG-13"}} in fowl["conflicts"]


def test_fuzzy_title_filter_keeps_remakes_and_other_filters(db):
    traps = films_json(db, "--title", "the parnet trap")
    assert [(f["title"], f["year"]) for f in traps[:2]] in (
        [("The Parent Trap", 1998), ("The Parent Trap", 1961)],
        [("The Parent Trap", 1961), ("The Parent Trap", 1998)])
    assert [f["year"] for f in films_json(db, "--title", "parent trap", "--year", "1961")] == [1961]
    by_year = films_json(db, "--title", "toy story", "--sort", "year")
    assert [f["year"] for f in by_year] == sorted((f["year"] for f in by_year), reverse=True)
    assert {"Toy Story", "Toy Story 2", "Toy Story 3"} <= {f["title"] for f in by_year}


def test_sort_and_limit(db, everything):
    result = famreel(db, "films", "--format", "json", "--sort", "age", "--limit", "5")
    films = json.loads(result.stdout)
    ages = [f["age"]["consensus"] for f in films]
    assert ages == sorted(ages) and len(films) == 5
    assert ages[0] == min(f["age"]["consensus"] for f in everything
                          if f["age"]["consensus"] is not None)
    assert f"5 of {len(everything)} matching films shown" in result.stderr
    titles = [f["title"] for f in everything]  # default sort: title, articles ignored
    assert titles.index("The Lion King") < titles.index("Matilda")


def test_csv_has_a_header_and_one_row_per_film(db, everything):
    rows = list(csv.reader(io.StringIO(famreel(db, "films", "--format", "csv").stdout)))
    assert tuple(rows[0]) == FILM_CSV_COLUMNS
    assert len(rows) == len(everything) + 1
    by_title = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    wbd = by_title["Won't Back Down"]
    assert (wbd["year"], wbd["mpaa_rating"], wbd["age"], wbd["sources"]) == ("2012", "PG", "12", "8")
    assert "commonsense" in wbd["sites"].split()


def test_json_is_one_array_of_contract_records(db):
    (film,) = films_json(db, "--title", "Won't Back Down")
    assert set(film) >= {"id", "title", "year", "mpaa_rating", "runtime_minutes", "imdb_id", "age",
                         "quality", "content", "parents_age", "kids_age", "sources", "conflicts"}
    assert len(film["content"]) == 8
    shown = json.loads(famreel(db, "show", str(film["id"]), "--json").stdout)
    assert shown == film


def test_table_shows_the_limited_categories(db):
    out = famreel(db, "films", "--max", "scariness=1", "--mpaa", "G").stdout
    header = out.splitlines()[0].split()
    assert header[:3] == ["id", "title", "year"] and "scariness" in header
    assert "The Parent Trap" in out and "1961" in out


def test_nothing_matches_exits_1(db):
    result = famreel(db, "films", "--year", "1900", expect=1)
    assert "no film matches" in result.stderr
    assert json.loads(famreel(db, "films", "--year", "1900", "--format", "json",
                              expect=1).stdout) == []


def test_show_prints_the_card_with_conflicts_and_links(db):
    fowl = films_json(db, "--title", HOSTILE_FILM, "--conflicts")[0]
    card = famreel(db, "show", str(fowl["id"])).stdout
    lines = card.splitlines()
    assert lines[0].startswith("Wallace & Gromit: Vengeance Most Fowl (2024)")
    grid = {line.split()[0]: line.split()[1:] for line in lines  # rows indented by two
            if line.startswith("  ") and not line.startswith("   ") and line.split()[0] in
            ("consensus", "dove", "pluggedin", "imdb", "parenting")}
    assert grid["consensus"][0] == "12" and grid["dove"][0] == "12"  # age beside each site
    assert set(grid) == {"consensus", "dove", "pluggedin", "imdb", "parenting"}
    assert "conflicts (the sources disagree):" in card
    assert "mpaa_rating: " in card and "parenting PG-13" in card
    assert HOSTILE_URL in card
    assert "https://www.imdb.com/title/tt17163970/" in card


def test_show_unknown_film_exits_1(db):
    for film_id in ("999999", "99999999999999999999999"):
        result = famreel(db, "show", film_id, expect=1)
        assert f"no film with id {film_id}" in result.stderr


def test_search_forgives_typos_and_exits_1_on_nothing(db):
    first = famreel(db, "search", "harry poter sorcerrers stone").stdout.splitlines()[0]
    assert "Harry Potter and the Sorcerer's Stone (2001)" in first
    records = [json.loads(line) for line in famreel(db, "search", "frozen", "--json").stdout
               .splitlines()]
    assert [r["title"] for r in records[:2]] == ["Frozen", "Frozen II"]
    result = famreel(db, "search", "qwxzy", expect=1)
    assert "no film matches" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["films", "--max", "scary=2"], "unknown content category 'scary'"),
    (["films", "--max", "violence"], "is not CATEGORY=LEVEL"),
    (["films", "--max", "violence=6"], "level 6 of violence is outside 0-5"),
    (["films", "--max", "violence=lots"], "level 'lots' of violence is not a number"),
    (["films", "--mpaa", "X"], "unknown MPAA rating 'X'"),
    (["films", "--sort", "match"], "sorting by match needs a title"),
    (["films", "--year", "123456789012345678901234"], "is outside 1000-9999"),
    (["films", "--min-quality", "101"], "minimum quality 101.0 is outside 0-100"),
    (["films", "--site", "nosuchsite"], "invalid choice: 'nosuchsite'"),
    (["films", "--limit", "0"], "--limit must be at least 1"),
    (["search", "?!"], "has no letters or digits"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    db = tmp_path / "never.db"
    result = run_famreel(*args, "--db", f"sqlite:///{db}")
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 or "usage:" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not db.exists()


def test_terminal_control_characters_are_not_printed():
    assert printable("Evil\x1b[2J\x07 title\n\tnext") == "Evil?[2J? title next"
