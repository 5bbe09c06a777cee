"""IMDb Parents Guide: /find/ search or a list -> title pages -> their "Parents guide" link."""

from crawler.sites import imdb
from crawler.spiders.base import SiteSpider


class ImdbSpider(SiteSpider):
    name = "imdb"
    site = imdb
