"""The command line imports only what the command being run needs.

A ``validate`` must not pay for the statistics (scipy.stats, statsmodels), the database
(sqlalchemy), the sign-in code (store.auth, argon2) or the figures and exports; ``--help`` of the
whole CLI imports no command module at all. Run in a fresh interpreter, since this test process has
imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

HEAVY = ("scipy.stats", "statsmodels", "sqlalchemy", "store", "store.auth", "argon2", "plotly", "streamlit",
         "pptx", "xlsxwriter")


def _modules_after(argv: list[str]) -> set[str]:
    code = (
        "import contextlib, io, json, sys\n"
        "from analysis.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):\n"
        "    try:\n"
        f"        main({argv!r})\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_validate_imports_no_statistics_database_or_sign_in():
    loaded = _modules_after(["validate", str(ROOT / "data" / "sample" / "rekap_pelatihan_2025.xlsx"), "--json"])
    assert "analysis.intake.pipeline" in loaded  # the check sees the command's own work
    assert not [m for m in HEAVY if m in loaded]


def test_help_imports_no_command_module():
    loaded = _modules_after(["--help"])
    assert "analysis.cli" in loaded
    assert not [m for m in loaded if m.startswith("analysis.cli.") or m.startswith("analysis.intake")]


def test_a_command_that_needs_the_store_still_gets_it(tmp_path):
    loaded = _modules_after(["datasets", "list", "--json", "--database-url", f"sqlite:///{tmp_path / 'x.sqlite3'}"])
    assert "sqlalchemy" in loaded and "scipy.stats" not in loaded
