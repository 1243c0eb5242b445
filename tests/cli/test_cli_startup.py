"""The command line imports only what the command being run needs.

A ``validate`` must not pay for the statistics (scipy.stats, statsmodels), the database
(sqlalchemy, the store), the sign-in code (store.auth, argon2, ui.auth_gate) or the figures and
exports; ``--help`` of the whole CLI imports no command module at all. ``validate`` runs in two
processes: the command line, which only starts the upload worker and prints the report it sends
back (it needs not even pandas), and the worker, which runs the intake
(``analysis.intake.pipeline``): both are checked, each in a fresh interpreter, since this test
process has imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

HEAVY = ("scipy.stats", "statsmodels", "sqlalchemy", "store", "store.auth", "argon2", "plotly", "streamlit",
         "pptx", "xlsxwriter", "ui", "ui.auth_gate")
SAMPLES = sorted(str(p) for p in (ROOT / "data" / "sample").glob("*.xlsx"))


def _modules_after(code: str) -> tuple[set[str], str]:
    """The modules a fresh interpreter holds after ``code``, and what ``code`` printed before."""
    code += "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    *printed, modules = done.stdout.strip().splitlines()
    return set(json.loads(modules)), "\n".join(printed)


def _cli(argv: list[str]) -> str:
    """``python -m analysis ARGV`` as its ``__main__`` runs it (the worker forked from the command
    line), with the command's output captured."""
    return (
        "import contextlib, io\n"
        "from analysis.cli import main\n"
        "from analysis.intake import worker\n"
        "worker.fork_here()\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):\n"
        "    try:\n"
        f"        main({argv!r})\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(out.getvalue().strip().replace(chr(10), ' '))\n"
    )


def _heavy(loaded: set[str]) -> list[str]:
    return sorted(m for m in loaded if m in HEAVY or m.split(".")[0] in ("store", "ui", "streamlit", "sqlalchemy"))


def test_validate_in_the_command_line_process_imports_neither_the_intake_nor_pandas():
    loaded, printed = _modules_after(_cli(["validate", SAMPLES[0], "--json"]))
    assert json.loads(printed)["rows_read"] > 0  # the check sees the command's own work
    assert "analysis.intake.worker" in loaded
    assert not _heavy(loaded)
    assert not [m for m in loaded if m.split(".")[0] in ("pandas", "pandera", "scipy")]


def test_the_intake_a_validate_runs_imports_no_statistics_database_or_sign_in():
    """What the upload worker runs for ``validate``, on every sample workbook (every kind of data)."""
    code = ("from analysis.intake.pipeline import read_file\n"
            f"print([read_file(p).kind for p in {SAMPLES!r}])\n")
    loaded, printed = _modules_after(code)
    assert "training" in printed and "feedback" in printed  # the check sees the intake's own work
    assert not _heavy(loaded)
    # the contracts are checked without pandera's validation machinery (and the hypothesis it imports)
    assert "pandera.backends.pandas.register" not in loaded and "hypothesis" not in loaded


def test_help_imports_no_command_module():
    loaded, _ = _modules_after(_cli(["--help"]))
    assert "analysis.cli" in loaded
    assert not [m for m in loaded if m.startswith("analysis.cli.") or m.startswith("analysis.intake.pipeline")]


def test_validate_help_imports_neither_pandas_nor_the_intake():
    loaded, printed = _modules_after(_cli(["validate", "--help"]))
    assert "--kind" in printed
    assert "analysis.cli.validate" in loaded
    assert not [m for m in loaded if m.split(".")[0] in ("pandas", "pandera", "numpy", "scipy")]
    assert "analysis.intake.pipeline" not in loaded


def test_a_command_that_needs_the_store_still_gets_it(tmp_path):
    loaded, _ = _modules_after(_cli(["datasets", "list", "--json", "--database-url",
                                     f"sqlite:///{tmp_path / 'x.sqlite3'}"]))
    assert "sqlalchemy" in loaded and "scipy.stats" not in loaded
