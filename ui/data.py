"""Which data the pages show, loaded once and cached.

The latest published dataset of each kind, or — until an analyst publishes one — the bundled
synthetic sample in ``data/sample/`` read through the same intake, labelled as synthetic wherever
it is shown. Cached by version (or by the sample file's content), so a filter change never reloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.core.config import ROOT
from analysis.intake.pipeline import read_file
from store.privacy import for_role
from store.datasets import Store
from ui.session import md_escape, t, user

SAMPLE_DIR = ROOT / "data" / "sample"
SAMPLE_FILES = {
    "training": "rekap_pelatihan_2025.xlsx",
    "feedback": "skm_2025.xlsx",
    "mentoring": "mentoring_2025.xlsx",
    "events": "kegiatan_masyarakat_2025.xlsx",
}
KIND_WORDS = {"training": {"id": "pelatihan", "en": "training"}, "feedback": {"id": "SKM", "en": "SKM"},
              "mentoring": {"id": "mentoring", "en": "mentoring"}, "events": {"id": "kegiatan", "en": "event"}}


@st.cache_resource
def store() -> Store:
    """One store per server process (SQLite by default, ``DATABASE_URL`` for PostgreSQL)."""
    return Store()


@dataclass(frozen=True)
class Source:
    """Where a kind's rows come from: a published version, or the synthetic sample."""

    kind: str
    version_id: int | None
    name: str
    version_no: int | None = None
    published_at: str | None = None

    @property
    def is_sample(self) -> bool:
        return self.version_id is None

    @property
    def key(self) -> str:
        """A cache key that changes whenever the data do."""
        return f"{self.kind}:{self.version_id or 'sample'}"


def source(kind: str) -> Source:
    """The latest published version of ``kind``, else the sample."""
    version_id = store().latest_published(kind)
    if version_id is None:
        return Source(kind, None, SAMPLE_FILES[kind])
    info = store().get_version(version_id)
    when = info.get("published_at")
    return Source(kind, version_id, str(info.get("name")), info.get("version_no"),
                  when.strftime("%d-%m-%Y") if hasattr(when, "strftime") else str(when))


@st.cache_data(show_spinner=False, max_entries=32)
def _rows(key: str, kind: str, version_id: int | None) -> pd.DataFrame:
    if version_id is None:
        return read_file(SAMPLE_DIR / SAMPLE_FILES[kind], kind=kind).accepted
    return store().load_rows(version_id)


def frame(kind: str) -> tuple[pd.DataFrame, Source]:
    """The rows of ``kind`` to show, and where they come from (not yet masked: see ``visible``)."""
    src = source(kind)
    with st.spinner("…"):
        rows = _rows(src.key, kind, src.version_id)
    return rows, src


def visible(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows as the signed-in role may see them: NIP and names masked for viewers (DOMAIN.md §2)."""
    return for_role(rows, user())


def banner(src: Source) -> None:
    """Say where the numbers come from; the synthetic sample is always labelled as such."""
    from ui.session import lang

    if src.is_sample:
        st.warning(t("data.sample_banner", kind=KIND_WORDS[src.kind][lang()]), icon="⚠️")
    else:
        st.caption(t("data.published_caption", name=md_escape(src.name), version=src.version_no,
                     when=src.published_at))


def sample_path(kind: str) -> Path:
    return SAMPLE_DIR / SAMPLE_FILES[kind]
