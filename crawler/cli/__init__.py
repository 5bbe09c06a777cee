"""famreel's command line: crawl family-media sites, merge reviews into films, query them.

One module per group of commands; each ``register(commands)`` adds its subcommands with a
``handler``. Exit status: 0 success; 1 nothing found or a check failed; 2 bad usage or bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from crawler.cli import admin, crawl, matching, mirror, query, runs, web
from crawler.cli.common import EXIT_OK, EXIT_USAGE, UsageError

COMMAND_GROUPS = (crawl, query, matching, admin, mirror, web, runs)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="famreel",
        description="Crawl family film reviews (Common Sense Media, Parenting.com, ...), merge "
                    "them into one consensus record per film, and query the result.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from crawler.runner import MirrorUnreachable
    from storage.db import DatabaseError

    try:
        return args.handler(args)
    except (UsageError, DatabaseError, MirrorUnreachable) as exc:
        print(f"famreel: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("famreel: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
