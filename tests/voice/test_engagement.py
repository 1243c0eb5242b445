"""Community engagement (forums, open-house days) beside the IKM of the same place and period."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from analysis.voice.engagement import engagement_association, engagement_table, event_counts
from analysis.voice.ikm import ELEMENTS


@pytest.fixture
def events() -> pd.DataFrame:
    return pd.DataFrame({
        "jenis_kegiatan": ["forum", "open_house", "Forum ", "sosialisasi", "forum"],
        "tanggal": pd.to_datetime(["2025-01-15", "2025-02-20", "2025-04-02", "2025-04-20", "2025-05-05"]),
        "kecamatan": ["Medan Baru", "Medan Baru", "Medan Baru", "Medan Kota", "Medan Kota"],
        "kode_kecamatan": ["12.71.17", "12.71.17", "12.71.17", "12.71.01", "12.71.01"],
        "unit_layanan": ["Kantor Camat Medan Baru"] * 3 + ["Kantor Camat Medan Kota"] * 2,
        "jumlah_peserta": [40.0, 120.0, 35.0, 20.0, np.nan],
        "jumlah_masukan": [12.0, np.nan, 9.0, np.nan, np.nan],
    })


def feedback_rows(place: str, day: str, answers: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"tanggal": pd.Timestamp(day), "kecamatan": place, "unit_layanan": f"Kantor Camat {place}",
                         **{u: [float(a) for a in answers] for u in ELEMENTS}})


@pytest.fixture
def feedback() -> pd.DataFrame:
    return pd.concat([
        feedback_rows("Medan Baru", "2025-02-01", [3, 3]),      # Q1: 75.00
        feedback_rows("Medan Baru", "2025-05-01", [4, 3]),      # Q2: 87.50
        feedback_rows("Medan Baru", "2025-08-01", [4, 4, 3]),   # Q3: 91.67
        feedback_rows("Medan Kota", "2025-05-01", [2, 3]),      # Q2: 62.50, no Q1 survey
    ], ignore_index=True)


def test_event_counts(events):
    t = event_counts(events).set_index(["kecamatan", "periode"])
    assert t.loc[("Medan Baru", "2025-Q1"), "events"] == 2
    assert t.loc[("Medan Baru", "2025-Q1"), "events_forum"] == 1
    assert t.loc[("Medan Baru", "2025-Q1"), "events_open_house"] == 1
    assert t.loc[("Medan Baru", "2025-Q1"), "participants"] == 160
    assert t.loc[("Medan Baru", "2025-Q1"), "suggestions"] == 12  # the open house recorded none
    assert t.loc[("Medan Baru", "2025-Q2"), "events_forum"] == 1  # "Forum " read as forum
    kota = t.loc[("Medan Kota", "2025-Q2")]
    assert kota["events"] == 2 and kota["events_other"] == 1 and kota["participants"] == 20
    assert np.isnan(kota["suggestions"])  # no event recorded suggestions: missing, not 0


def test_event_counts_kinds_period_and_unit(events):
    t = event_counts(events, by="unit_layanan", period="year", kinds=["forum"])
    assert t["events"].tolist() == [2, 1] and t["periode"].tolist() == ["2025", "2025"]
    assert t["unit_layanan"].tolist() == ["Kantor Camat Medan Baru", "Kantor Camat Medan Kota"]
    assert event_counts(events, kinds=["pameran"]).empty


@pytest.mark.parametrize("kwargs, message", [({"by": "unit"}, "by must be one of"),
                                              ({"period": "week"}, "period must be one of")])
def test_event_counts_refuses_bad_arguments(events, kwargs, message):
    with pytest.raises(ValueError, match=message):
        event_counts(events, **kwargs)


def test_event_counts_needs_columns(events):
    with pytest.raises(ValueError, match="events must have the columns"):
        event_counts(events.drop(columns="jumlah_peserta"))


def test_engagement_table_joins_events_and_ikm(events, feedback):
    t = engagement_table(events, feedback).set_index(["kecamatan", "periode"])
    baru = t.loc["Medan Baru"]
    assert baru["ikm"].tolist() == [75.0, 87.5, 91.67]
    assert baru["events"].tolist() == [2, 1, 0]               # Q3: survey without events
    assert baru["respondents"].tolist() == [2, 2, 3]
    assert np.isnan(baru["ikm_change"].iloc[0])
    assert_allclose(baru["ikm_change"].iloc[1:], [12.5, 4.17])
    assert baru["events_cumulative"].tolist() == [2, 3, 3]
    kota = t.loc["Medan Kota"]
    assert kota.index.tolist() == ["2025-Q2"] and kota["ikm"].iloc[0] == 62.5 and kota["events"].iloc[0] == 2


def test_engagement_table_events_without_survey(events, feedback):
    fb = feedback[feedback["kecamatan"] == "Medan Baru"]
    t = engagement_table(events, fb).set_index(["kecamatan", "periode"])
    row = t.loc[("Medan Kota", "2025-Q2")]
    assert row["events"] == 2 and row["respondents"] == 0 and np.isnan(row["ikm"])


def test_engagement_table_by_month(events, feedback):
    t = engagement_table(events, feedback, period="month")
    assert set(t["periode"]) == {"2025-01", "2025-02", "2025-04", "2025-05", "2025-08"}


def test_engagement_association_matches_r():
    # Pairs (events in a period, IKM change to the next period of the same kecamatan):
    # A: events 0, 2, 1, 3 with IKM 70, 71, 75, 76 → (0, 1), (2, 4), (1, 1)
    # B: events 1, 0, 2, 0 with IKM 80, 81, 80, 83 → (1, 1), (0, -1), (2, 3)
    # R 4.2.2: cor.test(c(0,2,1,1,0,2), c(1,4,1,1,-1,3), method = "spearman", exact = FALSE)
    #   S = 3.8849689, p-value = 0.0177974
    #   rho 0.889000889
    t = pd.DataFrame({"kecamatan": ["A"] * 4 + ["B"] * 4, "periode": ["1", "2", "3", "4"] * 2,
                      "events": [0, 2, 1, 3, 1, 0, 2, 0],
                      "ikm": [70.0, 71.0, 75.0, 76.0, 80.0, 81.0, 80.0, 83.0]})
    r = engagement_association(t).iloc[0]
    assert r["n"] == 6
    assert_allclose(r["rho"], 0.889000889, rtol=1e-8)
    assert_allclose(r["p_value"], 0.0177974, rtol=1e-5)


@pytest.mark.parametrize("n_periods", [0, 1, 2])
def test_engagement_association_too_few_pairs(n_periods):
    t = pd.DataFrame({"kecamatan": ["A"] * n_periods, "periode": [str(i) for i in range(n_periods)],
                      "events": list(range(n_periods)), "ikm": [70.0 + i for i in range(n_periods)]})
    r = engagement_association(t).iloc[0]
    assert r["n"] == max(n_periods - 1, 0) and np.isnan(r["rho"])


def test_engagement_on_sample_workbooks():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "data" / "sample"
    if not (root / "skm_2025.xlsx").exists() or not (root / "kegiatan_masyarakat_2025.xlsx").exists():
        pytest.skip("sample workbooks not generated")
    from analysis.intake.pipeline import read_file

    fb = read_file(root / "skm_2025.xlsx", kind="feedback").accepted
    ev = read_file(root / "kegiatan_masyarakat_2025.xlsx", kind="events").accepted
    t = engagement_table(ev, fb)
    assert t["events"].sum() == len(ev.dropna(subset=["tanggal"]))
    assert t["respondents"].sum() == len(fb)
