"""Which data the pages show: the source of each kind, looked up once per run, and its rows, cached.

The rule, the same for every page, tile, export and slide:

- until any dataset of any kind is published, every kind shows the bundled synthetic sample in
  ``data/sample/`` (read through the same intake), labelled *DATA SINTETIS* wherever it is shown;
- once any real dataset is published, no kind falls back to the sample: a kind with a published
  version shows its latest one, a kind without is *missing* — the page shows :func:`require`'s
  empty state (what to upload and, for analysts, a link to the Data page), never the sample
  beside real figures.

``app.py`` calls :func:`begin_run` first thing in every run; the first :func:`source` in that run
asks the store once for the latest published version of every kind, later calls in the same run
read the answer kept for the run. The rows are cached by the source's identity
(:meth:`Source.cache_key`: the version and its upload time, or the sample file's digest), so a
filter change never reloads and a newly published version is read without clearing anyone's
cache. Every headline figure names its source (:meth:`Source.describe`, :func:`sources_caption`).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.core.i18n import t as i18n_t
from analysis.core.i18n import t_or

from analysis.core.config import ROOT
from analysis.core.kinds import KINDS
from analysis.intake.contracts import fields
from analysis.intake.pipeline import read_file
from store.datasets import Store
from store.privacy import for_role
from ui import registry
from ui.session import can, lang, md_escape, t, user

SAMPLE_DIR = ROOT / "data" / "sample"
SAMPLE_FILES = {
    "training": "rekap_pelatihan_2025.xlsx",
    "feedback": "skm_2025.xlsx",
    "mentoring": "mentoring_2025.xlsx",
    "events": "kegiatan_masyarakat_2025.xlsx",
    "kinerja": "kinerja_2025.xlsx",
    "jp_lain": "jp_lain_2025.xlsx",
}
KIND_WORDS = {"training": {"id": "pelatihan", "en": "training"}, "feedback": {"id": "SKM", "en": "SKM"},
              "mentoring": {"id": "mentoring", "en": "mentoring"}, "events": {"id": "kegiatan", "en": "event"},
              "kinerja": {"id": "penilaian kinerja", "en": "appraisal"},
              "jp_lain": {"id": "pengembangan kompetensi lain", "en": "other development"}}

#: ``st.session_state`` key of this run's sources, ``{kind: Source}`` (small records, never rows).
RUN_SOURCES = "data_sources_this_run"


@st.cache_resource
def store() -> Store:
    """One store per server process (SQLite by default, ``DATABASE_URL`` for PostgreSQL)."""
    return Store()


@dataclass(frozen=True)
class Source:
    """Where a kind's rows come from: a published version, the synthetic sample, or nothing
    (``missing``: real data of other kinds is published, none of this kind).

    ``stamp`` is the version's upload time, or the sample file's SHA-256: with the kind and the
    version id it identifies the rows, even if a purged version's id were ever reused.
    """

    kind: str
    version_id: int | None
    name: str
    version_no: int | None = None
    published_at: str | None = None
    stamp: str = ""
    missing: bool = False

    @property
    def is_sample(self) -> bool:
        return self.version_id is None and not self.missing

    @property
    def label(self) -> str:
        """How the audit log names the source: ``training:12``, ``training:sample`` or ``training:none``."""
        return f"{self.kind}:{'none' if self.missing else self.version_id or 'sample'}"

    def describe(self, language: str | None = None) -> str:
        """The source in words, for a headline: dataset and version, the sample, or none published."""
        language = language or lang()
        kind = KIND_WORDS.get(self.kind, {}).get(language, self.kind)
        if self.missing:
            return i18n_t("data.source.missing", language, kind=kind)
        if self.is_sample:
            return i18n_t("data.source.sample", language, kind=kind)
        return i18n_t("data.source.published", language, kind=kind, name=self.name, version=self.version_no,
                      when=self.published_at)

    def cache_key(self) -> tuple:
        """The identity of the rows, for ``st.cache_data(hash_funcs=...)``."""
        return (self.kind, self.version_id, self.stamp)


#: For ``st.cache_data``: a :class:`Source` argument is hashed by its identity.
HASH_FUNCS = {Source: Source.cache_key}


def begin_run() -> None:
    """Forget the previous run's sources: each run looks every kind up again, once (``app.py``)."""
    st.session_state[RUN_SOURCES] = {}


def source(kind: str) -> Source:
    """The source of ``kind`` in this run, by the rule of this module: the latest published
    version; else, while nothing at all is published, the sample; else missing."""
    found = st.session_state.get(RUN_SOURCES)
    if not found:
        found = st.session_state[RUN_SOURCES] = _look_up_all()
    if kind not in found:
        raise ValueError(f"kind must be one of {', '.join(found)}, got {kind!r}")
    return found[kind]


def _look_up_all() -> dict[str, Source]:
    """Every kind's source, from one question to the store: the latest published version per kind."""
    published = store().list_datasets(status="published")
    if published.empty:
        return {kind: _sample_source(kind) for kind in KINDS}
    latest = published.sort_values(["published_at", "version_id"], ascending=False, kind="stable")
    latest = latest.drop_duplicates("kind").set_index("kind")
    out = {}
    for kind in KINDS:
        if kind not in latest.index:
            out[kind] = Source(kind, None, "", missing=True)
            continue
        info = latest.loc[kind]
        out[kind] = Source(kind, int(info["version_id"]), str(info["name"]), int(info["version_no"]),
                           _day(info["published_at"]), stamp=str(info["uploaded_at"]))
    return out


def _sample_source(kind: str) -> Source:
    if kind not in SAMPLE_FILES:  # a kind without a bundled sample has nothing to show until published
        return Source(kind, None, "", missing=True)
    return Source(kind, None, SAMPLE_FILES[kind], stamp=_sample_digest(sample_path(kind)))


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
    """The rows of ``src`` (not yet masked: see :func:`visible`); no rows, in the kind's columns,
    for a missing source."""
    if src.missing:
        return empty_rows(src.kind)
    if src.version_id is None:
        return read_file(sample_path(src.kind), kind=src.kind).accepted
    return store().load_rows(src.version_id)


_EMPTY_DTYPES = {"date": "datetime64[ns]", "number": "float64", "answer": "float64", "performance": "float64"}


def empty_rows(kind: str) -> pd.DataFrame:
    """No rows, in the columns (and dtypes) of an accepted frame of ``kind``."""
    columns = {}
    for spec in fields(kind):
        columns[spec.name] = pd.Series(dtype=_EMPTY_DTYPES.get(spec.parse, "str"))
        if spec.parse == "kecamatan":
            columns["kode_kecamatan"] = pd.Series(dtype="str")
    return pd.DataFrame(columns)


def visible(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows as the signed-in role may see them: NIP and names masked for viewers."""
    return for_role(frame, user())


def banner(src: Source) -> None:
    """Say where the numbers come from; the synthetic sample is always labelled as such (a missing
    source says nothing here: :func:`require` draws its empty state)."""
    if src.missing:
        return
    if src.is_sample:
        st.warning(t("data.sample_banner", kind=KIND_WORDS[src.kind][lang()]), icon="⚠️")
    else:
        st.caption(t("data.published_caption", name=md_escape(src.name), version=src.version_no,
                     when=src.published_at))


def require(src: Source) -> bool:
    """True when ``src`` has data to show; otherwise draw the empty state — what to upload and, for
    analysts, a link to the Data page — and return False."""
    if not src.missing:
        return True
    language = lang()
    st.info(t("data.missing", kind=KIND_WORDS.get(src.kind, {}).get(language, src.kind),
              what=t_or(f"data.what.{src.kind}", "", language)), icon=":material/upload_file:")
    if can("analyst"):
        st.page_link(data_page(), label=t("data.go_upload"), icon=":material/upload_file:")
    return False


def data_page() -> st.Page:
    """The Data page as registered in the navigation (for ``st.page_link``)."""
    spec = next(p for p in registry.PAGES if p.module == "pages.data")
    return st.Page(spec.load().render, title=t(spec.title_key), icon=spec.icon, url_path=spec.url_path)


def sources_caption(*sources: Source) -> str:
    """One line naming the dataset and version behind a set of headline figures."""
    return t("data.sources", sources="; ".join(md_escape(s.describe()) for s in sources))


def sample_path(kind: str) -> Path:
    """The bundled synthetic workbook of ``kind``."""
    return SAMPLE_DIR / SAMPLE_FILES[kind]
