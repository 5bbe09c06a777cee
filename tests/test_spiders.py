"""Every spider in the project: discovery starts on the real sites, and broken pages never
end a crawl (the reason is counted)."""

import asyncio
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.items import Review
from crawler.runner import spider_class
from crawler.sites import SITE_NAMES, available_sites, site_module
from crawler.sites.base import KIND, LISTING, REVIEW, SEARCH

ROOT = Path(__file__).resolve().parent.parent


def test_every_site_has_a_module_and_a_spider():
    assert available_sites() == list(SITE_NAMES)
    for site in SITE_NAMES:
        assert spider_class(site).name == site


def test_scrapy_list_from_project_root():
    result = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.split()) == sorted(SITE_NAMES)


async def _start(spider):
    return [request async for request in spider.start()]


async def _collect(outputs):
    return [output async for output in outputs]


def make_spider(site, **kwargs):
    crawler = get_crawler(spider_class(site))
    spider = crawler.spidercls.from_crawler(crawler, **kwargs)
    return crawler, spider


@pytest.mark.parametrize("site", SITE_NAMES)
@pytest.mark.parametrize("title", [None, "Won't Back Down"])
def test_start_requests_target_the_real_site(site, title):
    _, spider = make_spider(site, title=title)
    requests = asyncio.run(_start(spider))
    assert requests
    hosts = set(site_module(site).HOSTS)
    for request in requests:
        parts = urlsplit(request.url)
        assert parts.scheme == "https" and parts.hostname in hosts | {
            h for h in ("graphql.imdb.com",) if site == "imdb"}, request.url
        assert request.meta[KIND] == (SEARCH if title else LISTING)


BROKEN_PAGES = [
    b"",
    b"<html><head><title>Oops</title></head><body><div class=",
    b"\xff\xfe\x00<\x00h\x00t\x00m\x00l\x00>\x00 junk \x9c\x80",
    b"<html><body><h1></h1><script type='application/ld+json'>{not json</script></body></html>",
]


@pytest.mark.parametrize("site", SITE_NAMES)
@pytest.mark.parametrize("kind", [REVIEW, LISTING, SEARCH])
@pytest.mark.parametrize("body", BROKEN_PAGES)
def test_broken_pages_never_end_the_crawl(site, kind, body):
    crawler, spider = make_spider(site)
    crawler.stats.open_spider()
    url = f"https://{site_module(site).HOSTS[0]}/movie-reviews/broken"
    response = HtmlResponse(url, body=body, encoding="utf-8",
                            request=Request(url, meta={KIND: kind}))
    results = asyncio.run(_collect(spider.parse(response)))
    stats = crawler.stats.get_stats()
    for result in results:
        assert isinstance(result, (Review, Request))
        if isinstance(result, Review):
            assert result.site == site and result.fetched_at
    if kind == REVIEW and not results:
        assert stats.get("famreel/not_a_review", 0) + stats.get(
            "famreel/parse_error/review", 0) == 1
