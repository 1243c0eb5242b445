"""Documentation checks (the idea of datasette's test_docs.py).

1. Every public function of every module in ``analysis/`` and ``store/`` has a numpydoc docstring with an
   ``Examples`` section (the examples themselves run as doctests: ``pytest --doctest-modules``).
2. Every page module in ``pages/`` has a test file (``tests/test_*.py``) that mentions
   ``pages/<name>.py``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import analysis
import store
from conftest import ROOT

# Public functions that have no Examples section yet. Shrink this set; never grow it.
KNOWN_MISSING: set[str] = set()

# Sub-command plumbing (argparse registration and the run functions it calls) is exercised end to
# end by the CLI tests, which run the commands as an analyst would.
_CLI_PLUMBING = re.compile(r"^cli\.\w+\.(register|run\w*|add_\w+_arguments)$")

# Pages whose test file was still being written when this list was made: skipped while untested.
# Shrink it; never grow it.
KNOWN_UNTESTED_PAGES: set[str] = set()

_EXAMPLES = re.compile(r"^Examples\n-{8,}\n", re.MULTILINE)


def public_functions() -> dict[str, object]:
    """``"package.module.function"`` → function, for functions defined (not imported) in ``analysis``
    and ``store`` (every subpackage)."""
    out = {}
    for package in (analysis, store):
        for info in sorted(pkgutil.walk_packages(package.__path__, package.__name__ + "."), key=lambda m: m.name):
            if any(part.startswith("_") for part in info.name.split(".")):
                continue
            module = importlib.import_module(info.name)
            short = info.name.removeprefix("analysis.")
            for name, obj in vars(module).items():
                if name.startswith("_") or not inspect.isfunction(obj) or obj.__module__ != module.__name__:
                    continue
                if _CLI_PLUMBING.match(f"{short}.{name}"):
                    continue
                out[f"{short}.{name}"] = obj
    return out


def has_examples(func) -> bool:
    doc = inspect.getdoc(func) or ""
    return bool(_EXAMPLES.search(doc)) and ">>> " in doc.split("Examples", 1)[1]


def test_public_functions_have_examples():
    missing = sorted(name for name, func in public_functions().items()
                     if not has_examples(func) and name not in KNOWN_MISSING)
    assert not missing, ("public functions without a docstring 'Examples' section (numpydoc, with >>> lines): "
                         + ", ".join(missing))


def test_known_missing_is_not_stale():
    functions = public_functions()
    stale = sorted(name for name in KNOWN_MISSING if name not in functions or has_examples(functions[name]))
    assert not stale, f"remove from KNOWN_MISSING (documented now, or gone): {', '.join(stale)}"


def test_the_checker_sees_functions_and_examples():
    functions = public_functions()
    assert "intake.pipeline.read_upload" in functions and has_examples(functions["intake.pipeline.read_upload"])
    assert "core.errors.AnalysisError" not in functions  # classes are not functions
    assert "store.accounts.authenticate" in functions
    assert not any(name.startswith("intake.pipeline.") and func.__module__ != "analysis.intake.pipeline"
                   for name, func in functions.items())


def _page_modules() -> list[str]:
    pages = ROOT / "pages"
    return sorted(p.stem for p in pages.glob("*.py") if not p.name.startswith("_")) if pages.is_dir() else []


def _has_test(page: str) -> bool:
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py")]
    needles = (f"pages/{page}.py", f"pages.{page}")
    return any(n in t for t in texts for n in needles)


@pytest.mark.skipif(not _page_modules(), reason="pages/ has no page modules yet")
@pytest.mark.parametrize("page", _page_modules() or ["-"])
def test_every_page_has_a_test(page):
    if page in KNOWN_UNTESTED_PAGES and not _has_test(page):
        pytest.skip(f"pages/{page}.py has no test yet (KNOWN_UNTESTED_PAGES)")
    assert _has_test(page), (
        f"no test file mentions pages/{page}.py: add one (streamlit.testing.v1.AppTest)")
