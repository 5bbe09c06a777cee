"""``famreel serve``: the read-only web site and JSON API on one database."""

from __future__ import annotations

import argparse
import socket
import sys
from typing import Any

from crawler.cli.common import EXIT_OK, UsageError, db_option


def register(commands: Any) -> None:
    serve = commands.add_parser(
        "serve", help="serve the read-only web site and JSON API",
        description="A search page with the filters of `famreel films`, a card per film with a "
                    "bar chart per content category, and a JSON API (/api/films, "
                    "/api/films/ID; OpenAPI at /openapi.json). Nothing is written to the "
                    "database. The first stdout line is the site's URL; requests are logged "
                    "on stderr.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8000,
                       help="port (default 8000; 0: any free port)")
    db_option(serve)
    serve.set_defaults(handler=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from crawler.web import create_app

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port")
    app = create_app(args.db)  # a bad database fails here, before listening
    try:
        sock = socket.create_server((args.host, args.port))
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: "
                         f"{exc.strerror or exc}") from None
    host, port = sock.getsockname()[:2]
    print(f"http://{f'[{host}]' if ':' in host else host}:{port}", flush=True)
    print("serving famreel (Ctrl-C stops)", file=sys.stderr, flush=True)
    config = uvicorn.Config(app, log_config=None, log_level="info", access_log=True)
    _log_to_stderr()
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
    return EXIT_OK


def _log_to_stderr() -> None:
    """Uvicorn's request and error log on stderr (stdout carries only the URL)."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    for name in ("uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
