"""``python -m analysis …``: every result of the dashboard, scriptable and checkable without a browser.

Each sub-command lives in its own module ``analysis/cli_<name>.py`` exposing
``register(subparsers)``, which adds its parser and sets ``func`` to a callable taking the parsed
arguments and returning the exit status. Expected problems (``AnalysisError``) become a message and
exit status 2, as JSON under ``"error"`` when ``--json`` was given; anything else is a bug and
propagates with its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import pkgutil
import sys

import pandas as pd

import analysis
from analysis.errors import AnalysisError


def build_parser() -> argparse.ArgumentParser:
    """The parser with every ``analysis/cli_*.py`` sub-command.

    Examples
    --------
    >>> args = build_parser().parse_args(["validate", "rekap.xlsx", "--json"])
    >>> args.command, args.file, args.json
    ('validate', 'rekap.xlsx', True)
    """
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Evaluasi Pembinaan ASN — command line (JSON output with --json).",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(analysis.__path__), key=lambda m: m.name):
        if info.name.startswith("cli_"):
            importlib.import_module(f"analysis.{info.name}").register(subparsers)
    return parser


def to_jsonable(obj):
    """Plain JSON types: numpy scalars to Python numbers, NaN/inf/NA to ``None``, dates to ISO text.

    Examples
    --------
    >>> import numpy as np
    >>> to_jsonable({"a": np.float64("nan"), "b": [np.int64(3), 2.5]})
    {'a': None, 'b': [3, 2.5]}
    """
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if hasattr(obj, "item") and not hasattr(obj, "__len__"):  # numpy scalar
        obj = obj.item()
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, int):
        return obj
    try:
        if pd.isna(obj):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return str(obj)


def print_json(obj) -> None:
    """Print one JSON object: unrounded numbers, ``null`` for NaN, UTF-8 text as is.

    Examples
    --------
    >>> print_json({"ikm": 88.3, "p": float("nan"), "kecamatan": "Medan Baru"})
    {"ikm": 88.3, "p": null, "kecamatan": "Medan Baru"}
    """
    sys.stdout.write(json.dumps(to_jsonable(obj), ensure_ascii=False, allow_nan=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status (2 for an expected problem such as an unreadable file).

    Examples
    --------
    >>> main(["validate", "tidak-ada.xlsx", "--json"])
    {"error": {"code": "file_not_found", "message": "Berkas 'tidak-ada.xlsx' tidak ditemukan."}}
    2
    """
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except AnalysisError as err:
        lang = getattr(args, "lang", "id")
        if getattr(args, "json", False):
            print_json({"error": err.to_dict(lang)})
        else:
            sys.stderr.write(f"{'Error' if lang == 'en' else 'Galat'} [{err.code}]: {err.message(lang)}\n")
        return 2
