"""The local mirror server: ``http://127.0.0.1:PORT/HOST/PATH?QUERY`` answers for
``https://HOST/PATH?QUERY`` from a folder of saved pages.

Each site's documented search endpoint is answered by searching that host's ``_index.json``
(case-, punctuation- and accent-insensitive; every query word must be a word of the title) and
rendering the hits in that site's own search-result markup. Pages are read once and then served
from memory.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from rapidfuzz import fuzz

from crawler.mirror.paths import INDEX_FILE, file_for
from crawler.mirror.render import renderers

logger = logging.getLogger(__name__)

BUNDLED_ROOT = Path(__file__).resolve().parent / "site"
CONTENT_TYPES = {
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
}


def fold(text: str) -> str:
    """Lowercase, accents and punctuation removed (apostrophes join: "Won't" -> "wont")."""
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    text = re.sub(r"['\u2019\u2018`]", "", text)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


class SiteIndex:
    """The review pages of one host, searchable the way the contract says."""

    def __init__(self, entries: list[dict[str, Any]]):
        self.entries = [(fold(e.get("title", "")), e) for e in entries if e.get("title")]

    def search(self, query: str) -> list[dict[str, Any]]:
        words = fold(query).split()
        if not words:
            return []
        folded_query = " ".join(words)
        hits = [(title, e) for title, e in self.entries if set(words) <= set(title.split())]
        hits.sort(key=lambda hit: (-fuzz.ratio(folded_query, hit[0]), hit[0]))
        return [e for _, e in hits]


class Mirror:
    """What the server answers, independent of HTTP (testable without sockets)."""

    def __init__(self, root: Path = BUNDLED_ROOT):
        self.root = Path(root)
        self.renderers: dict[str, ModuleType] = renderers()
        self._indexes: dict[str, SiteIndex] = {}
        self._lock = threading.Lock()
        self._read = lru_cache(maxsize=65536)(self._read_file)

    def index(self, host: str) -> SiteIndex:
        with self._lock:
            if host not in self._indexes:
                path = self.root / host / INDEX_FILE
                entries = json.loads(path.read_text("utf-8")) if path.exists() else []
                self._indexes[host] = SiteIndex(entries)
            return self._indexes[host]

    @staticmethod
    def _read_file(path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def answer(self, method: str, target: str, body: bytes = b""
               ) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for ``/HOST/PATH?QUERY``."""
        parts = urlsplit(target)
        host, _, path = parts.path.lstrip("/").partition("/")
        host = host.lower()
        path = "/" + path
        renderer = self.renderers.get(host)
        if not host or not (self.root / host).is_dir() and renderer is None:
            return _plain(404, f"mirror has no site {host!r}")
        if method == "POST":
            answer = renderer and getattr(renderer, "render_post", None)
            result = answer(host, path, body) if answer else None
            if result is None:
                return _plain(405, "POST not served here")
            content_type, payload = result
            return 200, {"Content-Type": content_type}, payload
        if renderer is not None:
            blocked = getattr(renderer, "render_blocked", None)
            if blocked and (result := blocked(path)) is not None:
                status, headers, payload = result
                return status, dict(headers), payload
            query = renderer.search_query(path, parse_qs(parts.query, keep_blank_values=True))
            if query is not None:
                hits = self.index(host).search(query)
                content_type, payload = renderer.render_search(query, hits)
                return 200, {"Content-Type": content_type}, payload
        file = file_for(self.root, host, path, parts.query)
        payload = self._read(file)
        if payload is not None:
            return 200, {"Content-Type": _content_type(file)}, payload
        not_found = renderer and getattr(renderer, "render_not_found", None)
        if not_found and (result := not_found(path)) is not None:
            status, content_type, payload = result
            return status, {"Content-Type": content_type}, payload
        return _plain(404, "not found")


def _plain(status: int, text: str) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode("utf-8")


def _content_type(path: Path) -> str:
    if path.name == "robots.txt":
        return CONTENT_TYPES[".txt"]
    return CONTENT_TYPES.get(path.suffix.lower(), "text/html; charset=utf-8")


def make_server(mirror: Mirror, port: int = 0, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "famreel-mirror"

        def _respond(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                status, headers, payload = mirror.answer(method, self.path, body)
            except Exception:  # a renderer bug must show as a 500, not kill the server
                logger.exception("mirror failed on %s", self.path)
                status, headers, payload = _plain(500, "mirror error")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(payload)

        def do_GET(self) -> None:  # noqa: N802
            self._respond("GET")

        def do_HEAD(self) -> None:  # noqa: N802
            self._respond("HEAD")

        def do_POST(self) -> None:  # noqa: N802
            self._respond("POST")

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            logger.debug("mirror: " + format, *args)

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


@contextmanager
def running_mirror(root: Path = BUNDLED_ROOT, port: int = 0) -> Iterator[str]:
    """Serve a mirror in a background thread; yields its base URL."""
    server = make_server(Mirror(root), port)
    thread = threading.Thread(target=server.serve_forever, name="famreel-mirror", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


