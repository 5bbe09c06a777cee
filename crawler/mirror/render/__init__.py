"""One renderer per site: that site's real markup for review, listing and search pages.

A renderer module exposes ``HOSTS``, ``build(films, root)``, ``search_query(path, params)`` and
``render_search(query, hits)``; optionally ``render_post(host, path, body)``,
``render_not_found(path)`` and ``render_blocked(path)`` (see ``crawler.mirror.server``).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def renderers() -> dict[str, ModuleType]:
    """Host -> renderer module, for every renderer in this package."""
    by_host: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for host in getattr(module, "HOSTS", ()):
            by_host[host.lower()] = module
    return by_host


def page_numbers(current: int, pages: int, end_size: int = 1, mid_size: int = 2
                 ) -> list[int | None]:
    """The page numbers a WordPress pager prints (``paginate_links()`` and its defaults: the
    first and last pages, the current one and two either side), ``None`` where it prints "...".
    Not every page number on every page: a listing of N pages then links O(N) pages in all,
    as the real sites do, not N x N."""
    shown: list[int | None] = []
    dots = False
    for n in range(1, pages + 1):
        if n <= end_size or n > pages - end_size or current - mid_size <= n <= current + mid_size:
            shown.append(n)
            dots = True
        elif dots:
            shown.append(None)
            dots = False
    return shown
