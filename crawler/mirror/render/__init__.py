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
