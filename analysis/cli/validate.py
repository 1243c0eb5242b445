"""``python -m analysis validate FILE``: read a file through the intake and report every issue."""

from __future__ import annotations

import sys

from analysis.cli.common import add_intake_arguments, parse_maps
from analysis.core.kinds import KIND_LABELS


def register(subparsers) -> None:
    p = subparsers.add_parser("validate", help="baca dan periksa satu berkas / read and validate one file")
    add_intake_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.cli.common import print_json
    from analysis.intake.worker import report_file  # parsed in a worker process with limits

    report = report_file(args.file, kind=args.kind, sheet=args.sheet, mapping=parse_maps(args.map), lang=args.lang)
    if args.json:
        print_json(report)
        return 0
    sys.stdout.write(render_text(report, args.lang))
    return 0


def render_text(report: dict, lang: str = "id") -> str:
    """The report as readable text (Indonesian by default).

    Examples
    --------
    >>> report = {"file": "a.csv", "kind": "events", "sheet": "a.csv", "header_row": 1, "rows_read": 2,
    ...           "rows_accepted": 2, "rows_rejected": 0, "issues": []}
    >>> print(render_text(report, "en"))
    File: a.csv
    Kind: Community forums and open-house days (events)
    Sheet: a.csv · header row 1
    Rows read 2, accepted 2, rejected 0
    <BLANKLINE>
    """
    en = lang == "en"
    label = KIND_LABELS[report["kind"]]["en" if en else "id"]
    lines = [
        f"{'File' if en else 'Berkas'}: {report['file']}",
        f"{'Kind' if en else 'Jenis data'}: {label} ({report['kind']})",
        f"{'Sheet' if en else 'Lembar'}: {report['sheet']} · {'header row' if en else 'baris judul'} {report['header_row']}",
        (f"Rows read {report['rows_read']}, accepted {report['rows_accepted']}, rejected {report['rows_rejected']}"
         if en else
         f"Baris dibaca {report['rows_read']}, diterima {report['rows_accepted']}, ditolak {report['rows_rejected']}"),
    ]
    sev = {"error": "GALAT" if not en else "ERROR", "warning": "PERINGATAN" if not en else "WARNING", "info": "INFO"}
    if report["issues"]:
        lines.append("")
    for i in report["issues"]:
        where = f"{'row' if en else 'baris'} {i['row']}" if i["row"] is not None else ""
        if i.get("sheet") and "," in report["sheet"]:
            where = f"{i['sheet']}!{where}"
        col = f" [{i['column']}]" if i["column"] else ""
        lines.append(f"{sev[i['severity']]:<10} {where}{col} {i['code']}: {i['message']}")
    return "\n".join(lines) + "\n"
