"""``python -m analysis columns KIND``: the column table of one kind (Markdown, as in the README)."""

from __future__ import annotations

import sys

from analysis.core.kinds import KINDS


def register(subparsers) -> None:
    p = subparsers.add_parser("columns", help="tabel kolom (Markdown) / column table")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("--lang", choices=("id", "en"), default="id")
    p.set_defaults(func=run)


def run(args) -> int:
    from analysis.intake.templates import columns_markdown

    sys.stdout.write(columns_markdown(args.kind, args.lang) + "\n")
    return 0
