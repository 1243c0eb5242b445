"""Citizens' comments (``saran``): search, filters, theme tags from an editable keyword dictionary,
and a view without the respondent's profile for the viewer role.

A dictionary is a frame of (``tema``, ``kata_kunci``) pairs. The product ships one,
``data/tema_saran.csv`` (:func:`load_themes` reads it); an administrator's edited one is kept in
the database by ``store.themes``, whose frames :func:`parse_themes` reads — this module reads and
writes no storage of its own, so every function here is a pure function of its arguments.
Matching is on words, case- and accent-insensitive, with light Indonesian stemming so one keyword
finds its common forms:

- a keyword of four letters or more also matches with a prefix (``di-``, ``ke-``, ``ter-``,
  ``ber-``, ``me(m/n/ng/ny)-``, ``pe(m/n/ng/ny)-``, ``per-``) and a suffix (``-nya``, ``-an``,
  ``-kan``, ``-i``, ``-lah``, ``-pun``, ``-in`` and their combinations): ``bayar`` finds
  *pembayaran*, ``jelas`` finds *penjelasan*;
- nasal assimilation: a keyword starting with k, p, s or t also matches the form whose first letter
  the prefix swallowed: ``tunggu`` finds *menunggu*, ``sapa`` finds *menyapa*;
- a keyword ending in ``*`` matches every word that starts with it: ``antri*``;
- a keyword shorter than four letters (``ac``, ``wc``, ``jam``) matches only the whole word;
- a phrase (``ruang tunggu``) matches its words in sequence.

A theme tag says what a comment is about, not whether it praises or complains (``tidak ramah`` and
``ramah`` both tag *sikap petugas*).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.config import THEMES_CSV
from analysis.core.errors import AnalysisError
from analysis.voice.ikm import DEFAULT_PERIOD, ikm_table, normalise_unit, period_labels

#: Label of comments that match no theme in :func:`theme_counts`.
NO_THEME = "lainnya"

#: Respondent profile columns: never shown row by row to a viewer.
PROFILE_COLUMNS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")

#: What :func:`comments_for_viewer` keeps (an allowlist, so a new profile column stays hidden).
VIEWER_COLUMNS = ("tanggal", "periode", "unit_layanan", "kecamatan", "kode_kecamatan", "jenis_layanan",
                  "saran", "tema", "grade", "label") + tuple(f"u{i}" for i in range(1, 10))

_PREFIX = r"(?:di|ke|ter|ber|be|me|mem|men|meng|meny|pe|pem|pen|peng|peny|per)?"
_SUFFIX = r"(?:kannya|annya|nya|kan|an|i|lah|pun|in|ku|mu)?"
_NASAL = {"k": ("meng", "peng"), "p": ("mem", "pem"), "s": ("meny", "peny"), "t": ("men", "pen")}
_WORD_EDGE_L = r"(?<![a-z0-9])"
_WORD_EDGE_R = r"(?![a-z0-9])"
_CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"                 # e-mail
    r"|(?<!\d)(?:\+?\d[\d .\-]{6,}\d)(?!\d)"        # phone, NIK, NIP (8+ digits, spaces allowed)
)
MASK = "[disamarkan]"


def normalise_text(text: str | pd.Series | None) -> str | pd.Series | None:
    """Text as matched: accents removed, case folded, every non-letter/digit run one space.

    Accepts a string (returns a string) or a Series (returns a Series; missing stays missing).

    Examples
    --------
    >>> normalise_text("  Pelayanan CEPAT, ramah & café-nya bersih!! ")
    'pelayanan cepat ramah cafe nya bersih'
    """
    if isinstance(text, pd.Series):
        return text.map(normalise_text, na_action="ignore").astype("str")
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return None
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def load_themes(path: str | Path | None = None) -> pd.DataFrame:
    """Read a keyword dictionary file: by default the one shipped, ``data/tema_saran.csv``.

    The file is a CSV (``,`` or ``;``) with the columns ``tema`` and ``kata_kunci`` (``theme`` and
    ``keyword`` also accepted), cleaned by :func:`parse_themes`.

    Raises
    ------
    AnalysisError
        ``themes_unreadable`` when the file is missing, has no such columns or no keyword.

    Examples
    --------
    >>> t = load_themes()
    >>> {"waktu pelayanan", "biaya", "sikap petugas", "prosedur", "sarana", "informasi"} <= set(t["tema"])
    True
    """
    path = Path(path) if path is not None else THEMES_CSV
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python",
                          encoding="utf-8-sig")
    except (OSError, csv.Error, pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
        raise AnalysisError("themes_unreadable", f"Kamus tema {path.name} tidak dapat dibaca: {err}",
                            f"The theme dictionary {path.name} cannot be read: {err}") from None
    return parse_themes(raw, source=path.name)


def parse_themes(frame: pd.DataFrame, source: str = "themes") -> pd.DataFrame:
    """A dictionary frame as read (a file, the database, an editor) turned into a clean one.

    The columns are found by name, ``tema`` and ``kata_kunci`` (or ``theme`` and ``keyword``, in
    any case); the pairs are cleaned by :func:`themes_frame`.

    Raises
    ------
    AnalysisError
        ``themes_unreadable`` when the columns are missing or no keyword is left.

    Examples
    --------
    >>> parse_themes(pd.DataFrame({"Theme": ["Biaya", "Sarana"], "Keyword": [" Tarif", "AC"]}))
         tema kata_kunci
    0   biaya      tarif
    1  sarana         ac
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    cols = {str(c).strip().lower(): c for c in frame.columns}
    theme_col = cols.get("tema") or cols.get("theme")
    kw_col = cols.get("kata_kunci") or cols.get("keyword")
    if theme_col is None or kw_col is None:
        raise AnalysisError(
            "themes_unreadable",
            f"Kamus tema {source} harus memiliki kolom 'tema' dan 'kata_kunci'; ada: {list(frame.columns)}.",
            f"The theme dictionary {source} needs the columns 'tema' and 'kata_kunci'; found: {list(frame.columns)}.",
        )
    return themes_frame(zip(frame[theme_col].tolist(), frame[kw_col].tolist()), source=source)


def themes_frame(pairs: Iterable[tuple[str, str]], source: str = "themes") -> pd.DataFrame:
    """A dictionary frame from (theme, keyword) pairs, cleaned: themes and keywords normalised like
    the comments (:func:`normalise_text`, a keyword keeping a final ``*``), blank and duplicate pairs
    dropped, the order of first appearance kept.

    Examples
    --------
    >>> themes_frame([("Biaya", "Tarif "), ("biaya", "tarif"), ("sarana", "AC")])
         tema kata_kunci
    0   biaya      tarif
    1  sarana         ac
    """
    rows = []
    for theme, kw in pairs:
        theme = " ".join(str(theme or "").split()).casefold()
        star = str(kw or "").strip().endswith("*")
        kw = normalise_text(kw) or ""
        if theme and kw:
            rows.append((theme, kw + ("*" if star else "")))
    out = pd.DataFrame(rows, columns=["tema", "kata_kunci"]).drop_duplicates(ignore_index=True)
    if out.empty:
        raise AnalysisError("themes_unreadable", f"Kamus tema {source} tidak berisi kata kunci.",
                            f"The theme dictionary {source} holds no keyword.")
    return out


def _word_pattern(word: str, first: bool) -> str:
    star = word.endswith("*")
    w = word.rstrip("*")
    if star:
        body = re.escape(w) + r"[a-z0-9]*"
        return (_PREFIX if first else "") + body
    if len(w) < 4:
        return re.escape(w)
    forms = [re.escape(w)]
    if first and w[0] in _NASAL:
        forms += [p + re.escape(w[1:]) for p in _NASAL[w[0]]]
    body = "(?:" + "|".join(forms) + ")" + _SUFFIX
    return (_PREFIX if first else "") + body


def keyword_pattern(keyword: str) -> str:
    """The regular expression one dictionary keyword becomes (on normalised text).

    Examples
    --------
    >>> import re
    >>> pat = re.compile(keyword_pattern("tunggu"))
    >>> [bool(pat.search(normalise_text(t))) for t in ("Menunggu 3 jam", "ditunggu", "tungku")]
    [True, True, False]
    """
    words = normalise_text(keyword.rstrip("*")).split(" ") if keyword else []
    if not words or not words[0]:
        raise ValueError(f"keyword must hold a letter or digit, got {keyword!r}")
    if keyword.endswith("*"):
        words[-1] += "*"
    parts = [_word_pattern(w, i == 0) for i, w in enumerate(words)]
    return _WORD_EDGE_L + " ".join(parts) + _WORD_EDGE_R


def compile_themes(themes: pd.DataFrame | None = None) -> dict[str, re.Pattern]:
    """One compiled pattern per theme (the alternation of its keywords), in dictionary order.

    Examples
    --------
    >>> pats = compile_themes(themes_frame([("biaya", "bayar")]))
    >>> bool(pats["biaya"].search("pembayarannya lewat bank"))
    True
    """
    themes = load_themes() if themes is None else themes
    out: dict[str, re.Pattern] = {}
    for theme, grp in themes.groupby("tema", sort=False):
        out[theme] = re.compile("|".join(keyword_pattern(k) for k in grp["kata_kunci"]))
    return out


def comment_themes(texts: pd.Series, themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Long format: one row per (comment, theme) it matches: ``index`` (of ``texts``) and ``tema``.

    Examples
    --------
    >>> s = pd.Series(["Antriannya lama, petugas judes", "Toilet kotor", None])
    >>> comment_themes(s)
       index             tema
    0      0  waktu pelayanan
    1      0    sikap petugas
    2      1           sarana
    """
    patterns = compile_themes(themes)
    texts = pd.Series(texts)
    # Comments repeat a lot ("Mantap.", "Terima kasih"): match each distinct text once.
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    norm = normalise_text(pd.Series(uniques, dtype="object"))
    frames = []
    for theme, pat in patterns.items():
        hit_unique = norm.str.contains(pat, regex=True, na=False).to_numpy()
        hit = (codes >= 0) & hit_unique[np.where(codes >= 0, codes, 0)] if len(uniques) else np.zeros(len(codes), bool)
        frames.append(pd.DataFrame({"_pos": np.flatnonzero(hit), "tema": theme, "_order": len(frames)}))
    long = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["_pos", "tema", "_order"])
    long = long.sort_values(["_pos", "_order"], kind="stable")
    long.insert(0, "index", texts.index[long["_pos"].to_numpy(dtype="int64")])
    return long.drop(columns=["_pos", "_order"]).reset_index(drop=True).astype({"tema": "str"})


def tag_comments(df: pd.DataFrame, themes: pd.DataFrame | None = None, column: str = "saran") -> pd.DataFrame:
    """``df`` with a ``tema`` column: its themes joined by ``"; "`` in dictionary order (missing when none).

    Examples
    --------
    >>> kamus = themes_frame([("biaya", "biaya"), ("informasi", "jelas")])
    >>> df = pd.DataFrame({"saran": ["Biaya tidak jelas", "Terima kasih"]})
    >>> tag_comments(df, kamus)["tema"].tolist()
    ['biaya; informasi', nan]
    """
    if column not in df.columns:
        raise ValueError(f"df must have a {column!r} column")
    long = comment_themes(df[column].reset_index(drop=True), themes)  # positions: index may repeat
    joined = long.groupby("index", sort=False)["tema"].agg("; ".join).reindex(range(len(df)))
    return df.assign(tema=pd.Series(joined.to_numpy(), index=df.index, dtype="str"))


def _has_text(s: pd.Series) -> pd.Series:
    return s.notna() & s.astype("str").str.strip().ne("")


def theme_counts(
    df: pd.DataFrame,
    themes: pd.DataFrame | None = None,
    column: str = "saran",
    by: str | list[str] | None = None,
) -> pd.DataFrame:
    """How many comments mention each theme (a comment may count under several).

    Returns
    -------
    DataFrame
        ``<by>``…, ``tema`` (every dictionary theme, then ``"lainnya"`` for comments with no
        theme), ``n`` and ``share`` (of the non-empty comments of the group).

    Examples
    --------
    >>> kamus = themes_frame([("waktu pelayanan", "lama"), ("biaya", "mahal"), ("sarana", "toilet")])
    >>> df = pd.DataFrame({"saran": ["Antri lama", "Biaya mahal dan lama", "Oke", None]})
    >>> theme_counts(df, kamus)
                  tema  n     share
    0  waktu pelayanan  2  0.666667
    1            biaya  1  0.333333
    2           sarana  0  0.000000
    3          lainnya  1  0.333333
    """
    if column not in df.columns:
        raise ValueError(f"df must have a {column!r} column")
    themes = load_themes() if themes is None else themes
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    missing = [k for k in keys if k not in df.columns]
    if missing:
        raise ValueError(f"by names columns that df lacks: {missing}")
    sub = df[_has_text(df[column])].reset_index(drop=True)  # positions: the index may repeat
    long = comment_themes(sub[column], themes)
    tagged = set(long["index"])
    untagged = pd.DataFrame({"index": [i for i in sub.index if i not in tagged], "tema": NO_THEME})
    long = pd.concat([long, untagged], ignore_index=True)
    order = list(dict.fromkeys(themes["tema"])) + [NO_THEME]
    if keys:
        long = long.join(sub[keys], on="index")
        totals = sub.groupby(keys, dropna=False).size().rename("total").reset_index()
        counts = long.groupby(keys + ["tema"], dropna=False).size().rename("n").reset_index()
        grid = totals[keys].merge(pd.DataFrame({"tema": order}), how="cross")
        out = grid.merge(counts, on=keys + ["tema"], how="left").merge(totals, on=keys, how="left")
    else:
        counts = long.groupby("tema").size()
        out = pd.DataFrame({"tema": order})
        out["n"] = counts.reindex(order).to_numpy()
        out["total"] = len(sub)
    out["n"] = out["n"].fillna(0).astype("int64")
    out["share"] = np.where(out["total"] > 0, out["n"] / out["total"].where(out["total"] > 0, 1), np.nan)
    return out.drop(columns="total").astype({"tema": "str"})


def _as_list(value) -> list | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return list(value)


def search_comments(
    feedback: pd.DataFrame,
    text: str | None = None,
    unit: str | Iterable[str] | None = None,
    kecamatan: str | Iterable[str] | None = None,
    periode: str | Iterable[str] | None = None,
    period: str = DEFAULT_PERIOD,
    grade: str | Iterable[str] | None = None,
    theme: str | Iterable[str] | None = None,
    themes: pd.DataFrame | None = None,
    lang: str = "id",
) -> pd.DataFrame:
    """The non-empty comments that match every filter given, with their period, themes and the
    grade of their unit.

    Parameters
    ----------
    feedback : DataFrame
        Canonical feedback rows (``saran``, ``tanggal``, ``unit_layanan``, ``kecamatan``, u1…u9).
    text : str, optional
        Substring the comment must contain; case-, accent- and punctuation-insensitive.
    unit, kecamatan : str or list of str, optional
        Service units / kecamatan (unit names compared after case folding and collapsing spaces).
    periode : str or list of str, optional
        Period labels of granularity ``period`` (``"2025-Q1"``…).
    period : {"month", "quarter", "semester", "year"}
        Granularity of the ``periode`` column.
    grade : str or list of str, optional
        Grades (A–D) of the comment's unit, computed from the rows inside the ``periode`` filter
        (all rows when none).
    theme : str or list of str, optional
        Comments tagged with any of these themes (``"lainnya"``: no theme).
    themes : DataFrame, optional
        Keyword dictionary (:func:`load_themes` when None).

    Returns
    -------
    DataFrame
        The matching rows with the added columns ``periode``, ``tema``, ``grade`` and ``label``.
        It still holds the respondent profile: pass it through :func:`comments_for_viewer` for a
        viewer.

    Examples
    --------
    >>> fb = pd.DataFrame({"tanggal": pd.to_datetime(["2025-01-05", "2025-02-05", "2025-05-05"]),
    ...     "unit_layanan": ["Puskesmas A", "Puskesmas A", "Dukcapil"], "kecamatan": ["Medan Baru"] * 3,
    ...     "saran": ["Antrian terlalu LAMA", "Petugas ramah", "Antri lama di loket"],
    ...     **{f"u{i}": [3.0, 4.0, 2.0] for i in range(1, 10)}})
    >>> search_comments(fb, text="antri")[["unit_layanan", "periode", "tema", "grade"]]
      unit_layanan  periode             tema grade
    0  Puskesmas A  2025-Q1  waktu pelayanan     B
    2     Dukcapil  2025-Q2  waktu pelayanan     D
    """
    if "saran" not in feedback.columns:
        raise ValueError("feedback must have a 'saran' column")
    df = feedback[_has_text(feedback["saran"])]
    if "tanggal" in df.columns:
        df = df.assign(periode=period_labels(df["tanggal"], period))
    else:
        df = df.assign(periode=pd.Series(np.nan, index=df.index, dtype="str"))
    if periode is not None:
        df = df[df["periode"].isin(_as_list(periode))]
    if "unit_layanan" in df.columns:
        scope = feedback  # the unit's grade comes from all its respondents, with or without a comment
        if periode is not None and "tanggal" in scope.columns:
            scope = scope[period_labels(scope["tanggal"], period).isin(_as_list(periode))]
        scope = scope.assign(_unit=scope["unit_layanan"].map(normalise_unit))
        grades = ikm_table(scope, by="_unit", lang=lang).set_index("_unit")[["grade", "label"]]
        unit_key = df["unit_layanan"].map(normalise_unit)
        df = df.assign(grade=unit_key.map(grades["grade"]).astype("str"),
                       label=unit_key.map(grades["label"]).astype("str"))
    else:
        df = df.assign(grade=pd.Series(np.nan, index=df.index, dtype="str"),
                       label=pd.Series(np.nan, index=df.index, dtype="str"))
    if unit is not None:
        wanted = {normalise_unit(u) for u in _as_list(unit)}
        df = df[df["unit_layanan"].map(normalise_unit).isin(wanted)]
    if kecamatan is not None:
        wanted = {" ".join(str(k).split()).casefold() for k in _as_list(kecamatan)}
        df = df[df["kecamatan"].astype("str").str.split().str.join(" ").str.casefold().isin(wanted)]
    if grade is not None:
        df = df[df["grade"].isin([str(g).strip().upper() for g in _as_list(grade)])]
    if text is not None and normalise_text(text):
        needle = normalise_text(text)
        df = df[normalise_text(df["saran"]).str.contains(needle, regex=False, na=False)]
    df = tag_comments(df, themes)
    if theme is not None:
        wanted = {" ".join(str(t).split()).casefold() for t in _as_list(theme)}
        tags = df["tema"].fillna(NO_THEME).str.split("; ")
        df = df[tags.map(lambda ts: bool(wanted & set(ts)))]
    return df


def mask_contacts(text: str | pd.Series | None) -> str | pd.Series | None:
    """Hide e-mail addresses and long digit runs (phone numbers, NIK, NIP) inside a comment.

    Examples
    --------
    >>> mask_contacts("Hubungi saya 0812-3456-7890 atau budi@mail.com, NIK 1271011203850001")
    'Hubungi saya [disamarkan] atau [disamarkan], NIK [disamarkan]'
    """
    if isinstance(text, pd.Series):
        return text.map(mask_contacts, na_action="ignore").astype("str")
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return text
    return _CONTACT.sub(MASK, str(text))


def comments_for_viewer(df: pd.DataFrame, hide_contacts: bool = True) -> pd.DataFrame:
    """Comments for the viewer role: only the non-profile columns (an allowlist,
    :data:`VIEWER_COLUMNS`), rows without a comment dropped, contacts in the text masked.

    Sex, age, education, occupation and the file's row number (which would lead back to the
    profile) are never returned.

    Examples
    --------
    >>> df = pd.DataFrame({"unit_layanan": ["Puskesmas A"], "saran": ["Telp 081234567890"],
    ...                    "jenis_kelamin": ["P"], "usia": [34.0], "_row": [7]})
    >>> comments_for_viewer(df)
      unit_layanan              saran
    0  Puskesmas A  Telp [disamarkan]
    """
    if "saran" not in df.columns:
        raise ValueError("df must have a 'saran' column")
    keep = [c for c in VIEWER_COLUMNS if c in df.columns]
    out = df.loc[_has_text(df["saran"]), keep]
    if hide_contacts:
        out = out.assign(saran=mask_contacts(out["saran"]))
    return out
