"""The Data page's upload flow: every uploaded file read once through the intake and kept in the
session (with the kind and header mapping the analyst chose) until it is saved or removed.

Streamlit reruns the page on every click; without this a 100k-row workbook would be read again
each time. A file is read again only when its kind or its mapping changes. Nothing here touches
the store: saving is the page's call to ``store.datasets``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.core.kinds import DATE_COLUMNS

from analysis.core.errors import AnalysisError
from analysis.intake import worker
from analysis.intake.pipeline import IntakeResult

STATE_KEY = "upload_pending"
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Pending:
    """One uploaded file in the session: its bytes, what the analyst chose, what the intake said."""

    file_id: str
    name: str
    data: bytes
    kind: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    result: IntakeResult | None = None
    error: AnalysisError | None = None
    saved_version: int | None = None
    published: bool = False

    @property
    def key(self) -> str:
        """A short, stable widget-key suffix for this upload."""
        return hashlib.sha1(self.file_id.encode("utf-8")).hexdigest()[:10]

    def read(self) -> None:
        """(Re)read the file through the intake with the current kind and mapping, in a worker process
        (``analysis.intake.worker``): a file that makes a reader library abort or run away costs
        only the worker, and the uploader gets ``file_too_complex``."""
        self.result, self.error, self.saved_version, self.published = None, None, None, False
        try:
            self.result = worker.read_upload(self.data, self.name, kind=self.kind, mapping=self.mapping or None)
        except AnalysisError as err:
            self.error = err


def pending() -> dict[str, Pending]:
    """The files of this session's upload, by uploader file id (insertion order = upload order)."""
    return st.session_state.setdefault(STATE_KEY, {})


def sync(files, kind: str | None, on_progress=None) -> list[Pending]:
    """Bring the session's pending files in line with the uploader's ``files``.

    New files are read; files whose chosen ``kind`` changed are read again; files removed from the
    uploader are forgotten. ``on_progress(done, total, name)`` is called before each read.
    """
    state = pending()
    files = list(files or [])
    ids = [f.file_id for f in files]
    for gone in [k for k in state if k not in ids]:
        del state[gone]
    todo = [f for f in files if f.file_id not in state or state[f.file_id].kind != kind]
    for i, f in enumerate(todo):
        if on_progress is not None:
            on_progress(i, len(todo), f.name)
        item = state.get(f.file_id) or Pending(f.file_id, f.name, f.getvalue())
        if item.kind != kind:
            item.mapping = {}
        item.kind = kind
        item.read()
        state[f.file_id] = item
    return [state[i] for i in ids if i in state]


def fixed_labels(options, label) -> Callable:
    """A ``format_func`` whose labels are computed now, in the session's current language.

    Streamlit (and AppTest) may call a widget's ``format_func`` outside the script run, where the
    session language is not readable; labels fixed at render time always match the options drawn.
    """
    labels = {option: label(option) for option in options}
    return labels.__getitem__


def _cell(value) -> str:
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def issues_frame(result: IntakeResult, lang: str) -> pd.DataFrame:
    """The intake's issues as a table the analyst reads: Excel row, sheet, column as written, the
    value found, severity, code and what to do (in ``lang``); errors first, then by row."""
    rows = [{
        "baris": int(i["row"]) if i.get("row") is not None else None,
        "lembar": _cell(i.get("sheet")),
        "kolom": _cell(i.get("column")),
        "nilai": _cell(i.get("value")),
        "tingkat": i.get("severity", "info"),
        "kode": i.get("code", ""),
        "pesan": i.get("message_en") if lang == "en" else i.get("message_id"),
    } for i in result.issues]
    out = pd.DataFrame(rows, columns=["baris", "lembar", "kolom", "nilai", "tingkat", "kode", "pesan"])
    if out.empty:
        return out
    out["_o"] = out["tingkat"].map(SEVERITY_ORDER).fillna(3)
    out = out.sort_values(["_o", "baris"], kind="stable").drop(columns="_o").reset_index(drop=True)
    out["baris"] = out["baris"].astype("Int64")
    return out


def grouped_issues(table: pd.DataFrame, max_rows: int = 8) -> pd.DataFrame:
    """The issues of :func:`issues_frame` grouped by severity and code: how many, which Excel rows
    (the first ``max_rows``), which columns, one example value and what to do — so 41 identical
    warnings read as one line with "41"; errors first, then the most frequent.

    Examples
    --------
    >>> t = pd.DataFrame({"baris": pd.array([5, 6, 7, 9], dtype="Int64"), "lembar": ["S"] * 4,
    ...     "kolom": ["NIP"] * 3 + ["JP"], "nilai": ["1", "2", "3", "x"],
    ...     "tingkat": ["warning"] * 3 + ["error"], "kode": ["nip_structure"] * 3 + ["invalid_number"],
    ...     "pesan": ["Periksa NIP."] * 3 + ["Isi angka."]})
    >>> g = grouped_issues(t, max_rows=2)
    >>> g[["tingkat", "kode", "jumlah", "baris"]].values.tolist()
    [['error', 'invalid_number', 1, '9'], ['warning', 'nip_structure', 3, '5, 6, …']]
    """
    columns = ["tingkat", "kode", "jumlah", "baris", "kolom", "nilai", "pesan"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    out = []
    for (severity, code), part in table.groupby(["tingkat", "kode"], sort=False):
        rows = [str(r) for r in part["baris"].dropna().tolist()]
        shown = ", ".join(rows[:max_rows]) + (", …" if len(rows) > max_rows else "")
        cols = ", ".join(dict.fromkeys(c for c in part["kolom"] if c))
        example = next((v for v in part["nilai"] if v), "")
        out.append({"tingkat": severity, "kode": code, "jumlah": len(part), "baris": shown, "kolom": cols,
                    "nilai": example, "pesan": part["pesan"].iloc[0]})
    frame = pd.DataFrame(out, columns=columns)
    frame["_o"] = frame["tingkat"].map(SEVERITY_ORDER).fillna(3)
    return frame.sort_values(["_o", "jumlah"], ascending=[True, False], kind="stable").drop(columns="_o") \
        .reset_index(drop=True)


def default_name(filename: str) -> str:
    """A dataset name proposed from the file name: ``rekap_pelatihan_2025.xlsx`` → ``rekap pelatihan 2025``.

    >>> default_name("rekap_pelatihan-2025 (final).xlsx")
    'rekap pelatihan 2025 (final)'
    """
    stem = Path(str(filename)).stem
    return " ".join(re.sub(r"[_\-]+", " ", stem).split())[:200] or "dataset"


def default_period(result: IntakeResult) -> str:
    """The year(s) the accepted rows cover, e.g. ``2025`` or ``2024–2025``; empty when undated."""
    col = DATE_COLUMNS.get(result.kind)
    if col is None or col not in result.accepted.columns:
        return ""
    years = pd.to_datetime(result.accepted[col], errors="coerce").dt.year.dropna()
    if years.empty:
        return ""
    lo, hi = int(years.min()), int(years.max())
    return str(lo) if lo == hi else f"{lo}–{hi}"


def forget(file_id: str) -> None:
    """Drop one file from the session (after it was saved, or when the analyst removes it)."""
    pending().pop(file_id, None)
