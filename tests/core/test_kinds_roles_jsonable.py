"""The small shared tables of analysis.core: kinds, roles and the JSON conversion."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from analysis.core import kinds, roles
from analysis.core.errors import AnalysisError
from analysis.core.jsonable import to_jsonable


def test_every_kind_has_labels_in_both_languages_and_a_date_column():
    assert set(kinds.KIND_LABELS) == set(kinds.KINDS) == set(kinds.DATE_COLUMNS)
    for kind in kinds.KINDS:
        assert kinds.KIND_LABELS[kind]["id"] and kinds.KIND_LABELS[kind]["en"]


@pytest.mark.parametrize("bad", ["survey", "", "Training"])
def test_check_kind_names_the_choices(bad):
    with pytest.raises(ValueError, match="kind must be one of"):
        kinds.check_kind(bad)


@pytest.mark.parametrize(("role", "needed", "expected"), [
    ("viewer", "viewer", True), ("viewer", "analyst", False), ("viewer", "admin", False),
    ("analyst", "viewer", True), ("analyst", "analyst", True), ("analyst", "admin", False),
    ("admin", "viewer", True), ("admin", "analyst", True), ("admin", "admin", True),
    (None, "viewer", False),
])
def test_has_role_is_the_order_viewer_analyst_admin(role, needed, expected):
    assert roles.has_role(role, needed) is expected


def test_has_role_reads_a_user_object():
    class Person:
        role = "analyst"

    assert roles.has_role(Person(), "analyst") and not roles.has_role(Person(), "admin")


def test_require_role_raises_the_forbidden_code_in_both_languages():
    with pytest.raises(AnalysisError) as err:
        roles.require_role("viewer", "admin")
    assert err.value.code == "forbidden"
    assert "admin" in err.value.message("en") and "viewer" in err.value.message("id")


def test_unknown_role_is_a_value_error():
    with pytest.raises(ValueError, match="role must be one of"):
        roles.role_rank("boss")


def test_to_jsonable_gives_plain_json():
    value = {
        "n": np.int64(3), "x": np.float32(0.5), "nan": float("nan"), "inf": np.inf, "na": pd.NA,
        "nat": pd.NaT, "when": pd.Timestamp("2025-03-12"), "day": dt.date(2025, 1, 2),
        "flags": ("small_n",), "flag": np.bool_(True), 7: "key as text",
    }
    out = to_jsonable(value)
    assert out == {
        "n": 3, "x": 0.5, "nan": None, "inf": None, "na": None, "nat": None, "when": "2025-03-12T00:00:00",
        "day": "2025-01-02", "flags": ["small_n"], "flag": True, "7": "key as text",
    }
    json.dumps(out, allow_nan=False)  # strict JSON
