"""``aggregator.matching.link``: clean-clean linkage of two collections of film records."""

import pytest

from aggregator.matching import LinkStats, link

CATALOGUE = [
    {"title": "Toy Story", "year": 1995, "runtime_minutes": 81, "mpaa_rating": "G",
     "directors": ["John Lasseter"], "cast": ["Tom Hanks", "Tim Allen"]},
    {"title": "Toy Story 2", "year": 1999, "runtime_minutes": 92, "mpaa_rating": "G",
     "directors": ["John Lasseter"], "cast": ["Tom Hanks", "Tim Allen"]},
    {"title": "Toy Story 3", "year": 2010, "runtime_minutes": 103, "mpaa_rating": "G",
     "directors": ["Lee Unkrich"], "cast": ["Tom Hanks", "Tim Allen"]},
    {"title": "Frozen", "year": 2013, "runtime_minutes": 102, "mpaa_rating": "PG"},
    {"title": "Frozen II", "year": 2019, "runtime_minutes": 103, "mpaa_rating": "PG"},
    {"title": "The Lion King", "year": 1994, "runtime_minutes": 88, "mpaa_rating": "G",
     "directors": ["Roger Allers", "Rob Minkoff"]},
    {"title": "The Lion King", "year": 2019, "runtime_minutes": 118, "mpaa_rating": "PG",
     "directors": ["Jon Favreau"]},
    {"title": "Harry Potter and the Sorcerer's Stone", "year": 2001, "runtime_minutes": 152,
     "mpaa_rating": "PG", "directors": ["Chris Columbus"], "imdb_id": "tt0241527"},
]


def pairs(matches):
    return {(i, j) for i, j, _ in matches}


def test_link_matches_each_record_to_its_film_and_keeps_sequels_and_remakes_apart():
    other = [  # another catalogue's spelling, in another order
        {"title": "Lion King, The (2019)", "directors": ["Favreau, Jon"]},
        {"title": "Frozen 2", "year": 2019, "runtime_minutes": 103},
        {"title": "Toy Story 3", "year": 2010},
        {"title": "Harry Potter and the Philosopher's Stone", "year": 2001,
         "runtime_minutes": 152, "mpaa_rating": "PG", "directors": ["Chris Columbus"]},
        {"title": "The Lion King", "year": 1994, "runtime_minutes": 88},
        {"title": "Frozen", "year": 2013, "runtime_minutes": 102},
        {"title": "TOY STORY (1995)", "cast": ["Hanks, Tom"]},
    ]
    matches = link(other, CATALOGUE)
    assert pairs(matches) == {(0, 6), (1, 4), (2, 2), (3, 7), (4, 5), (5, 3), (6, 0)}
    assert all(score >= 90 for _, _, score in matches)
    assert [s for _, _, s in matches] == sorted((s for _, _, s in matches), reverse=True)


def test_link_is_one_to_one():
    twice = [{"title": "Toy Story", "year": 1995}, {"title": "Toy Story", "year": 1995}]
    matches = link(twice, CATALOGUE)
    assert len(matches) == 1 and matches[0][1] == 0


def test_imdb_id_decides_both_ways():
    left = [{"title": "Sorcerer's Stone", "imdb_id": "tt0241527"},
            {"title": "Harry Potter and the Sorcerer's Stone", "year": 2001,
             "imdb_id": "tt0330373"}]  # the right title, another film's id
    assert pairs(link(left, CATALOGUE)) == {(0, 7)}


def test_a_record_without_title_matches_through_a_person_nobody_else_has():
    right = [{"title": "Saps at Sea (1940)", "directors": ["Douglas, Gordon"],
              "cast": ["Brady, William (I)"]},
             {"title": "Big (1988)", "directors": ["Marshall, Penny (I)"]},
             {"title": "Riding High (1950)", "directors": ["Capra, Frank"]},
             {"title": "It Happened One Night (1934)", "directors": ["Capra, Frank"]}]
    left = [{"title": "", "cast": ["Penny Marshall"]},  # only Big credits her
            {"title": "", "cast": ["Frank Capra"]},  # two Capra films: no telling which
            {"title": "", "cast": ["Gordon Douglas"]}]
    assert pairs(link(left, right)) == {(0, 1), (2, 0)}


def test_a_wrong_title_needs_a_year_and_two_people():
    right = [{"title": "Wu ji", "year": 2005, "directors": ["Chen Kaige"],
              "cast": ["Jang Dong-gun", "Cecilia Cheung"]}]
    assert link([{"title": "The Promise", "year": 2005, "directors": ["Kaige Chen"],
                  "cast": ["Cecilia Cheung"]}], right)
    assert not link([{"title": "The Promise", "directors": ["Kaige Chen"],
                      "cast": ["Cecilia Cheung"]}], right)  # no year
    assert not link([{"title": "The Promise", "year": 2005, "cast": ["Cecilia Cheung"]}], right)


def test_stats_report_blocking_and_the_threshold_is_a_parameter():
    stats = LinkStats()
    left = [{"title": "Frozen", "year": 2013}, {"title": "Zootopia", "year": 2016}]
    matches = link(left, CATALOGUE, stats=stats)
    assert pairs(matches) == {(0, 3)}
    assert (0, 3) in stats.candidates and len(stats.candidates) < len(left) * len(CATALOGUE)
    assert not any(i == 1 for i, _ in stats.candidates)  # no word in common: never compared
    assert stats.blocking_seconds >= 0 and stats.matching_seconds >= 0
    assert link(left, CATALOGUE, threshold=150) == []


@pytest.mark.parametrize("left", [[], [{}], [{"title": None, "year": None}]])
def test_empty_records_match_nothing(left):
    assert link(left, CATALOGUE) == []
    assert link(CATALOGUE, left) == []
