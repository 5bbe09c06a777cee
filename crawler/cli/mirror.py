"""``famreel mirror``: serve a folder of real sites' pages on 127.0.0.1, or generate a large one."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from crawler.cli.common import EXIT_OK, UsageError


def register(commands: Any) -> None:
    mirror = commands.add_parser(
        "mirror", help="serve a local mirror of the sites on 127.0.0.1 (or generate one)",
        usage="famreel mirror [--port N] [--root DIR] [--log FILE]\n"
              "       famreel mirror generate --films N --out DIR [--seed S] [--catalogs DIR]",
        description="Serves https://HOST/PATH at http://127.0.0.1:PORT/HOST/PATH and answers "
                    "each site's search endpoint. The first stdout line is the mirror's URL. "
                    "`famreel mirror generate` renders a large mirror instead.",
    )
    mirror.add_argument("--port", type=int, default=0, help="port (0, the default: any free)")
    mirror.add_argument("--root", metavar="DIR",
                        help="folder of pages, one subfolder per host (default: bundled mirror)")
    mirror.add_argument("--log", metavar="FILE",
                        help="append one line per request to FILE: METHOD PATH STATUS")
    mirror.set_defaults(handler=cmd_mirror)
    actions = mirror.add_subparsers(dest="action", metavar="ACTION")
    generate = actions.add_parser(
        "generate", help="render a mirror of N catalog films into a folder",
        prog="famreel mirror generate",
        description="Renders every site's pages (reviews, listings, search index, robots.txt) "
                    "for N films from the real catalogs in ../shared/data/catalogs/ (the 42 "
                    "bundled films first), each film on the subset of sites that review it. "
                    "Serve the result with `famreel mirror --root DIR`.",
    )
    generate.add_argument("--films", type=int, required=True, metavar="N",
                          help="number of films (1 or more; 10000 gives about 59,000 pages)")
    generate.add_argument("--out", required=True, metavar="DIR",
                          help="folder to create (must be missing or empty); keep it out of the "
                               "repository, e.g. under /tmp")
    generate.add_argument("--seed", type=int, default=0,
                          help="which catalog films are drawn (default 0); one seed, one mirror")
    generate.add_argument("--catalogs", metavar="DIR",
                          help="catalog folder (default: ../shared/data/catalogs/ beside the "
                               "project)")
    generate.set_defaults(handler=cmd_generate)


def cmd_mirror(args: argparse.Namespace) -> int:
    from crawler.mirror.server import BUNDLED_ROOT, Mirror, make_server

    root = Path(args.root) if args.root else BUNDLED_ROOT
    if not root.is_dir():
        raise UsageError(f"mirror root {root} is not a folder")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port")
    try:
        server = make_server(Mirror(root), args.port, log_file=args.log)
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{args.port} or write the log "
                         f"{args.log}: {exc.strerror}") from None
    print(server.url, flush=True)
    print(f"serving {root} (Ctrl-C stops)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    from crawler.mirror.generate import CATALOGS, CatalogError, generate

    out = Path(args.out)
    if args.films < 1:
        raise UsageError(f"--films {args.films}: give 1 or more")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"--out {out} exists and is not an empty folder")
    catalogs = Path(args.catalogs) if args.catalogs else CATALOGS
    if not catalogs.is_dir():
        raise UsageError(f"catalog folder {catalogs} not found (--catalogs DIR)")
    started = time.monotonic()
    print(f"rendering {args.films} films into {out} ...", file=sys.stderr, flush=True)
    try:
        films = generate(args.films, out, seed=args.seed, catalogs=catalogs)
    except CatalogError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc}") from None
    pages = sum(1 for path in out.rglob("*") if path.is_file())
    print(f"{len(films)} films, {pages} files in {time.monotonic() - started:.1f} s; "
          f"serve it with: famreel mirror --root {out}", file=sys.stderr)
    return EXIT_OK
