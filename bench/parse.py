"""CPU milliseconds per review page of each site parser, without a crawl.

Reads the review pages of a generated mirror (``famreel mirror generate``; each host's
``_index.json`` names them) and times each site's ``parse_review`` on the first ``--pages`` of
them, best of ``--repeat`` passes (the least disturbed by other work on the machine). Parsers
are pure functions of the response, so two commits compare by running this at each:

    famreel mirror generate --films 2000 --out /dev/shm/gen2k
    python bench/parse.py --root /dev/shm/gen2k
    python bench/parse.py --root /dev/shm/gen2k --site commonsense --pages 1000
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from scrapy.http import HtmlResponse, Request

from crawler.mirror.generate import FILMS_FILE
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


def ms_per_page(site: str, pages: list[tuple[str, bytes]], repeat: int) -> float:
    parse_review = site_module(site).parse_review
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for url, body in pages:
            parse_review(HtmlResponse(url, body=body, request=Request(url)))
        best = min(best, time.process_time() - started)
    return best * 1000 / len(pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="a generated mirror folder")
    parser.add_argument("--site", action="append", choices=available_sites(),
                        help="site to time (repeatable; default: all)")
    parser.add_argument("--pages", type=int, default=400, help="review pages per site")
    parser.add_argument("--repeat", type=int, default=5, help="passes; the fastest is kept")
    args = parser.parse_args()
    if not (args.root / FILMS_FILE).exists():
        parser.error(f"{args.root} is no generated mirror (famreel mirror generate --out DIR)")
    total_ms = total_pages = 0.0
    print(f"{'site':>15}  pages  ms/page")
    for site in args.site or available_sites():
        pages = review_pages(args.root, site, args.pages)
        if not pages:
            print(f"{site:>15}  no review pages in {args.root}", file=sys.stderr)
            continue
        ms = ms_per_page(site, pages, args.repeat)
        total_ms += ms * len(pages)
        total_pages += len(pages)
        print(f"{site:>15}  {len(pages):5d}  {ms:7.3f}")
    if total_pages:
        print(f"{'all':>15}  {int(total_pages):5d}  {total_ms / total_pages:7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
