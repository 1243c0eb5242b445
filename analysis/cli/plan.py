"""``python -m analysis plan --appraisal KINERJA --training TRAINING``: the development plan per employee.

Reads the same inputs as ``python -m analysis jp``, applies the shipped plan rules or ``--rules
FILE.toml`` (every rule that holds gives a suggestion; the message of an invalid file names the
rule and the field, exit 2), and prints with ``--json`` :meth:`analysis.career.plan.Plan.to_dict`:
``{"year", "target", "as_of", "rules", "talent", "employees": [{"nip", "nama", "unit_kerja",
"kecamatan", "unit_type", "priority", "suggestions": [{"rule", "suggestion", "priority",
"reason_id", "reason_en", "programs", "programs_scope"}]}]}`` — ``programs`` only on suggestions that
name programs. ``--facts`` adds each employee's facts. ``--followup-rules`` judges the programs'
evidence with other follow-up rules.
"""

from __future__ import annotations

import sys

from analysis.core.fmt import fmt_int


def register(subparsers) -> None:
    from analysis.cli.common import output_options
    from analysis.cli.jp import add_roster_arguments

    p = subparsers.add_parser("plan", parents=[output_options()],
                              help="rencana pengembangan per pegawai / development plan per employee")
    add_roster_arguments(p)
    p.add_argument("--rules", metavar="FILE.toml", help="aturan rencana pengembangan (default: aturan bawaan)")
    p.add_argument("--followup-rules", metavar="FILE.toml",
                   help="aturan tindak lanjut untuk menilai bukti program (default: aturan bawaan)")
    p.add_argument("--facts", action="store_true", help="sertakan fakta setiap pegawai / include each employee's facts")
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.career.plan import development_plan, load_plan_rules
    from analysis.cli.common import print_json
    from analysis.cli.jp import read_inputs
    from analysis.core.config import get_settings
    from analysis.followup.recommend import load_rules

    rules = load_plan_rules(args.rules)  # a bad rules file fails before the slow part
    followup_rules = load_rules(args.followup_rules)
    settings = get_settings()
    inputs = read_inputs(args)
    plan = development_plan(inputs["appraisals"], inputs["training"], inputs["mentoring"], inputs["other"],
                            year=args.year, target=settings.jp_target, per_session=settings.mentoring_jp_per_session,
                            rules=rules, followup_rules=followup_rules)
    if args.json:
        print_json(plan.to_dict(with_facts=args.facts))
    else:
        sys.stdout.write(render_text(plan.to_dict(), args.lang))
    return 0


def render_text(plan: dict, lang: str = "id") -> str:
    """The plan as readable text: employees with a suggestion, highest priority first.

    Examples
    --------
    >>> plan = {"year": 2025, "rules": {"source": "default", "rules": []}, "employees": [
    ...     {"nip": "198503122010011003", "nama": "Ani", "unit_kerja": "Dinas Sosial", "priority": "sedang",
    ...      "suggestions": [{"rule": "jp_kurang", "reason_id": "JP kurang.", "reason_en": "JP short.",
    ...                       "programs": ["Literasi Data"]}]},
    ...     {"nip": "199001012015022001", "nama": "Budi", "unit_kerja": "Dinas Sosial", "priority": None,
    ...      "suggestions": []}]}
    >>> print(render_text(plan, "en"))
    Development plan 2025 (rules: default): 1 of 2 employees with a suggestion
    <BLANKLINE>
    [sedang] 198503122010011003 Ani — Dinas Sosial
      jp_kurang: JP short. → Literasi Data
    <BLANKLINE>
    """
    from analysis.career.plan import PRIORITIES

    en = lang == "en"
    people = [e for e in plan["employees"] if e["suggestions"]]
    people.sort(key=lambda e: -PRIORITIES[e["priority"]][2])
    head = (f"Development plan {plan['year']} (rules: {plan['rules']['source']}): {fmt_int(len(people), lang)} of "
            f"{fmt_int(len(plan['employees']), lang)} employees with a suggestion" if en else
            f"Rencana pengembangan {plan['year']} (aturan: {plan['rules']['source']}): {fmt_int(len(people), lang)} "
            f"dari {fmt_int(len(plan['employees']), lang)} pegawai dengan saran")
    lines = [head, ""]
    for e in people:
        lines.append(f"[{e['priority']}] {e['nip']} {e['nama'] or ''} — {e['unit_kerja'] or '–'}")
        for s in e["suggestions"]:
            programs = f" → {', '.join(s['programs'])}" if s.get("programs") else ""
            lines.append(f"  {s['rule']}: {s['reason_en' if en else 'reason_id']}{programs}")
    return "\n".join(lines) + "\n"
