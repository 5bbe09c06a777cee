"""Shared fixtures: the bundled mirror served on 127.0.0.1, fresh SQLite and PostgreSQL databases."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

PG_ADMIN_URL = os.environ.get(
    "FAMREEL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = bool(os.environ.get("CI"))


def famreel_command() -> list[str]:
    """The installed console script (the CLI tests go through it, as a user would)."""
    script = shutil.which("famreel")
    if script is None:
        pytest.fail("the famreel console script is not installed: pip install -e '.[dev]'")
    return [script]


@pytest.fixture(scope="session")
def mirror_url() -> Iterator[str]:
    """``famreel mirror --port 0`` in a subprocess; its first stdout line is the URL."""
    process = subprocess.Popen(
        [*famreel_command(), "mirror", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), url
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'famreel.db'}"


def _pg_admin_engine():  # type: ignore[no-untyped-def]
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        engine.connect().close()
    except Exception as exc:  # noqa: BLE001
        engine.dispose()
        if IN_CI:
            pytest.fail(f"PostgreSQL must run in CI ({PG_ADMIN_URL}): {exc}")
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL} (outside CI): {exc}")
    return engine


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped on exit (skipped outside CI when
    PostgreSQL is down; a failure in CI)."""
    admin = _pg_admin_engine()
    name = f"famreel_test_{uuid.uuid4().hex[:12]}"
    quoted = admin.dialect.identifier_preparer.quote(name)
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {quoted}"))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database per test, dropped afterwards."""
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each storage test runs on real SQLite and on real PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


def run_famreel(*args: str, env: dict[str, str] | None = None, timeout: float = 240,
                cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("FAMREEL_DB", "FAMREEL_MIRROR")}
    full_env.update(env or {})
    return subprocess.run(
        [*famreel_command(), *args], capture_output=True, text=True, timeout=timeout,
        env=full_env, cwd=cwd, stdin=subprocess.DEVNULL,
    )

