"""CPU milliseconds per review page of each site parser, without a crawl.

Reads the review pages of a generated mirror (``famreel mirror generate``) or of the bundled
one (``crawler/mirror/site``), as each host's ``_index.json`` names them, and times each site's
review parser as the crawl calls it (``crawler.parse_pool.parse_page``) on the first
``--pages`` of them, best of ``--repeat`` passes (the least disturbed by other work on the
machine). Parsers are pure functions of the response, so two
commits compare by running this at each; with ``--items FILE`` it also keeps every item parsed
(JSON, written when FILE does not exist) or, when FILE exists, counts the pages whose item
differs from the one kept there (exit 1 if any):

    famreel mirror generate --films 2000 --out /dev/shm/gen2k
    python bench/parse.py --root /dev/shm/gen2k
    python bench/parse.py --root /dev/shm/gen2k --site commonsense --pages 1000
    python bench/parse.py --root /dev/shm/gen2k --pages 100000 --items /tmp/items.json  # twice

On a VM whose speed drifts by a third between runs, two commits compare best side by side:
``--against TREE`` (another checkout, say ``git worktree add /tmp/base HEAD~1``) times that
tree's parsers and this one's in two processes of their own, page by page in turn, so that
whatever slows the machine slows both alike, and prints the ratio this/TREE of each pass:

    python bench/parse.py --root /dev/shm/gen2k --against /tmp/base --pages 300
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse, Request

from crawler.mirror.paths import INDEX_FILE, file_for
from crawler.parse_pool import parse_page
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
    module = site_module(site)
    best, items = float("inf"), {}
    for _ in range(repeat):
        started = time.process_time()
        items = {url: parse_page(module, HtmlResponse(url, body=body, request=Request(url)))
                 for url, body in pages}
        best = min(best, time.process_time() - started)
    return best * 1000 / len(pages), {url: _data(item) for url, item in items.items()}


def _data(parsed: Any) -> Any:
    if parsed.error:
        return {"error": parsed.error}
    item = parsed.result
    if item is None:
        return None
    if isinstance(item, Request):  # the page's data lives elsewhere (IMDb)
        return {"request": item.url}
    return ItemAdapter(item).asdict()


def serve(root: Path, limit: int) -> None:
    """``--serve``: parse the pages asked for on stdin (``SITE INDEX`` lines), each answered
    with its CPU ms; the tree whose parsers run is the one ``crawler`` imports from."""
    import crawler

    print(Path(crawler.__file__).resolve().parent.parent, flush=True)  # the tree it runs
    pages: dict[str, list[tuple[str, bytes]]] = {}
    for line in sys.stdin:
        site, index = line.split()
        if site not in pages:
            pages[site] = review_pages(root, site, limit)
        url, body = pages[site][int(index)]
        response = HtmlResponse(url, body=body, request=Request(url))
        print(parse_page(site_module(site), response).cpu_ms, flush=True)


def side_by_side(root: Path, against: Path, sites: list[str], limit: int, repeat: int) -> int:
    """This tree's parsers and ``against``'s, page by page in turn (which goes first alternates),
    ``repeat`` passes: the best ms/page of each and the ratio this/against of every pass."""
    trees = {"this": Path(__file__).resolve().parent.parent, "against": against.resolve()}
    workers = {
        name: subprocess.Popen(
            [sys.executable, __file__, "--serve", "--root", str(root), "--pages", str(limit)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=tree,
            env={**os.environ, "PYTHONPATH": str(tree)})
        for name, tree in trees.items()
    }
    for name, worker in workers.items():
        assert worker.stdout is not None
        imported = Path(worker.stdout.readline().strip())
        if imported != trees[name]:  # an editable install's import hook can outrank PYTHONPATH
            sys.exit(f"the {name} tree's worker imported crawler from {imported}, not "
                     f"{trees[name]}")

    def parse(name: str, site: str, index: int) -> float:
        worker = workers[name]
        assert worker.stdin is not None and worker.stdout is not None
        worker.stdin.write(f"{site} {index}\n")
        worker.stdin.flush()
        return float(worker.stdout.readline())

    print(f"{'site':>15}  pages  this ms  against ms  this/against per pass")
    try:
        for site in sites:
            count = len(review_pages(root, site, limit))
            if not count:
                continue
            passes = []
            for turn in range(repeat):
                spent = {"this": 0.0, "against": 0.0}
                for index in range(count):
                    order = ("this", "against") if (index + turn) % 2 else ("against", "this")
                    for name in order:
                        spent[name] += parse(name, site, index)
                passes.append(spent)
            best = {name: min(p[name] for p in passes) / count for name in trees}
            ratios = [p["this"] / p["against"] for p in passes]
            print(f"{site:>15}  {count:5d}  {best['this']:7.3f}  {best['against']:10.3f}  "
                  + " ".join(f"{r:.2f}" for r in ratios)
                  + f"  (median {statistics.median(ratios):.2f})")
    finally:
        for worker in workers.values():
            worker.communicate()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="a generated mirror folder")
    parser.add_argument("--site", action="append", choices=available_sites(),
                        help="site to time (repeatable; default: all)")
    parser.add_argument("--pages", type=int, default=400, help="review pages per site")
    parser.add_argument("--repeat", type=int, default=5, help="passes; the fastest is kept")
    parser.add_argument("--items", type=Path, metavar="FILE",
                        help="keep the items in FILE, or compare with the ones kept there")
    parser.add_argument("--against", type=Path, metavar="TREE",
                        help="another checkout: time its parsers and these side by side")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.root, args.pages)
        return 0
    if not any(args.root.glob(f"*/{INDEX_FILE}")):
        parser.error(f"{args.root} is no mirror with review indexes: generate one with "
                     "famreel mirror generate --out DIR (or give crawler/mirror/site)")
    if args.against is not None:
        if not (args.against / "crawler" / "sites").is_dir():
            parser.error(f"{args.against} is no famreel checkout (no crawler/sites in it)")
        return side_by_side(args.root, args.against, args.site or available_sites(), args.pages,
                            args.repeat)
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
