"""``python -m analysis ikm FILE``: the SKM index (IKM) per unit, kecamatan or period (PermenPANRB 14/2017)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pandas as pd

from analysis.core.errors import AnalysisError
from analysis.core.fmt import fmt_int, fmt_number
from analysis.core.periods import DEFAULT_PERIOD, PERIODS
from analysis.voice.ikm import ELEMENTS, KM_NOTE, ikm_table

BY_CHOICES = ("unit_layanan", "kecamatan", "periode")
FLAG_TEXT = {"sample_short": ("sampel kurang", "sample short"),
             "small_sample": ("< 30 responden", "< 30 respondents"),
             "no_answers": ("tak ada jawaban", "no answers"),
             "incomplete": ("ada unsur tanpa jawaban", "an element has no answers")}
POPULATION_UNKNOWN = {
    "id": ("Populasi pengguna layanan tidak diberikan (--population atau --populations): target sampel "
           "Krejcie–Morgan tidak diperiksa untuk kelompok tanpa populasi."),
    "en": ("No service-user population given (--population or --populations): the Krejcie–Morgan sample "
           "target is not checked for groups without one."),
}


def register(subparsers) -> None:
    p = subparsers.add_parser("ikm", help="indeks kepuasan masyarakat (SKM/IKM) / citizen satisfaction index")
    p.add_argument("file", metavar="FILE", help="berkas SKM: .xlsx, .xlsm, .xls, .ods atau .csv")
    p.add_argument("--by", choices=BY_CHOICES, default="unit_layanan",
                   help="kelompokkan per unit layanan (default), kecamatan atau periode")
    p.add_argument("--period", choices=PERIODS,
                   help=f"periode: bulan, triwulan, semester, tahun (default dengan --by periode: {DEFAULT_PERIOD})")
    p.add_argument("--population", type=int, metavar="N",
                   help="populasi pengguna layanan per kelompok, untuk ukuran sampel Krejcie–Morgan")
    p.add_argument("--populations", metavar="CSV",
                   help="populasi per unit/kecamatan: CSV dengan kolom kelompok (mis. unit_layanan) dan 'populasi'")
    p.add_argument("--sheet", help="baca hanya lembar ini")
    p.add_argument("--map", action="append", metavar="HEADER=FIELD", help="petakan judul kolom ke kolom baku")
    p.add_argument("--json", action="store_true", help="cetak satu objek JSON")
    p.add_argument("--lang", choices=("id", "en"), default="id")
    p.set_defaults(func=run)


def read_populations(path: str) -> pd.DataFrame:
    """A populations CSV (a grouping column such as ``unit_layanan`` and ``populasi``), with the
    numbers read as whole numbers whatever the grouping marks (``1.200``, ``1,200``, ``1 200``).

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    ...     _ = f.write("unit_layanan;populasi" + chr(10) + "Puskesmas A;1.200" + chr(10))
    >>> read_populations(f.name).to_dict("records")
    [{'unit_layanan': 'Puskesmas A', 'populasi': 1200}]
    >>> os.unlink(f.name)
    """
    def fail(reason: str, reason_en: str):
        return AnalysisError("populations_unreadable", f"Berkas populasi '{path}' tidak dapat dibaca: {reason}",
                             f"The populations file '{path}' cannot be read: {reason_en}")

    try:
        frame = pd.read_csv(path, sep=None, engine="python", encoding="utf-8-sig", dtype=str)
    except (OSError, csv.Error, pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
        raise fail(str(err), str(err)) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    if "populasi" not in frame.columns or len(frame.columns) != 2:
        raise fail("perlu dua kolom: nama kelompok (mis. unit_layanan) dan 'populasi'",
                   "needs two columns: the group name (e.g. unit_layanan) and 'populasi'")
    digits = frame["populasi"].fillna("").str.replace(r"[.,\s]", "", regex=True)
    bad = ~digits.str.fullmatch(r"[1-9]\d*")
    if bad.any():
        raise fail(f"populasi harus bilangan bulat ≥ 1, ada '{frame.loc[bad, 'populasi'].iloc[0]}'",
                   f"populasi must be a whole number ≥ 1, found '{frame.loc[bad, 'populasi'].iloc[0]}'")
    return frame.assign(populasi=digits.astype("int64"))


def _shown(value, empty: str) -> str:
    """Text for a table cell; NaN or None (a group without an index) as ``empty``."""
    return empty if value is None or (isinstance(value, float) and value != value) else str(value)


def _group_dict(row: dict, keys: list[str]) -> dict:
    flags = [f for f in str(row["flags"]).split("; ")] if isinstance(row.get("flags"), str) else []
    out = {k: row[k] for k in keys}
    out.update({
        "n": int(row["n"]),
        "nrr": {u: row[f"nrr_{u}"] for u in ELEMENTS},
        "ikm": row["ikm"],
        "ci_low": row.get("ikm_ci_low"),
        "ci_high": row.get("ikm_ci_high"),
        "grade": row["grade"],
        "label": row["label"],
        "weakest_element": row["weakest_element"],
        "population": None if pd.isna(row["population"]) else int(row["population"]),
        "sample_target": None if pd.isna(row["sample_target"]) else int(row["sample_target"]),
        "flags": flags,
    })
    return out


def build_report(df: pd.DataFrame, by: str = "unit_layanan", period: str | None = None,
                 population=None, default_population: int | None = None, lang: str = "id") -> dict:
    """The JSON object of ``python -m analysis ikm`` from canonical feedback rows.

    ``by="periode"`` groups by period alone (``period``, default quarter); ``by="unit_layanan"`` or
    ``"kecamatan"`` with a ``period`` groups by both. ``kecamatan`` groups carry ``kode_kecamatan``.

    Examples
    --------
    >>> df = pd.DataFrame({"unit_layanan": ["A", "A"], **{u: [3.0, 3.0] for u in ELEMENTS}})
    >>> r = build_report(df)
    >>> r["groups"][0]["ikm"], r["groups"][0]["grade"], r["overall"]["label"]
    (75.0, 'C', 'Kurang Baik')
    """
    if by not in BY_CHOICES:
        raise ValueError(f"by must be one of {', '.join(BY_CHOICES)}, got {by!r}")
    if by == "periode":
        keys, per = ["periode"], period or DEFAULT_PERIOD
    else:
        keys, per = [by], period
    table = ikm_table(df, by=keys, period=per, population=population,
                      default_population=default_population, lang=lang)
    keys = [k for k in table.columns if k in ("unit_layanan", "kecamatan", "periode")]
    if by == "kecamatan" and "kode_kecamatan" in df.columns:
        codes = (df.dropna(subset=["kecamatan"]).drop_duplicates("kecamatan")
                 .set_index("kecamatan")["kode_kecamatan"])
        table.insert(1, "kode_kecamatan", table["kecamatan"].map(codes))
        keys = ["kecamatan", "kode_kecamatan"] + keys[1:]
    # The overall target needs the population of all groups together: the sum of the units' (or
    # kecamatan's) populations when every group has one; a per-period population does not add up.
    pops = table["population"]
    overall_pop = int(pops.sum()) if by != "periode" and per is None and len(pops) and pops.notna().all() else None
    overall = ikm_table(df, population=overall_pop, lang=lang).iloc[0].to_dict()
    language = lang if lang == "en" else "id"
    notes = [KM_NOTE[language]]
    if pops.isna().any():  # the target is checked only where a population was given, never assumed
        notes.append(POPULATION_UNKNOWN[language])
    return {
        "by": by,
        "period": per,
        "groups": [_group_dict(r, keys) for r in table.to_dict("records")],
        "overall": _group_dict(overall, []),
        "notes": notes,
    }


def run(args) -> int:
    from analysis.cli.common import print_json
    from analysis.intake.worker import read_file  # parsed in a worker process with limits

    from analysis.cli.validate import parse_maps

    result = read_file(args.file, kind="feedback", sheet=getattr(args, "sheet", None),
                       mapping=parse_maps(getattr(args, "map", None)))
    populations = None
    if args.populations:
        populations = read_populations(args.populations)
    report = build_report(result.accepted, by=args.by, period=args.period, population=populations,
                          default_population=args.population, lang=args.lang)
    report = {"file": Path(args.file).name, "rows_accepted": len(result.accepted),
              "rows_rejected": len(result.rejected), **report}
    if args.json:
        print_json(report)
    else:
        sys.stdout.write(render_text(report, args.lang))
    return 0


def render_text(report: dict, lang: str = "id") -> str:
    """The report as a readable table (Indonesian by default, numbers as ``1.234,56``).

    Examples
    --------
    >>> df = pd.DataFrame({"unit_layanan": ["A", "B"], **{u: [3.0, 4.0] for u in ELEMENTS}})
    >>> print(render_text(build_report(df)).splitlines()[3])
    B             1  100,00  A Sangat Baik  U1                          –  < 30 responden
    """
    en = lang == "en"
    key_names = [k for k in (report["groups"][0] if report["groups"] else {})
                 if k in ("unit_layanan", "kecamatan", "periode")]
    head_names = {"unit_layanan": "Service unit" if en else "Unit layanan", "kecamatan": "Kecamatan",
                  "periode": "Period" if en else "Periode"}
    rows = []
    for g in report["groups"] + [dict(report["overall"], **{k: ("Overall" if en else "Keseluruhan")
                                                                 if i == 0 else "" for i, k in enumerate(key_names)})]:
        rows.append([("–" if g.get(k) is None else str(g.get(k))) for k in key_names] + [
            fmt_int(g["n"], lang),
            fmt_number(g["ikm"], 2, lang),
            f"{_shown(g['grade'], '–')} {_shown(g['label'], '')}".strip(),
            _shown(g["weakest_element"], "–").upper(),
            "–" if g["sample_target"] is None else fmt_int(g["sample_target"], lang),
            ", ".join(FLAG_TEXT.get(f, (f, f))[1 if en else 0] for f in g["flags"]),
        ])
    header = [head_names[k] for k in key_names] + [
        "n", "IKM", "Grade" if en else "Mutu", "Weakest" if en else "Unsur terendah",
        "Sample target" if en else "Target sampel", "Flags" if en else "Catatan"]
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header))]
    numeric = {len(key_names), len(key_names) + 1, len(key_names) + 4}

    def line(cells):
        padded = (c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))
        return "  ".join(padded).rstrip()

    out = []
    if "file" in report:
        out.append(f"{'File' if en else 'Berkas'}: {report['file']}")
    if "rows_accepted" in report:
        out.append(f"Rows accepted {report['rows_accepted']}, rejected {report['rows_rejected']}" if en else
                   f"Baris diterima {report['rows_accepted']}, ditolak {report['rows_rejected']}")
    if out:
        out.append("")
    out += [line(header), line(["-" * w for w in widths])]
    out += [line(r) for r in rows[:-1]]
    out += [line(["-" * w for w in widths]), line(rows[-1]), ""]
    out += report["notes"]
    return "\n".join(out) + "\n"
