"""The IKM before/after of many programs at once (analysis/voice/programs.py): the same answer, to
the last bit, as asking ``before_after`` one program at a time, on the bundled sample's 12 programs
and on a survey that makes some programs fail in each of the ways one can."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.core.errors import AnalysisError
from analysis.voice.before_after import BeforeAfter, before_after, program_units_and_dates, survey
from analysis.voice.ikm import ELEMENTS
from analysis.voice.programs import Ask, before_after_many, every_program


def _one_at_a_time(fb, asks):
    out = {}
    for key, ask in asks.items():
        try:
            out[key] = before_after(fb, units=ask.units, start=ask.start, end=ask.end,
                                    comparison_units=ask.comparison_units, ordinal=False, tests=False)
        except AnalysisError as err:
            out[key] = err
    return out


def _same(many: dict, single: dict) -> None:
    assert list(many) == list(single)
    for key in single:
        a, b = many[key], single[key]
        if isinstance(b, AnalysisError):
            assert isinstance(a, AnalysisError) and a.code == b.code, key
            continue
        assert isinstance(a, BeforeAfter), key
        pd.testing.assert_frame_equal(a.summary, b.summary, check_exact=True)
        if b.did is None:
            assert a.did is None
        else:
            pd.testing.assert_frame_equal(a.did, b.did, check_exact=True)
        pd.testing.assert_frame_equal(a.elements, b.elements)
        assert (a.flags, a.units, a.comparison_units, a.units_not_surveyed, a.before_window, a.after_window) == \
            (b.flags, b.units, b.comparison_units, b.units_not_surveyed, b.before_window, b.after_window)


def _asks(training, fb):
    inputs, trained = every_program(training)
    return {p: Ask(units, start, end, fb.units - trained - set(units))
            for p, (units, start, end) in sorted(inputs.items()) if units and start is not None}


def test_the_sample_programs_get_the_answers_of_one_program_at_a_time():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from apptest_helpers import sample_rows

    training, fb = sample_rows("training"), survey(sample_rows("feedback"))
    asks = _asks(training, fb)
    assert len(asks) == 12
    many = before_after_many(fb, asks)
    assert sum(isinstance(v, BeforeAfter) and v.did is not None for v in many.values()) >= 1
    _same(many, _one_at_a_time(fb, asks))


def _respondents(unit: str, day: str, answers: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"tanggal": pd.Timestamp(day), "unit_layanan": unit,
                         **{u: [float(a) for a in answers] for u in ELEMENTS}})


def test_programs_that_fail_fail_as_they_would_alone():
    rng = np.random.default_rng(4)
    parts = [_respondents(u, d, rng.integers(1, 5, 6).tolist())
             for u in ("T1", "T2", "C1", "C2", "C3", "C4") for d in ("2025-02-10", "2025-08-10")]
    parts.append(_respondents("Late", "2025-08-10", [3, 4, 3]))  # surveyed after only
    fb = survey(pd.concat(parts, ignore_index=True))
    comparison = {"c1", "c2", "c3", "c4"}
    asks = {
        "did": Ask(["t1", "t2"], "2025-04-01", "2025-04-30", comparison),
        "one unit": Ask(["t1"], "2025-05-01", "2025-05-02", comparison),
        "no comparison": Ask(["t2"], "2025-04-01", "2025-04-30", set()),
        "not surveyed": Ask(["nowhere"], "2025-04-01", "2025-04-30", comparison),
        "no round before": Ask(["late"], "2025-04-01", "2025-04-30", comparison),
        "no round after": Ask(["t1"], "2025-09-01", "2025-09-30", comparison),
    }
    many = before_after_many(fb, asks)
    assert many["not surveyed"].code == "no_trained_units_in_survey"
    assert many["no round before"].code == "no_round_before"
    assert many["no round after"].code == "no_round_after"
    assert "no_comparison_units" in many["no comparison"].flags
    assert many["did"].did["n_clusters"].iloc[0] == 6
    _same(many, _one_at_a_time(fb, asks))


def test_no_program_to_ask_about():
    fb = survey(_respondents("A", "2025-02-10", [3, 3]))
    assert before_after_many(fb, {}) == {}
    with pytest.raises(ValueError):
        before_after_many(fb, {}, period="week")


def test_every_program_equals_each_programs_units_and_days_on_messy_rows():
    # Written by hand: four programs' participants and a comparison row; units in several spellings
    # and missing; a row without a program; a program whose rows have no start date.
    training = pd.DataFrame({
        "program": ["A", "A", "A", "B", "B", None, "C", "A", "D"],
        "kelompok": ["peserta", "peserta", "peserta", "peserta", "peserta", "peserta", "peserta", "pembanding",
                     "peserta"],
        "unit_kerja": ["Unit 1", " unit  1", None, "Unit 2", "UNIT 3", "Unit 9", "Unit 4", "Unit 7", None],
        "tanggal_mulai": pd.to_datetime(["2025-04-07 09:30", "2025-04-14 00:00", "2025-04-01 00:00",
                                         "2025-05-05 00:00", None, "2025-01-01 00:00", None, "2024-01-01 00:00",
                                         "2025-06-02 00:00"]),
        "tanggal_selesai": pd.to_datetime(["2025-04-09", None, "2025-04-02", "2025-05-07", "2025-06-30",
                                           None, None, "2026-01-01", None]),
    })
    found, trained = every_program(training)
    assert list(found) == ["A", "B", "C", "D"]  # in order of first appearance; no row for a missing program
    assert found["A"] == (["unit 1"], pd.Timestamp("2025-04-01"), pd.Timestamp("2025-04-14"))
    # B's second row has no start: it still ends the program (its end date counts)
    assert found["B"] == (["unit 2", "unit 3"], pd.Timestamp("2025-05-05"), pd.Timestamp("2025-06-30"))
    assert found["C"] == (["unit 4"], None, None)
    assert found["D"] == ([], pd.Timestamp("2025-06-02"), pd.Timestamp("2025-06-02"))
    # every participant's unit, the one without a program included; never the comparison row's
    assert trained == {"unit 1", "unit 2", "unit 3", "unit 4", "unit 9"}
    for name in ("A", "B", "D"):
        units, start, end = program_units_and_dates(training, name)
        assert found[name] == (units, start, end)
