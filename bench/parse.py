"""CPU milliseconds per review page of each site parser, without a crawl.

Reads the review pages of a generated mirror (``famreel mirror generate``) or of the bundled
one (``crawler/mirror/site``), as each host's ``_index.json`` names them, and times each site's
``parse_review`` on the first ``--pages`` of them, best of ``--repeat`` passes (the least
disturbed by other work on the machine). Parsers are pure functions of the response, so two
commits compare by running this at each; with ``--items FILE`` it also keeps every item parsed
(JSON, written when FILE does not exist) or, when FILE exists, counts the pages whose item
differs from the one kept there (exit 1 if any):

    famreel mirror generate --films 2000 --out /dev/shm/gen2k
    python bench/parse.py --root /dev/shm/gen2k
    python bench/parse.py --root /dev/shm/gen2k --site commonsense --pages 1000
    python bench/parse.py --root /dev/shm/gen2k --pages 100000 --items /tmp/items.json  # twice
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse, Request

from crawler.mirror.paths import INDEX_FILE, file_for
from crawler.sites import available_sites, site_module


def review_pages(root: Path, site: str, limit: int) -> list[tuple[str, bytes]]:
    host = site_module(site).HOSTS[0]
    index = json.loads((root / host / INDEX_FILE).read_text(encoding="utf-8"))
    pages = []
    for entry in index[:limit]:
        path = file_for(root, host, entry["path"])
        if path.exists():
            pages.append((f"https://{host}{entry['path']}", path.read_bytes()))
    return pages


def parse_all(site: str, pages: list[tuple[str, bytes]], repeat: int
              ) -> tuple[float, dict[str, Any]]:
    """CPU ms per page (best pass) and each page's item as JSON-safe data."""
    parse_review = site_module(site).parse_review
    best, items = float("inf"), {}
    for _ in range(repeat):
        started = time.process_time()
        items = {url: parse_review(HtmlResponse(url, body=body, request=Request(url)))
                 for url, body in pages}
        best = min(best, time.process_time() - started)
    return best * 1000 / len(pages), {url: _data(item) for url, item in items.items()}


def _data(item: Any) -> Any:
    if item is None:
        return None
    if isinstance(item, Request):  # the page's data lives elsewhere (IMDb)
        return {"request": item.url}
    return ItemAdapter(item).asdict()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="a generated mirror folder")
    parser.add_argument("--site", action="append", choices=available_sites(),
                        help="site to time (repeatable; default: all)")
    parser.add_argument("--pages", type=int, default=400, help="review pages per site")
    parser.add_argument("--repeat", type=int, default=5, help="passes; the fastest is kept")
    parser.add_argument("--items", type=Path, metavar="FILE",
                        help="keep the items in FILE, or compare with the ones kept there")
    args = parser.parse_args()
    if not any(args.root.glob(f"*/{INDEX_FILE}")):
        parser.error(f"{args.root} is no mirror with review indexes: generate one with "
                     "famreel mirror generate --out DIR (or give crawler/mirror/site)")
    total_ms = total_pages = 0.0
    items: dict[str, Any] = {}
    print(f"{'site':>15}  pages  ms/page")
    for site in args.site or available_sites():
        pages = review_pages(args.root, site, args.pages)
        if not pages:
            print(f"{site:>15}  no review pages in {args.root}", file=sys.stderr)
            continue
        ms, site_items = parse_all(site, pages, args.repeat)
        items.update(site_items)
        total_ms += ms * len(pages)
        total_pages += len(pages)
        print(f"{site:>15}  {len(pages):5d}  {ms:7.3f}")
    if total_pages:
        print(f"{'all':>15}  {int(total_pages):5d}  {total_ms / total_pages:7.3f}")
    if args.items is None:
        return 0
    serialized = json.loads(json.dumps(items, sort_keys=True, default=str))
    if not args.items.exists():
        args.items.write_text(json.dumps(serialized, sort_keys=True), encoding="utf-8")
        print(f"{len(items)} items kept in {args.items}")
        return 0
    kept = json.loads(args.items.read_text(encoding="utf-8"))
    differ = sorted(url for url in kept.keys() | serialized.keys()
                    if kept.get(url) != serialized.get(url))
    print(f"{len(differ)} of {len(serialized)} pages parse differently from {args.items}",
          *differ[:10], sep="\n  ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
