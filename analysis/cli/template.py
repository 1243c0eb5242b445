"""``python -m analysis template KIND --out FILE``: the Excel template of one kind, with an explanation sheet."""

from __future__ import annotations

from pathlib import Path

from analysis.core.kinds import KINDS


def register(subparsers) -> None:
    p = subparsers.add_parser("template", help="tulis templat Excel / write the Excel template")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("--out", required=True, help="berkas .xlsx tujuan")
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.intake.templates import template_bytes

    Path(args.out).write_bytes(template_bytes(args.kind))
    return 0
