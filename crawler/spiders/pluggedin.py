"""Plugged In: discovered through its paged movie archive, the archive's RSS feed and its search."""
from crawler.sites import pluggedin
from crawler.spiders.base import SiteSpider


class PluggedinSpider(SiteSpider):
    name = "pluggedin"
    site = pluggedin
