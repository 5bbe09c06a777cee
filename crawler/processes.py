"""One crawl spread over several crawler processes: ``famreel crawl --processes N``.

A crawler process runs its Python on one core, and a crawl that is not held back by politeness
delays (a mirror, a fast network) is CPU-bound there. The sites are independent crawls (each
spider keeps its own crawl state, cycle and requests), so famreel uses more cores the way
Scrapyd does: the spiders of different sites in different processes. This process keeps the run
(its lock and ``crawl_runs`` row, ``crawler.runner.RunRecord``); N children each run
``crawl_sites`` on a group of the sites into the same database and send back their spiders'
stats; the merge runs once, here, when all of them have ended.

The groups are balanced by weight, heaviest site first into the lightest group: a site's weight
is the number of requests its crawl state holds (what its last crawls fetched), and a site never
crawled weighs as much as the average of the others.

Signals: the children run in sessions of their own, so a terminal's Ctrl-C reaches this process
alone, and it passes SIGINT or SIGTERM on to every child as SIGINT. A child stops the way a
single-process crawl does: gracefully the first time, at once the second. A child whose parent
dies without a word (SIGKILL, OOM) kills itself: the pipe it holds from the parent reports EOF.
What a killed child leaves is what any killed crawl leaves, resumed by the next run.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from sqlalchemy import Engine, func, select

from crawler.runner import crawl_sites
from storage.db import session_scope
from storage.models import CrawlUrl

logger = logging.getLogger(__name__)

SiteStats = list[dict[str, Any]]


def site_weights(engine: Engine, sites: list[str]) -> dict[str, float]:
    """Each site's requests in the crawl state; a site without any weighs the others' mean."""
    with session_scope(engine) as session:
        counts = dict(session.execute(
            select(CrawlUrl.site, func.count()).where(CrawlUrl.site.in_(sites))
            .group_by(CrawlUrl.site)).all())
    known = [float(counts[site]) for site in sites if counts.get(site)]
    unknown = sum(known) / len(known) if known else 1.0
    return {site: float(counts.get(site) or unknown) for site in sites}


def site_groups(sites: list[str], processes: int, weights: dict[str, float]) -> list[list[str]]:
    """At most ``processes`` groups of ``sites``, heaviest site first into the lightest group
    (equal weights keep the given order)."""
    groups: list[list[str]] = [[] for _ in range(min(processes, len(sites)))]
    loads = [0.0] * len(groups)
    for site in sorted(sites, key=lambda s: -weights[s]):
        lightest = loads.index(min(loads))
        groups[lightest].append(site)
        loads[lightest] += weights[site]
    return groups


@dataclass
class _Child:
    sites: list[str]
    process: BaseProcess
    lifeline: Connection  # this end stays open while this process lives
    results: Connection


def crawl_in_processes(engine: Engine, sites: list[str], processes: int,
                       run_settings: dict[str, Any], spider_args: dict[str, Any]
                       ) -> tuple[SiteStats, bool]:
    """``crawl_sites`` over ``sites`` in up to ``processes`` child processes: each site's stats
    in the order of ``sites``, and whether a signal stopped the crawl."""
    groups = site_groups(sites, processes, site_weights(engine, sites))
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no reactor, no threads
    children = []
    for number, group in enumerate(groups, 1):
        lifeline_in, lifeline_out = context.Pipe(duplex=False)
        results_in, results_out = context.Pipe(duplex=False)
        process = context.Process(target=_child_main, name=f"famreel-crawl-{number}",
                                  args=(group, run_settings, spider_args, lifeline_in,
                                        results_out))
        process.start()
        lifeline_in.close()
        results_out.close()
        children.append(_Child(group, process, lifeline_out, results_in))
        logger.info("crawler process %d (pid %s): %s", number, process.pid, ", ".join(group))

    interrupted = False

    def pass_on(signum: int, _: Any) -> None:
        nonlocal interrupted
        interrupted = True
        for child in children:
            if child.process.is_alive():
                os.kill(child.process.pid, signal.SIGINT)  # type: ignore[arg-type]

    previous = {signum: signal.signal(signum, pass_on)
                for signum in (signal.SIGINT, signal.SIGTERM)}
    stats_of: dict[str, dict[str, Any]] = {}
    try:
        for child in children:
            stats, stopped = _results(child)
            interrupted = interrupted or stopped
            stats_of.update(zip(child.sites, stats, strict=True))
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for child in children:
            child.lifeline.close()
            child.results.close()
    return [stats_of[site] for site in sites], interrupted


def _results(child: _Child) -> tuple[SiteStats, bool]:
    """What a child sent when its crawl ended; a child that died first failed its sites."""
    try:
        stats, stopped = child.results.recv()
    except EOFError:
        child.process.join()
        reason = f"crawler process died (exit status {child.process.exitcode})"
        logger.error("%s: %s not finished", reason, ", ".join(child.sites))
        return [{"finish_reason": reason} for _ in child.sites], False
    child.process.join()
    return stats, stopped


def _child_main(sites: list[str], run_settings: dict[str, Any], spider_args: dict[str, Any],
                lifeline: Connection, results: Connection) -> None:
    os.setsid()  # signals come from the parent alone (see the module's docstring)
    threading.Thread(target=_die_with_parent, args=(lifeline,), daemon=True,
                     name="famreel-lifeline").start()
    results.send(crawl_sites(sites, run_settings, spider_args))


def _die_with_parent(lifeline: Connection) -> None:
    try:
        lifeline.recv()  # the parent never sends: this returns when its end is closed
    except EOFError:
        pass
    os.kill(os.getpid(), signal.SIGKILL)
