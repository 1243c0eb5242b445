"""Personal data as a viewer sees it: NIP and names masked.

An NIP and a name are personal data (UU 27/2022 tentang Pelindungan Data Pribadi). A viewer
(pimpinan) reads published results only, with every NIP masked — the first 6 digits (year and
month of birth) and the last 4 (sex and serial number) kept, e.g. ``198503********1003`` — and
every name reduced to initials. Analysts and admins see the rows as stored. Pages call
:func:`for_role` on any frame they show or offer.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

import pandas as pd

#: Canonical NIP columns of the intake contracts (analysis/intake/contracts.py).
NIP_COLUMNS = ("nip", "mentor_nip", "mentee_nip")
#: Canonical name columns.
NAME_COLUMNS = ("nama", "nama_mentor", "nama_mentee")
_NIP_HEADER = re.compile(r"(^|[^a-z])nip($|[^a-z])|nomor induk", re.IGNORECASE)
_NAME_HEADER = re.compile(
    r"^\s*nama(?![\s_]*(pelatihan|program|diklat|kegiatan|unit|instansi|opd|layanan|jabatan|kecamatan"
    r"|kelurahan|dinas|sekolah|perangkat))(\s|_|$)|^\s*name\s*$",
    re.IGNORECASE,
)


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def mask_nip(nip: Any) -> Any:
    """Mask an NIP: keep the first 6 and the last 4 digits.

    Spaces and dots an export puts inside the number are dropped first. Numbers of another length
    (PPPK) keep at most a third at the front and a quarter at the end, so at least about 40 % is
    always hidden; missing values stay missing.

    Examples
    --------
    >>> mask_nip("198503122010011003")
    '198503********1003'
    >>> mask_nip("19850312 201001 1 003")
    '198503********1003'
    >>> mask_nip("1234567890")
    '123*****90'
    >>> mask_nip(None) is None, mask_nip("")
    (True, '')
    """
    if _missing(nip):
        return nip
    text = re.sub(r"[\s.\-]", "", str(nip))
    n = len(text)
    if n == 0:
        return ""
    head = min(6, n // 3)
    tail = min(4, n // 4)
    return text[:head] + "*" * (n - head - tail) + text[n - tail:] if tail else text[:head] + "*" * (n - head)


def mask_name(name: Any) -> Any:
    """Reduce a person's name to initials with a fixed number of stars (length is not revealed);
    academic titles after a comma are dropped.

    Examples
    --------
    >>> mask_name("Dr. Budi Santoso, S.Kom., M.Si.")
    'D*** B*** S***'
    >>> mask_name("<img src=x onerror=alert(1)>")
    '<*** s*** o***'
    >>> mask_name(float("nan"))
    nan
    """
    if _missing(name):
        return name
    words = str(name).split(",")[0].split()
    return " ".join(w[0] + "***" for w in words)


def _mask_series(series: pd.Series, fn) -> pd.Series:
    values = series.astype(object)
    uniques = pd.unique(values[values.notna()])
    mapping = {u: fn(u) for u in uniques}
    out = values.map(mapping)
    if pd.api.types.is_string_dtype(series.dtype) and not isinstance(series.dtype, pd.CategoricalDtype):
        return out.astype(series.dtype)
    return out.astype("str")


def personal_columns(frame: pd.DataFrame) -> tuple[list, list]:
    """The columns of ``frame`` holding NIPs and names: the canonical ones, and file headers that
    look like them (``NIP``, ``NIP Baru``, ``Nama Pegawai``) in rejected rows.

    Examples
    --------
    >>> personal_columns(pd.DataFrame(columns=["No", "NIP Baru", "Nama Pegawai", "Nama Pelatihan", "nilai_pre"]))
    (['NIP Baru'], ['Nama Pegawai'])
    """
    nips, names = [], []
    for column in frame.columns:
        label = str(column)
        if label in NIP_COLUMNS or _NIP_HEADER.search(label):
            nips.append(column)
        elif label in NAME_COLUMNS or _NAME_HEADER.search(label):
            names.append(column)
    return nips, names


def mask_frame(
    frame: pd.DataFrame,
    nip_columns: Iterable | None = None,
    name_columns: Iterable | None = None,
) -> pd.DataFrame:
    """A copy of ``frame`` with NIP and name columns masked (:func:`mask_nip`, :func:`mask_name`).

    Parameters
    ----------
    frame : pandas.DataFrame
    nip_columns, name_columns : iterable, optional
        Columns to mask; default: found by :func:`personal_columns`.

    Examples
    --------
    >>> df = pd.DataFrame({"nip": ["198503122010011003", None], "nama": ["Budi Santoso", "Ani"],
    ...                    "nilai_post": [80.0, 90.0]})
    >>> mask_frame(df)
                      nip       nama  nilai_post
    0  198503********1003  B*** S***        80.0
    1                 NaN       A***        90.0
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    found_nips, found_names = personal_columns(frame)
    nip_columns = found_nips if nip_columns is None else [c for c in nip_columns if c in frame.columns]
    name_columns = found_names if name_columns is None else [c for c in name_columns if c in frame.columns]
    out = frame.copy()
    for column in nip_columns:
        out[column] = _mask_series(out[column], mask_nip)
    for column in name_columns:
        out[column] = _mask_series(out[column], mask_name)
    return out


def for_role(frame: pd.DataFrame, role: Any) -> pd.DataFrame:
    """What a user of ``role`` (or a user object) may see of ``frame``: masked for a viewer (and
    for nobody), unchanged for an analyst or admin.

    Examples
    --------
    >>> df = pd.DataFrame({"nip": ["198503122010011003"]})
    >>> for_role(df, "viewer")["nip"].tolist(), for_role(df, "analyst")["nip"].tolist()
    (['198503********1003'], ['198503122010011003'])
    """
    from analysis.core.roles import has_role

    role = getattr(role, "role", role)
    if role is not None and has_role(role, "analyst"):
        return frame
    return mask_frame(frame)
