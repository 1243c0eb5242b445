"""The database every part of the store works on: engine, tables, transactions, the clock.

An embedded SQLite file in the data folder by default (``EVALUASI_DATA_DIR``), or PostgreSQL when
``DATABASE_URL`` names one (several app servers). :class:`Database` opens it and creates the
missing tables of :data:`store.schema.metadata`; :class:`store.datasets.Store` adds the datasets
to it, and the functions of :mod:`store.accounts`, :mod:`store.sessions`, :mod:`store.oidc`,
:mod:`store.themes` and :mod:`store.audit` take it as their first argument.

SQLite runs in WAL mode with a busy timeout and takes the write lock at the start of a write
transaction (``BEGIN IMMEDIATE``), so concurrent writers queue instead of failing. On PostgreSQL,
app servers starting together create the tables one at a time, under an advisory lock.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import Table, create_engine, event, func, select
from sqlalchemy.engine import URL, Connection, Engine, make_url

from store.schema import metadata

_SCHEMA_LOCK = 0x45564131  # PostgreSQL advisory lock held while creating tables


def utcnow() -> datetime:
    """The current time as a naive UTC datetime, the form every table of the store keeps.

    The store's one clock: modules call it as ``db.utcnow()``, so a test can move time by
    replacing it.

    Examples
    --------
    >>> utcnow().tzinfo is None
    True
    """
    return datetime.now(timezone.utc).replace(tzinfo=None)


def normalise_url(url: str) -> str:
    """SQLAlchemy URL with the installed PostgreSQL driver (psycopg 3) made explicit.

    Examples
    --------
    >>> normalise_url("postgres://u:p@db:5432/evaluasi")
    'postgresql+psycopg://u:p@db:5432/evaluasi'
    >>> normalise_url("sqlite:////srv/evaluasi/evaluasi.sqlite3")
    'sqlite:////srv/evaluasi/evaluasi.sqlite3'
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _wal(cursor, attempts: int = 600) -> None:
    """Switch a SQLite file to WAL. The switch takes the file's lock without waiting on the busy
    timeout, so servers (or threads) opening a new file together retry it for up to a minute;
    once one has switched, the setting is kept in the file and the others' switch does nothing."""
    import sqlite3
    import time

    for attempt in range(attempts):
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.1)


class Database:
    """One database of the store: its engine, its tables, its transactions.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; default ``get_settings().database_url`` (``DATABASE_URL``, else SQLite at
        ``EVALUASI_DATA_DIR/evaluasi.sqlite3``, whose folder is created, readable by its owner
        only). ``postgres://`` and ``postgresql://`` use psycopg 3.

    Examples
    --------
    >>> from sqlalchemy import inspect
    >>> db = Database("sqlite://")
    >>> db.dialect, "audit_log" in inspect(db.engine).get_table_names()
    ('sqlite', True)
    """

    def __init__(self, url: str | None = None) -> None:
        if url is None:
            from analysis.core.config import get_settings

            url = get_settings().database_url
        self.url = normalise_url(str(url))
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise ValueError(f"url must be a SQLite or PostgreSQL URL, got {parsed.drivername!r}")
        if self.dialect == "sqlite":
            self.engine = self._sqlite_engine(parsed)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True)
        self._create_tables()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.engine.url.render_as_string(hide_password=True)!r})"

    def _sqlite_engine(self, parsed: URL) -> Engine:
        database = parsed.database
        on_disk = bool(database) and database != ":memory:" and not database.startswith("file:")
        if on_disk:
            path = Path(database)
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not path.exists():
                path.touch(mode=0o600)  # personal data: owner only
        engine = create_engine(self.url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 60000")
            if on_disk:
                _wal(cursor)
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:
            write = conn.get_execution_options().get("evaluasi_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    def _create_tables(self) -> None:
        """Create the tables the database lacks (an older database gains the new ones)."""
        with self.transaction() as conn:
            if self.dialect == "postgresql":  # app servers starting together: one at a time
                conn.execute(select(func.pg_advisory_xact_lock(_SCHEMA_LOCK)))
            metadata.create_all(conn, checkfirst=True)

    def close(self) -> None:
        """Close the connection pool.

        Examples
        --------
        >>> Database("sqlite://").close()
        """
        self.engine.dispose()

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[Connection]:
        """A connection inside one transaction, committed on success and rolled back on error.

        On SQLite a write transaction takes the write lock at once (``BEGIN IMMEDIATE``), waiting
        up to a minute for another writer, so two writers queue instead of failing.

        Examples
        --------
        >>> from sqlalchemy import text
        >>> with Database("sqlite://").transaction(write=False) as conn:
        ...     conn.execute(text("SELECT 1")).scalar()
        1
        """
        with self.engine.connect() as conn:
            if write:
                conn.execution_options(evaluasi_write=True)
            with conn.begin():
                yield conn

    def insert_ignore(self, table: Table, keys: list[str]) -> Any:
        """An ``INSERT`` into ``table`` that does nothing when a row with the same ``keys`` exists
        (``ON CONFLICT DO NOTHING`` in either dialect): two writers adding the same row both succeed.

        Examples
        --------
        >>> from store.schema import datasets
        >>> db = Database("sqlite://")
        >>> row = dict(kind="training", name="Latsar", created_at=utcnow(), created_by="budi")
        >>> with db.transaction() as conn:
        ...     for _ in range(2):
        ...         _ = conn.execute(db.insert_ignore(datasets, ["kind", "name"]).values(**row))
        ...     conn.execute(select(func.count()).select_from(datasets)).scalar_one()
        1
        """
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table).on_conflict_do_nothing(index_elements=keys)

    def fetch_first(self, conn: Connection, query: Any) -> tuple | None:
        """The first row of ``query`` as a tuple, or None; on PostgreSQL in psycopg's binary
        format, which moves a ``bytea`` without the hex text encoding (half the bytes, no decoding:
        what makes a 500,000-row dataset load fast).

        Examples
        --------
        >>> from store.schema import files
        >>> db = Database("sqlite://")
        >>> with db.transaction(write=False) as conn:
        ...     db.fetch_first(conn, select(files.c.data)) is None
        True
        """
        if self.dialect != "postgresql":
            row = conn.execute(query).first()
            return None if row is None else tuple(row)
        compiled = query.compile(dialect=conn.dialect)
        driver = conn.connection.driver_connection
        with driver.cursor(binary=True) as cursor:
            cursor.execute(str(compiled), compiled.params)
            return cursor.fetchone()
