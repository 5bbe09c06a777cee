"""``famreel mirror``: serve a folder of real sites' pages on 127.0.0.1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from crawler.cli.common import EXIT_OK, UsageError


def register(commands: Any) -> None:
    mirror = commands.add_parser(
        "mirror", help="serve a local mirror of the sites on 127.0.0.1",
        description="Serves https://HOST/PATH at http://127.0.0.1:PORT/HOST/PATH and answers "
                    "each site's search endpoint. The first stdout line is the mirror's URL.",
    )
    mirror.add_argument("--port", type=int, default=0, help="port (0, the default: any free)")
    mirror.add_argument("--root", metavar="DIR",
                        help="folder of pages, one subfolder per host (default: bundled mirror)")
    mirror.set_defaults(handler=cmd_mirror)


def cmd_mirror(args: argparse.Namespace) -> int:
    from crawler.mirror.server import BUNDLED_ROOT, Mirror, make_server

    root = Path(args.root) if args.root else BUNDLED_ROOT
    if not root.is_dir():
        raise UsageError(f"mirror root {root} is not a folder")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port")
    try:
        server = make_server(Mirror(root), args.port)
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror}") from None
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    print(f"serving {root} (Ctrl-C stops)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK
