"""MovieGuide: found through its search (/?s=) and its paged "Movie Reviews" category archive."""
from crawler.sites import movieguide
from crawler.spiders.base import SiteSpider


class MovieguideSpider(SiteSpider):
    name = "movieguide"
    site = movieguide
