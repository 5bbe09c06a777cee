"""One module per family-media site: page parsers (response -> item, no I/O) and discovery.

Every site module exposes the same small surface, read by ``crawler.spiders.base.SiteSpider``:

``NAME``                  the site name used everywhere (``commonsense``, ``parenting``, ...)
``HOSTS``                 the real hosts of the site, the canonical one first
``CUSTOM_SETTINGS``       per-site politeness for the real hosts (merged into the spider's settings)
``listing_requests()``    start requests of a full crawl (listing / index / feed pages)
``search_requests(title)``start requests of a one-off crawl for one title (the site's own search)
``parse_listing(resp)``   follow-up requests found on a listing page (reviews, next pages)
``parse_search(resp)``    follow-up requests found on a search-result page
``parse_review(resp)``    a ``Review`` item with raw values, or ``None`` when the page is no review

Requests are built with ``crawler.sites.base.review_request`` / ``listing_request`` /
``search_request`` so the spider knows which parser a response goes to.
"""

from __future__ import annotations

import importlib
from types import ModuleType

SITE_NAMES: tuple[str, ...] = (
    "commonsense",
    "parenting",
    "pluggedin",
    "kidsinmind",
    "parentpreviews",
    "dove",
    "movieguide",
    "imdb",
)


def site_module(name: str) -> ModuleType:
    """The parser/discovery module of a site (``KeyError`` for an unknown name)."""
    if name not in SITE_NAMES:
        raise KeyError(name)
    return importlib.import_module(f"crawler.sites.{name}")


def available_sites() -> list[str]:
    """Site names whose module exists in this installation, in SITE_NAMES order."""
    found = []
    for name in SITE_NAMES:
        try:
            site_module(name)
        except ModuleNotFoundError:
            continue
        found.append(name)
    return found
