"""Dove.org: found through its search and its genre listings (/reviews/genre/<genre>/)."""
from crawler.sites import dove
from crawler.spiders.base import SiteSpider


class DoveSpider(SiteSpider):
    name = "dove"
    site = dove
