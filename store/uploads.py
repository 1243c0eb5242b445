"""An upload as the store keeps it: an intake result checked and encoded before it is saved.

:func:`prepare_upload` does everything that needs no database — the dataset name, the period, the
file's SHA-256, the rows as Parquet (:mod:`store.frames`), the report as JSON — so that
:meth:`store.datasets.Store.save_upload` holds its transaction only while writing.
:func:`sample_upload` is a small stand-in for an intake result, for examples and tests.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.core.errors import AnalysisError
from analysis.core.kinds import KINDS
from store.frames import encode_frame
from store.schema import MAX_NAME


def sample_upload(
    accepted: pd.DataFrame | None = None,
    *,
    kind: str = "training",
    source_bytes: bytes = b"contoh isi berkas",
    source_name: str = "contoh.xlsx",
    rejected: pd.DataFrame | None = None,
) -> Any:
    """A minimal stand-in for an intake result (``analysis.intake.pipeline.read_file``), for examples and
    tests: the attributes :meth:`store.datasets.Store.save_upload` reads.

    Examples
    --------
    >>> up = sample_upload()
    >>> up.kind, len(up.accepted), up.report()["rows_accepted"]
    ('training', 2, 2)
    """
    from types import SimpleNamespace

    if accepted is None:
        accepted = pd.DataFrame({"nip": ["198503122010011003", "199001012015032001"],
                                 "nilai_pre": [60.0, 70.5], "nilai_post": [75.0, 80.0]})
    if rejected is None:
        rejected = pd.DataFrame({"NIP": ["1.98503122010011E+17"], "_row": [7], "_reasons": ["nip_as_number"]})
    report = {"kind": kind, "rows_read": len(accepted) + len(rejected), "rows_accepted": len(accepted),
              "rows_rejected": len(rejected), "issues": []}
    return SimpleNamespace(
        kind=kind, accepted=accepted, rejected=rejected, report=lambda lang="id": dict(report),
        source_name=source_name, source_bytes=source_bytes, sha256=hashlib.sha256(source_bytes).hexdigest(),
        rows_read=len(accepted) + len(rejected), sheet="Sheet1", header_row=1,
    )


@dataclass(frozen=True)
class Upload:
    """What :meth:`store.datasets.Store.save_upload` writes: an intake result checked and encoded
    (:func:`prepare_upload`) before the transaction opens.

    Examples
    --------
    >>> up = prepare_upload(sample_upload(), "Latsar  2025", " 2025 ")
    >>> up.name, up.period, up.rows_accepted, up.rows_rejected
    ('Latsar 2025', '2025', 2, 1)
    """

    kind: str
    name: str
    period: str | None
    source: bytes
    sha256: str
    source_name: str
    report_json: str
    rows_parquet: bytes
    rejected_parquet: bytes
    content_sha256: str  # of the report and the accepted rows: an identical re-upload is recognised
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    sheet: str | None
    header_row: int | None


def _dataset_name(name: Any) -> str:
    """``name`` with its spaces collapsed; refused when empty or longer than :data:`MAX_NAME`."""
    name = " ".join(str(name or "").split())
    if not name or len(name) > MAX_NAME:
        raise AnalysisError(
            "bad_dataset_name",
            f"Beri dataset nama 1–{MAX_NAME} karakter, mis. 'Latsar CPNS 2025'.",
            f"Give the dataset a name of 1–{MAX_NAME} characters, e.g. 'Latsar CPNS 2025'.",
        )
    return name


def _source_file(result: Any) -> tuple[bytes, str, str]:
    """The uploaded bytes, their SHA-256 (checked against the one the intake computed) and the file name."""
    source = getattr(result, "source_bytes", None)
    if not isinstance(source, (bytes, bytearray, memoryview)):
        raise ValueError(f"result.source_bytes must be bytes, got {type(source).__name__}")
    source = bytes(source)
    sha = hashlib.sha256(source).hexdigest()
    claimed = getattr(result, "sha256", None)
    if claimed and str(claimed).lower() != sha:
        raise ValueError(f"result.sha256 does not match source_bytes: {claimed!r} != {sha!r}")
    return source, sha, _short(str(getattr(result, "source_name", None) or "upload"), 255)


def prepare_upload(result: Any, name: Any, period: Any = None) -> Upload:
    """Check an intake result and encode what the store keeps of it: the rows as Parquet, the
    report as JSON, the name and period with their spaces collapsed.

    Parameters
    ----------
    result : IntakeResult or alike
        See :meth:`store.datasets.Store.save_upload`.
    name : str
        Dataset name, 1–200 characters.
    period : str, optional
        Period the data cover (at most 100 characters are kept).

    Raises
    ------
    AnalysisError
        ``bad_dataset_name``.
    ValueError
        When ``result`` lacks what an intake result holds.

    Examples
    --------
    >>> prepare_upload(sample_upload(), "")
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: Give the dataset a name of 1–200 characters, e.g. 'Latsar CPNS 2025'.
    """
    kind = getattr(result, "kind", None)
    if kind not in KINDS:
        raise ValueError(f"result.kind must be one of {', '.join(KINDS)}, got {kind!r}")
    name = _dataset_name(name)
    if period is not None:
        period = " ".join(str(period).split())[:100] or None
    source, sha, source_name = _source_file(result)
    accepted, rejected = result.accepted, result.rejected
    if not isinstance(accepted, pd.DataFrame) or not isinstance(rejected, pd.DataFrame):
        raise ValueError("result.accepted and result.rejected must be pandas DataFrames")
    from analysis.core.jsonable import to_jsonable

    report = result.report() if callable(getattr(result, "report", None)) else {}
    report_json = json.dumps(to_jsonable(report), ensure_ascii=False, allow_nan=False)
    rows_parquet = encode_frame(accepted)
    rows_read = getattr(result, "rows_read", None)
    sheet = getattr(result, "sheet", None)
    if isinstance(sheet, (list, tuple)):
        sheet = ", ".join(map(str, sheet))
    header_row = getattr(result, "header_row", None)
    return Upload(
        kind=kind, name=name, period=period, source=source, sha256=sha, source_name=source_name,
        report_json=report_json, rows_parquet=rows_parquet, rejected_parquet=encode_frame(rejected),
        content_sha256=hashlib.sha256(report_json.encode("utf-8") + rows_parquet).hexdigest(),
        rows_read=int(rows_read) if rows_read is not None else len(accepted) + len(rejected),
        rows_accepted=len(accepted), rows_rejected=len(rejected),
        sheet=None if sheet is None else _short(str(sheet), 255),
        header_row=None if header_row is None else int(header_row),
    )


def _short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, keeping its end (the file extension)."""
    return text if len(text) <= limit else text[: limit - 21] + "…" + text[-20:]
