"""``python -m analysis report TRAINING --format pptx|xlsx -o OUT``: the meeting deck or workbook, without a browser.

Reads the training file (and, when given, the SKM file, the appraisal export — L3 of the scorecard
from the appraisal join, as ``followup --appraisal`` — and the mentoring pairs, which need the
appraisal export) through the intake, gathers the meeting material (:func:`analysis.report.meeting.gather`:
both measures' rankings, kecamatan, every unit's IKM, the scorecard and its verdicts, mentoring,
headline) and writes the deck (:func:`analysis.report.meeting.meeting_deck`) or the workbook
(:func:`analysis.report.workbook.meeting_workbook`). The title slide and the workbook's first sheet
name each file with the first 12 characters of its SHA-256; a file from the bundled sample is
labelled synthetic. ``--json`` prints ``{"output", "format", "slides" | "sheets"}``.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from analysis.core.errors import AnalysisError

KIND_WORDS = {"training": ("pelatihan", "training"), "feedback": ("SKM", "SKM"),
              "mentoring": ("mentoring", "mentoring"), "kinerja": ("penilaian kinerja", "appraisal")}


def register(subparsers) -> None:
    from analysis.cli.common import output_options
    from analysis.cli.evaluate import add_appraisal_arguments

    p = subparsers.add_parser("report", parents=[output_options()],
                              help="bahan rapat: presentasi atau buku kerja / meeting deck or workbook")
    p.add_argument("file", metavar="TRAINING", help="berkas pelatihan: .xlsx, .xlsm, .xls, .ods atau .csv")
    p.add_argument("--feedback", metavar="SKM", help="berkas SKM (IKM unit layanan, L4)")
    p.add_argument("--mentoring", metavar="MENTORING", help="berkas pasangan mentoring (butuh --appraisal)")
    add_appraisal_arguments(p)  # --appraisal (L3 of the scorecard, mentoring) and --lag-months
    p.add_argument("--format", choices=("pptx", "xlsx"), required=True, help="pptx (presentasi) atau xlsx")
    p.add_argument("-o", "--output", metavar="OUT", required=True, help="berkas keluaran")
    p.add_argument("--measure", choices=("knowledge", "performance"), default="knowledge",
                   help="ukuran untuk angka utama dan kecamatan (kedua ukuran tetap diperingkat)")
    p.add_argument("--periode", metavar="PERIODE", help="mis. 2025 atau 2025-Q3 (default: semua)")
    p.add_argument("--rules", metavar="FILE.toml", help="aturan rekomendasi (default: aturan bawaan)")
    p.add_argument("--rows", action="store_true", help="xlsx: sertakan baris data peserta (NIP dan nama)")
    p.set_defaults(func=run)


def describe(kind: str, path: str, lang: str) -> str:
    """A file named as the source of figures: kind, file name and the start of its SHA-256.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as f:
    ...     _ = f.write(b"abc")
    >>> describe("training", f.name, "en").endswith("(SHA-256 ba7816bf8f01)")
    True
    >>> os.unlink(f.name)
    """
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    word = KIND_WORDS.get(kind, (kind, kind))[1 if lang == "en" else 0]
    return f"{word}: {Path(path).name} (SHA-256 {digest})"


def _is_sample(path: str) -> bool:
    from analysis.core.config import ROOT

    return Path(path).resolve().parent == (ROOT / "data" / "sample").resolve()


def run(args) -> int:
    from analysis.cli.common import print_json
    from analysis.cli.evaluate import read_appraisal
    from analysis.core.groups import select_rows
    from analysis.core.kinds import DATE_COLUMNS
    from analysis.followup.recommend import load_rules
    from analysis.followup.scorecard import scorecard
    from analysis.intake.pipeline import read_file
    from analysis.report.meeting import gather, meeting_deck
    from analysis.report.workbook import meeting_workbook

    if args.mentoring and not args.appraisal:
        raise AnalysisError("appraisal_required",
                            "Evaluasi mentoring butuh data penilaian kinerja: --appraisal KINERJA.xlsx.",
                            "The mentoring evaluation needs the appraisal data: --appraisal KINERJA.xlsx.")
    rules = load_rules(args.rules)  # a bad rules file fails before the slow part
    files = {"training": args.file, "feedback": args.feedback, "mentoring": args.mentoring,
             "kinerja": args.appraisal}
    given = {kind: path for kind, path in files.items() if path}
    training = read_file(args.file, kind="training").accepted
    if "program" not in training:
        raise AnalysisError("missing_columns", "Berkas pelatihan tidak punya kolom program.",
                            "The training file has no program column.")
    jp_rows = training
    training = select_rows(training, DATE_COLUMNS["training"], periode=args.periode)
    feedback = read_file(args.feedback, kind="feedback").accepted if args.feedback else None
    pairs = read_file(args.mentoring, kind="mentoring").accepted if args.mentoring else None
    if pairs is not None and args.periode:
        pairs = select_rows(pairs, DATE_COLUMNS["mentoring"], periode=args.periode)
    appraisal = read_appraisal(args.appraisal, args.lag_months).accepted if args.appraisal else None
    card = scorecard(training, feedback, rules=rules, appraisals=appraisal, lag_months=args.lag_months)
    meeting = gather(training, feedback, measure=args.measure, lang=args.lang, periode=args.periode,
                     card=card, mentoring_pairs=pairs, appraisal=appraisal,
                     jp_rows=jp_rows, synthetic=any(_is_sample(p) for p in given.values()),
                     sources={kind: describe(kind, path, args.lang) for kind, path in given.items()})
    if args.format == "pptx":
        data = meeting_deck(meeting, args.lang)
    else:
        data = meeting_workbook(meeting, args.lang, row_level=args.rows)
    out = Path(args.output)
    out.write_bytes(data)
    info = {"output": str(out), "format": args.format, **_contents(data, args.format)}
    if args.json:
        print_json(info)
    else:
        count = info.get("slides", len(info.get("sheets", [])))
        unit = ("slides" if args.format == "pptx" else "sheets") if args.lang == "en" else (
            "slide" if args.format == "pptx" else "lembar")
        sys.stdout.write(f"{'Written' if args.lang == 'en' else 'Ditulis'}: {out} ({count} {unit})\n")
    return 0


def _contents(data: bytes, fmt: str) -> dict:
    import io

    if fmt == "pptx":
        from pptx import Presentation

        return {"slides": len(Presentation(io.BytesIO(data)).slides)}
    import openpyxl

    return {"sheets": openpyxl.load_workbook(io.BytesIO(data), read_only=True).sheetnames}
