"""Bad input through the installed console script: one clear line on stderr, exit status 2,
no traceback, nothing written."""

import socket
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import open_database
from tests.conftest import run_famreel


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def assert_usage_error(result, *fragments):
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in result.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["crawl", "--site", "nosuchsite"], "invalid choice: 'nosuchsite'"),
        (["crawl", "--title", "Frozen", "--year", "nineteen"], "invalid int value"),
        (["crawl", "--year", "2013"], "--year goes with --title"),
        (["crawl", "--title", "  "], "--title is empty"),
        (["films", "--format", "xml"], "invalid choice: 'xml'"),
        (["show", "abc"], "invalid int value"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_usage(tmp_path, args, fragment):
    result = run_famreel(*args, "--db", f"sqlite:///{tmp_path / 'x.db'}", cwd=tmp_path)
    assert_usage_error(result, fragment)
    assert not (tmp_path / "x.db").exists()


def test_unreachable_mirror(tmp_path):
    db = tmp_path / "x.db"
    result = run_famreel("crawl", "--mirror", f"http://127.0.0.1:{free_port()}",
                         "--db", f"sqlite:///{db}", cwd=tmp_path)
    assert_usage_error(result, "cannot reach mirror")
    assert not db.exists()


@pytest.mark.parametrize("url", ["nonsense://", "mysql://u@h/db", "postgresql+psycopg://"
                                 "postgres@127.0.0.1:1/none"])
def test_bad_database_url(tmp_path, url):
    result = run_famreel("films", "--db", url, cwd=tmp_path)
    assert_usage_error(result, "famreel: error:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_database_url_from_environment(tmp_path):
    result = run_famreel("films", env={"FAMREEL_DB": "nonsense"}, cwd=tmp_path)
    assert_usage_error(result, "bad database URL 'nonsense'")


def test_newer_schema_is_refused_untouched(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    engine = open_database(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    before = (tmp_path / "new.db").read_bytes()
    result = run_famreel("crawl", "--db", url, "--site", "commonsense", cwd=tmp_path)
    assert_usage_error(result, "newer than this famreel")
    assert (tmp_path / "new.db").read_bytes() == before


def test_db_upgrade_creates_schema(tmp_path):
    result = run_famreel("db", "upgrade", "--db", f"sqlite:///{tmp_path / 'fresh.db'}")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "fresh.db").exists()


def test_help_explains_every_command():
    result = run_famreel("--help")
    assert result.returncode == 0
    for command in ("crawl", "search", "show", "films", "merge", "mirror", "db", "demo"):
        assert command in result.stdout
    crawl_help = run_famreel("crawl", "--help").stdout
    for option in ("--site", "--mirror", "--db", "--title", "--year", "--json"):
        assert option in crawl_help
