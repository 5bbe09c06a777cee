"""The log formatter: Scrapy's per-page and per-item DEBUG messages only when they are logged."""

import logging

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler import settings as famreel_settings
from crawler.logformatter import LevelAwareLogFormatter, log_level
from tests.conftest import run_famreel


def _page() -> tuple[Request, HtmlResponse]:
    request = Request("https://www.parenting.com/movies/a-film/")
    return request, HtmlResponse(request.url, body=b"<html></html>", request=request)


@pytest.mark.parametrize("level", ["WARNING", "INFO", logging.INFO])
def test_no_message_below_debug(level):
    formatter = LevelAwareLogFormatter.from_crawler(get_crawler(settings_dict={
        "LOG_LEVEL": level}))
    request, response = _page()
    assert formatter.crawled(request, response, None) is None
    assert formatter.scraped({"title": "A Film"}, response, None) is None


@pytest.mark.parametrize("level", ["DEBUG", "debug", logging.DEBUG, "NO-SUCH-LEVEL"])
def test_scrapys_messages_at_debug(level):
    formatter = LevelAwareLogFormatter.from_crawler(get_crawler(settings_dict={
        "LOG_LEVEL": level}))
    request, response = _page()
    crawled = formatter.crawled(request, response, None)
    assert crawled is not None and crawled["level"] == logging.DEBUG
    assert crawled["args"]["status"] == 200
    scraped = formatter.scraped({"title": "A Film"}, response, None)
    assert scraped is not None and scraped["args"]["item"] == {"title": "A Film"}


def test_log_level_names_and_numbers():
    assert log_level("warning") == logging.WARNING
    assert log_level(5) == 5
    assert log_level("nonsense") == logging.NOTSET  # unknown: log everything, hide nothing


def test_a_debug_crawl_still_logs_every_page(mirror_url, sqlite_url):
    assert famreel_settings.LOG_FORMATTER == "crawler.logformatter.LevelAwareLogFormatter"
    result = run_famreel("crawl", "--site", "parenting", "--mirror", mirror_url,
                         "--db", sqlite_url, "-s", "LOG_LEVEL=DEBUG")
    assert result.returncode == 0, result.stderr
    assert "Crawled (200) <GET https://www.parenting.com/" in result.stderr
    assert "Scraped from <200 https://www.parenting.com/" in result.stderr
