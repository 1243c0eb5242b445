"""Which data the pages show: the source of each kind, looked up once per run, and its rows, cached.

The latest published dataset of each kind, or — until an analyst publishes one — the bundled
synthetic sample in ``data/sample/`` read through the same intake, labelled as synthetic wherever
it is shown. ``app.py`` calls :func:`begin_run` first thing in every run; the first
:func:`source` of a kind in that run asks the store, later ones in the same run read the answer
kept for the run. The rows are cached by the source's identity (:meth:`Source.cache_key`: the
version and its upload time, or the sample file's digest), so a filter change never reloads and a
newly published version is read without clearing anyone's cache.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.core.config import ROOT
from analysis.intake.pipeline import read_file
from store.datasets import Store
from store.privacy import for_role
from ui.session import lang, md_escape, t, user

SAMPLE_DIR = ROOT / "data" / "sample"
SAMPLE_FILES = {
    "training": "rekap_pelatihan_2025.xlsx",
    "feedback": "skm_2025.xlsx",
    "mentoring": "mentoring_2025.xlsx",
    "events": "kegiatan_masyarakat_2025.xlsx",
    "kinerja": "kinerja_2025.xlsx",
}
KIND_WORDS = {"training": {"id": "pelatihan", "en": "training"}, "feedback": {"id": "SKM", "en": "SKM"},
              "mentoring": {"id": "mentoring", "en": "mentoring"}, "events": {"id": "kegiatan", "en": "event"},
              "kinerja": {"id": "penilaian kinerja", "en": "appraisal"}}

#: ``st.session_state`` key of this run's sources, ``{kind: Source}`` (small records, never rows).
RUN_SOURCES = "data_sources_this_run"


@st.cache_resource
def store() -> Store:
    """One store per server process (SQLite by default, ``DATABASE_URL`` for PostgreSQL)."""
    return Store()


@dataclass(frozen=True)
class Source:
    """Where a kind's rows come from: a published version, or the synthetic sample.

    ``stamp`` is the version's upload time, or the sample file's SHA-256: with the kind and the
    version id it identifies the rows, even if a purged version's id were ever reused.
    """

    kind: str
    version_id: int | None
    name: str
    version_no: int | None = None
    published_at: str | None = None
    stamp: str = ""

    @property
    def is_sample(self) -> bool:
        return self.version_id is None

    @property
    def label(self) -> str:
        """How the audit log names the source: ``training:12`` or ``training:sample``."""
        return f"{self.kind}:{self.version_id or 'sample'}"

    def cache_key(self) -> tuple:
        """The identity of the rows, for ``st.cache_data(hash_funcs=...)``."""
        return (self.kind, self.version_id, self.stamp)


#: For ``st.cache_data``: a :class:`Source` argument is hashed by its identity.
HASH_FUNCS = {Source: Source.cache_key}


def begin_run() -> None:
    """Forget the previous run's sources: each run looks every kind up again, once (``app.py``)."""
    st.session_state[RUN_SOURCES] = {}


def source(kind: str) -> Source:
    """The source of ``kind`` in this run: the latest published version, else the sample."""
    found = st.session_state.setdefault(RUN_SOURCES, {})
    if kind not in found:
        found[kind] = _look_up(kind)
    return found[kind]


def _look_up(kind: str) -> Source:
    version_id = store().latest_published(kind)
    if version_id is None:
        return Source(kind, None, SAMPLE_FILES[kind], stamp=_sample_digest(sample_path(kind)))
    info = store().get_version(version_id)
    return Source(kind, version_id, str(info.get("name")), info.get("version_no"),
                  _day(info.get("published_at")), stamp=str(info.get("uploaded_at")))


def _day(when) -> str:
    return when.strftime("%d-%m-%Y") if hasattr(when, "strftime") else str(when)


def _sample_digest(path: Path) -> str:
    stat = path.stat()
    return _file_digest(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    """SHA-256 of a file, computed again only when its time or size changes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@st.cache_data(show_spinner="…", max_entries=16, hash_funcs=HASH_FUNCS)
def rows(src: Source) -> pd.DataFrame:
    """The rows of ``src`` (not yet masked: see :func:`visible`)."""
    if src.version_id is None:
        return read_file(sample_path(src.kind), kind=src.kind).accepted
    return store().load_rows(src.version_id)


def visible(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows as the signed-in role may see them: NIP and names masked for viewers."""
    return for_role(frame, user())


def banner(src: Source) -> None:
    """Say where the numbers come from; the synthetic sample is always labelled as such."""
    if src.is_sample:
        st.warning(t("data.sample_banner", kind=KIND_WORDS[src.kind][lang()]), icon="⚠️")
    else:
        st.caption(t("data.published_caption", name=md_escape(src.name), version=src.version_no,
                     when=src.published_at))


def sample_path(kind: str) -> Path:
    """The bundled synthetic workbook of ``kind``."""
    return SAMPLE_DIR / SAMPLE_FILES[kind]
