"""Kill a crawl with SIGKILL mid-way (a real subprocess crawl of the mirror, killed at a chosen
moment through $FAMREEL_FAILPOINT), start it again the same way, and compare the database with a
clean run's: same reviews, same films, same consensus; and the second run resumed."""

import signal

import pytest

from tests.test_jobs_support import clean_crawl, crawl, runs, snapshot  # noqa: F401

# small write batches, so that a kill leaves some reviews and some crawl state behind
SMALL_BATCHES = ("-s", "FAMREEL_BATCH_SIZE=5")


@pytest.mark.parametrize("point", ["fetch:30", "store:4", "merge:1"])
def test_killed_crawl_resumes_to_the_clean_database(point, db_url, mirror_url, clean_crawl):  # noqa: F811
    killed = crawl(mirror_url, db_url, *SMALL_BATCHES, env={"FAMREEL_FAILPOINT": point},
                   expect=None)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    before = snapshot(db_url)
    assert before["films"] == []  # killed before the merge committed
    if point == "store:4":
        assert 0 < len(before["reviews"]) < len(clean_crawl.snapshot["reviews"])

    resumed = crawl(mirror_url, db_url, *SMALL_BATCHES)

    assert snapshot(db_url) == clean_crawl.snapshot
    assert "resumed" in resumed.stderr
    last, dead = runs(db_url)[:2]
    assert (dead.status, last.status) == ("killed", "finished")
    assert last.pages < clean_crawl.pages  # it went on from where the killed run stopped
    if point == "merge:1":
        assert last.pages == 0  # everything was fetched: only the merge was left to do
