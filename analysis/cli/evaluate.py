"""``python -m analysis evaluate FILE``: before/after evidence per group, read through the intake.

Rejected rows are left out and counted (``rows_rejected``); ``rows_used`` is the number of accepted
rows the analysis saw. ``--json`` prints :func:`analysis.evidence.engine.evaluate`'s dict plus those two.
With ``--appraisal KINERJA --measure performance`` the performance comes from the appraisal export
joined to the programs (:func:`analysis.evidence.appraisal.evaluate_with_appraisals`), against the
matched non-participants of that export; the output adds ``appraisal`` (the join and the matching).
"""

from __future__ import annotations

import sys

from analysis.core.errors import AnalysisError
from analysis.core.fmt import fmt_int, fmt_number, fmt_p

BY_HELP = "kelompokkan menurut program, jenis_program, kecamatan, unit_kerja, period (dipisah koma)"


def register(subparsers) -> None:
    from analysis.cli.validate import add_intake_arguments

    p = subparsers.add_parser("evaluate", help="bukti perubahan sebelum–sesudah / before-after evidence")
    add_intake_arguments(p)
    p.add_argument("--measure", choices=("knowledge", "performance"), default="knowledge",
                   help="knowledge: nilai_pre→nilai_post; performance: kinerja_sebelum→kinerja_sesudah")
    p.add_argument("--by", default="", help=BY_HELP)
    p.add_argument("--correction", choices=("holm", "bh", "none"), default="holm",
                   help="koreksi p antar kelompok (default holm)")
    add_appraisal_arguments(p)
    p.set_defaults(func=run)


def add_appraisal_arguments(parser) -> None:
    """``--appraisal KINERJA`` and ``--lag-months N`` (the evaluate and mentoring commands)."""
    parser.add_argument("--appraisal", metavar="KINERJA",
                        help="ekspor penilaian kinerja (SKP / e-Kinerja) seluruh pegawai / the appraisal export")
    parser.add_argument("--lag-months", type=int, default=0, metavar="N",
                        help="bulan setelah program selesai sebelum periode 'sesudah' boleh dimulai (default 0)")


def parse_by(text: str) -> tuple[str, ...]:
    """``"program,kecamatan"`` → ``("program", "kecamatan")``; an unknown field is a user error.

    Examples
    --------
    >>> parse_by("program, kecamatan")
    ('program', 'kecamatan')
    >>> parse_by("")
    ()
    """
    from analysis.evidence.engine import BY_FIELDS, normalise_by

    try:
        return normalise_by(text)
    except ValueError:
        fields = ", ".join(BY_FIELDS)
        raise AnalysisError(
            "invalid_by",
            f"--by hanya boleh berisi {fields}; diberikan '{text}'.",
            f"--by may only list {fields}; got '{text}'.",
        ) from None


def run(args) -> int:
    from analysis.cli.common import print_json
    from analysis.cli.validate import parse_maps
    from analysis.evidence.engine import evaluate
    from analysis.intake.worker import read_file  # parsed in a worker process with limits

    by = parse_by(args.by)
    kind = getattr(args, "kind", None)
    if kind not in (None, "training"):
        raise AnalysisError("not_training", "Evaluasi hanya untuk data pelatihan (--kind training).",
                            "Evaluation needs training data (--kind training).")
    mapping = parse_maps(getattr(args, "map", None))
    result = read_file(args.file, kind=kind, sheet=getattr(args, "sheet", None), mapping=mapping)
    if result.kind != "training":
        raise AnalysisError(
            "not_training",
            f"Berkas ini berisi data {result.kind}, bukan data pelatihan; evaluasi butuh nilai sebelum dan sesudah.",
            f"This file holds {result.kind} data, not training data; evaluation needs before and after scores.",
        )
    from analysis.evidence.engine import MEASURES

    if getattr(args, "appraisal", None):
        return _run_with_appraisal(args, result, by)
    absent = [f for f in MEASURES[args.measure] if f not in result.columns.values()]
    if absent:
        raise AnalysisError(
            "missing_columns",
            f"Berkas tidak punya kolom {', '.join(absent)} untuk ukuran '{args.measure}'. Tambahkan kolomnya "
            "atau petakan judul yang ada (--map \"Judul=kolom\").",
            f"The file has no column {', '.join(absent)} for measure '{args.measure}'. Add it or map an "
            "existing header (--map \"Header=field\").",
        )
    out = evaluate(result.accepted, measure=args.measure, by=by, correction=args.correction)
    head = {k: out[k] for k in ("measure", "scale", "correction", "design")}
    head["rows_used"] = int(len(result.accepted))
    head["rows_rejected"] = int(len(result.rejected))
    report = {**head, **{k: v for k, v in out.items() if k not in head}}
    if args.json:
        print_json(report)
    else:
        sys.stdout.write(render_text(report, args.lang))
    return 0


def read_appraisal(path: str, lag_months: int):
    """An appraisal file read through the intake as ``kinerja``, after checking the lag (0–60 months).

    Examples
    --------
    >>> read_appraisal("data/sample/kinerja_2025.xlsx", 0).kind
    'kinerja'
    >>> read_appraisal("data/sample/kinerja_2025.xlsx", 99)
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: --lag-months must be 0 to 60; got 99.
    """
    from analysis.intake.pipeline import read_file

    if not 0 <= lag_months <= 60:
        raise AnalysisError("bad_lag", f"--lag-months harus 0 sampai 60; diberikan {lag_months}.",
                            f"--lag-months must be 0 to 60; got {lag_months}.")
    return read_file(path, kind="kinerja")


def _run_with_appraisal(args, result, by) -> int:
    from analysis.cli.common import print_json
    from analysis.evidence.appraisal import evaluate_with_appraisals

    if args.measure != "performance":
        raise AnalysisError(
            "appraisal_needs_performance",
            "--appraisal hanya untuk ukuran kinerja (--measure performance).",
            "--appraisal goes with the performance measure (--measure performance).")
    appraisal = read_appraisal(args.appraisal, args.lag_months)
    out = evaluate_with_appraisals(result.accepted, appraisal.accepted, by=by, correction=args.correction,
                                   lag_months=args.lag_months)
    head = {k: out[k] for k in ("measure", "scale", "correction", "design")}
    head.update(rows_used=int(len(result.accepted)), rows_rejected=int(len(result.rejected)),
                appraisal_rows_used=int(len(appraisal.accepted)), appraisal_rows_rejected=int(len(appraisal.rejected)))
    report = {**head, **{k: v for k, v in out.items() if k not in head}}
    if args.json:
        print_json(report)
    else:
        sys.stdout.write(render_text(report, args.lang))
    return 0


def _label(group: dict, by: list[str], lang: str) -> str:
    missing = "(not filled)" if lang == "en" else "(tidak diisi)"
    return " · ".join(str(group.get(f)) if group.get(f) is not None else missing for f in by)


def render_text(report: dict, lang: str = "id") -> str:
    """The evaluation as readable text: a table of groups, then each group's reading.

    Examples
    --------
    >>> row = {"n": 0, "mean_delta": None, "ci_low": None, "ci_high": None, "primary_test": None,
    ...        "p_adjusted": None, "design": "before_after", "flags": ["no_pairs"],
    ...        "summary_id": "Tidak ada data.", "summary_en": "No data."}
    >>> rep = {"measure": "knowledge", "scale": "numeric", "correction": "holm", "design": "before_after",
    ...        "rows_used": 0, "rows_rejected": 1, "by": [], "groups": [row], "overall": row}
    >>> print(render_text(rep, "en").splitlines()[1])
    Rows used 0, rejected 1
    """
    en = lang == "en"
    by = report.get("by", [])
    lines = [
        (f"Evaluation: {report['measure']} ({report['scale']}), design {report['design']}, "
         f"correction {report['correction']}"
         if en else
         f"Evaluasi: {report['measure']} ({report['scale']}), desain {report['design']}, "
         f"koreksi {report['correction']}"),
        (f"Rows used {fmt_int(report['rows_used'], lang)}, rejected {fmt_int(report['rows_rejected'], lang)}"
         if en else
         f"Baris dipakai {fmt_int(report['rows_used'], lang)}, ditolak {fmt_int(report['rows_rejected'], lang)}"),
        "",
    ]
    header = ["group" if en else "kelompok", "n", "Δ", "95% CI", "test" if en else "uji", "p adj", "flags"]
    rows = []
    groups = report["groups"] if by else []
    for g in groups + [dict(report["overall"], _overall=True)]:
        name = ("overall" if en else "keseluruhan") if g.get("_overall") else _label(g, by, lang)
        ci = f"{fmt_number(g.get('ci_low'), 1, lang)} ; {fmt_number(g.get('ci_high'), 1, lang)}"
        rows.append([name, fmt_int(g.get("n") or 0, lang), fmt_number(g.get("mean_delta"), 1, lang), ci,
                     g.get("primary_test") or "–", fmt_p(g.get("p_adjusted"), lang), ",".join(g.get("flags") or [])])
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    for r in [header] + rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    lines.append("")
    key = "summary_en" if en else "summary_id"
    for g in groups:
        lines.append(f"- {_label(g, by, lang)}: {g[key]}")
    lines.append(f"{'Overall' if en else 'Keseluruhan'}: {report['overall'][key]}")
    return "\n".join(lines) + "\n"
