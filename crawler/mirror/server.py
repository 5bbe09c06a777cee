"""The local mirror server: ``http://127.0.0.1:PORT/HOST/PATH?QUERY`` answers for
``https://HOST/PATH?QUERY`` from a folder of saved pages.

Each site's documented search endpoint is answered by searching that host's ``_index.json``
(case-, punctuation- and accent-insensitive; every query word must be a word of the title) and
rendering the hits in that site's own search-result markup. Pages are read once and then served
from memory.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import socket
import threading
import time
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiohttp import web
from rapidfuzz import fuzz

from crawler.mirror.faults import FaultPlan
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

    def __init__(self, root: Path = BUNDLED_ROOT, faults: str | Path | None = None):
        self.root = Path(root)
        self.renderers: dict[str, ModuleType] = renderers()
        self._indexes: dict[str, SiteIndex] = {}
        self._lock = threading.Lock()
        self._read = lru_cache(maxsize=65536)(self._read_file)
        # fault rules (crawler/mirror/faults.py): the file given, else $FAMREEL_MIRROR_FAULTS
        self.faults = FaultPlan(faults) if faults else FaultPlan.from_env()
        self._first_served: dict[str, float] = {}  # ETag -> when that body was first served

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

    def answer(self, method: str, target: str, body: bytes = b"",
               headers: Mapping[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for ``/HOST/PATH?QUERY``.

        Every 200 to a GET or HEAD carries an ``ETag`` (a hash of the body) and a
        ``Last-Modified`` (when that body was first served); given the request's ``headers``, a
        matching ``If-None-Match`` (or, without one, ``If-Modified-Since``) gets a bodiless 304.
        The fault plan applies first; its transport faults come back as ``DELAY_HEADER`` and
        ``RESET_AFTER_HEADER`` instructions, which the server honours and never sends on.
        """
        status, out, payload = self._page(method, target, body)
        fault = self.faults.apply(target, status, out, payload, self._not_found_page)
        status, out, payload = fault.status, fault.headers, fault.payload
        if fault.delay:
            out[DELAY_HEADER] = str(fault.delay)
        if fault.reset_after is not None:
            out[RESET_AFTER_HEADER] = str(fault.reset_after)
        if status != 200 or method not in ("GET", "HEAD"):
            return status, out, payload
        etag = '"' + hashlib.sha256(payload).hexdigest()[:32] + '"'
        with self._lock:
            first_served = self._first_served.setdefault(etag, time.time())
        out.update({"ETag": etag, "Last-Modified": formatdate(first_served, usegmt=True)})
        if _not_modified(headers or {}, etag, first_served):
            return 304, {k: v for k, v in out.items() if k != "Content-Type"}, b""
        return status, out, payload

    def _not_found_page(self, host: str, path: str) -> tuple[str, bytes]:
        """The site's own "page not found" page (for the soft-404 fault), else a plain one."""
        renderer = self.renderers.get(host)
        not_found = renderer and getattr(renderer, "render_not_found", None)
        result = not_found(path) if not_found else None
        if result is not None:
            return result[1], result[2]
        html = ("<!DOCTYPE html><html><head><title>Page not found</title></head><body>"
                "<h1>Page not found</h1><p>Sorry, this page does not exist.</p></body></html>")
        return "text/html; charset=utf-8", html.encode("utf-8")

    def _page(self, method: str, target: str, body: bytes = b""
              ) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for ``/HOST/PATH?QUERY``, before faults and validators."""
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


def _not_modified(headers: Mapping[str, str], etag: str, first_served: float) -> bool:
    """RFC 9110 section 13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    since = headers.get("If-Modified-Since")
    try:
        return since is not None and int(first_served) <= parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError):
        return False


def _plain(status: int, text: str) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode("utf-8")


def _content_type(path: Path) -> str:
    if path.name == "robots.txt":
        return CONTENT_TYPES[".txt"]
    return CONTENT_TYPES.get(path.suffix.lower(), "text/html; charset=utf-8")


# Per-response instructions to the transport: ``Mirror.answer`` (or a fault mode inside it) may
# put these in the headers it returns; the server acts on them and never sends them on.
DELAY_HEADER = "X-Mirror-Delay"  # seconds to wait before answering (a slow server)
RESET_AFTER_HEADER = "X-Mirror-Reset-After"  # send this many body bytes, then drop the connection


class MirrorServer:
    """A ``Mirror`` on a real HTTP/1.1 server stack: aiohttp's low-level server on one asyncio
    loop, keep-alive connections, pages answered from the mirror's memory cache.

    The socket is bound on creation (so a busy port fails at once and ``url`` is known);
    ``serve_forever()`` runs the loop in the calling thread until ``shutdown()`` (callable from
    any thread). With ``log_file``, one line per request is appended: ``METHOD PATH STATUS``.
    """

    def __init__(self, mirror: Mirror, port: int = 0, host: str = "127.0.0.1",
                 log_file: str | Path | None = None):
        self.mirror = mirror
        self.socket = socket.create_server((host, port))
        self.server_address = self.socket.getsockname()[:2]
        self.url = f"http://{host}:{self.server_address[1]}"
        self._log = open(log_file, "a", buffering=1, encoding="utf-8") if log_file else None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped: asyncio.Event | None = None
        self._ready = threading.Event()

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        body = await request.read() if request.can_read_body else b""
        try:
            status, headers, payload = self.mirror.answer(request.method, request.raw_path, body,
                                                          request.headers)
        except Exception:  # a renderer bug must show as a 500, not kill the server
            logger.exception("mirror failed on %s", request.raw_path)
            status, headers, payload = _plain(500, "mirror error")
        headers = dict(headers)
        delay = float(headers.pop(DELAY_HEADER, 0) or 0)
        reset_after = headers.pop(RESET_AFTER_HEADER, None)
        if self._log is not None:
            self._log.write(f"{request.method} {request.raw_path} {status}\n")
        if delay > 0:
            await asyncio.sleep(delay)
        if reset_after is None:
            return web.Response(status=status, headers=headers, body=payload)
        response = web.StreamResponse(status=status, headers=headers)
        response.content_length = len(payload)
        await response.prepare(request)
        await response.write(payload[: int(reset_after)])
        if request.transport is not None:
            request.transport.abort()
        return response

    async def _serve(self) -> None:
        self._stopped = asyncio.Event()
        runner = web.ServerRunner(web.Server(self._handle, access_log=None),
                                  handle_signals=False)
        await runner.setup()
        await web.SockSite(runner, self.socket).start()
        self._ready.set()
        try:
            await self._stopped.wait()
        finally:
            await runner.cleanup()

    def serve_forever(self) -> None:
        self._loop = asyncio.new_event_loop()
        try:
            self._loop.run_until_complete(self._serve())
        finally:
            self._ready.set()
            self._loop.close()

    def wait_ready(self, timeout: float = 10.0) -> None:
        if not self._ready.wait(timeout):
            raise RuntimeError("the mirror server did not start")

    def shutdown(self) -> None:
        if self._loop is not None and self._stopped is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stopped.set)

    def server_close(self) -> None:
        self.socket.close()
        if self._log is not None:
            self._log.close()


def make_server(mirror: Mirror, port: int = 0, host: str = "127.0.0.1",
                log_file: str | Path | None = None) -> MirrorServer:
    return MirrorServer(mirror, port, host, log_file)


@contextmanager
def running_mirror(root: Path = BUNDLED_ROOT, port: int = 0,
                   log_file: str | Path | None = None) -> Iterator[str]:
    """Serve a mirror in a background thread; yields its base URL."""
    server = make_server(Mirror(root), port, log_file=log_file)
    thread = threading.Thread(target=server.serve_forever, name="famreel-mirror", daemon=True)
    thread.start()
    server.wait_ready()
    try:
        yield server.url
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


