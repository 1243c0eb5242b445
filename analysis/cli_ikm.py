"""``python -m analysis ikm FILE``: the SKM index (IKM) per unit, kecamatan or period (DOMAIN.md §5)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from analysis.errors import AnalysisError
from analysis.fmt import fmt_int, fmt_number
from analysis.ikm import DEFAULT_PERIOD, ELEMENTS, KM_NOTE, PERIODS, ikm_table

BY_CHOICES = ("unit_layanan", "kecamatan", "periode")
FLAG_TEXT = {"sample_short": ("sampel kurang", "sample short"),
             "incomplete": ("ada unsur tanpa jawaban", "an element has no answers")}


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
    p.add_argument("--json", action="store_true", help="cetak satu objek JSON")
    p.add_argument("--lang", choices=("id", "en"), default="id")
    p.set_defaults(func=run)


def _read_populations(path: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path, sep=None, engine="python", encoding="utf-8-sig")
    except (OSError, pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
        raise AnalysisError("populations_unreadable", f"Berkas populasi '{path}' tidak dapat dibaca: {err}",
                            f"The populations file '{path}' cannot be read: {err}") from None


def _group_dict(row: dict, keys: list[str]) -> dict:
    flags = [f for f in str(row["flags"]).split("; ")] if isinstance(row.get("flags"), str) else []
    out = {k: row[k] for k in keys}
    out.update({
        "n": int(row["n"]),
        "nrr": {u: row[f"nrr_{u}"] for u in ELEMENTS},
        "ikm": row["ikm"],
        "grade": row["grade"],
        "label": row["label"],
        "weakest_element": row["weakest_element"],
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
    return {
        "by": by,
        "period": per,
        "groups": [_group_dict(r, keys) for r in table.to_dict("records")],
        "overall": _group_dict(overall, []),
        "notes": [KM_NOTE[lang if lang == "en" else "id"]],
    }


def run(args) -> int:
    from analysis.cli import print_json
    from analysis.intake import read_file

    result = read_file(args.file, kind="feedback", sheet=getattr(args, "sheet", None))
    populations = None
    if args.populations:
        populations = _read_populations(args.populations)
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
    """The report as a readable table (Indonesian by default, numbers as ``1.234,56``)."""
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
            f"{g['grade'] or '–'} {g['label'] or ''}".strip(),
            (g["weakest_element"] or "–").upper(),
            "–" if g["sample_target"] is None else fmt_int(g["sample_target"], lang),
            ", ".join(FLAG_TEXT.get(f, (f, f))[1 if en else 0] for f in g["flags"]),
        ])
    header = [head_names[k] for k in key_names] + [
        "n", "IKM", "Grade" if en else "Mutu", "Weakest" if en else "Unsur terendah",
        "Sample target" if en else "Target sampel", "Flags" if en else "Catatan"]
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header))]
    numeric = {len(key_names), len(key_names) + 1, len(key_names) + 4}

    def line(cells):
        return "  ".join(c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    out = [f"{'File' if en else 'Berkas'}: {report.get('file', '')}".rstrip(),
           (f"Rows accepted {report.get('rows_accepted', '')}, rejected {report.get('rows_rejected', '')}" if en else
            f"Baris diterima {report.get('rows_accepted', '')}, ditolak {report.get('rows_rejected', '')}")
           if "rows_accepted" in report else "", "",
           line(header), line(["-" * w for w in widths])]
    out += [line(r) for r in rows[:-1]]
    out += [line(["-" * w for w in widths]), line(rows[-1]), ""]
    out += report["notes"]
    return "\n".join(x for x in out if x is not None) + "\n"
