"""Matching evidence: sequels, remakes, regional titles, year-less reviews, people, keys."""

from aggregator.matching import (
    BlockIndex,
    block_keys,
    combine,
    decide,
    match_titles,
    person_keys,
    record_from,
    shared_people,
)


def ev(title, year=None, runtime=None, mpaa=None, imdb=None, directors=(), cast=(), site=None):
    return record_from({"title": title, "year": year, "runtime_minutes": runtime,
                        "mpaa_rating": mpaa, "imdb_id": imdb, "directors": list(directors),
                        "cast": list(cast)}, site=site)


def same(a, b, rarity=None):
    decision = decide(a, b, rarity) if rarity else decide(a, b)
    return decision.matched


def test_sequels_stay_apart():
    assert not same(ev("Toy Story 2", 1999, 92, "G"), ev("Toy Story 3", 2010, 103, "G"))
    assert not same(ev("Toy Story 2", None, 92, "G"), ev("Toy Story 3", None, 92, "G"))
    assert not same(ev("Frozen", 2013, 102, "PG"), ev("Frozen II", 2019, 103, "PG"))
    assert not same(ev("Frozen 2", None, 103, "PG"), ev("Frozen", 2013, 102, "PG"))
    assert same(ev("Frozen 2", None, 103, "PG"), ev("Frozen II", 2019, 103, "PG"))
    decision = decide(ev("Frozen", 2013), ev("Frozen II", 2014))
    assert decision.score is None and decision.ruled_out == "sequel numbers differ"


def test_remakes_stay_apart_by_year():
    assert not same(ev("The Parent Trap", 1961, 129, "G"), ev("The Parent Trap", 1998, 128, "PG"))
    assert not same(ev("The Lion King", 1994, 88, "G"), ev("The Lion King", 2019, 118, "PG"))
    assert decide(ev("The Lion King", 1994), ev("The Lion King", 2019)).ruled_out == (
        "years 1994 / 2019")


def test_regional_title_joins_when_year_runtime_and_director_agree():
    us = ev("Harry Potter and the Sorcerer's Stone", 2001, 152, "PG", directors=["Chris Columbus"])
    uk = ev("Harry Potter and the Philosopher's Stone", 2001, 152, "PG",
            directors=["Chris Columbus"])
    assert same(uk, us)
    # a title this far apart needs the rest to agree: another year, runtime or director
    assert not same(ev("Harry Potter and the Philosopher's Stone", 2003, 152, "PG"), us)
    assert not same(ev("Harry Potter and the Philosopher's Stone", 2001, 128, "PG"), us)
    assert not same(ev("Harry Potter and the Philosopher's Stone", 2001, 152, "PG",
                       directors=["Alfonso Cuaron"]), us)


def test_a_dropped_franchise_name_joins_an_added_subtitle_needs_more():
    full = ev("Wallace & Gromit: Vengeance Most Fowl", 2024, 79, "PG")
    assert same(ev("Vengeance Most Fowl", 2024), full)
    norm = ev("Norm of the North", 2016, 90, "PG")
    assert not same(ev("Norm of the North: Keys to the Kingdom", 2016, None, "PG"), norm)
    assert same(ev("Norm of the North: Keys to the Kingdom", 2016, 90, "PG"), norm)


def test_yearless_review_joins_by_runtime_and_rating():
    parenting = ev("Won't Back Down", None, 121, "PG")
    assert same(parenting, ev("Won’t Back Down", 2012, 121, "PG"))
    # the same title but another rating or runtime: not enough to join without a year
    assert not same(ev("The Parent Trap", None, 128, "PG"), ev("The Parent Trap", 1961, 129, "G"))
    assert same(ev("The Parent Trap", None, 128, "PG"), ev("The Parent Trap", 1998, 128, "PG"))
    assert not same(ev("Won't Back Down", None, 90, "PG"), ev("Won't Back Down", 2012, 121, "PG"))


def test_spin_off_without_year_does_not_join_its_franchise():
    """Tom Hanks is on every Toy Story: a shared cast does not vouch for another title."""
    toy_story = combine([ev("Toy Story", 1995, 81, "G", cast=["Tom Hanks", "Tim Allen"])])
    terror = ev("Toy Story of Terror!", None, 22, cast=["Tom Hanks", "Tim Allen"])
    assert not same(terror, toy_story, rarity=lambda key: 1 / 3)
    assert decide(terror, toy_story).ruled_out == "no year and runtimes 59 min apart"


def test_imdb_id_decides():
    assert same(ev("Harry Potter and the Philosopher's Stone", 2001, imdb="tt0241527"),
                ev("Harry Potter and the Sorcerer's Stone", 2001, imdb="tt0241527"))
    assert not same(ev("Cinderella", 2015, imdb="tt1661199"),
                    ev("Cinderella", 2015, imdb="tt10155932"))


def test_one_review_per_site_per_film():
    film = combine([ev("Coco", 2017, 105, "PG", site="commonsense")])
    assert not same(ev("Coco", 2017, 105, "PG", site="commonsense"), film)
    assert same(ev("Coco", 2017, 105, "PG", site="parenting"), film)
    decision = decide(ev("Coco", 2017, site="commonsense"), film)
    assert decision.ruled_out == "commonsense already reviewed this film"


def test_directors_are_evidence():
    a = ev("Cinderella", 2015, 105, "PG", directors=("Kenneth Branagh",))
    assert same(a, ev("Cinderella", 2015, 105, "PG", directors=("Branagh, Kenneth",)))
    assert not same(ev("Alice", 1988, directors=("Jan Svankmajer",)),
                    ev("Alice", 1988, 120, "PG-13", directors=("Woody Allen",)))


def test_title_forms():
    assert match_titles("Reptile, The (1966)") == (("reptile",), 1966)
    assert match_titles("Venus maldita, La") == match_titles("La venus maldita")
    assert match_titles("Fire (1996/I) (TV)") == (("fire",), 1996)
    assert match_titles("Frozen II")[0] == match_titles("Frozen 2")[0] == ("frozen 2",)
    assert match_titles("Beauty & the Beast")[0] == match_titles("Beauty and the Beast")[0]
    # export damage: a lost escape, UTF-8 read as Latin-1, "?" for a letter
    assert match_titles("Valu00E9rie")[0] == ("valerie", "valrie")
    assert match_titles("ValÃ©rie")[0] == ("valerie", "valrie")
    assert "valrie" in match_titles("Val?rie")[0]
    assert match_titles("pretty_maids_all_in_a_row")[0] == ("pretty maids all in a row",)
    assert match_titles("") == ((), None)


def test_people_keys_match_across_name_orders():
    (brosnan,) = person_keys(["Pierce Brendan Brosnan"])
    assert brosnan & person_keys(["Brosnan, Pierce (I)"])[0]
    assert shared_people(person_keys(["Hyeon-seong Kim"]), person_keys(["Kim, Hyeon-seong"]))
    assert shared_people(person_keys(["Yu0131lmaz Erdou011Fan"]), person_keys(["Erdogan, Yilmaz"]))
    # only a family name in common: not the same person
    assert not shared_people(person_keys(["Sean Penn"]), person_keys(["Penn, Arthur"]))
    assert len(person_keys(["Zen Todd<BR>Tod Thawley; Creighton Howard"])) == 3


def test_block_index_finds_candidates_by_title_words_people_and_year():
    index = BlockIndex()
    films = [ev("The Parent Trap", 1961), ev("The Parent Trap", 1998), ev("Toy Story", 1995),
             ev("Spider-Man: Into the Spider-Verse", 2018), ev("Saps at Sea", 1940,
                                                                 directors=["Gordon Douglas"])]
    for ident, film in enumerate(films):
        index.add(ident, film)
    found = [i for i, _ in index.candidates(ev("Parent Trap", 1998))]
    assert found == [1]  # 1961 is outside the year bucket ±1
    assert {i for i, _ in index.candidates(ev("Parent Trap"))} == {0, 1}
    assert [i for i, _ in index.candidates(ev("Spiderman Into the Spider-Verse"))][0] == 3
    assert [i for i, _ in index.candidates(ev("", directors=["Douglas, Gordon"]))] == [4]
    assert "w:parenttrap" in block_keys(films[0])
    index.remove(1)
    assert [i for i, _ in index.candidates(ev("Parent Trap", 1998))] == []
