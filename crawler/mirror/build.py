"""Rebuild the bundled mirror: every site's renderer over ``films.json`` into ``site/``.

``python -m crawler.mirror.build`` after changing a renderer, a site's data file or the films.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from crawler.mirror.render import renderers

FILMS_FILE = Path(__file__).resolve().parent / "films.json"
BUNDLED_ROOT = Path(__file__).resolve().parent / "site"


def load_films(path: Path = FILMS_FILE) -> list[dict]:
    return json.loads(path.read_text("utf-8"))["films"]


def build_all(films: list[dict], root: Path) -> list[str]:
    """Every renderer's pages for ``films`` under ``root``; returns the renderer names."""
    built = []
    for module in sorted(set(renderers().values()), key=lambda m: m.__name__):
        module.build(films, root)
        built.append(module.__name__.rsplit(".", 1)[-1])
    return built


def main() -> int:
    names = build_all(load_films(), BUNDLED_ROOT)
    print(f"rebuilt {', '.join(names)} into {BUNDLED_ROOT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
