"""The crawl's own record in the database: jobs and their cycles, one row per request, run locks.

Why not Scrapy's JOBDIR alone: a request taken off its queue is already marked seen, so a crawl
killed while that page was in flight, or while its review sat in a write buffer, never fetches
it again. Here a request is ``done`` only in the transaction that stores its result:

- a review page is marked done (with its ETag / Last-Modified) in the same transaction that
  upserts its review (``crawler.pipelines.StorePipeline``);
- any other page (listing, search, a page leading elsewhere) is marked done in the same
  transaction that records the requests it led to as ``pending``.

So a validator is only ever stored beside the content it validates (a 304 can be trusted), and a
crawl killed at any moment and started again the same way resumes its open cycle: it skips the
requests done in that cycle and starts from the pending and failed ones. Every other write may
be lost in a kill without losing data: the page is simply fetched again.

A *job* is one way of crawling one site (``full``, or one title's search); its *cycle* opens when
a run starts it and closes in the transaction of the merge that follows (``close_cycles``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import Engine, and_, case, false, func, select, update
from sqlalchemy.orm import Session

from storage.db import session_scope
from storage.models import CrawlJob, CrawlLock, CrawlRun, CrawlUrl, utcnow
from storage.repository import dialect_insert, dialect_of, execute_many

logger = logging.getLogger(__name__)

PENDING, DONE, FAILED = "pending", "done", "failed"
# outcomes of a done review page that count as "the review is in the database"
REVIEW_OUTCOMES = ("stored", "unchanged")
EXCLUSIVE = "crawl"  # the lock scope of an ordinary crawl: it runs alone


# --- mutual exclusion ----------------------------------------------------------------------


_WRITERS: dict[str, threading.Lock] = {}
_WRITERS_GUARD = threading.Lock()


def writer_lock(engine: Engine) -> threading.Lock:
    """One writer at a time per database inside this process (the spiders of one process share
    it): SQLite allows one writer anyway, and waiting here is cheaper than its busy loop."""
    key = engine.url.render_as_string(hide_password=True)
    with _WRITERS_GUARD:
        return _WRITERS.setdefault(key, threading.Lock())


def hold_mutex(session: Session, name: str) -> None:
    """Hold a database-wide mutex until the session's transaction ends: a PostgreSQL advisory
    transaction lock, or on SQLite the database's write lock, taken by a first, empty write
    before anything is read. Processes doing the same bookkeeping then take turns."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"famreel:{name}".encode()).digest()[:8], "big",
                             signed=True)
        session.execute(select(func.pg_advisory_xact_lock(key)))
    else:
        session.execute(update(CrawlLock).where(false()).values(scope=CrawlLock.scope))


# --- jobs and cycles -------------------------------------------------------------------------


@dataclass(frozen=True)
class JobCycle:
    job_id: int
    cycle: int
    resumed: bool


def job_mode(title: str | None = None, year: int | None = None) -> str:
    """``full`` or ``title:<title key>[:<year>]``: what "started again the same way" means."""
    if not title:
        return "full"
    from aggregator.normalize import title_key

    return f"title:{title_key(title)}" + (f":{year}" if year else "")


def open_cycle(session: Session, site: str, mode: str, full: bool = False) -> JobCycle:
    """Resume the job's open cycle, or open the next one. A ``full`` crawl resumes only a cycle
    that a full crawl opened: it refetches everything that was done before it started."""
    hold_mutex(session, "cycles")
    job = session.scalar(select(CrawlJob).where(CrawlJob.site == site, CrawlJob.mode == mode))
    if job is None:
        job = CrawlJob(site=site, mode=mode, cycle=1, open=True, full=full, opened_at=utcnow())
        session.add(job)
        session.flush()
        return JobCycle(job.id, job.cycle, resumed=False)
    if job.open and (job.full or not full):
        return JobCycle(job.id, job.cycle, resumed=True)
    job.cycle += 1
    job.open, job.full, job.opened_at, job.closed_at = True, full, utcnow(), None
    return JobCycle(job.id, job.cycle, resumed=False)


def close_cycles(session: Session, cycles: Iterable[tuple[int, int]]) -> None:
    """Close finished cycles; call it in the merge's transaction, so that a crawl killed
    before the merge committed resumes (and merges) instead of starting over."""
    for job_id, cycle in cycles:
        session.execute(
            update(CrawlJob)
            .where(CrawlJob.id == job_id, CrawlJob.cycle == cycle)
            .values(open=False, closed_at=utcnow())
        )


def cycle_counts(session: Session, job_id: int, cycle: int) -> dict[str, int]:
    """Requests done and failed in a cycle, and the reviews it accounts for (stored or unchanged,
    whichever run of the cycle fetched them)."""
    rows = session.execute(
        select(CrawlUrl.status, CrawlUrl.outcome, func.count())
        .where(CrawlUrl.job_id == job_id, CrawlUrl.cycle == cycle)
        .group_by(CrawlUrl.status, CrawlUrl.outcome)
    ).all()
    counts = {"pages": 0, "failed": 0, "reviews": 0}
    for status, outcome, count in rows:
        counts["pages"] += count
        counts["failed"] += count if status == FAILED else 0
        counts["reviews"] += count if status == DONE and outcome in REVIEW_OUTCOMES else 0
    return counts


def baseline_reviews(session: Session, job_id: int) -> int | None:
    return session.scalar(select(CrawlJob.baseline_reviews).where(CrawlJob.id == job_id))


def set_baseline(session: Session, job_id: int, reviews: int) -> None:
    session.execute(update(CrawlJob).where(CrawlJob.id == job_id)
                    .values(baseline_reviews=reviews))


# --- requests --------------------------------------------------------------------------------


@dataclass
class PageRecord:
    """One request's new state. A done record without ``outcome`` (a 304) keeps the stored
    outcome, validators and links; with one, it replaces them (``None`` clears)."""

    fingerprint: str
    url: str
    site: str
    status: str
    kind: str | None = None
    outcome: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    links: list[str] | None = None
    request: dict[str, Any] | None = None
    error: str | None = None


@dataclass
class SiteState:
    """What a crawler of one site needs in memory: validators to send, requests already done
    in this cycle, the links of every page (re-followed on a 304), and the seeds to start from."""

    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)
    links: dict[str, list[str]] = field(default_factory=dict)
    requests: dict[str, dict[str, Any]] = field(default_factory=dict)
    seeds: list[str] = field(default_factory=list)


def load_site_state(session: Session, site: str, job: JobCycle, retry_failed: bool,
                    give_up_after: int) -> SiteState:
    """The site's rows. Seeds: a resumed cycle's pending and failed requests; in a new cycle
    with ``retry_failed`` (full crawls), every request of the site still pending or failed, as
    long as it failed fewer than ``give_up_after`` runs in a row."""
    state = SiteState()
    rows = session.execute(
        select(CrawlUrl.fingerprint, CrawlUrl.status, CrawlUrl.job_id, CrawlUrl.cycle,
               CrawlUrl.etag, CrawlUrl.last_modified, CrawlUrl.links, CrawlUrl.request,
               CrawlUrl.failures)
        .where(CrawlUrl.site == site)
    ).all()
    for fp, status, job_id, cycle, etag, last_modified, links, request, failures in rows:
        in_cycle = job_id == job.job_id and cycle == job.cycle
        if etag or last_modified:
            state.validators[fp] = (etag, last_modified)
        if links:
            state.links[fp] = list(links)
        if request:
            state.requests[fp] = request
        if in_cycle and status == DONE:
            state.done.add(fp)
        elif request and status in (PENDING, FAILED) and (
            in_cycle if job.resumed else retry_failed and failures < give_up_after
        ):
            state.seeds.append(fp)
    return state


def record_pages(session: Session, records: Sequence[PageRecord], job: JobCycle) -> None:
    """Write request states: pending first (a pending never undoes a request done in this
    cycle), then done, then failed (counting failures in a row)."""
    by_status: dict[str, dict[str, PageRecord]] = {PENDING: {}, DONE: {}, FAILED: {}}
    for record in records:
        by_status[record.status][record.fingerprint] = record  # one row per statement
    now = utcnow()
    for status, latest in by_status.items():
        if latest:  # rows locked in key order: two processes' batches then wait, not deadlock
            _upsert(session, status, [latest[fp] for fp in sorted(latest)], job, now)


def _upsert(session: Session, status: str, records: Sequence[PageRecord], job: JobCycle,
            now: Any) -> None:
    rows = [
        {"fingerprint": r.fingerprint, "url": r.url, "site": r.site, "kind": r.kind,
         "status": status, "outcome": r.outcome, "job_id": job.job_id, "cycle": job.cycle,
         "etag": r.etag, "last_modified": r.last_modified, "links": r.links,
         "request": r.request, "failures": 1 if status == FAILED else 0, "error": r.error,
         "updated_at": now}
        for r in records
    ]
    execute_many(session, _upsert_statement(dialect_of(session), status), rows)


@cache
def _upsert_statement(dialect: str, status: str) -> Any:
    """The crawl state's upsert of requests in ``status``, built once per dialect and status:
    one cached statement whatever the rows (a multi-row VALUES compiled anew per batch was 6%
    of a crawl's CPU)."""
    table = CrawlUrl.__table__.c
    stmt = dialect_insert(dialect)(CrawlUrl.__table__)
    new = stmt.excluded
    common = {"status": new.status, "job_id": new.job_id, "cycle": new.cycle,
              "updated_at": new.updated_at}
    if status == PENDING:  # keeps a request done in this cycle done, but learns how to ask
        done_here = and_(table.status == DONE, table.job_id == new.job_id,
                         table.cycle == new.cycle)
        set_ = {**common, "status": case((done_here, table.status), else_=new.status),
                "request": func.coalesce(new.request, table.request)}
    elif status == DONE:  # a fresh answer (with an outcome) replaces validators and links
        fresh = new.outcome.is_not(None)
        set_ = {**common, "kind": func.coalesce(new.kind, table.kind),
                "outcome": func.coalesce(new.outcome, table.outcome),
                **{name: case((fresh, new[name]), else_=table[name])
                   for name in ("etag", "last_modified", "links")},
                "failures": 0, "error": None}
    else:
        set_ = {**common, "failures": table.failures + 1, "error": new.error}
    return stmt.on_conflict_do_update(index_elements=[table.fingerprint], set_=set_)


# --- one run at a time ---------------------------------------------------------------------


class LockHeld(Exception):
    """Another live crawl holds the database: the new one must not start."""


class RunLock:
    """The run lock of one crawl process, as a row in ``crawl_locks``.

    Holders of the same ``scope`` may run together (the workers of one frontier run use
    ``frontier_scope(name)``); the default scope ``EXCLUSIVE`` runs alone. A holder is stale
    (taken over, its run marked ``killed``) when its process is gone from this host or its
    heartbeat, refreshed every ``heartbeat`` seconds by a thread, is older than ``stale_after``.
    """

    def __init__(self, engine: Engine, scope: str = EXCLUSIVE, stale_after: float = 600.0,
                 heartbeat: float = 30.0):
        self.engine = engine
        self.scope = scope
        self.stale_after = stale_after
        self.heartbeat = heartbeat
        self.host = socket.gethostname()[:255]
        self.pid = os.getpid()
        self.lock_id: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def acquire(self) -> list[int]:
        """Take the lock (``LockHeld`` if a live holder forbids it); returns the ids of the
        runs whose dead holders were taken over."""
        with session_scope(self.engine) as session:
            hold_mutex(session, "locks")
            holders = list(session.scalars(select(CrawlLock)))
            stale = [h for h in holders if self._is_stale(h)]
            live = [h for h in holders if h not in stale]
            blocking = [h for h in live if self.scope == EXCLUSIVE or h.scope != self.scope]
            if blocking:
                raise LockHeld(_describe(blocking[0]))
            for holder in stale:
                logger.warning("taking over the lock of dead crawl pid %s on %s (run %s)",
                               holder.pid, holder.host, holder.run_id)
                session.delete(holder)
            killed = [h.run_id for h in stale if h.run_id is not None]
            if killed:
                session.execute(update(CrawlRun)
                                .where(CrawlRun.id.in_(killed), CrawlRun.status == "running")
                                .values(status="killed"))
            now = utcnow()
            row = CrawlLock(scope=self.scope, pid=self.pid, host=self.host, acquired_at=now,
                            heartbeat_at=now)
            session.add(row)
            session.flush()
            self.lock_id = row.id
        self._thread = threading.Thread(target=self._beat, name="famreel-lock", daemon=True)
        self._thread.start()
        return killed

    def _is_stale(self, holder: CrawlLock) -> bool:
        if holder.host == self.host and not _alive(holder.pid):
            return True
        return utcnow() - holder.heartbeat_at > timedelta(seconds=self.stale_after)

    def attach(self, run_id: int) -> None:
        """Name the run this lock protects (a taker-over marks it ``killed``)."""
        self._update(run_id=run_id)

    def _update(self, **values: Any) -> None:
        with session_scope(self.engine) as session:
            session.execute(update(CrawlLock).where(CrawlLock.id == self.lock_id).values(**values))

    def _beat(self) -> None:
        while not self._stop.wait(self.heartbeat):
            try:
                self._update(heartbeat_at=utcnow())
            except Exception as exc:  # noqa: BLE001 - a busy database: beat again next time
                logger.warning("lock heartbeat failed: %s", exc)

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.lock_id is not None:
            with session_scope(self.engine) as session:
                session.execute(CrawlLock.__table__.delete().where(CrawlLock.id == self.lock_id))
            self.lock_id = None


def frontier_scope(run_name: str) -> str:
    """The lock scope shared by every worker of one frontier run."""
    return f"frontier:{run_name}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _describe(holder: CrawlLock) -> str:
    run = f"run {holder.run_id}, " if holder.run_id else ""
    started = holder.acquired_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    what = "a crawl" if holder.scope == EXCLUSIVE else f"a {holder.scope} crawl"
    return (f"{what} is already running on this database ({run}pid {holder.pid} on "
            f"{holder.host}, since {started}); try again when it has finished")


# --- run records ---------------------------------------------------------------------------


def recent_runs(session: Session, limit: int | None = 20) -> list[CrawlRun]:
    stmt = select(CrawlRun).order_by(CrawlRun.id.desc())
    return list(session.scalars(stmt.limit(limit) if limit else stmt))
