"""Parenting.com: reviews found through the movies section's pages and the site search."""

from crawler.sites import parenting
from crawler.spiders.base import SiteSpider


class ParentingSpider(SiteSpider):
    name = "parenting"
    site = parenting
