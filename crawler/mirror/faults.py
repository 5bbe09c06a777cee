"""Fault modes of the mirror, switched on per request path or per run, and pages that change
between two runs.

A fault plan is a JSON list of rules in a file named by ``$FAMREEL_MIRROR_FAULTS`` (or passed as
``Mirror(faults=PATH)``). The mirror reads the file again whenever it changes, so faults can be
switched on and off between two crawls against one running mirror::

    FAMREEL_MIRROR_FAULTS=faults.json famreel mirror --port 8765

    [{"match": "www.commonsensemedia.org/movie-reviews/frozen", "fault": "status",
      "status": 429, "retry_after": 1, "times": 2},
     {"match": "dove.org/*", "fault": "slow", "seconds": 5}]

``match`` is an fnmatch pattern on ``HOST/PATH`` (plus ``?QUERY`` when the request has one); the
first matching rule applies; ``times`` limits it to the first N matching requests (default: all).

==========  ==================================================================================
fault       answer
==========  ==================================================================================
status      ``status`` (429, 503, ...), with ``Retry-After: retry_after`` when given
slow        the page after ``seconds`` (past the crawler's DOWNLOAD_TIMEOUT: a timeout)
reset       the page's first ``after_bytes`` (default 200) bytes, then a reset connection
truncate    a complete response holding the first ``keep`` share (default 0.5) of the page
charset     the page encoded in ``encoding`` (default cp1252) but declared as ``declared``
            (default utf-8; ``null``: no charset in the header nor in the page)
soft_404    status 200 with the site's "page not found" page
markup      changed markup: ``class``/``id``/``data-testid``/``itemprop`` renamed, scripts
            (JSON-LD, ``__NEXT_DATA__``, settings JSON) removed
replace     the page with ``old`` replaced by ``new`` (a page that changed since the last run)
==========  ==================================================================================

``slow`` and ``reset`` need the HTTP server: they come back from ``Mirror.answer`` as transport
instructions (``Faulted.delay`` / ``Faulted.reset_after``, sent to the server as the
``DELAY_HEADER`` / ``RESET_AFTER_HEADER`` headers of ``crawler.mirror.server``).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FAULTS_ENV = "FAMREEL_MIRROR_FAULTS"
FAULTS = ("status", "slow", "reset", "truncate", "charset", "soft_404", "markup", "replace")

# (host, path) -> (content type, body) of the site's "page not found" page
NotFoundPage = Callable[[str, str], tuple[str, bytes]]


class FaultPlanError(ValueError):
    """A fault file that is not a list of known rules."""


@dataclass
class Faulted:
    """An answer after the fault plan: what to send, and how the transport must misbehave."""

    status: int
    headers: dict[str, str]
    payload: bytes
    delay: float = 0.0
    reset_after: int | None = None


@dataclass
class Rule:
    match: str
    fault: str
    options: dict[str, Any] = field(default_factory=dict)
    times: int | None = None
    used: int = 0

    @classmethod
    def parse(cls, raw: Any) -> Rule:
        if not isinstance(raw, dict) or not isinstance(raw.get("match"), str):
            raise FaultPlanError(f"a rule needs a 'match' pattern: {raw!r}")
        if raw.get("fault") not in FAULTS:
            raise FaultPlanError(f"unknown fault {raw.get('fault')!r} (one of {', '.join(FAULTS)})")
        options = {k: v for k, v in raw.items() if k not in ("match", "fault", "times")}
        return cls(raw["match"], raw["fault"], options, raw.get("times"))

    def takes(self, target: str) -> bool:
        if not fnmatch.fnmatchcase(target, self.match):
            return False
        if self.times is not None and self.used >= self.times:
            return False
        self.used += 1
        return True


class FaultPlan:
    """The rules of a fault file (none without one), read again whenever the file changes."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else None
        self.rules: list[Rule] = []
        self._stamp: tuple[int, int] | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls) -> FaultPlan:
        return cls(os.environ.get(FAULTS_ENV) or None)

    def _current_rules(self) -> list[Rule]:
        if self.path is None:
            return []
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self.rules, self._stamp = [], None
            return self.rules
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._stamp:
            raw = json.loads(self.path.read_text("utf-8") or "[]")
            if not isinstance(raw, list):
                raise FaultPlanError(f"{self.path}: a fault plan is a JSON list of rules")
            self.rules, self._stamp = [Rule.parse(r) for r in raw], stamp
        return self.rules

    def apply(self, target: str, status: int, headers: dict[str, str], payload: bytes,
              not_found: NotFoundPage) -> Faulted:
        """The answer for ``/HOST/PATH?QUERY`` after the first rule that takes the request."""
        key = target.lstrip("/")
        host, _, rest = key.partition("/")
        key = f"{host.lower()}/{rest}"
        with self._lock:
            rule = next((r for r in self._current_rules() if r.takes(key)), None)
        answer = Faulted(status, dict(headers), payload)
        if rule is None:
            return answer
        if rule.fault == "soft_404":
            path = "/" + rest.partition("?")[0]
            content_type, page = not_found(host.lower(), path)
            return Faulted(200, {"Content-Type": content_type}, page)
        return _FAULTS[rule.fault](answer, **rule.options)


def _status(answer: Faulted, status: int = 503, retry_after: float | str | None = None
            ) -> Faulted:
    headers = {"Content-Type": "text/plain; charset=utf-8"}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return Faulted(int(status), headers, f"mirror fault: status {status}\n".encode())


def _slow(answer: Faulted, seconds: float = 5.0) -> Faulted:
    answer.delay = float(seconds)
    return answer


def _reset(answer: Faulted, after_bytes: int = 200) -> Faulted:
    answer.reset_after = int(after_bytes)
    return answer


def _truncate(answer: Faulted, keep: float = 0.5) -> Faulted:
    answer.payload = answer.payload[: int(len(answer.payload) * float(keep))]
    return answer


_META_CHARSET = re.compile(
    r"""<meta\s+charset=["']?[\w-]+["']?\s*/?>|"""
    r"""<meta\s+http-equiv=["']?content-type["']?\s+content=["'][^"']*["']\s*/?>""",
    re.IGNORECASE,
)


def _charset(answer: Faulted, encoding: str = "cp1252", declared: str | None = "utf-8"
             ) -> Faulted:
    text = answer.payload.decode("utf-8")
    meta = f'<meta charset="{declared}">' if declared else ""
    text = _META_CHARSET.sub(meta, text)
    content_type = answer.headers.get("Content-Type", "text/html").split(";")[0].strip()
    answer.headers["Content-Type"] = f"{content_type}; charset={declared}" if declared \
        else content_type
    answer.payload = text.encode(encoding, errors="xmlcharrefreplace")
    return answer


_SCRIPT = re.compile(rb"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_SELECTOR_ATTRIBUTES = re.compile(rb"""\s(class|id|data-testid|itemprop)=(["'])""",
                                  re.IGNORECASE)


def _markup(answer: Faulted) -> Faulted:
    payload = _SCRIPT.sub(b"", answer.payload)
    answer.payload = _SELECTOR_ATTRIBUTES.sub(rb" data-v2-\1=\2", payload)
    return answer


def _replace(answer: Faulted, old: str = "", new: str = "") -> Faulted:
    answer.payload = answer.payload.replace(old.encode("utf-8"), new.encode("utf-8"))
    return answer


_FAULTS: dict[str, Callable[..., Faulted]] = {
    "status": _status, "slow": _slow, "reset": _reset, "truncate": _truncate,
    "charset": _charset, "markup": _markup, "replace": _replace,
}
