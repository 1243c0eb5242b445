"""What several commands share: the intake options, ``--map`` parsing, the store and the audit actor."""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from analysis.core.errors import AnalysisError
from analysis.core.jsonable import to_jsonable
from analysis.core.kinds import KINDS


def output_options() -> argparse.ArgumentParser:
    """A parent parser with ``--json`` and ``--lang`` (for ``parents=[...]``).

    Examples
    --------
    >>> p = argparse.ArgumentParser(parents=[output_options()])
    >>> p.parse_args(["--json", "--lang", "en"])
    Namespace(json=True, lang='en')
    """
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--json", action="store_true", help="cetak satu objek JSON / print one JSON object")
    parent.add_argument("--lang", choices=("id", "en"), default="id")
    return parent


def database_options() -> argparse.ArgumentParser:
    """A parent parser with ``--json``, ``--lang`` and ``--database-url`` for the commands that open the store.

    Examples
    --------
    >>> p = argparse.ArgumentParser(parents=[database_options()])
    >>> p.parse_args(["--database-url", "sqlite://"]).database_url
    'sqlite://'
    """
    parent = argparse.ArgumentParser(add_help=False, parents=[output_options()])
    parent.add_argument("--database-url", help="SQLAlchemy URL (default: DATABASE_URL or the SQLite file)")
    return parent


def parse_maps(items: list[str] | None) -> dict[str, str]:
    """``["Header=field", …]`` → ``{"Header": "field"}``.

    Examples
    --------
    >>> parse_maps(["Nama Diklat Fungsional=program"])
    {'Nama Diklat Fungsional': 'program'}
    """
    out = {}
    for item in items or []:
        header, sep, fld = item.rpartition("=")
        if not sep or not header.strip() or not fld.strip():
            raise AnalysisError("bad_mapping", f"--map harus berbentuk \"Judul=kolom\"; diberikan '{item}'.",
                                f"--map must look like \"Header=field\"; got '{item}'.")
        out[header.strip()] = fld.strip()
    return out


def add_intake_arguments(parser) -> None:
    """The options every command that reads a file through the intake shares."""
    parser.add_argument("file", metavar="FILE", help=".xlsx, .xlsm, .xls, .ods or .csv")
    parser.add_argument("--kind", choices=KINDS, help="jenis data (default: dikenali otomatis)")
    parser.add_argument("--sheet", help="baca hanya lembar ini")
    parser.add_argument("--map", action="append", metavar="HEADER=FIELD", help="petakan judul kolom ke kolom baku")
    parser.add_argument("--json", action="store_true", help="cetak satu objek JSON")
    parser.add_argument("--lang", choices=("id", "en"), default="id")


def cli_actor() -> str:
    """The audit name of whoever runs the CLI: ``cli:`` and the OS user.

    Examples
    --------
    >>> cli_actor().startswith("cli:")
    True
    """
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError, ImportError):
        return "cli:unknown"


def read_password(from_stdin: bool, *, confirm: bool = True, prompt: str = "Kata sandi / Password: ") -> str:
    """A password from the first line of stdin, or typed twice at a terminal (never echoed).

    Examples
    --------
    >>> import io, sys
    >>> sys.stdin, saved = io.StringIO("rahasia-panjang-sekali\\n"), sys.stdin
    >>> read_password(True)
    'rahasia-panjang-sekali'
    >>> sys.stdin = saved
    """
    if from_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    if not sys.stdin.isatty():
        raise AnalysisError(
            "password_required",
            "Tidak ada terminal untuk mengetik kata sandi: pakai --password-stdin.",
            "No terminal to type the password at: use --password-stdin.",
        )
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Ulangi / Repeat: ") != first:
        raise AnalysisError("password_mismatch", "Kedua kata sandi tidak sama.", "The two passwords differ.")
    return first


def print_json(obj) -> None:
    """Print one JSON object: unrounded numbers, ``null`` for NaN, UTF-8 text as is.

    Examples
    --------
    >>> print_json({"ikm": 88.3, "p": float("nan"), "kecamatan": "Medan Baru"})
    {"ikm": 88.3, "p": null, "kecamatan": "Medan Baru"}
    """
    sys.stdout.write(json.dumps(to_jsonable(obj), ensure_ascii=False, allow_nan=False) + "\n")
