"""Test helpers: saved mirror pages as Scrapy responses (the real URL, no crawl)."""

from __future__ import annotations

from pathlib import Path

from scrapy.http import HtmlResponse, Request, TextResponse

from crawler.mirror.build import load_films
from crawler.mirror.paths import file_for

MIRROR_ROOT = Path(__file__).resolve().parent.parent / "crawler" / "mirror" / "site"
FILMS = load_films()  # the bundled mirror's films (crawler/mirror/films.json)


def mirror_response(url: str, meta: dict | None = None, encoding: str = "utf-8") -> TextResponse:
    """The bundled mirror's saved page for a real ``https://HOST/PATH?QUERY`` URL."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    body = file_for(MIRROR_ROOT, parts.netloc, parts.path, parts.query).read_bytes()
    request = Request(url, meta=meta or {})
    return HtmlResponse(url=url, body=body, encoding=encoding, request=request)


def html_response(url: str, html: str | bytes, meta: dict | None = None) -> HtmlResponse:
    """A response for hand-written HTML (malformed and partial pages in tests)."""
    body = html.encode("utf-8") if isinstance(html, str) else html
    return HtmlResponse(url=url, body=body, encoding="utf-8", request=Request(url, meta=meta or {}))


def urls_of_kind(requests, kind: str) -> list[str]:
    """The URLs of follow-up requests, all of which must be of ``kind`` (review, listing...)."""
    from crawler.sites.base import KIND

    assert all(request.meta[KIND] == kind for request in requests)
    return [request.url for request in requests]
