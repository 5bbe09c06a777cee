"""Scrapy settings for famreel. Each override says the Scrapy default it replaces.

Politeness on the real sites is not optional: robots.txt obeyed, AutoThrottle on, a clear
User-Agent, per-domain concurrency limits, retries honouring Retry-After. Under a mirror
(``FAMREEL_MIRROR``) the delays drop to 0 so a test crawl is fast (see SiteSpider).
"""

import os

BOT_NAME = "famreel"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "famreel/0.1 (+https://pypi.org/project/famreel/; family film review aggregator)"
ROBOTSTXT_OBEY = True  # default False (template True)

CONCURRENT_REQUESTS = 16  # default 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # default 8, template 1; small sites set 1 in their module
DOWNLOAD_DELAY = 2.0  # default 0, template 1
DOWNLOAD_TIMEOUT = 30  # default 180
AUTOTHROTTLE_ENABLED = True  # default False
AUTOTHROTTLE_START_DELAY = 5.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_TIMES = 3  # default 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
FAMREEL_MAX_RETRY_AFTER = 120.0  # seconds we are willing to wait for one Retry-After

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,  # where RetryMiddleware sits
}
DOWNLOAD_HANDLERS = {
    "http": "crawler.middlewares.MirrorDownloadHandler",
    "https": "crawler.middlewares.MirrorDownloadHandler",
}
EXTENSIONS = {
    "crawler.extensions.RobotsCrawlDelay": 600,  # after AutoThrottle (0): its clamp wins
}
ITEM_PIPELINES = {
    "crawler.pipelines.NormalizePipeline": 300,
    "crawler.pipelines.StorePipeline": 800,
}

# famreel's own settings (the CLI sets them from its options; `scrapy crawl -s` works too)
FAMREEL_MIRROR = os.environ.get("FAMREEL_MIRROR", "")  # e.g. http://127.0.0.1:8765
FAMREEL_DB = os.environ.get("FAMREEL_DB", "")  # empty: sqlite:///famreel.db
FAMREEL_BATCH_SIZE = 100
FAMREEL_MERGE = True

TELNETCONSOLE_ENABLED = False  # default True
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
