"""Per-site checks after each full crawl: field coverage, review counts, failing pages.

Plain crawl stats and the crawl state, not Spidermon: famreel's checks compare a site's cycle
with its previous one in famreel's own database and decide the exit status of one process that
runs several spiders, which Spidermon's per-spider monitor suites do not do.

- **coverage**: the share of the reviews parsed in the run that have a field (title, year, age,
  ...) is at least ``FAMREEL_MONITOR_COVERAGE[site][field]``;
- **reviews**: the reviews a cycle accounts for (stored or unchanged, 304s included, whichever
  run of the cycle fetched them) are at least ``FAMREEL_MONITOR_COLLAPSE_RATIO`` times those of
  the site's last cycle that passed its checks: a site whose markup changed shows as a
  collapse, not as silence;
- **failed**: requests still failing after retries are at most
  ``FAMREEL_MONITOR_MAX_FAILED_RATIO`` of the cycle's requests.

Each verdict needs ``FAMREEL_MONITOR_MIN_REVIEWS`` reviews to judge from. A site whose checks all
pass becomes the baseline of its next cycle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from scrapy import signals
from sqlalchemy.orm import Session

from storage.crawl_state import baseline_reviews, cycle_counts, set_baseline

COVERAGE_PREFIX = "famreel/coverage/"


class FieldCoverage:
    """Counts, per field, the reviews of this crawl that have it (``famreel/coverage/<field>``,
    out of ``famreel/coverage/items``): the numbers the coverage check reads. The store pipeline
    counts each review as it takes it (``count``), from the row it stores, and the counts go
    into the stats when the spider closes: a stats call per field of every item, or an
    ``item_scraped`` receiver walking every item again, cost more than the counting (Scrapy
    2.19's stats collector wraps every method call; its signals dispatch each receiver of every
    item through asyncio)."""

    def __init__(self, crawler: Any):
        self.stats = crawler.stats
        self.counts: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Any) -> FieldCoverage:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    @staticmethod
    def of(crawler: Any) -> FieldCoverage | None:
        """The crawler's FieldCoverage (``None`` when switched off)."""
        return crawler.get_extension(FieldCoverage)

    def count(self, values: Mapping[str, Any]) -> None:
        """One review's fields: those with a value (not ``None``, empty text or collection)."""
        self.counts["items"] += 1
        self.counts.update(name for name, value in values.items()
                           if value not in (None, "", [], {}))

    def spider_closed(self, **_: Any) -> None:
        for name, count in self.counts.items():
            self.stats.set_value(f"{COVERAGE_PREFIX}{name}", count)


@dataclass
class Check:
    site: str
    check: str  # coverage:<field>, reviews, failed
    ok: bool
    value: float
    limit: float
    message: str


def check_site(session: Session, site: str, stats: Mapping[str, Any], settings: Any
               ) -> list[Check]:
    """The checks of one site whose crawl finished (its job and cycle are in its stats)."""
    min_reviews = settings.getint("FAMREEL_MONITOR_MIN_REVIEWS", 5)
    job_id, cycle = int(stats["famreel/job_id"]), int(stats["famreel/cycle"])
    checks = _coverage(site, stats, settings.getdict("FAMREEL_MONITOR_COVERAGE").get(site, {}),
                       min_reviews)
    counts = cycle_counts(session, job_id, cycle)
    baseline = baseline_reviews(session, job_id)
    if baseline is not None and baseline >= min_reviews:
        ratio = settings.getfloat("FAMREEL_MONITOR_COLLAPSE_RATIO", 0.5)
        limit = baseline * ratio
        checks.append(Check(
            site, "reviews", counts["reviews"] >= limit, counts["reviews"], limit,
            f"{counts['reviews']} reviews, {baseline} in the last passing cycle "
            f"(at least {ratio:.0%} expected)"))
    if counts["pages"] >= min_reviews:
        share = counts["failed"] / counts["pages"]
        limit = settings.getfloat("FAMREEL_MONITOR_MAX_FAILED_RATIO", 0.1)
        checks.append(Check(
            site, "failed", share <= limit, round(share, 3), limit,
            f"{counts['failed']} of {counts['pages']} requests still failing (at most "
            f"{limit:.0%} allowed)"))
    if all(c.ok for c in checks):
        set_baseline(session, job_id, counts["reviews"])
    return checks


def _coverage(site: str, stats: Mapping[str, Any], thresholds: Mapping[str, float],
              min_reviews: int) -> list[Check]:
    parsed = int(stats.get(f"{COVERAGE_PREFIX}items", 0))
    if parsed < min_reviews:
        return []
    checks = []
    for field, limit in thresholds.items():
        have = int(stats.get(f"{COVERAGE_PREFIX}{field}", 0))
        share = have / parsed
        checks.append(Check(site, f"coverage:{field}", share >= limit, round(share, 3), limit,
                            f"{field} on {have} of {parsed} reviews ({share:.0%}, at least "
                            f"{limit:.0%} expected)"))
    return checks


def report_lines(checks: list[Check]) -> list[str]:
    """One line per failed check, or one line saying all passed."""
    failed = [c for c in checks if not c.ok]
    if not failed:
        sites = len({c.site for c in checks})
        return [f"checks: all {len(checks)} passed ({sites} sites)"]
    return [f"CHECK FAILED {c.site} {c.check}: {c.message}" for c in failed]


def as_dicts(checks: list[Check]) -> list[dict[str, Any]]:
    return [asdict(c) for c in checks]
