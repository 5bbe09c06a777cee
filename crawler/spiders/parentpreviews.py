"""Parent Previews: discovered through its keyword search and its paged movie-reviews listing."""
from crawler.sites import parentpreviews
from crawler.spiders.base import SiteSpider


class ParentpreviewsSpider(SiteSpider):
    name = "parentpreviews"
    site = parentpreviews
