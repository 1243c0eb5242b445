"""Intake: from the workbooks analysts really have to validated tables, losing nothing.

``read_upload(data, filename)`` finds the data sheet(s) and the header row
(``analysis.intake.header``), maps the headers to the contract (``analysis.intake.contracts``),
normalises every cell (``analysis.intake.normalise``), validates the result with pandera, and returns an :class:`IntakeResult` holding the accepted rows, the
rejected rows as they were written with their reasons, every issue with its Excel row number, and
the original bytes. A file that cannot be read raises ``AnalysisError`` with a distinct code.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.core.config import Settings, get_settings
from analysis.core.districts import load_districts
from analysis.core.errors import AnalysisError
from analysis.core.groups import comparison_mask, participant_mask
from analysis.core.periods import period_labels
from analysis.intake import contracts, kinerja, messages, normalise
from analysis.intake.contracts import PARTICIPANT_FIELDS, canonical_columns, fields, header_key
from analysis.intake.header import Header
from analysis.intake.opening import Opened, open_upload
from analysis.intake.reader import Book, too_large

TOTALS = {"jumlah", "total", "ratarata", "rerata", "grandtotal", "jumlahtotal", "subtotal",
          "totalkeseluruhan", "jumlahseluruhnya", "jumlahkeseluruhan", "average", "mean", "sum"}
# In the leftmost columns, a label that *starts* like a summary ends the data too: the rows under
# a PermenPANRB SKM processing sheet ("Σ Nilai/Unsur", "NRR/Unsur", "NRR tertimbang/unsur",
# "*) Jumlah NRR IKM tertimbang", "**) IKM Unit pelayanan").
SUMMARY_START = r"^\W*(jumlah|total|rata\W*rata|rerata|nrr|ikm\b|Σ|∑)"
WARNING_CODES = {"nip_structure", "nip_truncated", "missing_score", "invalid_sex"}
# Side details whose unreadable value is dropped with a warning instead of rejecting the row: a
# respondent's age written as a bracket ("21-30 tahun") must not throw away the nine answers.
SOFT_FIELDS = {"usia", "kepuasan_peserta", "jenis_kelamin", "pendidikan", "pekerjaan"}
# What makes two rows the same record, per kind (later copies are rejected); a training record is
# also placed in the quarter of its tanggal_mulai (the same program taken again later is a new record).
DUPLICATE_KEYS = {
    "training": ("nip", "program", "kelompok"),
    "mentoring": ("mentor_nip", "mentee_nip", "tanggal_mulai"),
    "kinerja": ("nip", "periode"),
    "jp_lain": ("nip", "kegiatan", "tanggal_mulai"),
}
PAIRS = (("nilai_pre", "nilai_post"), ("kinerja_sebelum", "kinerja_sesudah"))


@dataclass
class IntakeResult:
    """Everything the intake learnt from one file; nothing is dropped."""

    kind: str
    source_name: str
    source_bytes: bytes
    sheets: list[str]
    header_row: int
    columns: dict[str, str]          # header as written → canonical field
    accepted: pd.DataFrame
    rejected: pd.DataFrame
    issues: list[dict]
    rows_read: int
    unknown_columns: list[str] = field(default_factory=list)

    @property
    def sheet(self) -> str:
        return ", ".join(self.sheets)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source_bytes).hexdigest()

    @property
    def rows_accepted(self) -> int:
        return len(self.accepted)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    def report(self, lang: str = "id") -> dict:
        """The validation report as ``python -m analysis validate --json`` prints it."""
        return {
            "kind": self.kind,
            "sheet": self.sheet,
            "sheets": self.sheets,
            "header_row": self.header_row,
            "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted,
            "rows_rejected": self.rows_rejected,
            "file": self.source_name,
            "sha256": self.sha256,
            "columns": self.columns,
            "unknown_columns": self.unknown_columns,
            "issues": [{**{k: v for k, v in i.items() if k not in ("message_id", "message_en")},
                        "message": i["message_en"] if lang == "en" else i["message_id"]}
                       for i in self.issues],
        }

    def counts(self) -> dict[str, int]:
        """Issues per severity."""
        out = {"error": 0, "warning": 0, "info": 0}
        for i in self.issues:
            out[i["severity"]] += 1
        return out


def read_file(path: str | Path, kind: str | None = None, sheet: str | None = None,
              mapping: dict[str, str] | None = None, settings: Settings | None = None) -> IntakeResult:
    """Read a file from disk through the intake (see :func:`read_upload`).

    Examples
    --------
    >>> res = read_file("data/sample/mentoring_2025.xlsx")
    >>> res.kind, res.header_row, res.rows_rejected
    ('mentoring', 4, 0)
    """
    path = Path(path)
    if not path.is_file():
        raise AnalysisError("file_not_found", f"Berkas '{path}' tidak ditemukan.", f"File '{path}' not found.")
    settings = settings or get_settings()
    size = path.stat().st_size
    if size > settings.max_upload_bytes:  # refuse before reading it into memory
        raise too_large(size, settings.max_upload_bytes)
    return read_upload(path.read_bytes(), path.name, kind=kind, sheet=sheet, mapping=mapping, settings=settings)


def read_upload(data: bytes, filename: str, kind: str | None = None, sheet: str | None = None,
                mapping: dict[str, str] | None = None, settings: Settings | None = None, *,
                sidecar=None) -> IntakeResult:
    """Read, map, normalise and validate one uploaded file.

    Parameters
    ----------
    data, filename : the file's bytes and its name (the extension helps tell CSV from Excel).
    kind : ``training``, ``feedback``, ``mentoring``, ``events`` or ``kinerja``; detected when None.
    sheet : read only this sheet; by default every sheet with the data header.
    mapping : header as written → canonical field, for headers the alias table does not know.
    sidecar : the side process reading the sheets' XML beside the upload worker
        (:class:`analysis.intake.sidecar.Sidecar`); None reads everything here.

    Examples
    --------
    >>> csv = "NIP;Nama;Unit Kerja;Kecamatan;Nama Pelatihan;Tanggal Mulai;JP;Pre Test;Post Test\\n"
    >>> csv += "198503122010011003;Ani;Dinas Kominfo;Kec. Medan Baru;Literasi Data;12/03/2025;20;60,5;80\\n"
    >>> csv += "198601012011012004;Budi;Dinas Kominfo;Medan Raya;Literasi Data;12/03/2025;20;55;70\\n"
    >>> res = read_upload(csv.encode(), "rekap.csv")
    >>> res.kind, res.rows_read, res.rows_accepted, res.rows_rejected
    ('training', 2, 1, 1)
    >>> res.accepted.loc[0, "kecamatan"], float(res.accepted.loc[0, "nilai_pre"])
    ('Medan Baru', 60.5)
    >>> [(i["row"], i["column"], i["code"]) for i in res.issues if i["severity"] == "error"]
    [(3, 'Kecamatan', 'unknown_kecamatan')]
    """
    settings = settings or get_settings()
    return build(open_upload(data, filename, kind=kind, sheet=sheet, mapping=mapping, settings=settings,
                             sidecar=sidecar), settings)


def build(opened: Opened, settings: Settings | None = None) -> IntakeResult:
    """The rest of :func:`read_upload` after :func:`analysis.intake.opening.open_upload`: load every
    sheet that holds the data, trim, normalise and validate its rows.

    Examples
    --------
    >>> opened = open_upload(b"Jenis Kegiatan;Tanggal;Kecamatan;Unit Layanan;Jumlah Peserta\\n"
    ...                      b"Forum;12/03/2025;Medan Baru;Kantor Camat;40\\n", "kegiatan.csv")
    >>> build(opened).rows_accepted
    1
    """
    settings = settings or get_settings()
    try:
        result = _build(opened.book, opened.kind, opened.headers, opened.mapping_keys, settings)
    finally:
        opened.book.stop_loading()
    for h, lacking in opened.skipped:
        result.issues.append(messages.issue("sheet_skipped", row=h.header_row, sheet=h.scan.name, column=None,
                                            field=None, value=None, detail=", ".join(lacking)))
    return result


def _cell_text(v) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
        return None
    if isinstance(v, float):
        v = float(v)  # numpy floats print as np.float64(…)
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d") if v == v.normalize() else v.isoformat(sep=" ")
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(v)


def _build(book: Book, kind: str, headers: list[Header], mapping_keys: dict, settings: Settings) -> IntakeResult:
    districts = load_districts(settings.districts_csv)
    specs = {f.name: f for f in fields(kind)}
    issues: list[dict] = []
    top = headers[0]
    for j in top.unknown:
        issues.append(messages.issue("unknown_column", row=top.header_row, sheet=top.scan.name,
                                     column=top.columns[j], field=None, value=None))
    for j, fld in top.duplicates.items():
        first = next(top.columns[k] for k, f in top.mapped.items() if f == fld)
        issues.append(messages.issue("duplicate_column", row=top.header_row, sheet=top.scan.name,
                                     column=top.columns[j], field=fld, value=None, detail=first))
    parts, raws, rows_read = [], [], 0
    for h in headers:
        cols = sorted(h.columns)
        book.prefetch_numeric(h.scan, h.row0, _probe_hints(h, specs))
        raw = book.load(h.scan, h.row0, cols)
        raw, info, n = _trim_rows(raw, h, kind)
        issues.extend(info)
        rows_read += n
        if rows_read > settings.max_rows:
            raise AnalysisError(
                "too_many_rows",
                f"Berkas memuat lebih dari {settings.max_rows:,} baris data; bagi per tahun atau per program.",
                f"The file holds more than {settings.max_rows:,} data rows; split it by year or program.")
        raw["_sheet"] = h.scan.name
        parsed = _normalise(book, kind, h, raw, specs, districts, issues)
        if kind == "kinerja":  # the period from the sheet's title, the predikat from the ratings
            kinerja.complete(parsed, h, issues)
        parts.append(parsed)
        raw_named = raw.rename(columns={j: _unique_header(h, j) for j in cols})
        raws.append(raw_named)
    if rows_read == 0:
        raise AnalysisError(
            "header_only",
            f"Lembar '{top.scan.name}' hanya berisi judul kolom (baris {top.header_row}) tanpa baris data.",
            f"Sheet '{top.scan.name}' holds only the header (row {top.header_row}) and no data rows.")
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
    raw_all = pd.concat(raws, ignore_index=True) if len(raws) > 1 else raws[0].reset_index(drop=True)
    _cross_checks(kind, frame, issues, top)
    _pandera(kind, frame, issues, top)
    _duplicates(kind, frame, issues, top)
    bad = _rejected(frame, issues)
    accepted = frame.loc[~bad].reset_index(drop=True)
    rejected = raw_all.loc[bad].reset_index(drop=True)
    reasons: dict = {}
    for i in issues:
        if i["severity"] == "error":
            reasons.setdefault((i["sheet"], i["row"]), []).append(i["message_id"])
    rejected["_reasons"] = ["; ".join(reasons.get(k, [])) for k in zip(rejected["_sheet"], rejected["_row"])]
    issues.sort(key=lambda i: (i["sheet"] != top.scan.name, i["sheet"], i["row"] or 0))
    return IntakeResult(
        kind=kind, source_name=book.filename, source_bytes=book.data, sheets=[h.scan.name for h in headers],
        header_row=top.header_row, columns={top.columns[j]: f for j, f in top.mapped.items()},
        accepted=accepted, rejected=rejected, issues=issues, rows_read=rows_read,
        unknown_columns=[top.columns[j] for j in top.unknown],
    )


def _unique_header(h: Header, j: int) -> str:
    text = h.columns[j]
    same = [k for k in sorted(h.columns) if h.columns[k] == text]
    return text if len(same) == 1 else f"{text} ({same.index(j) + 1})"


def _trim_rows(raw: pd.DataFrame, h: Header, kind: str):
    """Drop blank rows, repeated header rows, the totals row and what follows it (reported as info)."""
    cols = [c for c in raw.columns if c != "_row"]
    info = []
    if not len(raw):
        return raw, info, 0
    present = pd.DataFrame({c: _present(raw[c]) for c in cols}, index=raw.index)
    # A row holding only a number in the "No" column is a blank form row.
    data_cols = [c for c in cols if c not in h.numbering] or cols
    nonblank = present[data_cols].any(axis=1).to_numpy().copy()
    anything = present.any(axis=1).to_numpy()
    text_cols = [c for c in cols if raw[c].dtype == "str"]
    is_total = np.zeros(len(raw), dtype=bool)
    is_header = np.zeros(len(raw), dtype=bool)
    leftmost = set(h.numbering) | set(text_cols[:1])
    for c in text_cols:
        own = header_key(h.columns[c]) if c in h.mapped else None
        cells = pa.array(raw[c].array)
        at, keys = _keyed(cells, TOTALS | {own} if own else TOTALS)
        is_total[at[np.isin(keys, list(TOTALS))]] = True
        if own:
            is_header[at[keys == own]] = True
        if c in leftmost:
            is_total |= np.asarray(pc.fill_null(pc.match_substring_regex(cells, SUMMARY_START, ignore_case=True),
                                                False).to_numpy(zero_copy_only=False), dtype=bool)
    is_header = is_header & (present[[c for c in h.mapped]].sum(axis=1).to_numpy() >= 2) if h.mapped else is_header
    keep = (nonblank & ~is_total & ~is_header).copy()
    totals = np.flatnonzero(is_total & anything)
    for t in totals:
        info.append(messages.issue("totals_row", row=int(raw["_row"].iat[t]), sheet=h.scan.name,
                                   column=None, field=None, value=None))
    if len(totals):
        # Below the last totals row: a signature block, unless a row fills most of the mapped
        # columns (a group's data after its sub-total) — that is data and stays.
        last = totals[-1]
        filled = present[list(h.mapped)].sum(axis=1).to_numpy() if h.mapped else np.zeros(len(raw))
        footer = np.zeros(len(raw), dtype=bool)
        footer[last + 1:] = nonblank[last + 1:] & (filled[last + 1:] < max(2, len(h.mapped) / 2))
        if footer.any():
            rows = raw["_row"].to_numpy()[footer]
            info.append(messages.issue("footer_rows", row=int(rows[0]), sheet=h.scan.name, column=None, field=None,
                                       value=None, detail=_row_list(rows)))
            keep &= ~footer
    numbered_only = np.flatnonzero(anything & ~nonblank & ~is_total)
    numbered_only = numbered_only[numbered_only < (totals[-1] if len(totals) else len(raw))]
    if len(numbered_only):
        rows = raw["_row"].to_numpy()[numbered_only]
        info.append(messages.issue("numbered_blank_rows", row=int(rows[0]), sheet=h.scan.name, column=None,
                                   field=None, value=None, detail=_row_list(rows)))
    for t in np.flatnonzero(is_header & nonblank):
        info.append(messages.issue("repeated_header", row=int(raw["_row"].iat[t]), sheet=h.scan.name,
                                   column=None, field=None, value=None))
    out = raw.loc[keep].reset_index(drop=True)
    return out, info, int(keep.sum())


def _soften(field: str | None, issue: dict) -> dict:
    """A problem in a respondent's or participant's side detail (:data:`SOFT_FIELDS`) does not cost
    the row its answers or scores: a warning, and the cell is left empty."""
    if field not in SOFT_FIELDS or issue["severity"] != "error":
        return issue
    return {**issue, "severity": "warning",
            "message_id": issue["message_id"] + " Baris tetap dipakai; sel ini dikosongkan.",
            "message_en": issue["message_en"] + " The row is kept; this cell is left empty."}


def _keyed(cells, keys: set[str]) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the cells whose :func:`header_key` is one of ``keys``, and that key: the
    pattern runs once per distinct value (exports repeat theirs), then over the few that match."""
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    encoded = pc.dictionary_encode(cells)
    hits = np.flatnonzero(_matches_key(encoded.dictionary, keys))
    if not len(hits):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    at = np.flatnonzero(np.isin(codes, hits))
    key_of = {i: header_key(encoded.dictionary[int(i)].as_py()) for i in hits}
    return at, np.array([key_of[c] for c in codes[at]], dtype=object)


def _matches_key(cells, keys) -> np.ndarray:
    """Cells whose :func:`header_key` (letters and digits, lower case) is one of ``keys`` — one RE2
    pass in pyarrow instead of building every cell's key in Python."""
    gap = "[^0-9A-Za-z]*"
    pattern = "^" + gap + "(" + "|".join(gap.join(re.escape(ch) for ch in key) for key in sorted(keys)) + ")" + gap + "$"
    found = pc.fill_null(pc.match_substring_regex(cells, pattern, ignore_case=True), False)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def _row_list(rows) -> str:
    """Row numbers as ranges: ``5–7, 10``."""
    out, start, prev = [], None, None
    for r in list(rows) + [None]:
        if start is not None and (r is None or r != prev + 1):
            out.append(f"{start}–{prev}" if prev != start else f"{start}")
            start = None
        if r is not None and start is None:
            start = r
        prev = r
    return ", ".join(out)


def _present(col: pd.Series) -> pd.Series:
    if col.dtype == "str":
        return col.notna() & (col.str.strip() != "")
    return col.notna()


def _normalise(book: Book, kind: str, h: Header, raw: pd.DataFrame, specs: dict, districts, issues: list) -> pd.DataFrame:
    out = {}
    by_field = {f: j for j, f in h.mapped.items()}
    needs_probe = [j for j, f in h.mapped.items() if _needs_probe(specs[f].parse, raw[j])] if len(raw) else []
    n = len(raw)
    excel_rows = raw["_row"].to_numpy()
    probes = {j: pd.Series(np.isin(excel_rows, rows))
              for j, rows in book.numeric_cells(h.scan, h.row0, needs_probe).items()} if needs_probe else {}
    for name, spec in specs.items():
        j = by_field.get(name)
        if j is None:
            out[name] = _empty(spec.parse, n, name)
            if name in contracts.DERIVED:
                out[contracts.DERIVED[name]] = pd.Series(pd.NA, index=range(n), dtype="str")
            continue
        col = raw[j]
        numeric = probes.get(j)
        if spec.parse == "kecamatan":
            parsed, codes = normalise.kecamatan(col, districts)
            out[contracts.DERIVED[name]] = codes
        elif spec.parse == "performance":  # one predikat scale for the before and after columns
            pp46 = normalise.is_pp46_scale(*(raw[k] for k, f in h.mapped.items() if specs[f].parse == "performance"))
            parsed = normalise.performance(col, numeric, pp46=pp46)
        else:
            parsed = normalise.PARSERS[spec.parse](col, numeric)
        out[name] = parsed.values
        bad = np.flatnonzero(parsed.code.notna().to_numpy())
        if len(bad):
            codes = parsed.code.iloc[bad].tolist()
            cells = col.iloc[bad].tolist()
            details = parsed.detail.iloc[bad].tolist() if parsed.detail is not None else [None] * len(bad)
            for code, idx, cell, detail in zip(codes, bad, cells, details):
                severity = "warning" if code in WARNING_CODES or parsed.severity == "warning" else "error"
                if code == "invalid_category" and spec.parse == "sex":
                    code = "invalid_sex"
                issues.append(_soften(name, messages.issue(
                    code, row=int(excel_rows[idx]), sheet=h.scan.name, column=h.columns[j], field=name,
                    value=_cell_text(cell), severity=severity, detail=detail)))
    frame = pd.DataFrame(out)
    frame = frame[canonical_columns(kind)]
    frame["_row"] = raw["_row"].to_numpy()
    frame["_sheet"] = h.scan.name
    return frame


_PLAIN_NUMBER = r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"
_THOUSANDS = r"[+-]?\d{1,3}(?:\.\d{3})+"


def _needs_probe(parse: str, col: pd.Series) -> bool:
    """Must we learn which cells of this text column were numbers in the workbook?

    Only where the text alone cannot tell: an NIP column holding digit-only values (Excel keeps 15
    significant digits of a number, so an 18-digit NIP stored as a number has lost digits), and a
    number column holding text like ``1.234``, which is 1234 when typed as text (Indonesian
    thousands dot) but 1.234 when it was a numeric cell. Dates need no
    probe: a plain number in a date column is an Excel serial either way.
    """
    if col.dtype != "str" or parse not in ("nip", "number", "answer", "performance"):
        return False
    pattern = _PLAIN_NUMBER if parse == "nip" else _THOUSANDS
    return bool(col.str.strip().str.fullmatch(pattern).fillna(False).any())


def _probe_hints(h: Header, specs: dict) -> list[int]:
    """The columns whose first rows (the scan) suggest :func:`_needs_probe` will hold: asked of the
    side process before the sheet is loaded, so that it reads them meanwhile."""
    rows = h.scan.rows[h.row0 + 1:] if h.scan is not None else []
    hints = []
    for j, name in h.mapped.items():
        parse = specs[name].parse
        if parse not in ("nip", "number", "answer", "performance"):
            continue
        pattern = _PLAIN_NUMBER if parse == "nip" else _THOUSANDS
        if any(j < len(r) and isinstance(r[j], str) and re.fullmatch(pattern, r[j].strip()) for r in rows):
            hints.append(j)
    return sorted(hints)


def _empty(parse: str, n: int, name: str) -> pd.Series:
    if parse in ("number",):
        return pd.Series(np.nan, index=range(n), dtype="float64")
    if parse == "performance":
        return pd.Series(np.nan, index=range(n), dtype="float64")
    if parse == "date":
        return pd.Series(pd.NaT, index=range(n), dtype="datetime64[us]")
    if parse == "kelompok":
        return pd.Series("peserta", index=range(n), dtype="str")
    return pd.Series(pd.NA, index=range(n), dtype="str")


def _cross_checks(kind: str, frame: pd.DataFrame, issues: list, top: Header) -> None:
    """Rules across cells: participants' required cells, date order, score pairs."""
    colname = {f: top.columns[j] for j, f in top.mapped.items()}
    errored = {(i["sheet"], i["row"], i["field"]) for i in issues if i["severity"] == "error"}
    rows = frame["_row"].to_numpy()
    sheets = frame["_sheet"].to_numpy(dtype=object)

    def add(code, positions, fld, values=None, details=None, severity=None):
        for n, idx in enumerate(positions):
            row, sheet = int(rows[idx]), sheets[idx]
            if (sheet, row, fld) in errored:
                continue
            issues.append(messages.issue(
                code, row=row, sheet=sheet, column=colname.get(fld), field=fld,
                value=_cell_text(values[n]) if values is not None else None,
                detail=details[n] if details is not None else None, severity=severity))

    if kind == "training":
        participant = participant_mask(frame)
        for fld in PARTICIPANT_FIELDS:
            add("missing_value", np.flatnonzero(participant & frame[fld].isna().to_numpy()), fld)
    if "tanggal_mulai" in frame and "tanggal_selesai" in frame:
        pos = np.flatnonzero((frame["tanggal_selesai"] < frame["tanggal_mulai"]).fillna(False).to_numpy())
        add("date_order", pos, "tanggal_selesai", frame["tanggal_selesai"].iloc[pos].tolist(),
            [_cell_text(v) for v in frame["tanggal_mulai"].iloc[pos]])
    if kind == "training":
        for before, after in PAIRS:
            if before not in colname or after not in colname:
                continue  # a measure without its pair column is simply not analysed
            b, a = frame[before].isna().to_numpy(), frame[after].isna().to_numpy()
            add("missing_score", np.flatnonzero(b & ~a), before, severity="warning")
            add("missing_score", np.flatnonzero(a & ~b), after, severity="warning")
        categorical = [isinstance(frame[c].dtype, pd.CategoricalDtype) for c in ("kinerja_sebelum", "kinerja_sesudah")]
        both = frame["kinerja_sebelum"].notna().any() and frame["kinerja_sesudah"].notna().any()
        if both and (categorical[0] != categorical[1] or (categorical[0] and list(
                frame["kinerja_sebelum"].cat.categories) != list(frame["kinerja_sesudah"].cat.categories))):
            issues.append(messages.issue("performance_scale_differs", row=top.header_row, sheet=top.scan.name,
                                         column=colname.get("kinerja_sesudah"), field="kinerja_sesudah",
                                         value=None, severity="warning"))


def _rejected(frame: pd.DataFrame, issues: list) -> np.ndarray:
    """Rows of ``frame`` with at least one error among ``issues``."""
    by_sheet: dict[str, set[int]] = {}
    for i in issues:
        if i["severity"] == "error" and i["row"] is not None:
            by_sheet.setdefault(i["sheet"], set()).add(i["row"])
    sheets, rows = frame["_sheet"].to_numpy(dtype=object), frame["_row"].to_numpy()
    bad = np.zeros(len(frame), dtype=bool)
    for sheet_name, bad_rows in by_sheet.items():
        bad |= (sheets == sheet_name) & np.isin(rows, list(bad_rows))
    return bad


def _duplicates(kind: str, frame: pd.DataFrame, issues: list, top: Header) -> None:
    """Later copies of the same record are rejected, pointing at the first.

    A training record is one person (NIP, participant or comparison side) in one program and one
    quarter of ``tanggal_mulai``. A later copy whose before/after values equal the first's is a
    ``duplicate_row``. One whose values differ for a measure (pre/post test, performance) is a
    ``conflicting_duplicate``: rejected too, naming both Excel rows and both values, and the first
    copy loses that measure's values (a warning on its row) — nobody can tell which is right, so
    the person is left out of that measure until the analyst fixes the file.

    Runs after every other check, and a row rejected for another reason is no "first copy": when
    the earlier copy is invalid, the later valid one is kept.
    """
    key = DUPLICATE_KEYS.get(kind)
    if not key:
        return
    rows = frame["_row"].to_numpy()
    sheets = frame["_sheet"].to_numpy(dtype=object)
    valid = ~_rejected(frame, issues)
    sub = frame[list(key)]
    if kind == "training":  # a comparison-group person appears once, whatever the program cell says
        sub = sub.assign(program=sub["program"].where(~comparison_mask(frame), ""),
                         _quarter=period_labels(frame["tanggal_mulai"], "quarter"))
        complete = frame["nip"].notna().to_numpy() & frame["kelompok"].notna().to_numpy()
    else:
        complete = sub.notna().all(axis=1).to_numpy()
    candidates = np.flatnonzero(complete & valid)
    if not len(candidates):
        return
    group = sub.iloc[candidates].groupby(list(sub.columns), dropna=False, sort=False).ngroup().to_numpy()
    _, first_at = np.unique(group, return_index=True)
    first_of = np.empty(group.max() + 1, dtype=np.int64)
    first_of[group[first_at]] = first_at
    later = np.flatnonzero(first_of[group] != np.arange(len(group)))
    colname = {f: top.columns[j] for j, f in top.mapped.items()}
    pairs = [p for p in PAIRS if p[0] in frame.columns and p[1] in frame.columns] if kind == "training" else []
    for k in later:
        p, o = candidates[k], candidates[first_of[group[k]]]
        where = f"{rows[o]}" + (f" ({sheets[o]})" if sheets[o] != sheets[p] else "")
        conflicts = [pair for pair in pairs if _pair_text(frame, p, pair) != _pair_text(frame, o, pair)]
        if not conflicts:
            issues.append(messages.issue("duplicate_row", row=int(rows[p]), sheet=sheets[p],
                                         column=colname.get(key[0]), field=key[0],
                                         value=_cell_text(frame[key[0]].iat[p]), detail=where))
            continue
        _conflicting(frame, issues, colname, conflicts, later_at=p, first_at=o, first_where=where)


def _pair_text(frame: pd.DataFrame, at: int, pair: tuple[str, str]) -> str:
    """A row's before → after values of one measure, as the messages show them (– when empty)."""
    return " → ".join(_cell_text(frame[c].iat[at]) or "–" for c in pair)


def _conflicting(frame: pd.DataFrame, issues: list, colname: dict, conflicts: list, *, later_at: int,
                 first_at: int, first_where: str) -> None:
    """Report a later copy whose values differ (an error: rejected) and the first copy (a warning), and
    blank the differing measures on the first copy so that the person is left out of them."""
    rows = frame["_row"].to_numpy()
    sheets = frame["_sheet"].to_numpy(dtype=object)
    later_where = f"{rows[later_at]}" + (f" ({sheets[later_at]})" if sheets[later_at] != sheets[first_at] else "")
    for before, after in conflicts:
        column = " / ".join(colname.get(c, c) for c in (before, after))
        for at, other_at, other_where, severity in ((later_at, first_at, first_where, "error"),
                                                    (first_at, later_at, later_where, "warning")):
            issues.append(messages.issue(
                "conflicting_duplicate", row=int(rows[at]), sheet=sheets[at], column=column, field=before,
                value=_pair_text(frame, at, (before, after)),
                detail=f"{other_where}: {_pair_text(frame, other_at, (before, after))}", severity=severity))
    for before, after in conflicts:
        frame.loc[frame.index[first_at], [before, after]] = np.nan


_CHECK_CODES = {"not_nullable": "missing_value", "column_in_dataframe": "missing_value"}


def _pandera(kind: str, frame: pd.DataFrame, issues: list, top: Header) -> None:
    """Contract checks (ranges, allowed values, required cells) of the pandera models, all cells at
    once (:func:`analysis.intake.contracts.row_failures`)."""
    colname = {f: top.columns[j] for j, f in top.mapped.items()}
    errored = {(i["sheet"], i["row"], i["field"]) for i in issues if i["severity"] == "error"}
    rows = frame["_row"].to_numpy()
    sheets = frame["_sheet"].to_numpy(dtype=object)
    found: list[tuple[int, str, str, str | None]] = []  # position, field, code, detail
    for index, column, check in contracts.row_failures(kind, frame):
        if column not in colname:
            continue
        code = _CHECK_CODES.get(check.split("(")[0], "out_of_range")
        if code == "missing_value" and kind == "training" and column in PARTICIPANT_FIELDS:
            continue  # required for participants only: _cross_checks decides
        found.append((index, column, code, _range_text(check)))
    if kind == "training":  # performance is a number or a predikat; its range applies to numbers
        for c in ("kinerja_sebelum", "kinerja_sesudah"):
            if frame[c].dtype.kind == "f":
                for idx in np.flatnonzero(((frame[c] < 0) | (frame[c] > 120)).fillna(False).to_numpy()):
                    found.append((int(idx), c, "out_of_range", "0–120"))
    for idx, fld, code, detail in found:
        row, sheet = int(rows[idx]), sheets[idx]
        if (sheet, row, fld) in errored:
            continue
        errored.add((sheet, row, fld))
        issues.append(_soften(fld, messages.issue(code, row=row, sheet=sheet, column=colname.get(fld), field=fld,
                                                  value=_cell_text(frame[fld].iat[idx]), detail=detail)))
        if fld in SOFT_FIELDS:  # the row stays; the value that broke the contract does not
            frame.loc[frame.index[idx], fld] = np.nan


def _range_text(check: str) -> str | None:
    m = re.findall(r"-?\d+(?:\.\d+)?", check)
    if check.startswith("isin"):
        return ", ".join(x.rstrip("0").rstrip(".") for x in m)
    if check.startswith("greater_than_or_equal_to"):
        return f"≥ {m[0]}"
    if check.startswith("greater_than"):
        return f"> {m[0]}"
    if check.startswith("less_than_or_equal_to"):
        return f"≤ {m[0]}"
    return None
