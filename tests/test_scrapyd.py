"""Scrapyd: ``scrapyd-deploy`` builds and uploads the project from ``scrapy.cfg``, a crawl of the
mirror scheduled through ``schedule.json`` runs, and its reviews land in PostgreSQL.

Scrapyd runs the egg from a folder of its own, so the database and the mirror go to the job as
absolute ``setting=`` values, never a relative ``sqlite:///famreel.db``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from storage.models import CrawlRun, Film, Review

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _api(base: str, endpoint: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"{base}/{endpoint}", data=body, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[str]:
    """Scrapyd on a free 127.0.0.1 port, its eggs, logs and job database in ``tmp_path``."""
    if shutil.which("scrapyd") is None:
        pytest.fail("scrapyd is not installed: pip install -e '.[dev]'")
    port = _free_port()
    (tmp_path / "scrapyd.conf").write_text(
        "[scrapyd]\nbind_address = 127.0.0.1\n"
        f"http_port = {port}\neggs_dir = {tmp_path / 'eggs'}\nlogs_dir = {tmp_path / 'logs'}\n"
        f"dbs_dir = {tmp_path / 'dbs'}\nitems_dir =\npoll_interval = 0.5\nmax_proc = 2\n"
    )
    process = subprocess.Popen(["scrapyd"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if _api(base, "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("scrapyd did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_deploy_schedule_and_reviews_land_in_postgresql(scrapyd: str, mirror_url: str,
                                                        pg_url: str, tmp_path: Path):
    # a user-level scrapy.cfg names this scrapyd as a target; the project's own [deploy]
    # section gives the project name
    config = tmp_path / "config"
    config.mkdir()
    (config / "scrapy.cfg").write_text(f"[deploy:test]\nurl = {scrapyd}/\n")
    env = {**os.environ, "XDG_CONFIG_HOME": str(config)}
    deploy = subprocess.run(["scrapyd-deploy", "test"], cwd=PROJECT_ROOT, env=env,
                            capture_output=True, text=True, timeout=180)
    assert deploy.returncode == 0, deploy.stderr
    assert json.loads(deploy.stdout)["status"] == "ok"
    assert "dove" in _api(scrapyd, "listspiders.json?project=famreel")["spiders"]

    job = _api(scrapyd, "schedule.json", [
        ("project", "famreel"), ("spider", "dove"),
        ("setting", f"FAMREEL_DB={pg_url}"), ("setting", f"FAMREEL_MIRROR={mirror_url}"),
    ])
    assert job["status"] == "ok", job
    for _ in range(240):
        jobs = _api(scrapyd, "listjobs.json?project=famreel")
        if any(j["id"] == job["jobid"] for j in jobs["finished"]):
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"the scheduled crawl did not finish: {jobs}")

    engine = create_engine(pg_url)
    try:
        with engine.connect() as connection:
            reviews = connection.scalar(select(func.count()).select_from(Review))
            urls = connection.scalars(select(Review.url)).all()
            films = connection.scalar(select(func.count()).select_from(Film))
            runs = connection.execute(select(CrawlRun.command, CrawlRun.status)).all()
    finally:
        engine.dispose()
    assert reviews >= 30 and all(url.startswith("https://dove.org/") for url in urls)
    assert films > 0  # the pipeline merged when the spider closed
    assert runs == [("scrapy crawl dove", "finished")]
