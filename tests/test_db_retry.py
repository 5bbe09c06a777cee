"""Transactions PostgreSQL aborts to break a deadlock are run again (``write_retrying``)."""

import logging
import threading
from collections import Counter

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from storage.db import write_retrying


def _pair_table(url: str):  # type: ignore[no-untyped-def]
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE pair (k INTEGER PRIMARY KEY, v TEXT NOT NULL)"))
        connection.execute(text("INSERT INTO pair VALUES (1, ''), (2, '')"))
    return engine


def _append(session, name: str, key: int) -> None:  # type: ignore[no-untyped-def]
    session.execute(text("UPDATE pair SET v = v || :name WHERE k = :key"),
                    {"name": name, "key": key})


def _in_opposite_orders(writer) -> None:  # type: ignore[no-untyped-def]
    """``writer`` "a" updating rows 1 then 2 and "b" rows 2 then 1, in two threads at once."""
    threads = [threading.Thread(target=writer, args=("a", 1, 2)),
               threading.Thread(target=writer, args=("b", 2, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


def test_a_deadlocked_transaction_is_run_again_and_both_writes_land(pg_url, caplog):
    """Two writers lock the same two rows in opposite orders: PostgreSQL aborts one of them
    (deadlock_detected), which runs again once the other has committed."""
    engine = _pair_table(pg_url)
    both_hold_their_first_row = threading.Barrier(2)
    attempts: Counter[str] = Counter()
    errors: list[BaseException] = []

    def writer(name: str, first: int, second: int) -> None:
        def work(session) -> None:  # type: ignore[no-untyped-def]
            attempts[name] += 1
            _append(session, name, first)
            if attempts[name] == 1:
                both_hold_their_first_row.wait(timeout=30)
            _append(session, name, second)

        try:
            write_retrying(engine, work)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    caplog.set_level(logging.WARNING, logger="storage.db")
    _in_opposite_orders(writer)
    assert errors == []
    assert sorted(attempts.values()) == [1, 2]  # one of them was aborted and ran again
    with engine.connect() as connection:
        values = dict(connection.execute(text("SELECT k, v FROM pair")).all())
    # each writer's two updates landed exactly once: the aborted attempt left nothing behind
    assert {k: "".join(sorted(v)) for k, v in values.items()} == {1: "ab", 2: "ab"}
    assert "transaction aborted by the database (40P01)" in caplog.text
    engine.dispose()


def test_the_last_attempt_raises_the_deadlock(pg_url):
    engine = _pair_table(pg_url)
    both_hold_their_first_row = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(name: str, first: int, second: int) -> None:
        def work(session) -> None:  # type: ignore[no-untyped-def]
            _append(session, name, first)
            both_hold_their_first_row.wait(timeout=30)
            _append(session, name, second)

        try:
            write_retrying(engine, work, attempts=1)
        except DBAPIError as exc:
            errors.append(exc)

    _in_opposite_orders(writer)
    assert [getattr(e.orig, "sqlstate", None) for e in errors] == ["40P01"]
    engine.dispose()


def test_other_errors_are_not_retried(db_url):
    engine = _pair_table(db_url)
    runs = []

    def work(session) -> None:  # type: ignore[no-untyped-def]
        runs.append(1)
        session.execute(text("INSERT INTO pair VALUES (1, 'again')"))

    with pytest.raises(IntegrityError):
        write_retrying(engine, work)
    assert len(runs) == 1
    with engine.connect() as connection:
        assert connection.execute(text("SELECT v FROM pair WHERE k = 1")).scalar_one() == ""
    engine.dispose()
