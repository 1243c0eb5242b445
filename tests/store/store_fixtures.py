"""Fixtures of the store tests: a store on each engine, a cheap password hash, a movable clock, the CLI.

A test module imports the fixtures it uses (``from store_fixtures import store  # noqa: F401``),
as with ``db_url`` from ``tests/pg.py``: a second ``conftest.py`` would shadow the one of ``tests/``
that other modules import. Every test that takes ``store`` or ``db_url`` runs twice, on SQLite and
on PostgreSQL (the PostgreSQL case is skipped when no server can be started).
"""

from __future__ import annotations

import io
import sys

import pytest
from argon2 import PasswordHasher, profiles

try:
    from pg import db_url  # noqa: F401  (fixture: sqlite and postgresql)
except ImportError:  # tests/ made a package
    from tests.pg import db_url  # noqa: F401

from analysis import cli
from analysis.core.errors import AnalysisError
from store import accounts, db
from store.datasets import Store


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch):
    """argon2 with its cheapest parameters, for speed (autouse in every module that imports it);
    test_default_hasher checks the real ones."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def store(db_url):  # noqa: F811
    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture
def clock(monkeypatch):
    """The store's clock (``store.db.utcnow``), moved by the test: ``clock.now += timedelta(...)``."""

    class Clock:
        now = db.utcnow()

    monkeypatch.setattr(db, "utcnow", lambda: Clock.now)
    return Clock


@pytest.fixture
def code_of():
    """``code_of(call)``: the code of the ``AnalysisError`` that ``call()`` raises."""

    def code(call) -> str:
        with pytest.raises(AnalysisError) as err:
            call()
        return err.value.code

    return code


@pytest.fixture
def run_cli(monkeypatch, capsys):
    """``run_cli(argv, stdin)``: ``python -m analysis`` in process; returns (status, stdout, stderr)."""

    def run(argv: list[str], stdin: str = ""):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = cli.main(argv)
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
