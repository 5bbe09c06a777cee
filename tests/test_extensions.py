"""Extensions: the garbage collector's thresholds in a crawler process (``FAMREEL_GC_THRESHOLDS``)
and the crawl state's buffered records."""

import gc
import logging

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler import settings as famreel_settings
from crawler.extensions import CollectorThresholds


@pytest.fixture(autouse=True)
def python_thresholds():
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


def test_famreel_settings_raise_the_thresholds():
    crawler = get_crawler(settings_dict={
        "FAMREEL_GC_THRESHOLDS": famreel_settings.FAMREEL_GC_THRESHOLDS})
    CollectorThresholds.from_crawler(crawler)
    assert gc.get_threshold() == (20000, 5, 5)
    assert "crawler.extensions.CollectorThresholds" in famreel_settings.EXTENSIONS


def test_thresholds_from_the_command_line():
    CollectorThresholds.from_crawler(get_crawler(settings_dict={
        "FAMREEL_GC_THRESHOLDS": "20000,10,10"}))  # as `-s NAME=VALUE` gives it
    assert gc.get_threshold() == (20000, 10, 10)


def test_empty_keeps_pythons():
    with pytest.raises(NotConfigured):
        CollectorThresholds.from_crawler(get_crawler(settings_dict={"FAMREEL_GC_THRESHOLDS": ""}))
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.parametrize("value", ["many", "1,2", "5,-1,3", "1,2,3,4"])
def test_bad_values_are_a_warning_and_change_nothing(value, caplog):
    crawler = get_crawler(settings_dict={"FAMREEL_GC_THRESHOLDS": value})
    with caplog.at_level(logging.WARNING), pytest.raises(NotConfigured):
        CollectorThresholds.from_crawler(crawler)
    assert gc.get_threshold() == (700, 10, 10)
    assert "FAMREEL_GC_THRESHOLDS must be three integers" in caplog.text


def test_a_request_linked_from_several_pages_is_recorded_pending_once():
    """Most reviews are linked from several listing pages: each page's record keeps all its
    links, while the request itself is buffered for writing once per crawl."""
    from scrapy import Request
    from scrapy.http import HtmlResponse

    from crawler.extensions import CrawlState
    from storage.crawl_state import DONE, PENDING

    crawler = get_crawler(settings_dict={"FAMREEL_DB": "sqlite://"})
    crawler._apply_settings()
    state = CrawlState(crawler)
    state.site = "dove"
    shared, other = (Request(f"https://dove.org/review/{slug}/") for slug in ("a", "b"))
    for page, links in (("1", [shared]), ("2", [shared, other]),
                        ("3", [Request(shared.url)])):  # the same request made anew
        url = f"https://dove.org/reviews/?page={page}"
        state.note_followed(HtmlResponse(url, body=b"<html></html>", request=Request(url)), links)

    pending = [r for r in state.buffer if r.status == PENDING]
    pages = [r for r in state.buffer if r.status == DONE]
    assert sorted(r.url for r in pending) == [shared.url, other.url]
    assert all(r.request == {"url": r.url} for r in pending)
    assert [len(r.links) for r in pages] == [1, 2, 1]
    assert pages[2].links == pages[0].links  # the same fingerprint however often it is made
