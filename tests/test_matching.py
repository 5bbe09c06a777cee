"""Matching evidence: sequels, remakes and year-less reviews."""

from aggregator.matching import MATCH_THRESHOLD, Evidence, decide
from aggregator.normalize import title_key


def ev(title, year=None, runtime=None, mpaa=None, imdb=None, directors=(), sites=()):
    return Evidence(title_keys=(title_key(title),), year=year, runtime=runtime, mpaa=mpaa,
                    imdb_id=imdb, directors=frozenset(directors), sites=frozenset(sites))


def same(a, b, site=None):
    decision = decide(a, b, site=site, url="https://example.org/x")
    return decision is not None and decision.score >= MATCH_THRESHOLD


def test_sequels_stay_apart():
    assert not same(ev("Toy Story 2", 1999, 92, "G"), ev("Toy Story 3", 2010, 103, "G"))
    assert not same(ev("Frozen", 2013, 102, "PG"), ev("Frozen II", 2019, 103, "PG"))
    assert not same(ev("Frozen 2", None, 103, "PG"), ev("Frozen", 2013, 102, "PG"))
    assert same(ev("Frozen 2", None, 103, "PG"), ev("Frozen II", 2019, 103, "PG"))


def test_remakes_stay_apart_by_year():
    assert not same(ev("The Parent Trap", 1961, 129, "G"), ev("The Parent Trap", 1998, 128, "PG"))
    assert not same(ev("The Lion King", 1994, 88, "G"), ev("The Lion King", 2019, 118, "PG"))


def test_yearless_review_joins_by_runtime_and_rating():
    parenting = ev("Won't Back Down", None, 121, "PG")
    assert same(parenting, ev("Won’t Back Down", 2012, 121, "PG"))
    # the same title but another rating or runtime: not enough to join without a year
    assert not same(ev("The Parent Trap", None, 128, "PG"), ev("The Parent Trap", 1961, 129, "G"))
    assert same(ev("The Parent Trap", None, 128, "PG"), ev("The Parent Trap", 1998, 128, "PG"))
    assert not same(ev("Won't Back Down", None, 90, "PG"), ev("Won't Back Down", 2012, 121, "PG"))


def test_imdb_id_decides():
    assert same(ev("Harry Potter and the Philosopher's Stone", 2001, imdb="tt0241527"),
                ev("Harry Potter and the Sorcerer's Stone", 2001, imdb="tt0241527"))
    assert not same(ev("Cinderella", 2015, imdb="tt1661199"),
                    ev("Cinderella", 2015, imdb="tt10155932"))


def test_one_review_per_site_per_film():
    film = ev("Coco", 2017, 105, "PG", sites=("commonsense",))
    assert not same(ev("Coco", 2017, 105, "PG"), film, site="commonsense")
    assert same(ev("Coco", 2017, 105, "PG"), film, site="parenting")


def test_directors_are_evidence():
    a = ev("Cinderella", 2015, 105, "PG", directors=("kennethbranagh",))
    assert same(a, ev("Cinderella", 2015, 105, "PG", directors=("kennethbranagh",)))
    assert not same(ev("Alice", 1988, directors=("jansvankmajer",)),
                    ev("Alice", 1988, 120, "PG-13", directors=("woodyallen",)))
