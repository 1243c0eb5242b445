"""The database under every part of the store, on SQLite and PostgreSQL: URLs, the tables, the SQLite
file, transactions, the insert that tolerates a twin, the binary fetch, the clock (store/db.py)."""

from __future__ import annotations

import sqlite3
import stat
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, func, inspect, select

from store import db
from store.db import Database, normalise_url
from store.schema import datasets, files, metadata, users
from store_fixtures import db_url  # noqa: F401  (fixtures)


@pytest.mark.parametrize(
    "url, expected",
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_normalise_url(url, expected):
    assert normalise_url(url) == expected


def test_other_databases_are_refused():
    with pytest.raises(ValueError, match="url must be a SQLite or PostgreSQL URL, got 'mysql'"):
        Database("mysql://u@h/db")


def test_default_database_is_a_private_sqlite_file_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("EVALUASI_DATA_DIR", str(tmp_path / "data"))
    database = Database()
    path = tmp_path / "data" / "evaluasi.sqlite3"
    assert database.dialect == "sqlite" and path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert "sqlite" in repr(database)
    database.close()


def test_every_table_is_created(db_url):
    database = Database(db_url)
    names = set(inspect(database.engine).get_table_names())
    assert names == {"files", "datasets", "versions", "version_data", "users", "sessions", "session_handoffs",
                     "sign_in_throttle", "sign_in_addresses", "theme_versions", "theme_keywords",
                     "rule_set_versions", "decisions", "audit_log"} == set(metadata.tables)
    database.close()


def test_an_older_database_gains_the_new_tables(db_url):
    # a database made before the theme dictionary and the follow-up decisions moved into it
    engine = create_engine(normalise_url(db_url))
    newer = ("theme_versions", "theme_keywords", "rule_set_versions", "decisions")
    older = [t for t in metadata.sorted_tables if t.name not in newer]
    metadata.create_all(engine, tables=older)
    with engine.begin() as conn:
        conn.execute(datasets.insert().values(kind="training", name="Latsar", created_at=db.utcnow(),
                                              created_by="budi"))
    engine.dispose()
    database = Database(db_url)
    assert set(newer) <= set(inspect(database.engine).get_table_names())
    with database.transaction(write=False) as conn:  # and what was there stays
        assert conn.execute(select(datasets.c.name)).scalars().all() == ["Latsar"]
    database.close()


def test_servers_starting_together_create_the_tables_once(db_url):
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def start() -> None:
        try:
            barrier.wait(timeout=30)
            Database(db_url).close()
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors


def test_a_transaction_commits_or_rolls_back_as_a_whole(db_url):
    database = Database(db_url)
    row = dict(username="budi", role="viewer", disabled=False, failed_attempts=0, created_at=db.utcnow(),
               created_by="test")
    with pytest.raises(RuntimeError, match="midway"):
        with database.transaction() as conn:
            conn.execute(users.insert().values(**row))
            raise RuntimeError("midway")
    with database.transaction() as conn:
        conn.execute(users.insert().values(**row))
    with database.transaction(write=False) as conn:
        assert conn.execute(select(users.c.username)).scalars().all() == ["budi"]
    database.close()


def test_insert_ignore_keeps_the_first_of_two_twins(db_url):
    database = Database(db_url)
    with database.transaction() as conn:
        for who in ("budi", "ani"):
            conn.execute(database.insert_ignore(datasets, ["kind", "name"]).values(
                kind="training", name="Latsar", created_at=db.utcnow(), created_by=who))
        conn.execute(database.insert_ignore(datasets, ["kind", "name"]).values(
            kind="feedback", name="Latsar", created_at=db.utcnow(), created_by="ani"))
    with database.transaction(write=False) as conn:
        rows = conn.execute(select(datasets.c.kind, datasets.c.created_by).order_by(datasets.c.id)).all()
    assert [tuple(r) for r in rows] == [("training", "budi"), ("feedback", "ani")]
    database.close()


def test_fetch_first_returns_bytes_as_stored(db_url):
    database = Database(db_url)
    data = bytes(range(256)) * 100 + b"\x00PK\x03\x04"
    with database.transaction() as conn:
        conn.execute(files.insert().values(sha256="a" * 64, size=len(data), first_name="x.xlsx",
                                           created_at=db.utcnow(), created_by="budi", data=data))
    with database.transaction(write=False) as conn:
        name, back = database.fetch_first(conn, select(files.c.first_name, files.c.data))
        assert database.fetch_first(conn, select(files.c.data).where(files.c.sha256 == "b" * 64)) is None
        count = conn.execute(select(func.count()).select_from(files)).scalar_one()
    assert (name, bytes(back), count) == ("x.xlsx", data, 1)
    database.close()


def test_utcnow_is_naive_utc():
    before = datetime.now(timezone.utc).replace(tzinfo=None)
    now = db.utcnow()
    after = datetime.now(timezone.utc).replace(tzinfo=None)
    assert now.tzinfo is None and before <= now <= after
