"""``python -m analysis jp --appraisal KINERJA --training TRAINING``: who reaches the yearly JP target.

The appraisal export is the list of all employees; JP from training, mentoring (``--mentoring``, the
mentee only) and other development (``--jp-lain``) are summed per employee for the year (``--year``,
default the latest year of the appraisals) against ``EVALUASI_JP_TARGET``. ``--json`` prints
``{"year", "target", "overall": {"employees", "meeting_target", "share", …}, "units": [...],
"kecamatan": [...], "employees": [{"nip", "jp", "meets_target"}], "not_pns", "counting"}``
(:func:`analysis.career.roster.jp_result`). NIPs are printed in full: the analyst runs this on their
own files; the app masks them for viewers.
"""

from __future__ import annotations

import sys

from analysis.core.fmt import fmt_int, fmt_number, fmt_pct


def add_roster_arguments(parser) -> None:
    """The inputs of the ``jp`` and ``plan`` commands."""
    parser.add_argument("--appraisal", metavar="KINERJA", required=True,
                        help="ekspor penilaian kinerja seluruh pegawai (daftar pegawai) / the appraisal export")
    parser.add_argument("--training", metavar="TRAINING", required=True, help="berkas pelatihan / training file")
    parser.add_argument("--mentoring", metavar="MENTORING", help="pasangan mentoring / mentoring pairs")
    parser.add_argument("--jp-lain", metavar="JP_LAIN", help="pengembangan kompetensi lain / other development")
    parser.add_argument("--year", type=int, help="tahun (default: tahun terakhir penilaian kinerja)")


def read_inputs(args) -> dict:
    """The files of :func:`add_roster_arguments`, read through the intake (accepted rows; None for a
    file not given).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> args = SimpleNamespace(appraisal="data/sample/kinerja_2025.xlsx", mentoring=None, jp_lain=None,
    ...                        training="data/sample/rekap_pelatihan_2025.xlsx")
    >>> inputs = read_inputs(args)
    >>> len(inputs["appraisals"]) > 10_000, inputs["mentoring"] is None
    (True, True)
    """
    from analysis.intake.pipeline import read_file

    return {"appraisals": read_file(args.appraisal, kind="kinerja").accepted,
            "training": read_file(args.training, kind="training").accepted,
            "mentoring": read_file(args.mentoring, kind="mentoring").accepted if args.mentoring else None,
            "other": read_file(args.jp_lain, kind="jp_lain").accepted if args.jp_lain else None}


def register(subparsers) -> None:
    from analysis.cli.common import output_options

    p = subparsers.add_parser("jp", parents=[output_options()],
                              help="JP per pegawai terhadap target tahunan / yearly JP per employee")
    add_roster_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.career.roster import jp_result
    from analysis.cli.common import print_json
    from analysis.core.config import get_settings

    settings = get_settings()
    inputs = read_inputs(args)
    result = jp_result(inputs["appraisals"], inputs["training"], inputs["mentoring"], inputs["other"],
                       year=args.year, target=settings.jp_target, per_session=settings.mentoring_jp_per_session)
    if args.json:
        print_json(result)
    else:
        sys.stdout.write(render_text(result, args.lang))
    return 0


def render_text(result: dict, lang: str = "id") -> str:
    """The roster as readable text: the share overall, then per unit kerja.

    Examples
    --------
    >>> res = {"year": 2025, "target": 20.0, "not_pns": 0,
    ...        "overall": {"employees": 4, "meeting_target": 1, "share": 0.25, "jp_median": 12.0, "jp_0": 2},
    ...        "units": [{"unit_kerja": "Dinas Sosial", "employees": 4, "meeting_target": 1, "share": 0.25,
    ...                   "jp_median": 12.0, "jp_0": 2}]}
    >>> print(render_text(res, "en").splitlines()[0])
    2025: 1 of 4 PNS reach 20 JP (25%); median 12 JP; 2 without any development
    """
    en = lang == "en"
    o = result["overall"]

    def line(rec, name=""):
        head = f"{name}: " if name else ""
        return (f"{head}{fmt_int(rec['meeting_target'], lang)} {'of' if en else 'dari'} "
                f"{fmt_int(rec['employees'], lang)} {'PNS reach' if en else 'PNS mencapai'} "
                f"{fmt_number(result['target'], 0, lang)} JP ({fmt_pct(rec['share'], 0, lang)}); "
                f"median {fmt_number(rec['jp_median'], 0, lang)} JP; {fmt_int(rec['jp_0'], lang)} "
                f"{'without any development' if en else 'tanpa pengembangan sama sekali'}")

    lines = [line(o, str(result["year"]))]
    if result.get("not_pns"):
        lines.append(f"({fmt_int(result['not_pns'], lang)} {'non-PNS listed, not counted' if en else 'non-PNS tidak dihitung'})")
    lines.append("")
    lines += [f"  {line(u, str(u['unit_kerja']))}" for u in result["units"]]
    return "\n".join(lines) + "\n"
