"""A PostgreSQL server for the tests that run the store on both engines.

``server_url()`` answers, in this order:

1. ``$TEST_DATABASE_URL`` when it is set (CI starts Debian's ``postgresql`` on 127.0.0.1);
2. else a throwaway cluster made with Debian's ``/usr/lib/postgresql/*/bin/initdb`` and ``pg_ctl``
   in a temporary folder, listening on 127.0.0.1 on a free port (as the ``postgres`` OS user
   through ``runuser`` when the tests run as root), stopped and removed when the process exits;
3. else ``None``, and :data:`SKIP_REASON` says why — the tests skip their PostgreSQL case.

Each test gets a schema of its own (:func:`fresh_url`), dropped afterwards, so tests never see each
other's rows. Use the ``db_url`` fixture: ``from pg import db_url  # noqa: F401``.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import pytest

SKIP_REASON = ""
_lock = threading.Lock()
_state: dict = {}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name)
                   if Path(p).parent.parent.name.isdigit() else 0)
    return Path(found[-1]).parent if found else None


def _start_cluster() -> str | None:
    global SKIP_REASON
    bindir = _binaries()
    if bindir is None:
        SKIP_REASON = ("PostgreSQL not available: set TEST_DATABASE_URL or install Debian's postgresql "
                       "(/usr/lib/postgresql/*/bin/initdb not found)")
        return None
    as_root = os.geteuid() == 0
    if as_root and shutil.which("runuser") is None:
        SKIP_REASON = "PostgreSQL binaries found, but running as root without runuser to drop to 'postgres'"
        return None
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    folder = Path(tempfile.mkdtemp(prefix="evaluasi-pg-"))
    data = folder / "data"
    if as_root:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    try:
        subprocess.run(
            prefix + [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8", "--no-sync"],
            check=True, capture_output=True, timeout=120,
        )
        options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        subprocess.run(
            prefix + [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w",
                      "-t", "60", "start"],
            check=True, capture_output=True, timeout=90,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as err:
        detail = getattr(err, "stderr", b"") or b""
        SKIP_REASON = f"could not start a throwaway PostgreSQL cluster: {err} {detail.decode(errors='replace')[-300:]}"
        shutil.rmtree(folder, ignore_errors=True)
        return None

    def stop() -> None:
        subprocess.run(prefix + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"


def server_url() -> str | None:
    """The URL of a PostgreSQL database the tests may use, or None (see :data:`SKIP_REASON`)."""
    with _lock:
        if "url" not in _state:
            env = os.environ.get("TEST_DATABASE_URL", "").strip()
            if env:
                from store.db import normalise_url

                _state["url"] = normalise_url(env)
            else:
                _state["url"] = _start_cluster()
        return _state["url"]


@contextmanager
def fresh_url(base: str) -> Iterator[str]:
    """``base`` with a new, empty schema first on the search path; the schema is dropped after."""
    from sqlalchemy import create_engine, text

    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in base else "?"
        yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> Iterator[str]:
    """A fresh database URL, once for SQLite (a file in ``tmp_path``) and once for PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'evaluasi.sqlite3'}"
        return
    base = server_url()
    if base is None:
        pytest.skip(SKIP_REASON)
    with fresh_url(base) as url:
        yield url
