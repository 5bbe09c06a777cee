"""The garbage collector's thresholds in a crawler process (``FAMREEL_GC_THRESHOLDS``)."""

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
