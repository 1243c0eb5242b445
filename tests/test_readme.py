"""The README stays true: its two commands, its column tables (generated from the contracts) and
the CI script that runs its test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.intake.contracts import KINDS
from analysis.intake.templates import columns_markdown

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", README, flags=re.S)[:2]


def test_readme_begins_with_the_two_commands():
    start, test = _commands()
    assert README.index("```bash") < 40, "the commands must come first"
    assert start == "pip install -r requirements.txt && streamlit run app.py"
    assert test == "pip install -r requirements-dev.txt && python -m pytest"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _commands()[1] in ci.splitlines()


@pytest.mark.parametrize("kind", KINDS)
def test_column_tables_match_the_contracts(kind):
    assert columns_markdown(kind, "id") in README, f"regenerate with: python -m analysis columns {kind}"


def test_requirements_are_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r"):
                assert re.match(r"^[A-Za-z0-9_.\-\[\]]+==[0-9][\w.]*$", line), f"{name}: unpinned '{line}'"


def test_every_documented_error_code_exists():
    import analysis.intake.pipeline
    import analysis.intake.reader
    import analysis.intake.worker

    source = "".join(Path(module.__file__).read_text() for module in (
        analysis.intake.reader, analysis.intake.pipeline, analysis.intake.worker))
    section = README.split("A file that cannot be read gets one message")[1].split("## Command line")[0]
    for code in re.findall(r"`([a-z_]+)`", section):
        assert f'"{code}"' in source, code
