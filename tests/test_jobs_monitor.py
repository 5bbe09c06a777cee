"""The monitor after each full crawl: a site whose markup changed shows as a collapse (exit 1, a
report line, the run marked checks_failed, `famreel runs` shows it) and nothing stored is lost;
field coverage below its threshold fails too; a failing cycle never becomes the next one's
baseline."""

import json

from scrapy.settings import Settings
from sqlalchemy import select

from crawler import settings as famreel_settings
from crawler.monitoring import check_site, report_lines
from storage.crawl_state import open_cycle
from storage.db import open_database, session_scope
from storage.models import CrawlJob, Review
from tests.conftest import run_famreel
from tests.test_jobs_support import (  # noqa: F401
    CSM,
    clean_crawl,
    crawl,
    faulty_mirror,
    runs,
    snapshot,
)


def baselines(db):
    engine = open_database(db)
    with session_scope(engine) as session:
        found = dict(session.execute(select(CrawlJob.site, CrawlJob.baseline_reviews)).all())
    engine.dispose()
    return found


def test_a_site_whose_markup_changed_fails_its_check(sqlite_url, faulty_mirror, clean_crawl):  # noqa: F811
    crawl(faulty_mirror.url, sqlite_url)
    assert baselines(sqlite_url) == {"commonsense": 40, "parenting": 19}

    faulty_mirror.faults({"match": f"{CSM}/*", "fault": "markup"})
    result = crawl(faulty_mirror.url, sqlite_url, expect=1)

    assert "CHECK FAILED commonsense reviews: 0 reviews, 40 in the last passing cycle" in (
        result.stderr)
    assert "parenting" not in "".join(line for line in result.stderr.splitlines()
                                      if "CHECK FAILED" in line)
    assert baselines(sqlite_url) == {"commonsense": 40, "parenting": 19}
    assert snapshot(sqlite_url) == clean_crawl.snapshot  # the stored reviews are all kept

    listed = run_famreel("runs", "--db", sqlite_url, "--json")
    failed, passed = json.loads(listed.stdout)
    assert (failed["status"], failed["checks_failed"]) == ("checks_failed", 1)
    assert (passed["status"], passed["items_new"], passed["checks_failed"]) == ("finished", 59, 0)
    assert set(passed["details"]["sites"]) == {c["site"] for c in passed["details"]["checks"]}
    table = run_famreel("runs", "--db", sqlite_url, "--check")
    assert table.returncode == 1  # the newest run failed a check
    assert [line.split()[:1] + line.split()[4:5] for line in table.stdout.splitlines()[1:]] == [
        [str(failed["id"]), "checks_failed"], [str(passed["id"]), "finished"]]


def test_field_coverage_below_its_threshold_fails(sqlite_url):
    settings = Settings()
    settings.setmodule(famreel_settings)
    engine = open_database(sqlite_url)
    with session_scope(engine) as session:
        job = open_cycle(session, "commonsense", "full")
    stats = {"famreel/job_id": job.job_id, "famreel/cycle": job.cycle,
             "famreel/coverage/items": 20, "famreel/coverage/title": 20,
             "famreel/coverage/year": 19, "famreel/coverage/age_min": 20,
             "famreel/coverage/quality": 20, "famreel/coverage/content": 4}
    with session_scope(engine) as session:
        checks = check_site(session, "commonsense", stats, settings)
    engine.dispose()
    failed = [c for c in checks if not c.ok]
    assert [c.check for c in failed] == ["coverage:content"]
    assert report_lines(checks) == [
        "CHECK FAILED commonsense coverage:content: content on 4 of 20 reviews (20%, at least "
        "80% expected)"]
    assert baselines(sqlite_url) == {"commonsense": None}


def test_coverage_is_counted_from_the_reviews_a_crawl_stores(sqlite_url, mirror_url):
    """Each configured field's coverage check weighs the stored reviews that have the field:
    the shares in the run's checks are the shares in the database (thresholds of 0 here, on
    fields that only some reviews have, so that every share shows and passes)."""
    thresholds = {"commonsense": {"title": 0.9, "kids_age": 0, "runtime_minutes": 0},
                  "parenting": {"title": 0.9, "year": 0, "reviewer": 0, "directors": 0}}
    crawl(mirror_url, sqlite_url, "-s", f"FAMREEL_MONITOR_COVERAGE={json.dumps(thresholds)}")
    run = json.loads(run_famreel("runs", "--db", sqlite_url, "--json").stdout)[0]
    coverage = {(c["site"], c["check"]): c["value"] for c in run["details"]["checks"]
                if c["check"].startswith("coverage:")}
    engine = open_database(sqlite_url)
    with session_scope(engine) as session:
        reviews = session.scalars(select(Review).join(Review.site)).all()
        expected = {}
        for site, fields in thresholds.items():
            of_site = [r for r in reviews if r.site.name == site]
            for field in fields:
                have = sum(1 for r in of_site if getattr(r, field) not in (None, "", [], {}))
                expected[(site, f"coverage:{field}")] = round(have / len(of_site), 3)
    engine.dispose()
    assert coverage == expected
    assert coverage[("commonsense", "coverage:kids_age")] == 0.95  # 38 of 40 say it
    assert coverage[("parenting", "coverage:year")] == 0  # Parenting.com prints no year
