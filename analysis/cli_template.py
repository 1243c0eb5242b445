"""``python -m analysis template KIND --out FILE`` and ``python -m analysis columns KIND``."""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.contracts import KINDS


def register(subparsers) -> None:
    p = subparsers.add_parser("template", help="tulis templat Excel / write the Excel template")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("--out", required=True, help="berkas .xlsx tujuan")
    p.set_defaults(func=run_template)
    c = subparsers.add_parser("columns", help="tabel kolom (Markdown) / column table")
    c.add_argument("kind", choices=KINDS)
    c.add_argument("--lang", choices=("id", "en"), default="id")
    c.set_defaults(func=run_columns)


def run_template(args) -> int:
    from analysis.templates import template_bytes

    Path(args.out).write_bytes(template_bytes(args.kind))
    return 0


def run_columns(args) -> int:
    from analysis.templates import columns_markdown

    sys.stdout.write(columns_markdown(args.kind, args.lang) + "\n")
    return 0
