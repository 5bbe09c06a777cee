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
# default 100. Scrapy starts this many worker tasks for the output of every response, while a
# famreel page yields one review or a few dozen links: 16 cut a crawl's CPU by a fifth
# (bench/crawl.py, 600 films)
CONCURRENT_ITEMS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # default 8, template 1; small sites set 1 in their module
DOWNLOAD_DELAY = 2.0  # default 0, template 1
DOWNLOAD_TIMEOUT = 30  # default 180
AUTOTHROTTLE_ENABLED = True  # default False
AUTOTHROTTLE_START_DELAY = 5.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_TIMES = 3  # default 2 (timeouts and connection resets are retried too: RETRY_EXCEPTIONS)
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
FAMREEL_MAX_RETRY_AFTER = 120.0  # seconds we are willing to wait for one Retry-After
FAMREEL_RETRY_BACKOFF = 1.0  # n-th retry waits up to this x 2^(n-1) s (0.1 under a mirror)
FAMREEL_RETRY_BACKOFF_MAX = 60.0
HTTPERROR_ALLOWED_CODES = [304]  # default []: a conditional request's "not modified" (CrawlState)
FAMREEL_HTML_END_MARKER = "</html>"  # an HTML page without it is truncated ("" switches it off)

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,  # where RetryMiddleware sits
    "crawler.middlewares.PageCheckMiddleware": 560,  # between decompression (590) and retries
    "crawler.middlewares.CrawlStateDownloaderMiddleware": 540,  # below retries: final answers
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.CrawlStateSpiderMiddleware": 950,  # closest to the spider
    # default on: it writes each request's depth in its meta for DEPTH_LIMIT and DEPTH_PRIORITY,
    # which famreel leaves at 0 (a site's listings lead to its reviews, and the dupefilter ends
    # a pager that goes round); its per-link work and stats calls were ~0.8% of a crawl's CPU
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
}
DOWNLOAD_HANDLERS = {
    "http": "crawler.middlewares.MirrorDownloadHandler",
    "https": "crawler.middlewares.MirrorDownloadHandler",
}
EXTENSIONS = {
    "crawler.extensions.RobotsCrawlDelay": 600,  # after AutoThrottle (0): its clamp wins
    "crawler.extensions.CrawlState": 100,  # the crawl's own record: resume, 304s, failures
    "crawler.monitoring.FieldCoverage": 110,  # per-field counts the monitor checks
    "crawler.parse_pool.ParseWorkers": 120,  # review pages parsed in worker processes (if > 0)
    "crawler.extensions.CollectorThresholds": 130,  # FAMREEL_GC_THRESHOLDS
}
ITEM_PIPELINES = {
    "crawler.pipelines.NormalizePipeline": 300,
    "crawler.pipelines.StorePipeline": 800,
}

# famreel's own settings (the CLI sets them from its options; `scrapy crawl -s` works too)
FAMREEL_MIRROR = os.environ.get("FAMREEL_MIRROR", "")  # e.g. http://127.0.0.1:8765
FAMREEL_DB = os.environ.get("FAMREEL_DB", "")  # empty: sqlite:///famreel.db
FAMREEL_BATCH_SIZE = 100  # reviews (and crawl-state records) per write ...
FAMREEL_FLUSH_SECONDS = 5.0  # ... or fewer, when the last write is this old
FAMREEL_MERGE = True
FAMREEL_CRAWL_STATE = True  # the crawl's own record of its requests (resume, 304s, failures)
FAMREEL_FULL = False  # True: a new cycle, no conditional requests (`famreel crawl --full`)
FAMREEL_GIVE_UP_AFTER = 10  # a page failing this many runs in a row is no longer retried
# Processes that parse review pages beside the crawler process (crawler/parse_pool.py): 0 parses
# in the crawler process, right for the real sites, where politeness delays bound a crawl; a
# CPU-bound crawl (a mirror, a fast frontier worker) with cores to spare may gain from 1 or more
# (`--parse-processes`; README "Throughput": on 2 vCPUs, 200 -> 237 pages/s on 10,000 films)
FAMREEL_PARSE_PROCESSES = 0

# The garbage collector's thresholds in a crawler process (crawler/extensions.py); empty: Python's
FAMREEL_GC_THRESHOLDS = [20000, 5, 5]

# Monitoring (crawler/monitoring.py): checked after every full crawl; a failed check is reported
# and makes `famreel crawl` exit with status 1.
FAMREEL_MONITOR_MIN_REVIEWS = 5  # fewer reviews than this: no coverage or collapse verdict
FAMREEL_MONITOR_COLLAPSE_RATIO = 0.5  # reviews in a cycle vs the last passing cycle of the site
FAMREEL_MONITOR_MAX_FAILED_RATIO = 0.1  # requests still failing vs requests of the cycle
# Share of the reviews parsed in a run that have each field, per site (measured on the bundled
# mirror: every listed field is on 95-100% of the pages; a markup change drops it to ~0).
FAMREEL_MONITOR_COVERAGE = {
    "commonsense": {"title": 0.9, "year": 0.8, "age_min": 0.8, "quality": 0.8, "content": 0.8},
    "parenting": {"title": 0.9, "verdict": 0.8, "pros": 0.5, "cons": 0.5},
    "pluggedin": {"title": 0.9, "year": 0.8, "content": 0.8, "verdict": 0.8},
    "kidsinmind": {"title": 0.9, "year": 0.8, "content": 0.8},
    "parentpreviews": {"title": 0.9, "year": 0.8, "quality": 0.8, "content": 0.8},
    "dove": {"title": 0.9, "year": 0.8, "content": 0.8},
    "movieguide": {"title": 0.9, "year": 0.8, "quality": 0.8, "content": 0.8},
    "imdb": {"title": 0.9, "year": 0.8, "content": 0.8},
}

TELNETCONSOLE_ENABLED = False  # default True
# default scrapy.logformatter.LogFormatter: the same, but builds no per-page "Crawled" and
# per-item "Scraped" DEBUG message that LOG_LEVEL drops (crawler/logformatter.py)
LOG_FORMATTER = "crawler.logformatter.LevelAwareLogFormatter"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
