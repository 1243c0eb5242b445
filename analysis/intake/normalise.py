"""Cell normalisers: from what exports hold to the contract's values (districts, NIP, performance,
Indonesian numbers and dates).

Each normaliser takes a column as read (``raw``: numbers as float64, dates as datetime64, text as
``str``) and, for a text column, an optional ``numeric`` mask of the cells that were numbers in the
workbook. It returns a :class:`Parsed`: the values, and per row an issue code (``None`` when fine)
with a detail for the message. Problems are never fixed silently: a row whose cell cannot be read
gets a code, and the intake rejects or warns.

All normalisers are idempotent: feeding their output back in returns it unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.core.districts import Districts
from analysis.core.periods import MONTHS, read_period
from analysis.intake.nips import as_numpy, nip_structure

MISSING_TEXT = {"", "-", "–", "—", "--", "n/a", "na", "#n/a", "null", "none", "nan", "tidak ada", "kosong"}


# SKP predikat, low to high: PermenPANRB 6/2022 and the older PP 46/2011 scale.
PREDIKAT_2022 = ["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik"]
PREDIKAT_PP46 = ["Buruk", "Kurang", "Cukup", "Baik", "Sangat Baik"]
_PRED_KEYS_2022 = {"sangatkurang": "Sangat Kurang", "kurangmisconduct": "Kurang/Misconduct",
                   "misconduct": "Kurang/Misconduct", "butuhperbaikan": "Butuh Perbaikan",
                   "perlu perbaikan": "Butuh Perbaikan", "perluperbaikan": "Butuh Perbaikan"}
_PRED_KEYS_PP46 = {"buruk": "Buruk", "cukup": "Cukup"}
_PRED_SHARED = {"baik": "Baik", "sangatbaik": "Sangat Baik", "kurang": "Kurang"}


@dataclass
class Parsed:
    """Normalised ``values`` and, aligned with them, ``code`` (issue code or None) and ``detail``."""

    values: pd.Series
    code: pd.Series
    detail: pd.Series | None = None
    severity: str = "error"

    @classmethod
    def clean(cls, values: pd.Series) -> "Parsed":
        return cls(values, pd.Series([None] * len(values), index=values.index, dtype="object"))


_MISSING_ARROW = pa.array(sorted(MISSING_TEXT))


def by_value(s: pd.Series, fn, dtype: str = "object") -> pd.Series:
    """``fn`` of each distinct value of ``s`` in place of every cell holding it; missing cells stay
    missing. Exports repeat their values (a kecamatan, a predikat, a date, a score), so ``fn`` runs
    once per distinct value, not once per row.

    Examples
    --------
    >>> by_value(pd.Series(["Baik", "baik", None, "Baik"]), str.upper).tolist()
    ['BAIK', 'BAIK', None, 'BAIK']
    >>> by_value(pd.Series([1.5, None, 1.5]), lambda v: v * 2, dtype="float64").tolist()
    [3.0, nan, 3.0]
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return _spread(codes, [fn(u) for u in uniques], s.index, dtype)


def _spread(codes: np.ndarray, results: list, index, dtype: str) -> pd.Series:
    """Per-distinct-value ``results`` put back in every cell (code -1, a missing cell: missing)."""
    if dtype == "float64":
        table = np.array([np.nan if r is None else r for r in results] + [np.nan], dtype="float64")
    elif dtype == "str":  # taken in Arrow: no Python object per cell
        picks = np.where(codes < 0, len(results), codes)
        return pd.Series(pa.array(results + [None], type=pa.large_string()).take(picks), index=index, dtype="str")
    else:
        table = np.array(results + [None], dtype=object)
    return pd.Series(table[codes], index=index, dtype=dtype)


def _number_text(v) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() else repr(v)


def _text(raw: pd.Series) -> pd.Series:
    """Stripped text with runs of white space folded; missing markers → NA (pyarrow, vectorised)."""
    if raw.dtype.kind in "fiu":
        return by_value(raw, _number_text, dtype="str")
    if raw.dtype.kind == "M":
        return raw.dt.strftime("%Y-%m-%d").astype("str")
    arr = pa.array(raw.astype("str").array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    # Folding white space takes a regular expression, but only a value with a tab, a line break, a
    # non-breaking space (none is printable ASCII) or two spaces in a row needs one.
    fold = pc.or_(pc.invert(pc.ascii_is_printable(arr)), pc.match_substring(arr, "  "))
    if pc.any(fold).as_py():
        folded = pc.replace_substring_regex(pc.filter(arr, fold), r"[\s\x{00A0}]+", " ")
        arr = pc.replace_with_mask(arr, pc.fill_null(fold, False), folded)
    words = pc.utf8_trim_whitespace(arr)
    words = pc.if_else(pc.is_in(pc.utf8_lower(words), value_set=_MISSING_ARROW), pa.scalar(None, pa.large_string()),
                       words.cast(pa.large_string()))
    return pd.Series(words, index=raw.index, dtype="str")


def text(raw: pd.Series, numeric: pd.Series | None = None) -> Parsed:
    """Free text: trimmed, inner white space folded, ``-`` and empty as missing.

    Examples
    --------
    >>> text(pd.Series(["  Dinas   Kominfo ", "-", None])).values.tolist()
    ['Dinas Kominfo', nan, nan]
    """
    return Parsed.clean(_text(raw))


def lower(raw: pd.Series, numeric: pd.Series | None = None) -> Parsed:
    """Category text in lower case (``Pelatihan`` → ``pelatihan``).

    Examples
    --------
    >>> lower(pd.Series([" Workshop "])).values.tolist()
    ['workshop']
    """
    return Parsed.clean(_text(raw).str.lower())


_ID_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_ID_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number_text(s: str) -> float | None:
    """One text cell as a number in Indonesian notation, or None when it is not a number.

    A comma is the decimal mark and a dot groups thousands (``1.234,5``); a text without a comma
    whose dots group digits in threes (``1.234``) is read as thousands; other dot decimals
    (``85.5``) are read as written.

    Examples
    --------
    >>> parse_number_text("85,5"), parse_number_text("1.234,5"), parse_number_text("1.234")
    (85.5, 1234.5, 1234.0)
    >>> parse_number_text("90.25"), parse_number_text("abc")
    (90.25, None)
    """
    s = s.strip().replace("\u00a0", "").replace(" ", "")
    if _ID_THOUSANDS.match(s):
        return float(s.replace(".", "").replace(",", "."))
    if _ID_DECIMAL.match(s):
        return float(s.replace(",", "."))
    if _PLAIN.match(s):
        return float(s)
    return None


def number(raw: pd.Series, numeric: pd.Series | None = None) -> Parsed:
    """Numbers: numeric cells as they are; text cells in Indonesian notation (decimal comma, thousands dot).

    Examples
    --------
    >>> p = number(pd.Series(["85,5", "1.234,5", "-", "abc"]))
    >>> p.values.tolist()[:2], p.code.tolist()
    ([85.5, 1234.5], [None, None, None, 'invalid_number'])
    >>> number(pd.Series([90.25, None])).values.tolist()
    [90.25, nan]
    """
    if raw.dtype.kind in "fiu":
        return Parsed.clean(raw.astype("float64"))
    if raw.dtype.kind == "M":
        code = pd.Series(np.where(raw.notna(), "invalid_number", None), index=raw.index, dtype="object")
        return Parsed(pd.Series(np.nan, index=raw.index), code)
    s = _text(raw)
    values = pd.Series(np.nan, index=raw.index, dtype="float64")
    code = pd.Series([None] * len(raw), index=raw.index, dtype="object")
    present = s.notna()
    if numeric is not None:  # numbers fastexcel turned into text: plain float text, no locale rules
        num = present & numeric.to_numpy()
        values[num] = pd.to_numeric(s[num], errors="coerce")
        present &= ~num
    if present.any():
        parsed = by_value(s[present], parse_number_text, dtype="float64")
        ok = parsed.notna()
        values[parsed.index[ok]] = parsed[ok]
        code[parsed.index[~ok]] = "invalid_number"
    return Parsed(values, code)


# A time after the date is ignored: "12/3/2025 8:00:00", "12/3/2025 8:00 AM" (form exports),
# "2025-03-12T00:00:00Z".
_TIME = r"(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:am|pm)?(?:z|[+-]\d{2}:?\d{2})?)?"
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})" + _TIME + "$")
_YMD = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})" + _TIME + "$")
#: Dates outside this window are typing or conversion errors (a year "0025", the text "2025" read as
#: an Excel serial = 1905), not program or survey dates.
DATE_MIN, DATE_MAX = pd.Timestamp("1950-01-01"), pd.Timestamp("2101-01-01") - pd.Timedelta(1, "us")
_DMONY = re.compile(r"^(?:[a-z]+,?\s+)?(\d{1,2})[\s\-/.]+([a-z]+)\.?[\s\-/.,]+(\d{2}|\d{4})$")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def parse_date_text(s: str) -> pd.Timestamp | None:
    """One text cell as a date: day first (``12/03/2025``), ISO (``2025-03-12``), or with an
    Indonesian month name (``12 Maret 2025``, ``12-Mar-25``, ``Rabu, 12 Maret 2025``).

    Examples
    --------
    >>> parse_date_text("12/03/2025"), parse_date_text("12 Maret 2025")
    (Timestamp('2025-03-12 00:00:00'), Timestamp('2025-03-12 00:00:00'))
    >>> parse_date_text("2025-03-12"), parse_date_text("31/02/2025")
    (Timestamp('2025-03-12 00:00:00'), None)
    >>> parse_date_text("5 Agt 2024")
    Timestamp('2024-08-05 00:00:00')
    """
    s = s.strip().lower()
    m = _DMY.match(s)
    if m:
        d, mo, y = int(m.group(1)), int(m.group(2)), m.group(3)
    else:
        m = _YMD.match(s)
        if m:
            y, mo, d = m.group(1), int(m.group(2)), int(m.group(3))
        else:
            m = _DMONY.match(s)
            if not m or m.group(2) not in MONTHS:
                return None
            d, mo, y = int(m.group(1)), MONTHS[m.group(2)], m.group(3)
    year = int(y) + (2000 if len(y) == 2 else 0)
    try:
        return pd.Timestamp(year=year, month=mo, day=d)
    except ValueError:
        return None


def date(raw: pd.Series, numeric: pd.Series | None = None) -> Parsed:
    """Dates from date cells, Excel serial numbers, and day-first or Indonesian text.

    Examples
    --------
    >>> p = date(pd.Series([45728.0]))
    >>> p.values.dt.strftime("%Y-%m-%d").tolist()
    ['2025-03-12']
    >>> date(pd.Series(["12 Maret 2025", "besok"])).code.tolist()
    [None, 'invalid_date']
    """
    values = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us]")
    code = pd.Series([None] * len(raw), index=raw.index, dtype="object")
    if raw.dtype.kind == "M":
        return _in_window(Parsed.clean(raw.astype("datetime64[us]")))
    if raw.dtype.kind in "fiu":
        return _in_window(_serials(raw.astype("float64"), values, code))
    s = _text(raw)
    present = s.notna()
    # A plain number in a date column is an Excel serial, whether the cell was a number or text.
    serial = present & s.str.fullmatch(r"\d{1,7}(\.\d+)?").fillna(False).astype(bool)
    num = serial if numeric is None else (present & numeric.to_numpy()) | serial
    if num.any():
        sub = _serials(pd.to_numeric(s[num], errors="coerce"), values[num], code[num])
        values[num] = sub.values
        code[num] = sub.code
    present &= ~num
    if present.any():
        parsed = by_value(s[present], parse_date_text)
        ok = parsed.notna()
        values[parsed.index[ok]] = pd.to_datetime(parsed[ok]).astype("datetime64[us]")
        code[parsed.index[~ok]] = "invalid_date"
    return _in_window(Parsed(values, code))


def _in_window(parsed: Parsed) -> Parsed:
    outside = (parsed.values.notna() & ((parsed.values < DATE_MIN) | (parsed.values > DATE_MAX))).to_numpy()
    if outside.any():
        parsed.values[outside] = pd.NaT
        parsed.code[outside] = "invalid_date"
    return parsed


def _serials(nums: pd.Series, values: pd.Series, code: pd.Series) -> Parsed:
    values = values.copy()
    code = code.copy()
    # serials outside the plausible window are invalid before any conversion (a serial past 2262
    # would not even fit pandas' timestamps)
    lo, hi = (DATE_MIN - _EXCEL_EPOCH).days, (DATE_MAX - _EXCEL_EPOCH).days + 1
    ok = nums.notna() & (nums >= lo) & (nums < hi)
    values[ok] = (_EXCEL_EPOCH + pd.to_timedelta(nums[ok].round(6), unit="D")).astype("datetime64[us]")
    code[nums.notna() & ~ok] = "invalid_date"
    return Parsed(values, code)


_SCI = re.compile(r"^\d([.,]\d+)?e\+?\d+$", re.IGNORECASE)  # 1.98503E+17, or 1,98503E+17 in Indonesian Excel


def nip(raw: pd.Series, numeric: pd.Series | None = None) -> Parsed:
    """NIP to its 18 digits (spaces, dots and a leading apostrophe removed).

    A number cell (or text in scientific notation) has lost digits in Excel (15 significant digits):
    ``nip_as_number``, rejected. Letters: ``invalid_nip``, rejected. Digits that do not follow the
    PNS structure (PPPK numbers may differ): ``nip_structure``, a warning; the row is kept.

    Examples
    --------
    >>> p = nip(pd.Series(["19850312 201001 1 003", "1.98503122010011E+17", "ABC", "12345",
    ...                    "198503122010011000"]))
    >>> p.values.tolist()[0], p.code.tolist()
    ('198503122010011003', [None, 'nip_as_number', 'invalid_nip', 'nip_structure', 'nip_truncated'])
    """
    code = pd.Series([None] * len(raw), index=raw.index, dtype="object")
    if raw.dtype.kind in "fiu":
        code[raw.notna()] = "nip_as_number"
        return Parsed(pd.Series(pd.NA, index=raw.index, dtype="str"), code)
    s = _text(raw)
    text = pa.array(s.array)
    # a leading apostrophe (Excel's "text" mark), spaces, dots and dashes out: literal Arrow kernels
    cleaned = pc.utf8_ltrim(text, characters="'`")
    for mark in (" ", ".", "-"):
        cleaned = pc.replace_substring(cleaned, mark, "")
    present = s.notna().to_numpy()
    digits = as_numpy(pc.ascii_is_decimal(cleaned))
    as_number = np.zeros(len(s), dtype=bool)
    maybe_sci = np.flatnonzero(present & ~digits)  # scientific notation has an "e": never digits only
    if len(maybe_sci):
        as_number[maybe_sci] = s.iloc[maybe_sci].str.match(_SCI.pattern, case=False).fillna(False).to_numpy(bool)
    if numeric is not None:
        as_number |= present & numeric.to_numpy()
    bad = present & ~as_number & ~digits
    code[as_number] = "nip_as_number"
    code[bad] = "invalid_nip"
    check = present & ~as_number & digits
    if check.any():
        code[check & ~nip_structure(cleaned)] = "nip_structure"
        # 18 digits ending in 000: serials start at 001, so this NIP has probably been through a
        # number cell (Excel keeps 15 significant digits) and saved as text afterwards. Reported
        # (a warning: the row is kept, and a check against the personnel records settles it).
        ends = as_numpy(pc.and_(pc.equal(pc.binary_length(cleaned), 18), pc.ends_with(cleaned, "000")))
        code[check & ends] = "nip_truncated"
    values = pd.Series(cleaned, index=s.index, dtype="str")
    values[as_number | bad] = pd.NA
    return Parsed(values, code)


def kecamatan(raw: pd.Series, districts: Districts, numeric: pd.Series | None = None) -> tuple[Parsed, pd.Series]:
    """District names to their official form and code (Kepmendagri 300.2.2-2138/2025).

    Returns the names and a second series with the codes. Unknown or ambiguous names get the codes
    ``unknown_kecamatan``/``ambiguous_kecamatan`` and the nearest names as detail.

    Examples
    --------
    >>> from analysis.core.districts import load_districts
    >>> p, kode = kecamatan(pd.Series(["Kec. Medan Baru", "Medan Raya"]), load_districts())
    >>> p.values.tolist()[0], kode.tolist()[0], p.code.tolist()
    ('Medan Baru', '12.71.17', [None, 'unknown_kecamatan'])
    """
    s = _text(raw)
    found, uniques = pd.factorize(s, use_na_sentinel=True)
    matches = [districts.match(u) for u in uniques]
    ok = [m.status == "ok" for m in matches]
    values = _spread(found, [m.name if good else None for m, good in zip(matches, ok)], raw.index, "str")
    codes = _spread(found, [m.kode if good else None for m, good in zip(matches, ok)], raw.index, "str")
    code = _spread(found, [None if good else f"{m.status}_kecamatan" for m, good in zip(matches, ok)], raw.index,
                   "object")
    shown = [None if good else ", ".join(list(m.candidates[:5]) + (["…"] if len(m.candidates) > 5 else []))
             for m, good in zip(matches, ok)]
    return Parsed(values, code, _spread(found, shown, raw.index, "object")), codes


_NOT_LETTER = re.compile(r"[^a-z]")


def _pred_key(v: str) -> str:
    return _NOT_LETTER.sub("", v.lower())


def is_pp46_scale(*columns: pd.Series) -> bool:
    """Whether predikat columns use the PP 46/2011 words: ``Cukup``/``Buruk`` appear and none of the
    2022-only words do. Decided over all of a file's performance columns together, so an "after"
    column holding only ``Baik``/``Sangat Baik`` follows its "before" column.

    Examples
    --------
    >>> is_pp46_scale(pd.Series(["Cukup", "Baik"]), pd.Series(["Baik"]))
    True
    >>> is_pp46_scale(pd.Series(["Butuh Perbaikan"]), pd.Series(["Cukup"]))
    False
    """
    if any(isinstance(c.dtype, pd.CategoricalDtype) and list(c.cat.categories) == PREDIKAT_PP46 for c in columns):
        return True
    keys = {_pred_key(v) for c in columns if c.dtype == "str" for v in _text(c).dropna().unique()}
    return bool(keys & set(_PRED_KEYS_PP46)) and not keys & set(_PRED_KEYS_2022)


def performance(raw: pd.Series, numeric: pd.Series | None = None, pp46: bool | None = None) -> Parsed:
    """Performance as a number (0–120, PP 46/2011 SKP) or an SKP predikat (PermenPANRB 6/2022).

    One column holds one scale: the scale most of its cells use. A predikat becomes an ordered
    Categorical (2022 scale, or the PP 46/2011 words when ``Cukup``/``Buruk`` appear); cells of the
    other scale are ``mixed_scale`` errors, never converted.

    Examples
    --------
    >>> p = performance(pd.Series(["Baik", "sangat baik", "Butuh Perbaikan", None]))
    >>> p.values.tolist()[:3], str(p.values.dtype)
    (['Baik', 'Sangat Baik', 'Butuh Perbaikan'], 'category')
    >>> performance(pd.Series(["85,5", "Baik", "90"])).code.tolist()
    [None, 'mixed_scale', None]
    """
    if isinstance(raw.dtype, pd.CategoricalDtype) and list(raw.cat.categories) in (PREDIKAT_2022, PREDIKAT_PP46):
        return Parsed.clean(raw)  # already normalised
    num = number(raw, numeric)
    if raw.dtype.kind in "fiuM":
        return num
    s = _text(raw)
    keys = by_value(s.dropna(), _pred_key)
    is_pred = keys.isin(set(_PRED_KEYS_2022) | set(_PRED_KEYS_PP46) | set(_PRED_SHARED))
    n_pred, n_num = int(is_pred.sum()), int(num.values.notna().sum())
    if n_pred <= n_num:
        code = num.code.copy()
        code[is_pred[is_pred].index] = "mixed_scale"
        return Parsed(num.values, code)
    if pp46 is None:
        pp46 = is_pp46_scale(raw)
    table = dict(_PRED_SHARED)
    table.update(_PRED_KEYS_PP46 if pp46 else _PRED_KEYS_2022)
    if not pp46:
        table["kurang"] = "Kurang/Misconduct"
    scale = PREDIKAT_PP46 if pp46 else PREDIKAT_2022
    labels = by_value(keys, table.get)
    values = pd.Series(pd.Categorical([None] * len(raw), categories=scale, ordered=True), index=raw.index)
    ok = labels.notna()
    values[labels.index[ok]] = labels[ok].to_numpy()
    code = pd.Series([None] * len(raw), index=raw.index, dtype="object")
    unmapped = labels.index[~ok]
    other_scale = set(_PRED_KEYS_2022 if pp46 else _PRED_KEYS_PP46)
    mixed = keys[~ok].isin(other_scale).to_numpy() | num.values[unmapped].notna().to_numpy()
    code[unmapped] = np.where(mixed, "mixed_scale", "invalid_category")
    return Parsed(values, code)


# --------------------------------------------------------------------------- appraisals (kinerja)

#: The two ratings of PermenPANRB 6/2022, low to high (rating hasil kerja, rating perilaku kerja).
RATINGS = ["Di bawah ekspektasi", "Sesuai ekspektasi", "Di atas ekspektasi"]
_RATING_KEYS = {
    "dibawahekspektasi": RATINGS[0], "dibawah": RATINGS[0], "belowexpectation": RATINGS[0],
    "belowexpectations": RATINGS[0],
    "sesuaiekspektasi": RATINGS[1], "sesuai": RATINGS[1], "meetsexpectation": RATINGS[1],
    "meetsexpectations": RATINGS[1], "asexpected": RATINGS[1],
    "diatasekspektasi": RATINGS[2], "diatas": RATINGS[2], "aboveexpectation": RATINGS[2],
    "aboveexpectations": RATINGS[2],
}
#: Potential (PermenPANRB 3/2020, talent box): a category, or an assessment score kept as a number.
POTENSI = ("rendah", "menengah", "tinggi")


def _categories(raw: pd.Series, table: dict, scale: list[str], choices: str) -> Parsed:
    """Text cells looked up by their letters (case, spaces and punctuation ignored) in ``table``."""
    s = _text(raw) if raw.dtype.kind not in "fiuM" else by_value(raw, str, dtype="str")
    labels = by_value(s, lambda v: table.get(_pred_key(v)))
    values = pd.Series(pd.Categorical(labels.where(labels.notna(), None), categories=scale, ordered=True),
                       index=raw.index)
    bad = (s.notna() & labels.isna()).to_numpy()
    code = pd.Series(np.where(bad, "invalid_category", None), index=raw.index, dtype="object")
    detail = pd.Series(np.where(bad, choices, None), index=raw.index, dtype="object")
    return Parsed(values, code, detail)


def rating(raw: pd.Series, numeric: pd.Series | None = None) -> Parsed:
    """A PermenPANRB 6/2022 rating (*hasil kerja* or *perilaku kerja*) as an ordered Categorical of
    :data:`RATINGS`; e-Kinerja writes ``Diatas Ekspektasi`` without the space.

    Examples
    --------
    >>> p = rating(pd.Series(["Diatas Ekspektasi", "sesuai ekspektasi", "DI BAWAH EKSPEKTASI", "lumayan"]))
    >>> p.values.tolist(), p.code.tolist()
    (['Di atas ekspektasi', 'Sesuai ekspektasi', 'Di bawah ekspektasi', nan], [None, None, None, 'invalid_category'])
    """
    return _categories(raw, _RATING_KEYS, RATINGS, ", ".join(RATINGS))


def predikat(raw: pd.Series, numeric: pd.Series | None = None) -> Parsed:
    """A PermenPANRB 6/2022 *predikat kinerja* as an ordered Categorical of :data:`PREDIKAT_2022`
    (a bare ``Kurang`` is ``Kurang/Misconduct``; ``Perlu Perbaikan`` is ``Butuh Perbaikan``). A number
    or an old PP 46/2011 word (``Cukup``, ``Buruk``) is not a 2022 predikat: ``invalid_category``.

    Examples
    --------
    >>> p = predikat(pd.Series(["Sangat Baik", "kurang", "Perlu Perbaikan", "Cukup", "85"]))
    >>> p.values.tolist()[:3], p.code.tolist()[3:]
    (['Sangat Baik', 'Kurang/Misconduct', 'Butuh Perbaikan'], ['invalid_category', 'invalid_category'])
    """
    table = {**_PRED_SHARED, **_PRED_KEYS_2022, "kurang": "Kurang/Misconduct"}
    return _categories(raw, table, PREDIKAT_2022, ", ".join(PREDIKAT_2022))


def periode(raw: pd.Series, numeric: pd.Series | None = None) -> Parsed:
    """An appraisal period as its label (``analysis.core.periods.read_period``): a year, semester,
    quarter or month in any common spelling, or the day the period ended (a date cell, an Excel
    serial, or a date as text), written ``2025-06-30``.

    Examples
    --------
    >>> p = periode(pd.Series(["Triwulan II 2025", "2025", "30/06/2025", "Juni 2025", "kemarin"]))
    >>> p.values.tolist(), p.code.tolist()[-1]
    (['2025-Q2', '2025', '2025-06-30', '2025-06', nan], 'invalid_period')
    >>> periode(pd.Series([2024.0, 45838.0])).values.tolist()
    ['2024', '2025-06-30']
    """
    values = pd.Series(pd.NA, index=raw.index, dtype="str")
    code = pd.Series([None] * len(raw), index=raw.index, dtype="object")
    if raw.dtype.kind == "M":
        return Parsed.clean(raw.dt.strftime("%Y-%m-%d").astype("str"))
    if raw.dtype.kind in "fiu":
        years = raw.notna() & (raw % 1 == 0) & raw.between(1900, 2100)
        values[years] = raw[years].astype("int64").astype("str")
        serial = raw.notna() & ~years
        if serial.any():
            dates = date(raw[serial])
            values[serial] = dates.values.dt.strftime("%Y-%m-%d").astype("str")
            code[serial] = dates.code.map(lambda c: "invalid_period" if c else None)
        return Parsed(values, code)
    s = _text(raw)
    present = s.notna()
    parsed = by_value(s[present], _period_label)
    ok = parsed.notna()
    values[parsed.index[ok]] = parsed[ok].astype("str")
    code[parsed.index[~ok]] = "invalid_period"
    return Parsed(values, code)


def _period_label(text: str) -> str | None:
    """A period as written → its label, or the day it ended; None when it is neither."""
    try:
        return read_period(text)[0]
    except ValueError:
        day = parse_date_text(text)
        return day.strftime("%Y-%m-%d") if day is not None and DATE_MIN <= day <= DATE_MAX else None


def potensi(raw: pd.Series, numeric: pd.Series | None = None) -> Parsed:
    """Potential (PermenPANRB 3/2020): ``rendah``, ``menengah`` or ``tinggi``, or an assessment score
    0–100 kept as its number. Anything else is a warning and an empty cell (a side detail).

    Examples
    --------
    >>> p = potensi(pd.Series(["Tinggi", "78,5", "bagus", 250]))
    >>> p.values.tolist(), p.code.tolist()
    (['tinggi', '78.5', nan, nan], [None, None, 'invalid_category', 'invalid_category'])
    """
    s = _text(raw)
    words = s.str.lower()
    numbers = by_value(s, parse_number_text, dtype="float64")
    score = numbers.notna() & numbers.between(0, 100)
    values = words.where(words.isin(POTENSI))
    values = values.mask(score, numbers.map(lambda v: repr(float(v)) if pd.notna(v) else None))
    bad = (s.notna() & values.isna()).to_numpy()
    code = pd.Series(np.where(bad, "invalid_category", None), index=raw.index, dtype="object")
    detail = pd.Series(np.where(bad, "rendah, menengah, tinggi, 0–100", None), index=raw.index, dtype="object")
    return Parsed(values.astype("str"), code, detail, severity="warning")


# The answer labels of the SKM form (PermenPANRB 14/2017), and the "sesuai" wording many forms use.
_ANSWERS = {"tidakbaik": 1.0, "kurangbaik": 2.0, "baik": 3.0, "sangatbaik": 4.0,
            "tidaksesuai": 1.0, "kurangsesuai": 2.0, "sesuai": 3.0, "sangatsesuai": 4.0}


def answer(raw: pd.Series, numeric: pd.Series | None = None) -> Parsed:
    """An SKM answer: 1–4, or its label (``Tidak Baik`` 1 … ``Sangat Baik`` 4; PermenPANRB 14/2017).

    Examples
    --------
    >>> p = answer(pd.Series(["3", "Sangat Baik", "kurang baik", "lumayan"]))
    >>> p.values.tolist()[:3], p.code.tolist()
    ([3.0, 4.0, 2.0], [None, None, None, 'invalid_number'])
    """
    parsed = number(raw, numeric)
    bad = parsed.code.eq("invalid_number").to_numpy()
    if bad.any():
        labels = by_value(_text(raw)[bad], lambda v: _ANSWERS.get(_pred_key(v)), dtype="float64")
        found = labels.notna()
        parsed.values[labels.index[found]] = labels[found].astype(float)
        parsed.code[labels.index[found]] = None
    return parsed


_KELOMPOK = {
    "peserta": "peserta", "ikut": "peserta", "ya": "peserta", "participant": "peserta",
    "treatment": "peserta", "perlakuan": "peserta",
    "pembanding": "pembanding", "kontrol": "pembanding", "control": "pembanding",
    "bukanpeserta": "pembanding", "nonpeserta": "pembanding", "tidakikut": "pembanding",
    "tidak": "pembanding", "comparison": "pembanding", "kelompokpembanding": "pembanding",
    "kelompokkontrol": "pembanding",
}


def kelompok(raw: pd.Series, numeric: pd.Series | None = None) -> Parsed:
    """Participant (``peserta``) or comparison group (``pembanding``); empty means participant.

    Examples
    --------
    >>> p = kelompok(pd.Series(["Peserta", "Kontrol", None, "?"]))
    >>> p.values.tolist(), p.code.tolist()
    (['peserta', 'pembanding', 'peserta', nan], [None, None, None, 'invalid_category'])
    """
    s = _text(raw)
    values = by_value(s, lambda v: _KELOMPOK.get(_pred_key(v)), dtype="str")
    values[s.isna()] = "peserta"
    code = pd.Series(np.where(s.notna() & values.isna(), "invalid_category", None), index=raw.index, dtype="object")
    return Parsed(values, code)


def kegiatan(raw: pd.Series, numeric: pd.Series | None = None) -> Parsed:
    """Event type: ``forum`` (forum warga, konsultasi publik), ``open_house``, or the text as a slug.

    Examples
    --------
    >>> kegiatan(pd.Series(["Forum Warga", "Open House", "Sosialisasi Layanan"])).values.tolist()
    ['forum', 'open_house', 'sosialisasi_layanan']
    """
    s = _text(raw).str.lower()
    slug = s.str.replace(r"[^a-z0-9]+", "_", regex=True).str.strip("_")
    values = slug.mask(slug.str.contains("forum", na=False), "forum")
    values = values.mask(slug.str.replace("_", "").str.contains("openhouse", na=False), "open_house")
    values = values.mask(slug.str.contains("konsultasi_publik", na=False), "forum")
    return Parsed.clean(values.mask(values == ""))  # "?" or "..." names no event type


_SEX = {"l": "L", "lk": "L", "lakilaki": "L", "laki": "L", "pria": "L", "m": "L", "male": "L",
        "p": "P", "pr": "P", "perempuan": "P", "wanita": "P", "f": "P", "female": "P", "w": "P"}


def sex(raw: pd.Series, numeric: pd.Series | None = None) -> Parsed:
    """Respondent sex as ``L``/``P``; anything else is a warning (the answer row is kept).

    Examples
    --------
    >>> p = sex(pd.Series(["Laki-laki", "P", "x"]))
    >>> p.values.tolist(), p.code.tolist()
    (['L', 'P', nan], [None, None, 'invalid_category'])
    """
    s = _text(raw)
    values = by_value(s, lambda v: _SEX.get(_pred_key(v)), dtype="str")
    code = pd.Series(np.where(s.notna() & values.isna(), "invalid_category", None), index=raw.index, dtype="object")
    return Parsed(values, code, severity="warning")


PARSERS = {"text": text, "lower": lower, "number": number, "answer": answer, "date": date, "nip": nip,
           "performance": performance, "kelompok": kelompok, "kegiatan": kegiatan, "sex": sex,
           "periode": periode, "rating": rating, "predikat": predikat, "potensi": potensi}
