"""Dataset versions as the Data and Administration pages show them: the versions table, a version's
name in a picker, and the words for a status, in the session's language."""

from __future__ import annotations

import pandas as pd

from analysis.core.kinds import KIND_LABELS
from ui.session import integer, lang, local_time, tr

STRINGS = {
    "vc.version_id": {"id": "ID", "en": "ID"},
    "vc.name": {"id": "Nama", "en": "Name"},
    "vc.kind": {"id": "Jenis", "en": "Kind"},
    "vc.version_no": {"id": "Versi", "en": "Version"},
    "vc.period": {"id": "Periode", "en": "Period"},
    "vc.status": {"id": "Status", "en": "Status"},
    "vc.source_name": {"id": "Berkas", "en": "File"},
    "vc.rows_accepted": {"id": "Diterima", "en": "Accepted"},
    "vc.rows_rejected": {"id": "Ditolak", "en": "Rejected"},
    "vc.uploaded_by": {"id": "Diunggah oleh", "en": "Uploaded by"},
    "vc.uploaded_at": {"id": "Diunggah (WIB)", "en": "Uploaded (WIB)"},
    "vc.published_by": {"id": "Diterbitkan oleh", "en": "Published by"},
    "vc.published_at": {"id": "Terbit (WIB)", "en": "Published (WIB)"},
    "status.draft": {"id": "draf", "en": "draft"},
    "status.published": {"id": "terbit", "en": "published"},
    "status.archived": {"id": "diarsipkan", "en": "archived"},
}

#: The columns of ``Store.list_datasets`` the versions table shows, in order.
COLUMNS = ["version_id", "name", "kind", "version_no", "period", "status", "source_name", "rows_accepted",
           "rows_rejected", "uploaded_by", "uploaded_at", "published_by", "published_at"]


def status_label(status: str) -> str:
    """``draf`` / ``terbit`` / ``diarsipkan`` (or in English) for a version's status."""
    return tr(STRINGS, f"status.{status}")


def version_label(row: dict) -> str:
    """``#12 Latsar 2025 · v2 · terbit``: how a version is named in pickers."""
    return f"#{row['version_id']} {row['name']} · v{row['version_no']} · {status_label(row['status'])}"


def versions_view(frame: pd.DataFrame) -> pd.DataFrame:
    """Dataset versions (``Store.list_datasets``) as a readable table: labels, WIB times, counts."""
    view = frame[COLUMNS].copy()
    view["kind"] = view["kind"].map(lambda k: KIND_LABELS.get(k, {}).get(lang(), k))
    view["status"] = view["status"].map(status_label)
    for col in ("uploaded_at", "published_at"):
        view[col] = view[col].map(local_time)
    for col in ("period", "published_by"):
        view[col] = view[col].fillna("")
    for col in ("rows_accepted", "rows_rejected"):
        view[col] = view[col].map(integer)
    return view.rename(columns={c: tr(STRINGS, f"vc.{c}") for c in COLUMNS})
