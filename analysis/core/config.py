"""Settings, read from environment variables so a deployment changes nothing in code.

| variable | meaning | default |
|---|---|---|
| ``EVALUASI_DATA_DIR`` | folder for the embedded database and stored files | ``./var`` |
| ``DATABASE_URL`` | SQLAlchemy URL; PostgreSQL for a multi-server deployment | SQLite in the data folder |
| ``EVALUASI_AUTH_MODE`` | ``none`` (loopback only, everyone admin), ``local`` or ``oidc`` | ``none`` |
| ``EVALUASI_MAX_UPLOAD_MB`` | largest file the intake accepts | ``50`` |
| ``EVALUASI_MAX_ROWS`` | most data rows one sheet may hold | ``1000000`` |
| ``EVALUASI_MAX_UNPACKED_MB`` | most a workbook may expand to when unzipped (zip-bomb guard) | ``1024`` |
| ``EVALUASI_JP_TARGET`` | yearly JP each PNS has a right to (PP 17/2020) | ``20`` |
| ``EVALUASI_DISTRICTS`` | CSV of districts (kode, kecamatan, lat, lon) | ``data/kecamatan_medan.csv`` |
| ``EVALUASI_MENTORING_JP_PER_SESSION`` | JP a mentee is credited per mentoring session when the file gives none (no national rule: docs/domain.md §4) | ``2`` |
| ``EVALUASI_INTAKE_MEMORY_MB`` | address space a worker reading one file may add | ``3072`` |
| ``EVALUASI_INTAKE_CPU_SECONDS`` | CPU time a worker reading one file may use | ``120`` |
| ``EVALUASI_INTAKE_SECONDS`` | wall-clock time a worker reading one file may take | ``300`` |
| ``EVALUASI_SESSION_HOURS`` | how long a ``local`` sign-in lasts (read by ``store.sessions``) | ``8`` |
| ``EVALUASI_OIDC_ROLES`` | e-mail → role rules for ``oidc`` (read by ``store.oidc``) | empty: nobody |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: The theme dictionary of citizens' comments shipped with the product (``tema``, ``kata_kunci``);
#: in force until an administrator saves an edited one (kept in the database, ``store.themes``).
THEMES_CSV = ROOT / "data" / "tema_saran.csv"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    auth_mode: str
    max_upload_bytes: int
    max_rows: int
    max_unpacked_bytes: int
    jp_target: float
    districts_csv: Path
    mentoring_jp_per_session: float = 2.0
    intake_memory_mb: int = 3072
    intake_cpu_seconds: int = 120
    intake_seconds: float = 300.0


def get_settings() -> Settings:
    """Read the settings from the environment (cheap; call it where needed).

    Examples
    --------
    >>> get_settings().jp_target, get_settings().mentoring_jp_per_session
    (20.0, 2.0)
    """
    env = os.environ
    data_dir = Path(env.get("EVALUASI_DATA_DIR", ROOT / "var")).resolve()
    return Settings(
        data_dir=data_dir,
        database_url=env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'evaluasi.sqlite3'}",
        auth_mode=env.get("EVALUASI_AUTH_MODE", "none").strip().lower(),
        max_upload_bytes=int(float(env.get("EVALUASI_MAX_UPLOAD_MB", "50")) * 1024 * 1024),
        max_rows=int(env.get("EVALUASI_MAX_ROWS", "1000000")),
        max_unpacked_bytes=int(float(env.get("EVALUASI_MAX_UNPACKED_MB", "1024")) * 1024 * 1024),
        jp_target=float(env.get("EVALUASI_JP_TARGET", "20")),
        districts_csv=Path(env.get("EVALUASI_DISTRICTS", ROOT / "data" / "kecamatan_medan.csv")),
        mentoring_jp_per_session=float(env.get("EVALUASI_MENTORING_JP_PER_SESSION", "2")),
        intake_memory_mb=int(env.get("EVALUASI_INTAKE_MEMORY_MB", "3072")),
        intake_cpu_seconds=int(env.get("EVALUASI_INTAKE_CPU_SECONDS", "120")),
        intake_seconds=float(env.get("EVALUASI_INTAKE_SECONDS", "300")),
    )
