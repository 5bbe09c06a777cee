"""Every mirror fault mode, first as the mirror answers it, then as a real crawl lives through it:
transient faults are retried to a database equal to a clean run's; wrong charsets are decoded
right; truncated pages, still-failing pages and 200 "not found" pages are never stored, and the
failing ones are recorded and retried by the next run."""

import json

import pytest
from sqlalchemy import create_engine, text

from crawler.mirror.faults import FaultPlan, FaultPlanError
from crawler.mirror.server import DELAY_HEADER, RESET_AFTER_HEADER, Mirror
from tests.conftest import run_famreel
from tests.test_jobs_support import (  # noqa: F401
    CSM,
    PARENTING,
    clean_crawl,
    crawl,
    faulty_mirror,
    requests_by_status,
    runs,
    snapshot,
)

TOY_STORY_3 = f"{PARENTING}/entertainment/movies/review-toy-story-3/"
INSIDE_OUT_2 = f"{PARENTING}/entertainment/movies/inside-out-2-review/"
PARENTING_FROZEN = f"{PARENTING}/entertainment/movies/review-frozen/"
CSM_FROZEN, CSM_COCO, CSM_ENCANTO = (f"{CSM}/movie-reviews/{p}" for p in
                                     ("frozen", "coco", "encanto"))


@pytest.fixture
def mirror_with(tmp_path):
    def make(*rules):
        plan = tmp_path / "faults.json"
        plan.write_text(json.dumps(list(rules)))
        return Mirror(faults=plan)
    return make


def test_conditional_requests_get_304(mirror_with):
    mirror = mirror_with()
    status, headers, body = mirror.answer("GET", f"/{TOY_STORY_3}")
    assert status == 200 and headers["ETag"] and headers["Last-Modified"] and body
    for validators in ({"If-None-Match": headers["ETag"]},
                       {"If-Modified-Since": headers["Last-Modified"]}):
        assert mirror.answer("GET", f"/{TOY_STORY_3}", b"", validators)[::2] == (304, b"")
    stale = {"If-None-Match": '"old"', "If-Modified-Since": headers["Last-Modified"]}
    assert mirror.answer("GET", f"/{TOY_STORY_3}", b"", stale)[0] == 200  # the ETag decides


def test_each_fault_mode_as_the_mirror_answers_it(mirror_with):
    moana, coco = (f"{PARENTING}/entertainment/movies/{p}/" for p in ("review-moana",
                                                                       "coco-review"))
    mirror = mirror_with(
        {"match": f"{PARENTING}/a*", "fault": "status", "status": 429, "retry_after": 2,
         "times": 1},
        {"match": f"{PARENTING}/a*", "fault": "status", "status": 503},
        {"match": f"{PARENTING}/slow", "fault": "slow", "seconds": 3},
        {"match": f"{PARENTING}/reset", "fault": "reset", "after_bytes": 10},
        {"match": TOY_STORY_3, "fault": "truncate", "keep": 0.5},
        {"match": INSIDE_OUT_2, "fault": "charset"},
        {"match": PARENTING_FROZEN, "fault": "charset", "declared": None},
        {"match": coco, "fault": "soft_404"},
        {"match": moana, "fault": "markup"},
    )
    status, headers, _ = mirror.answer("GET", f"/{PARENTING}/a")
    assert (status, headers["Retry-After"]) == (429, "2")
    assert mirror.answer("GET", f"/{PARENTING}/a")[0] == 503  # the first rule is used up
    assert mirror.answer("GET", f"/{PARENTING}/slow")[1][DELAY_HEADER] == "3.0"
    assert mirror.answer("GET", f"/{PARENTING}/reset")[1][RESET_AFTER_HEADER] == "10"
    clean = Mirror().answer("GET", f"/{TOY_STORY_3}")[2]
    cut = mirror.answer("GET", f"/{TOY_STORY_3}")[2]
    assert cut == clean[: len(clean) // 2] and b"</html>" not in cut
    headers, cp1252 = mirror.answer("GET", f"/{INSIDE_OUT_2}")[1:]
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"\x91Inside Out 2\x92" in cp1252
    headers, undeclared = mirror.answer("GET", f"/{PARENTING_FROZEN}")[1:]
    assert headers["Content-Type"] == "text/html" and b"charset" not in undeclared.lower()
    status, _, gone = mirror.answer("GET", f"/{coco}")
    assert status == 200 and b"Coco" not in gone
    markup = mirror.answer("GET", f"/{moana}")[2]
    assert b"<script" not in markup and b' class="' not in markup and b"data-v2-class" in markup


def test_a_bad_fault_plan_is_refused(tmp_path):
    plan = tmp_path / "faults.json"
    plan.write_text('[{"match": "*", "fault": "explode"}]')
    with pytest.raises(FaultPlanError, match="unknown fault 'explode'"):
        FaultPlan(plan).apply("/h/p", 200, {}, b"", lambda host, path: ("text/html", b""))


def test_transient_faults_are_retried_and_bad_charsets_decoded(
        sqlite_url, faulty_mirror, clean_crawl):  # noqa: F811
    faulty_mirror.faults(
        {"match": PARENTING_FROZEN, "fault": "status", "status": 429, "retry_after": 1,
         "times": 1},
        {"match": CSM_FROZEN, "fault": "status", "status": 503, "times": 2},
        {"match": CSM_COCO, "fault": "slow", "seconds": 3, "times": 1},
        {"match": CSM_ENCANTO, "fault": "reset", "after_bytes": 300, "times": 1},
        {"match": TOY_STORY_3, "fault": "charset"},  # cp1252 bytes, declared UTF-8
        {"match": INSIDE_OUT_2, "fault": "charset", "declared": None},  # no charset at all
    )
    crawl(faulty_mirror.url, sqlite_url, "-s", "DOWNLOAD_TIMEOUT=1")

    assert snapshot(sqlite_url) == clean_crawl.snapshot  # titles with ‘’ quotes decoded right
    assert faulty_mirror.answers(f"/{PARENTING_FROZEN}") == [429, 200]
    assert faulty_mirror.answers(f"/{CSM_FROZEN}") == [503, 503, 200]
    assert len(faulty_mirror.answers(f"/{CSM_COCO}")) == 2  # timed out, then answered
    assert len(faulty_mirror.answers(f"/{CSM_ENCANTO}")) == 2  # reset mid-body, then whole
    (run,) = runs(sqlite_url)
    assert (run.status, run.pages_failed) == ("finished", 0)


def test_failing_pages_are_recorded_never_stored_and_retried_next_run(
        db_url, faulty_mirror, clean_crawl):  # noqa: F811
    faulty_mirror.faults(
        {"match": CSM_FROZEN, "fault": "status", "status": 503},
        {"match": CSM_COCO, "fault": "truncate"},
        {"match": PARENTING_FROZEN, "fault": "soft_404"},
    )
    crawl(faulty_mirror.url, db_url)
    stored = snapshot(db_url)["reviews"]
    missing = {f"https://{page}" for page in (CSM_FROZEN, CSM_COCO, PARENTING_FROZEN)}
    assert set(clean_crawl.snapshot["reviews"]) - set(stored) == missing
    assert requests_by_status(db_url)["failed"] == {f"https://{CSM_FROZEN}",
                                                    f"https://{CSM_COCO}"}
    (first,) = runs(db_url)
    assert first.pages_failed == 2 and first.details["pages_dropped"] == {"truncated": 1}
    assert len(faulty_mirror.answers(f"/{CSM_COCO}")) == 4  # truncated pages are retried too

    faulty_mirror.faults()
    crawl(faulty_mirror.url, db_url)
    assert snapshot(db_url) == clean_crawl.snapshot
    assert "failed" not in requests_by_status(db_url)
    second = runs(db_url)[0]
    assert (second.items_new, second.pages_failed) == (3, 0)
    assert second.details["sites"]["commonsense"]["seeded"] == 2


def _refuse_inserts(db: str, table: str, times: int, when: str = "true") -> None:
    """PostgreSQL refuses the first ``times`` rows inserted into ``table`` for which ``when``
    holds (a trigger counting them in a sequence, which a rolled-back transaction does not set
    back)."""
    assert run_famreel("db", "upgrade", "--db", db).returncode == 0
    engine = create_engine(db)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SEQUENCE refused_{table}"))
        connection.execute(text(f"""
            CREATE FUNCTION refuse_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('refused_{table}') <= {times} THEN
                    RAISE EXCEPTION 'insert into {table} refused by the test';
                END IF;
                RETURN NEW;
            END $$"""))
        connection.execute(text(f"CREATE TRIGGER refuse BEFORE INSERT ON {table} FOR EACH ROW "
                                f"WHEN ({when}) EXECUTE FUNCTION refuse_{table}()"))
    engine.dispose()


def test_writes_the_database_refuses_are_kept_and_written_with_the_next(
        pg_url, mirror_url, clean_crawl):  # noqa: F811
    _refuse_inserts(pg_url, "reviews", 1)  # a batch of the store pipeline
    # a listing page's row, which only the crawl state's own batches write
    _refuse_inserts(pg_url, "crawl_urls", 1, when="NEW.kind = 'listing'")
    result = crawl(mirror_url, pg_url)
    assert "could not write" in result.stderr and "reviews, kept for the next write" in result.stderr
    assert "crawl-state records, kept for the next write" in result.stderr
    assert "refused by the test" in result.stderr
    # nothing lost: the same reviews, films and consensus as a crawl that met no refusal
    assert snapshot(pg_url) == clean_crawl.snapshot
    assert runs(pg_url)[0].status == "finished"
    assert not requests_by_status(pg_url).get("pending")


def test_writes_still_refused_at_the_end_fail_the_run(pg_url, mirror_url):
    _refuse_inserts(pg_url, "reviews", 10**9)
    result = crawl(mirror_url, pg_url, expect=1)
    assert "could not be written to the database: lost to this run" in result.stderr
    assert runs(pg_url)[0].status == "failed"
    assert snapshot(pg_url)["reviews"] == {}
