"""The normalization pipeline: canonical values, impossible values dropped field by field with a
counted reason, items without URL or title dropped with a stat."""

import logging

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import Review
from crawler.pipelines import NormalizePipeline


@pytest.fixture
def pipeline():
    crawler = get_crawler(Spider)
    return NormalizePipeline.from_crawler(crawler), crawler.stats


def csm(**values):
    base = dict(site="commonsense", url="https://www.commonsensemedia.org/movie-reviews/x",
                title="Won\u2019t Back Down", year="2012", mpaa_rating="Rated PG",
                runtime_minutes="121 minutes", age_native="age 12+", quality_native=3,
                content_native={"violence": 1, "drugs": 2, "message": 4, "education": 2})
    base.update(values)
    return Review(**base)


def test_normalizes_to_canonical_model(pipeline):
    normalize, stats = pipeline
    item = normalize.process_item(csm(title="Review: 'Won\u2019t Back Down'",
                                      published="Sept. 27, 2012", parents_age="age 13+",
                                      parents_count="Based on 2 reviews",
                                      directors=["Daniel Barnz", "Daniel Barnz"]))
    assert item.title == "Won't Back Down"
    assert (item.year, item.mpaa_rating, item.runtime_minutes) == (2012, "PG", 121)
    assert (item.age_min, item.quality) == (12, 60.0)
    assert item.content == {"violence": 1.0, "substances": 2.0, "positive_messages": 4.0}
    assert item.extra_ratings == {"education": 2.0}
    assert (item.parents_age, item.parents_count) == (13, 2)
    assert item.published == "2012-09-27"
    assert item.directors == ["Daniel Barnz"]
    # nothing dropped or counted but the stage's CPU time (crawler/timers.py)
    assert [k for k in stats.get_stats() if k != "famreel/cpu_ms/normalize"] == []


def test_impossible_values_are_dropped_field_by_field(pipeline, caplog):
    normalize, stats = pipeline
    with caplog.at_level(logging.WARNING):
        item = normalize.process_item(csm(age_native="age 99+", quality_native=7,
                                          runtime_minutes="0 minutes",
                                          content_native={"violence": 9, "sex": 1}))
    assert (item.age_min, item.quality, item.runtime_minutes) == (None, None, None)
    assert item.content == {"sex": 1.0}
    assert item.title == "Won't Back Down" and item.year == 2012  # the rest is kept
    assert stats.get_value("famreel/field_dropped/age") == 1
    assert stats.get_value("famreel/field_dropped/quality") == 1
    assert stats.get_value("famreel/field_dropped/runtime_minutes") == 1
    assert stats.get_value("famreel/field_dropped/content") == 1
    assert "https://www.commonsensemedia.org/movie-reviews/x" in caplog.text
    assert "7 stars is outside 0-5" in caplog.text


def test_title_year_suffix_and_release_date(pipeline):
    normalize, _ = pipeline
    item = normalize.process_item(csm(title="The Parent Trap (1961)", year=None))
    assert (item.title, item.year) == ("The Parent Trap", 1961)
    item = normalize.process_item(csm(year=None, release_date="October 7, 2016"))
    assert item.year == 2016 and item.release_date == "2016-10-07"
    item = normalize.process_item(csm(site="parenting", year=None, release_date="September 28"))
    assert item.year is None and item.release_date is None


@pytest.mark.parametrize(("values", "stat"), [({"url": None}, "no_url"),
                                              ({"title": "   "}, "no_title")])
def test_items_without_url_or_title_are_dropped(pipeline, caplog, values, stat):
    normalize, stats = pipeline
    with caplog.at_level(logging.WARNING), pytest.raises(DropItem):
        normalize.process_item(csm(**values))
    assert stats.get_value(f"famreel/dropped/{stat}") == 1
    if stat == "no_title":
        assert "https://www.commonsensemedia.org/movie-reviews/x" in caplog.text


def test_hostile_text_is_kept_as_text_without_control_characters(pipeline):
    normalize, _ = pipeline
    item = normalize.process_item(csm(verdict="<script>alert(1)</script>\x00 nice",
                                      imdb_id="javascript:alert(1)"))
    assert item.verdict == "<script>alert(1)</script> nice"
    assert item.imdb_id is None
