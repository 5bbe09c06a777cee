"""How close does a full famreel crawl come to Scrapy's own speed? (goal: >= 0.8 of a null spider)

Generates a mirror of N catalog films (``famreel mirror generate``), serves it on 127.0.0.1 in a
process of its own (``famreel mirror``: aiohttp, pages from memory), and measures in this one
run, all eight sites at once each time, with famreel's settings:

(b) the full crawl into SQLite: fetch, parse, normalize, store, merge (``run_crawl``, what
    ``famreel crawl`` runs), in one crawler process, review pages parsed there (the default);
(a) a null spider: the same spiders' settings fetching exactly the URLs that (b) fetched (read
    from the mirror's request log), parsing nothing, storing nothing, in one process;
(b') (b) with ``--parse-processes N`` (default 1): review pages parsed in N processes beside the
    crawler's (``crawler/parse_pool.py``);
(c) (b) into PostgreSQL (a scratch database, dropped afterwards);
(d) the scale-out path: ``--frontier-workers N`` (default 2) crawler processes sharing one
    Redis frontier (``famreel crawl --frontier``) into a scratch PostgreSQL database;
(e) (b) with ``--processes N`` (default: the machine's cores): the sites spread over N crawler
    processes (``crawler/processes.py``), merged once in the process that runs the crawl;
(f) (e) into PostgreSQL;

then the mirror alone under a loopback load. ``--repeat N`` measures N rounds (the first as
above, each further one the null spider again and then every full run) and reports each full
run from its median round, beside the ratios of every round: on a shared VM the speed of a run
drifts by a third from one run to the next. It prints pages/s of each, the ratios to (a), CPU
milliseconds per page by stage (``crawler/timers.py``: parse, normalize, store, merge; "Scrapy"
is the rest of the CPU: downloading, scheduling, middlewares), CPU seconds of all the run's
processes ("CPU s") and of the one ``run_crawl`` runs in ("crawler"), the peak memory of that
process and of its largest child (a parser or crawler process); then each full run's ratio with
its merge taken out of its time, and the CPU seconds the mirror spent serving each run (it runs
on the same cores; read from ``/proc``, so on Linux).

    python bench/crawl.py --films 10000
    python bench/crawl.py --films 2000 --out /tmp/mirror-2k      # reuses the mirror if there
    python bench/crawl.py --films 2000 --profile /tmp/full.json  # py-spy profile of (b')
    python bench/crawl.py --films 600 --parse-processes 2 --processes 4
    python bench/crawl.py --films 10000 --runs e,f --repeat 2    # (a), (e), (f), twice

The mirror goes to ``--out`` (default: a temporary folder in /dev/shm, else /tmp; 10,000 films
are about 1 GB), never into the repository.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import create_engine, text

from crawler.mirror.generate import FILMS_FILE, generate
from crawler.sites import available_sites, site_module

PG_ADMIN_URL = os.environ.get("FAMREEL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("FAMREEL_TEST_REDIS", "redis://127.0.0.1:6379/0")
STAGES = ("parse", "normalize", "store", "merge")


# --- the children: one crawl per process (Twisted's reactor does not restart) ------------------


def child_full(mirror: str, db: str, parse_processes: str, processes: str = "1",
               frontier_url: str = "", frontier_run: str = "") -> dict[str, Any]:
    from crawler.frontier import Frontier
    from crawler.runner import run_crawl

    frontier = Frontier(frontier_url, frontier_run) if frontier_url else None
    started, started_at = time.perf_counter(), time.time()
    outcome = run_crawl(available_sites(), db, mirror=mirror, command="bench/crawl.py",
                        frontier=frontier, processes=int(processes),
                        overrides={"FAMREEL_PARSE_PROCESSES": parse_processes})
    seconds = time.perf_counter() - started
    details = outcome.counts["details"]
    return {"pages": outcome.counts["pages"], "seconds": seconds,
            "started_at": started_at, "ended_at": started_at + seconds,
            "parse_processes": int(parse_processes), "processes": int(processes),
            "reviews": outcome.counts["items_new"], "cpu_ms": details.get("cpu_ms", {}),
            "films": sum((details.get("films_by_sources") or {}).values())}


class NullFetch:
    """Mixed in before a site's spider: its settings, the given URLs, no parsing at all."""

    urls: list[str]

    async def start(self) -> Any:
        from scrapy import Request

        for url in self.urls:
            yield Request(url, dont_filter=True)

    def parse(self, response: Any, **kwargs: Any) -> tuple[()]:
        return ()


def child_null(mirror: str, urls_file: str) -> dict[str, Any]:
    from scrapy.crawler import AsyncCrawlerProcess
    from scrapy.utils.project import get_project_settings

    from crawler.runner import spider_class

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    # Scrapy's own components only, plus famreel's mirror download handler and each site's
    # settings: no famreel middleware, extension, pipeline or log formatter, no database; the
    # garbage collector's thresholds are the full crawl's (a setting of the process, not
    # famreel's work)
    settings.setdict({"FAMREEL_MIRROR": mirror, "FAMREEL_DB": "sqlite://", "LOG_LEVEL": "WARNING",
                      "ITEM_PIPELINES": {}, "SPIDER_MIDDLEWARES": {}, "DOWNLOADER_MIDDLEWARES": {},
                      "EXTENSIONS": {"crawler.extensions.CollectorThresholds": 0},
                      "LOG_FORMATTER": "scrapy.logformatter.LogFormatter"},
                     priority="cmdline")
    by_site = urls_by_site(json.loads(Path(urls_file).read_text("utf-8")))
    process = AsyncCrawlerProcess(settings)
    crawlers = []
    for site, urls in by_site.items():
        base = spider_class(site)
        null = type(f"Null{base.__name__}", (NullFetch, base), {})
        crawler = process.create_crawler(null)
        crawlers.append(crawler)
        process.crawl(crawler, urls=urls)
    started = time.perf_counter()
    process.start()
    seconds = time.perf_counter() - started
    pages = sum(c.stats.get_value("response_received_count", 0) for c in crawlers)
    return {"pages": pages, "seconds": seconds, "cpu_ms": {}}


def urls_by_site(urls: list[str]) -> dict[str, list[str]]:
    site_of_host = {host: site for site in available_sites() for host in site_module(site).HOSTS}
    grouped: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        host = url.split("/", 3)[2]
        grouped[site_of_host[host]].append(url)
    return dict(grouped)


def child_command(mode: str, *args: str) -> list[str]:
    return [sys.executable, __file__, "--child", mode, *args]


def child_outcome(stdout: str, mode: str) -> dict[str, Any]:
    outcome = json.loads(stdout.strip().splitlines()[-1])
    print(f"{mode}: {json.dumps(outcome)}", file=sys.stderr)
    return outcome


def run_child(mode: str, *args: str, profile: str | None = None) -> dict[str, Any]:
    command = child_command(mode, *args)
    if profile:
        command = ["py-spy", "record", "-r", "50", "-f", "speedscope", "-o", profile, "--",
                   *command]
    result = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return child_outcome(result.stdout, mode)


def run_frontier_workers(mirror: str, db: str, redis_url: str, workers: int) -> dict[str, Any]:
    """(d): ``workers`` crawler processes of one fresh frontier run, side by side; pages and CPU
    are their sums, the time is from the first one's start to the last one's end."""
    run = f"bench-{uuid.uuid4().hex[:8]}"
    processes = [subprocess.Popen(child_command("full", mirror, db, "0", "1", redis_url, run),
                                  stdout=subprocess.PIPE, text=True) for _ in range(workers)]
    outputs = [process.communicate()[0] for process in processes]
    if any(process.returncode for process in processes):
        sys.exit(f"a frontier worker failed: exit {[p.returncode for p in processes]}")
    runs = [child_outcome(output, "frontier worker") for output in outputs]
    cpu_ms: dict[str, float] = defaultdict(float)
    for outcome in runs:
        for stage, ms in outcome["cpu_ms"].items():
            cpu_ms[stage] += ms
    return {"pages": sum(r["pages"] for r in runs), "reviews": sum(r["reviews"] for r in runs),
            "films": max(r["films"] for r in runs), "cpu_ms": dict(cpu_ms),
            "seconds": max(r["ended_at"] for r in runs) - min(r["started_at"] for r in runs),
            "cpu_s": sum(r["cpu_s"] for r in runs),
            "crawler_cpu_s": sum(r["crawler_cpu_s"] for r in runs),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs), "parse_processes": 0}


def redis_reachable(url: str) -> bool:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        print(f"Redis unavailable at {url} ({exc.__class__.__name__}): (d) skipped",
              file=sys.stderr)
        return False
    return True


def child_main(mode: str, args: list[str]) -> None:
    result = child_full(*args) if mode == "full" else child_null(*args)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # parser and crawler processes (parse_pool.py, processes.py) are joined children: their CPU
    # counts too
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["crawler_cpu_s"] = usage.ru_utime + usage.ru_stime
    result["cpu_s"] = result["crawler_cpu_s"] + workers.ru_utime + workers.ru_stime
    result["peak_rss_mb"] = usage.ru_maxrss / 1024
    result["worker_peak_rss_mb"] = workers.ru_maxrss / 1024
    print(json.dumps(result))


# --- the mirror ------------------------------------------------------------------------------


def process_cpu_seconds(pid: int) -> float | None:
    """User plus system CPU seconds of a live process (``None`` where ``/proc`` does not tell)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class MirrorProcess:
    url: str
    pid: int

    def measured(self, run: Callable[..., dict[str, Any] | None], *args: Any
                 ) -> dict[str, Any] | None:
        """``run(*args)``'s outcome with the mirror's CPU seconds during it (``mirror_cpu_s``): on
        a 2-core machine the mirror takes its share of the cores the crawl runs on."""
        before = process_cpu_seconds(self.pid)
        outcome = run(*args)
        after = process_cpu_seconds(self.pid)
        if outcome is not None and before is not None and after is not None:
            outcome["mirror_cpu_s"] = after - before
        return outcome


@contextmanager
def mirror_process(root: Path, log: Path) -> Iterator[MirrorProcess]:
    process = subprocess.Popen(
        ["famreel", "mirror", "--root", str(root), "--port", "0", "--log", str(log)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    try:
        yield MirrorProcess(url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def logged_urls(log: Path, start: int) -> list[str]:
    """The real URLs of the GETs logged from byte ``start`` on (robots.txt is Scrapy's own)."""
    with log.open("rb") as handle:
        handle.seek(start)
        lines = handle.read().decode("utf-8").splitlines()
    urls = []
    for line in lines:
        method, target, _ = line.split(" ")
        if method == "GET" and not target.endswith("/robots.txt"):
            urls.append("https:/" + target)
    return urls


async def _load(mirror: str, targets: list[str], connections: int) -> float:
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        queue = iter(targets)

        async def worker() -> None:
            for target in queue:
                async with session.get(mirror + target) as response:
                    await response.read()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        return len(targets) / (time.perf_counter() - started)


def mirror_rate(mirror: str, urls: list[str], connections: int = 32) -> float:
    targets = [url.removeprefix("https:/") for url in urls]
    return asyncio.run(_load(mirror, targets, connections))


# --- PostgreSQL scratch database ---------------------------------------------------------------


@contextmanager
def scratch_postgres(admin_url: str) -> Iterator[str | None]:
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        admin.connect().close()
    except Exception as exc:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        print(f"PostgreSQL unavailable ({exc.__class__.__name__}): (c) skipped", file=sys.stderr)
        yield None
        return
    name = f"famreel_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- report --------------------------------------------------------------------------------------


LABELS = {"null": "(a) null spider", "sqlite_inline": "(b) full, SQLite",
          "sqlite": "(b') full, SQLite, pool", "pg": "(c) full, PostgreSQL",
          "frontier": "(d) full, PG, frontier", "sqlite_procs": "(e) full, SQLite, procs",
          "pg_procs": "(f) full, PG, procs"}
FULL_RUNS = ("sqlite_inline", "sqlite", "pg", "frontier", "sqlite_procs", "pg_procs")


def ratio(results: dict[str, dict[str, Any]], key: str) -> float:
    """A run's pages/s over the null spider's of the same round."""
    run, null = results[key], results["null"]
    return (run["pages"] / run["seconds"]) / (null["pages"] / null["seconds"])


def crawl_ratio(results: dict[str, dict[str, Any]], key: str) -> float:
    """``ratio`` with the run's merge taken out of its time: the crawl's own pages/s. The merge
    runs alone after the crawl, one process on one core, so its CPU seconds are its time."""
    run, null = results[key], results["null"]
    crawl_seconds = run["seconds"] - run["cpu_ms"].get("merge", 0.0) / 1000
    return (run["pages"] / crawl_seconds) / (null["pages"] / null["seconds"])


def median_rounds(rounds: list[dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Each full run as measured in its median round (by ratio; the lower middle one of an even
    number), beside that round's null spider (``null:<key>``); ``null`` is the first round's."""
    picked = {"null": rounds[0]["null"]}
    for key in FULL_RUNS:
        measured = sorted((ratio(r, key), i) for i, r in enumerate(rounds) if key in r)
        if measured:
            chosen = rounds[measured[(len(measured) - 1) // 2][1]]
            picked[key], picked[f"null:{key}"] = chosen[key], chosen["null"]
    return picked


def report(films: int, files: int, rounds: list[dict[str, dict[str, Any]]], mirror_pps: float,
           parse_processes: int, workers: int, processes: int) -> None:
    results = median_rounds(rounds)
    null = results["null"]
    print(f"\nfamreel crawl throughput: {films} films, {files} files in the mirror, "
          f"8 sites, {os.cpu_count()} cores; one crawler process each run but (d), "
          f"{workers} frontier workers on Redis, and (e) and (f), --processes {processes}; "
          f"\"pool\": --parse-processes {parse_processes}")
    print(f"{'':28}{'pages':>8}{'seconds':>9}{'pages/s':>9}{'ratio':>7}{'CPU s':>8}"
          f"{'crawler':>9}{'peak MB':>9}{'child MB':>9}")
    for key, label in LABELS.items():
        if key not in results:
            continue
        run = results[key]
        rate = run["pages"] / run["seconds"]
        has_children = run.get("parse_processes") or run.get("processes", 1) > 1
        pool = f"{run['worker_peak_rss_mb']:>9.0f}" if has_children else ""
        run_ratio = 1.0 if key == "null" else ratio({"null": results[f"null:{key}"], key: run},
                                                      key)
        print(f"{label:28}{run['pages']:>8}{run['seconds']:>9.1f}{rate:>9.1f}"
              f"{run_ratio:>7.2f}{run['cpu_s']:>8.1f}{run['crawler_cpu_s']:>9.1f}"
              f"{run['peak_rss_mb']:>9.0f}{pool}")
    if len(rounds) > 1:
        print(f"\n{len(rounds)} rounds, each a null spider and then the full runs; a full run's "
              "row is its median round (ratio to that round's null spider):")
        print(f"{LABELS['null']:28}" + "".join(
            f"{r['null']['pages'] / r['null']['seconds']:>7.1f}/s" for r in rounds))
        for key in FULL_RUNS:
            if key in results:
                print(f"{LABELS[key]:28}" + "".join(
                    f"{ratio(r, key):>9.2f}" for r in rounds if key in r))
    print(f"\nCPU ms per page{'':13}" + "".join(f"{s:>10}" for s in (*STAGES, "Scrapy")))
    for key in FULL_RUNS:
        if key not in results:
            continue
        run = results[key]
        per_page = [run["cpu_ms"].get(stage, 0.0) / run["pages"] for stage in STAGES]
        scrapy = run["cpu_s"] * 1000 / run["pages"] - sum(per_page)
        print(f"{LABELS[key]:28}" + "".join(f"{v:>10.2f}" for v in (*per_page, scrapy)))
    null_per_page = null["cpu_s"] * 1000 / null["pages"]
    print(f"{LABELS['null']:28}{'':40}{null_per_page:>10.2f}")
    print("\nthe crawl without its merge (the merge's CPU s out of its time), and the mirror's "
          "CPU during each run (it shares the machine's cores with the crawl):")
    print(f"{'':28}{'merge s':>9}{'ratio w/o':>11}{'mirror s':>10}{'cores':>7}")
    for key in ("null", *FULL_RUNS):
        if key not in results:
            continue
        run = results[key]
        merge_s, crawl_only = "", ""
        if key != "null":
            merge_s = f"{run['cpu_ms'].get('merge', 0.0) / 1000:>9.1f}"
            crawl_only = f"{crawl_ratio({'null': results[f'null:{key}'], key: run}, key):>11.2f}"
        mirror = run.get("mirror_cpu_s")
        used = (f"{mirror:>10.1f}{mirror / run['seconds']:>7.2f}" if mirror is not None
                else f"{'?':>10}{'?':>7}")
        print(f"{LABELS[key]:28}{merge_s or '':>9}{crawl_only or '':>11}{used}")
    stored = "; ".join(f"{LABELS[key].split()[0]} {results[key]['reviews']} into "
                       f"{results[key]['films']} films" for key in FULL_RUNS if key in results)
    print(f"\nreviews stored: {stored}")
    print(f"mirror alone: {mirror_pps:.0f} pages/s to an aiohttp client with 32 connections "
          f"(that client's core is the limit), "
          f"{mirror_pps / max(r['pages'] / r['seconds'] for k, r in results.items()):.0f}x "
          f"the fastest crawl's rate")


def ensure_mirror(films: int, out: Path | None) -> tuple[Path, bool]:
    """The generated mirror in ``out`` (reused when it holds one of ``films`` films), else a new
    temporary one; ``True`` when the caller should delete it."""
    if out and (out / FILMS_FILE).exists():
        have = len(json.loads((out / FILMS_FILE).read_text("utf-8"))["films"])
        if have == films:
            print(f"reusing the mirror in {out}", file=sys.stderr)
            return out, False
        sys.exit(f"{out} holds a mirror of {have} films, not {films}")
    temporary = out is None
    if out is None:
        base = "/dev/shm" if os.path.isdir("/dev/shm") else None
        out = Path(tempfile.mkdtemp(prefix="famreel-bench-", dir=base)) / "mirror"
    started = time.perf_counter()
    generate(films, out)
    print(f"generated {films} films into {out} in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    return out, temporary


RUNS = {"b": "sqlite_inline", "b'": "sqlite", "c": "pg", "d": "frontier", "e": "sqlite_procs",
        "f": "pg_procs"}


def full_run(key: str, mirror: str, work: Path, args: argparse.Namespace
             ) -> dict[str, Any] | None:
    """One full crawl of the mirror (``None`` when its database or Redis is not there)."""
    pool, procs = str(args.parse_processes), str(args.processes)
    print(f"{LABELS[key]} ...", file=sys.stderr)
    if key in ("sqlite_inline", "sqlite", "sqlite_procs"):
        work.mkdir(parents=True, exist_ok=True)
        db = f"sqlite:///{work / (key + '.db')}"
        if key == "sqlite":
            return run_child("full", mirror, db, pool, profile=args.profile)
        return run_child("full", mirror, db, "0", procs if key == "sqlite_procs" else "1")
    if key == "frontier" and not redis_reachable(args.redis):
        return None
    with scratch_postgres(args.pg) as pg_url:
        if pg_url is None:
            return None
        if key == "frontier":
            return run_frontier_workers(mirror, pg_url, args.redis, args.frontier_workers)
        return run_child("full", mirror, pg_url, "0", procs if key == "pg_procs" else "1")


def null_run(mirror: MirrorProcess, urls_file: Path) -> dict[str, Any]:
    outcome = mirror.measured(run_child, "null", mirror.url, str(urls_file))
    assert outcome is not None
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--films", type=int, default=10000, help="films in the mirror")
    parser.add_argument("--out", type=Path, help="mirror folder (kept; reused when present)")
    parser.add_argument("--pg", default=PG_ADMIN_URL, help="PostgreSQL admin URL for (c)")
    parser.add_argument("--parse-processes", type=int, default=1, metavar="N",
                        help="parser processes of (b') and (c) (default 1)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2, metavar="N",
                        help="crawler processes of (e) and (f) (default: the cores)")
    parser.add_argument("--redis", default=REDIS_URL, help="Redis URL of (d)'s frontier")
    parser.add_argument("--frontier-workers", type=int, default=2, metavar="N",
                        help="crawler processes of (d) (default 2)")
    parser.add_argument("--runs", default=",".join(RUNS), metavar="LIST",
                        help="the full runs to measure beside (a), comma-separated, the first "
                             "one's URLs being (a)'s (default: all: b,b',c,d,e,f)")
    parser.add_argument("--profile", metavar="FILE", help="py-spy speedscope profile of (b')")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="rounds of runs, each round the null spider again and then every "
                             "full run; each full run is reported from its median round (the "
                             "machine's speed drifts between runs)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.child:
        child_main(args.child, rest)
        return 0
    try:
        runs = [RUNS[name.strip()] for name in args.runs.split(",")]
    except KeyError as exc:
        parser.error(f"--runs: no run {exc} (runs: {', '.join(RUNS)})")
    if args.repeat < 1:
        parser.error("--repeat: at least 1")
    root, temporary = ensure_mirror(args.films, args.out)
    work = Path(tempfile.mkdtemp(prefix="famreel-bench-"))
    log = work / "requests.log"
    rounds: list[dict[str, dict[str, Any]]] = []
    try:
        with mirror_process(root, log) as mirror:
            first, *others = runs
            results: dict[str, dict[str, Any]] = {}
            outcome = mirror.measured(full_run, first, mirror.url, work / "round1", args)
            if outcome is None:
                sys.exit(f"{LABELS[first]} could not run, and (a) fetches its URLs")
            results[first] = outcome
            urls = logged_urls(log, 0)  # what the first full run fetched
            (work / "urls.json").write_text(json.dumps(urls), "utf-8")
            print(f"(a) null spider over the same {len(urls)} URLs ...", file=sys.stderr)
            results["null"] = null_run(mirror, work / "urls.json")
            for number in range(1, args.repeat + 1):
                if number > 1:
                    print(f"round {number}: (a) null spider ...", file=sys.stderr)
                    results = {"null": null_run(mirror, work / "urls.json")}
                for key in others if number == 1 else runs:
                    outcome = mirror.measured(full_run, key, mirror.url,
                                              work / f"round{number}", args)
                    if outcome is not None:
                        results[key] = outcome
                rounds.append(results)
            print("the mirror alone ...", file=sys.stderr)
            mirror_pps = mirror_rate(mirror.url, urls[:20000])
        files = sum(1 for path in root.rglob("*") if path.is_file())
        report(args.films, files, rounds, mirror_pps, args.parse_processes,
               args.frontier_workers, args.processes)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if temporary:
            shutil.rmtree(root.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
