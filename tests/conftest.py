"""Shared fixtures: the repository root and small, isolated settings.

Keep this file small; helpers that write workbooks live in ``tests/builders.py``.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from analysis.core.config import Settings, get_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root (absolute), for paths such as ``root / "app.py"``."""
    return ROOT


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with small limits (2 MB upload, 16 MB unpacked, 20,000 rows) and a temporary data
    folder, so nothing touches ``./var``; an explicit ``DATABASE_URL`` (CI's PostgreSQL) is kept."""
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    return dataclasses.replace(
        get_settings(),
        data_dir=data_dir,
        database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / 'evaluasi.sqlite3'}",
        max_upload_bytes=2 * 1024 * 1024,
        max_rows=20_000,
        max_unpacked_bytes=16 * 1024 * 1024,
    )
