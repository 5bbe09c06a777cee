"""Kids-In-Mind: discovered through its 26 letter index pages and its FacetWP keyword search."""
from crawler.sites import kidsinmind
from crawler.spiders.base import SiteSpider


class KidsinmindSpider(SiteSpider):
    name = "kidsinmind"
    site = kidsinmind
