"""``python -m analysis mentoring MENTORING --appraisal KINERJA``: did senior–junior mentoring work?

Reads the mentoring pairs and the appraisal export of the whole workforce through the intake and
prints :func:`analysis.mentoring.summary.evaluate_mentoring`: ``overall`` and per ``kecamatan`` the
effect on the mentees' appraisals against matched non-mentees (``mentees``, ``comparison``,
``design``, ``scale`` — ``nilai`` when every appraisal row has one, else ``predikat_rank`` —,
``estimate``, ``se``, ``df``, ``ci_low``, ``ci_high``, ``p_value``, ``flags``), the ``dose``
(sessions), the ``mentors`` (each mentor's mentees' mean change and its empirical Bayes estimate)
and the ``coverage`` (pairs, sessions, the share of junior staff mentored, JP, and the join).
"""

from __future__ import annotations

import sys

from analysis.core.errors import AnalysisError
from analysis.core.fmt import fmt_int, fmt_number, fmt_p


def register(subparsers) -> None:
    from analysis.cli.common import output_options
    from analysis.cli.evaluate import add_appraisal_arguments

    p = subparsers.add_parser("mentoring", parents=[output_options()],
                              help="evaluasi mentoring senior–junior / did mentoring work")
    p.add_argument("file", metavar="MENTORING", help="berkas pasangan mentoring (.xlsx, .csv, …)")
    add_appraisal_arguments(p)
    p.add_argument("--match-on", choices=("auto", "kecamatan", "unit_type", "none"), default="auto",
                   help="pencocokan pembanding: kecamatan, jenis unit, atau hanya nilai awal (default auto)")
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.cli.common import print_json
    from analysis.cli.evaluate import read_appraisal
    from analysis.intake.pipeline import read_file
    from analysis.mentoring.summary import evaluate_mentoring

    if not args.appraisal:
        raise AnalysisError("appraisal_required",
                            "Evaluasi mentoring butuh data penilaian kinerja: --appraisal KINERJA.xlsx.",
                            "The mentoring evaluation needs the appraisal data: --appraisal KINERJA.xlsx.")
    pairs = read_file(args.file, kind="mentoring")
    appraisal = read_appraisal(args.appraisal, args.lag_months)
    result = evaluate_mentoring(pairs.accepted, appraisal.accepted, lag_months=args.lag_months,
                                match_on=args.match_on)
    if args.json:
        print_json(result)
    else:
        sys.stdout.write(render_text(result, args.lang))
    return 0


def _line(name: str, rec: dict, lang: str) -> str:
    ci = f"[{fmt_number(rec.get('ci_low'), 2, lang)}; {fmt_number(rec.get('ci_high'), 2, lang)}]"
    return (f"{name:<22} {fmt_int(rec.get('mentees') or 0, lang):>5} {fmt_int(rec.get('comparison') or 0, lang):>6} "
            f"{fmt_number(rec.get('estimate'), 2, lang):>7} {ci:<18} {fmt_p(rec.get('p_value'), lang):<12} "
            f"{','.join(rec.get('flags') or [])}")


def render_text(result: dict, lang: str = "id") -> str:
    """The evaluation as readable text: coverage, the effect overall and per kecamatan, dose, mentors.

    Examples
    --------
    >>> rec = {"mentees": 30, "comparison": 90, "design": "difference_in_differences", "scale": "predikat_rank",
    ...        "estimate": 0.4, "se": 0.1, "df": 20, "ci_low": 0.2, "ci_high": 0.6, "p_value": 0.001, "flags": []}
    >>> res = {"overall": rec, "kecamatan": [dict(rec, kecamatan="Medan Baru")], "mentors": [],
    ...        "dose": {"slope": 0.05, "ci_low": 0.01, "ci_high": 0.09, "p_value": 0.02},
    ...        "coverage": {"pairs": 30, "mentors": 10, "mentees": 30, "junior_share_mentored": 0.2}}
    >>> print(render_text(res, "en").splitlines()[0])
    Mentoring: 30 pairs, 10 mentors, 30 mentees; 20% of junior staff mentored
    """
    en = lang == "en"
    c = result["coverage"]
    share = c.get("junior_share_mentored")
    share_text = (f"; {fmt_number(100 * share, 0, lang)}% {'of junior staff mentored' if en else 'pegawai junior dibimbing'}"
                  if share is not None else "")
    o = result["overall"]
    lines = [
        (f"Mentoring: {c['pairs']} pairs, {c['mentors']} mentors, {c['mentees']} mentees{share_text}" if en else
         f"Mentoring: {c['pairs']} pasangan, {c['mentors']} mentor, {c['mentees']} mentee{share_text}"),
        (f"Effect on the appraisal ({o.get('scale')}), design {o.get('design')}:" if en else
         f"Efek pada penilaian kinerja ({o.get('scale')}), desain {o.get('design')}:"),
        f"{'':<22} {'n':>5} {'pemb.' if not en else 'comp.':>6} {'est.':>7} {'95% CI':<18} {'p':<12} flags",
        _line("overall" if en else "keseluruhan", o, lang),
    ]
    lines += [_line(str(r["kecamatan"]), r, lang) for r in result["kecamatan"]]
    d = result["dose"]
    lines += ["", (f"Dose: {fmt_number(d.get('slope'), 3, lang)} per session "
                   f"[{fmt_number(d.get('ci_low'), 3, lang)}; {fmt_number(d.get('ci_high'), 3, lang)}], "
                   f"{fmt_p(d.get('p_value'), lang)}" if en else
                   f"Dosis: {fmt_number(d.get('slope'), 3, lang)} per sesi "
                   f"[{fmt_number(d.get('ci_low'), 3, lang)}; {fmt_number(d.get('ci_high'), 3, lang)}], "
                   f"{fmt_p(d.get('p_value'), lang)}")]
    if result["mentors"]:
        lines.append("Mentors (shrunk estimate, highest first):" if en else "Mentor (perkiraan disusutkan, tertinggi dulu):")
        for m in result["mentors"][:10]:
            lines.append(f"  {m['mentor']}  n={m['mentees']}  {fmt_number(m['shrunk_change'], 2, lang)} "
                         f"[{fmt_number(m['ci_low'], 2, lang)}; {fmt_number(m['ci_high'], 2, lang)}]")
    return "\n".join(lines) + "\n"
