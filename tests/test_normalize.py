"""Normalization of what pages print: titles, runtimes, MPAA ratings, dates, years."""

import pytest

from aggregator.normalize import (
    parse_date,
    parse_mpaa,
    parse_runtime,
    parse_year,
    sequel_numbers,
    split_title,
    title_key,
)
from aggregator.scales import ScaleError


@pytest.mark.parametrize(
    ("raw", "title", "year"),
    [
        ("Review: 'Won\u2019t Back Down'", "Won't Back Down", None),
        ("Review: \u2018Won\u2019t Back Down\u2019", "Won't Back Down", None),
        ("'Frozen 2' Review", "Frozen 2", None),
        ("Movie Review: Inside Out 2", "Inside Out 2", None),
        ("The Parent Trap (1961)", "The Parent Trap", 1961),
        ("Pure Country [1992]", "Pure Country", 1992),
        ("  Toy   Story\n3 ", "Toy Story 3", None),
        ("Review", "Review", None),  # a film may be called "Review": never emptied
        ("", None, None),
    ],
)
def test_split_title(raw, title, year):
    assert split_title(raw) == (title, year)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Frozen II", "Frozen 2"),
        ("Harry Potter & the Sorcerer's Stone", "Harry Potter and the Sorcerer\u2019s Stone"),
        ("The Lion King", "Lion King"),
        ("Amélie", "Amelie"),
        ("WALL-E", "WALL·E"),
    ],
)
def test_title_key_folds_spelling_variants(a, b):
    assert title_key(a) == title_key(b)


def test_title_key_keeps_sequels_apart():
    assert title_key("Toy Story 2") != title_key("Toy Story 3")
    assert sequel_numbers(title_key("Frozen II")) == ("2",)
    assert sequel_numbers(title_key("Frozen")) == ()
    # a roman numeral that is a word, not a sequel number
    assert title_key("I, Robot").startswith("i ")


@pytest.mark.parametrize(
    ("raw", "minutes"),
    [("121 minutes", 121), ("1:46", 106), ("2 hr 1 min", 121), ("2h 1m", 121),
     ("1 hr. 45 min.", 105), ("PT1H46M", 106), (96, 96), ("96 min", 96), (None, None)],
)
def test_parse_runtime(raw, minutes):
    assert parse_runtime(raw) == minutes


@pytest.mark.parametrize("raw", [0, "0 minutes", "999 minutes", "none"])
def test_parse_runtime_rejects_impossible(raw):
    with pytest.raises(ScaleError):
        parse_runtime(raw)


@pytest.mark.parametrize(
    ("raw", "rating"),
    [("PG", "PG"), ("Rated PG-13 for sci-fi action", "PG-13"), ("PG13", "PG-13"),
     ("pg-13", "PG-13"), ("Not Rated", "NR"), ("Unrated", "NR"), ("NC-17", "NC-17"),
     ("Rated R for sci-fi violence and brief language", "R"), ("G", "G"), (None, None)],
)
def test_parse_mpaa(raw, rating):
    assert parse_mpaa(raw) == rating


def test_parse_mpaa_rejects_garbage():
    with pytest.raises(ScaleError):
        parse_mpaa("XYZ")


@pytest.mark.parametrize(
    ("raw", "iso"),
    [("September 28, 2012", "2012-09-28"), ("2012-09-27T10:00:00Z", "2012-09-27"),
     ("Sept. 28, 2012", "2012-09-28"), ("September 28", None), ("soon", None)],
)
def test_parse_date(raw, iso):
    assert parse_date(raw) == iso


def test_parse_year_range():
    assert parse_year("2012") == 2012
    with pytest.raises(ScaleError):
        parse_year(1700)
