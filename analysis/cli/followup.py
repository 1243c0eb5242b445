"""``python -m analysis followup TRAINING``: the Kirkpatrick scorecard and a recommendation per program.

Reads the training file (and, with ``--feedback``, the SKM file for L4) through the intake, applies
the shipped rules or ``--rules FILE.toml``, and prints with ``--json`` one object:
``{"rules": {"source", "rules"}, "behaviour": {"source", "design_id", "design_en", …}, "programs":
[{"program", "n_participants", "levels", "recommendation", "rule", "reasons_id", "reasons_en"}]}``
(:meth:`analysis.followup.scorecard.Scorecard.to_dict`). With ``--appraisal KINERJA`` L3 comes from
the appraisal export joined to the programs, against matched non-participants (``behaviour.source =
"appraisal"``); without it, from the training file's SKP columns (``"skp_columns"``). An
unreadable file or an invalid rules file (the message names the rule and the field) exits with 2
and the usual error object.
"""

from __future__ import annotations

import sys

from analysis.core.errors import AnalysisError
from analysis.core.fmt import fmt_int


def register(subparsers) -> None:
    from analysis.cli.evaluate import add_appraisal_arguments

    p = subparsers.add_parser("followup", help="kartu skor dan rekomendasi tindak lanjut / follow-up recommendations")
    p.add_argument("file", metavar="TRAINING", help="berkas pelatihan: .xlsx, .xlsm, .xls, .ods atau .csv")
    p.add_argument("--feedback", metavar="SKM", help="berkas SKM untuk L4 (IKM unit peserta)")
    p.add_argument("--rules", metavar="FILE.toml", help="aturan rekomendasi (default: aturan bawaan)")
    p.add_argument("--correction", choices=("holm", "bh", "none"), default="holm",
                   help="koreksi p antar program (default holm)")
    add_appraisal_arguments(p)
    p.add_argument("--json", action="store_true", help="cetak satu objek JSON")
    p.add_argument("--lang", choices=("id", "en"), default="id")
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.cli.common import print_json
    from analysis.cli.evaluate import read_appraisal
    from analysis.followup.recommend import load_rules
    from analysis.followup.scorecard import scorecard
    from analysis.intake.pipeline import read_file

    rules = load_rules(args.rules)  # a bad rules file fails before the slow part
    training = read_file(args.file, kind="training")
    if "program" not in training.columns.values():
        raise AnalysisError("missing_columns", "Berkas pelatihan tidak punya kolom program.",
                            "The training file has no program column.")
    feedback = read_file(args.feedback, kind="feedback").accepted if args.feedback else None
    appraisals = read_appraisal(args.appraisal, args.lag_months).accepted if args.appraisal else None
    card = scorecard(training.accepted, feedback, rules=rules, correction=args.correction, appraisals=appraisals,
                     lag_months=args.lag_months)
    if args.json:
        print_json(card.to_dict())
    else:
        sys.stdout.write(render_text(card, args.lang))
    return 0


def render_text(card, lang: str = "id") -> str:
    """The scorecard as readable text: the rules used, then per program its recommendation, the rule
    that fired, the reasons and the four levels.

    Examples
    --------
    >>> from analysis.followup.scorecard import LevelTable, apply_rules
    >>> card = apply_rules(LevelTable(("A",), {"A": 4}, {"A": {"learning": {"status": "increase", "n": 4}}}))
    >>> print(render_text(card, "en").splitlines()[2])
    A — ⏳ Not enough data (rule too_few_pairs), 4 participants
    """
    from analysis.followup.recommend import recommendation_label
    from analysis.followup.table import level_text

    en = lang == "en"
    names = {"reaction": "L1", "learning": "L2", "behaviour": "L3", "results": "L4"}
    design = card.behaviour.get("design_en" if en else "design_id", "")
    lines = [f"{'Rules' if en else 'Aturan'}: {card.rules.source} ({len(card.rules.rules)})",
             *([f"L3: {design}"] if design else []), ""]
    for p in card.programs:
        lines.append(f"{p.program} — {recommendation_label(p.recommendation, lang)} "
                     f"({'rule' if en else 'aturan'} {p.rule}), {fmt_int(p.n_participants, lang)} "
                     f"{'participants' if en else 'peserta'}")
        lines.append(f"  {p.match.reason(lang)}")
        for key, short in names.items():
            lines.append(f"  {short} {level_text(key, p.levels.get(key), lang, p.missing.get(key))}")
        lines.append("")
    return "\n".join(lines)
