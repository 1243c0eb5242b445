"""``python -m analysis …``: every result of the dashboard, scriptable and checkable without a browser.

One module per command in this package, each exposing ``register(subparsers)`` (its parser, with
``func`` set to a callable taking the parsed arguments and returning the exit status). The table
:data:`COMMANDS` names them; only the module of the command being run is imported, so a
``validate`` does not pay for the statistics, the database or the sign-in code. Expected problems
(``AnalysisError``) become a message and exit status 2, as JSON under ``"error"`` when ``--json``
was given; anything else is a bug and propagates with its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from analysis.core.errors import AnalysisError

# command → one-line help; the module is analysis.cli.<command>
COMMANDS: dict[str, str] = {
    "validate": "baca dan periksa satu berkas / read and validate one file",
    "evaluate": "bukti perubahan sebelum–sesudah / before-after evidence",
    "ikm": "indeks kepuasan masyarakat (SKM/IKM) / citizen satisfaction index",
    "followup": "kartu skor dan rekomendasi tindak lanjut / follow-up recommendations",
    "mentoring": "evaluasi mentoring senior–junior / did mentoring work",
    "jp": "JP per pegawai terhadap target tahunan / yearly JP per employee",
    "plan": "rencana pengembangan per pegawai / development plan per employee",
    "template": "tulis templat Excel / write the Excel template",
    "columns": "tabel kolom (Markdown) / column table",
    "users": "akun masuk (mode local) / sign-in accounts (mode local)",
    "datasets": "versi dataset: daftar, terbitkan, arsipkan, pulihkan / dataset versions",
    "audit": "log audit, terbaru dulu / the audit log, newest first",
    "purge": "hapus dataset permanen (diaudit) / delete a dataset for good (audited)",
}


def _command_in(argv: list[str]) -> str | None:
    return next((a for a in argv if not a.startswith("-")), None)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; the full options only of the command named in ``argv`` (all of them when ``None``).

    Examples
    --------
    >>> args = build_parser(["validate", "rekap.xlsx", "--json"]).parse_args(["validate", "rekap.xlsx", "--json"])
    >>> args.command, args.file, args.json
    ('validate', 'rekap.xlsx', True)
    """
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Evaluasi Pembinaan ASN — command line (JSON output with --json).",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    wanted = None if argv is None else _command_in(argv)
    for name, help_text in COMMANDS.items():
        if argv is None or name == wanted:
            importlib.import_module(f"analysis.cli.{name}").register(subparsers)
        else:
            subparsers.add_parser(name, help=help_text)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status (2 for an expected problem such as an unreadable file).

    Examples
    --------
    >>> main(["validate", "tidak-ada.xlsx", "--json"])
    {"error": {"code": "file_not_found", "message": "Berkas 'tidak-ada.xlsx' tidak ditemukan."}}
    2
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except AnalysisError as err:
        lang = getattr(args, "lang", "id")
        if getattr(args, "json", False):
            from analysis.cli.common import print_json

            print_json({"error": err.to_dict(lang)})
        else:
            sys.stderr.write(f"{'Error' if lang == 'en' else 'Galat'} [{err.code}]: {err.message(lang)}\n")
        return 2
