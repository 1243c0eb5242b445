"""The truth the sample generator builds in, read from ``data/generate_sample.py`` (for tests that
check the dashboard and the command line recover it)."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path

GENERATOR = Path(__file__).resolve().parents[1] / "data" / "generate_sample.py"


@functools.lru_cache(maxsize=1)
def generator():
    spec = importlib.util.spec_from_file_location("generate_sample", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate_sample", module)  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


def helped_kecamatan() -> tuple[str, ...]:
    """The kecamatan where the sample's mentoring raises the mentees' appraisals."""
    return tuple(generator().MENTORING_EFFECT_KECAMATAN)
