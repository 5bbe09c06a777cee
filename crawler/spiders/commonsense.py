"""Common Sense Media: browse sections, the paged movie listing and the site search."""

from crawler.sites import commonsense
from crawler.spiders.base import SiteSpider


class CommonsenseSpider(SiteSpider):
    name = "commonsense"
    site = commonsense
