"""Evidence engine (analysis/evidence/engine.py): the DataFrame API, flags, plain readings, ordered
predikat, the comparison-group design, and invariants on random data."""

from __future__ import annotations

import inspect
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats

import analysis.evidence.engine as ev
import analysis.evidence.groups as ev_groups
import analysis.evidence.text as ev_text
from strategies import SETTINGS, samples
from analysis.core.errors import AnalysisError
from analysis.core.significance import effect_status
from analysis.evidence.engine import evaluate, paired_summary, shift_table
from analysis.stats.multiplicity import adjust_p


def _scipy_wilcoxon_p(before, after) -> float:
    """scipy's paired Wilcoxon p with R's rules (exact below 50 untied non-zero differences, no zeros)."""
    d = np.asarray(after) - np.asarray(before)
    nz = d[d != 0]
    exact = nz.size < 50 and nz.size == d.size and np.unique(np.abs(nz)).size == nz.size
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return stats.wilcoxon(d, zero_method="wilcox", correction=True, method="exact" if exact else "approx").pvalue


def test_evaluate_overall_equals_the_ungrouped_evaluation():
    df = with_comparison(150, seed=12)
    grouped = evaluate(df, "knowledge", by="program")["overall"]
    alone = evaluate(df, "knowledge")["groups"][0]
    for key, value in alone.items():
        if isinstance(value, float):
            assert_allclose(grouped[key], value, rtol=1e-12, err_msg=key)
        else:
            assert grouped[key] == value, key


# ---------------------------------------------------------------- the DataFrame API

def training(rows: int = 40, seed: int = 0, **extra) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pre = np.round(rng.normal(60, 8, rows))
    df = pd.DataFrame({
        "program": pd.Series(rng.choice(["Latsar", "Pelayanan Prima"], rows), dtype="str"),
        "kecamatan": pd.Series(rng.choice(["Medan Baru", "Medan Kota", "Medan Johor"], rows), dtype="str"),
        "unit_kerja": pd.Series(rng.choice(["Dinas Kominfo", "Bappeda"], rows), dtype="str"),
        "kelompok": pd.Series(["peserta"] * rows, dtype="str"),
        "tanggal_mulai": pd.Timestamp("2025-01-10") + pd.to_timedelta(rng.integers(0, 200, rows), unit="D"),
        "nilai_pre": pre,
        "nilai_post": np.clip(pre + np.round(rng.normal(6, 5, rows)), 0, 100),
        "kinerja_sebelum": np.round(rng.normal(80, 5, rows)),
        "kinerja_sesudah": np.round(rng.normal(82, 5, rows)),
    })
    return df.assign(**extra)


def test_paired_summary_columns_and_groups():
    df = training(60)
    out = paired_summary(df, "knowledge", by=("program", "kecamatan"))
    assert list(out.columns[:2]) == ["program", "kecamatan"]
    assert len(out) == df.groupby(["program", "kecamatan"]).ngroups
    for col in ("n", "mean_before", "mean_after", "mean_delta", "sd_delta", "ci_low", "ci_high", "t_statistic",
                "df", "t_p_value", "wilcoxon_statistic", "wilcoxon_p_value", "rank_biserial", "shapiro_p_value",
                "effect_size_dz", "dz_ci_low", "dz_ci_high", "effect_size_gz", "primary_test", "p_value",
                "p_adjusted", "mde_dz", "design", "did", "flags", "summary_id", "summary_en"):
        assert col in out.columns, col
    assert all(c == c.lower() and c.isidentifier() for c in out.columns)
    assert out["n"].sum() == len(df)
    assert (out["p_adjusted"] >= out["p_value"] - 1e-15).all()


def test_period_groups_by_quarter():
    df = training(30)
    df.loc[0, "tanggal_mulai"] = pd.NaT
    out = paired_summary(df, "knowledge", by="period")
    expected = pd.PeriodIndex(df["tanggal_mulai"].dropna(), freq="Q").astype(str).str.replace("Q", "-Q", regex=False)
    assert out["period"].dropna().tolist() == sorted(set(expected))
    assert out["period"].isna().iloc[-1]  # the row without a date, last


def test_dates_of_any_resolution():
    df = training(20)
    df["tanggal_mulai"] = df["tanggal_mulai"].astype("datetime64[s]")
    assert paired_summary(df, "knowledge", by="period")["period"].str.match(r"^2025-Q[1-4]$").all()


def test_missing_values_in_grouping_field_form_their_own_group():
    df = training(20)
    df.loc[:3, "program"] = None
    out = paired_summary(df, "knowledge", by="program")
    assert out["program"].isna().sum() == 1 and out["program"].isna().iloc[-1]
    assert out.loc[out["program"].isna(), "n"].iloc[0] == 4


def test_correction_options_change_only_adjusted_p():
    df = training(80)
    holm = paired_summary(df, "knowledge", by="kecamatan", correction="holm")
    bh = paired_summary(df, "knowledge", by="kecamatan", correction="bh")
    none = paired_summary(df, "knowledge", by="kecamatan", correction="none")
    assert_allclose(none["p_adjusted"], none["p_value"])
    assert_allclose(holm["p_adjusted"], adjust_p(holm["p_value"], "holm"))
    assert_allclose(bh["p_adjusted"], adjust_p(bh["p_value"], "bh"))
    assert "koreksi Holm" in holm["summary_id"].iloc[0]
    assert "Benjamini" in bh["summary_en"].iloc[0]


def test_flags():
    df = training(12)
    df.loc[:, "nilai_post"] = df["nilai_pre"]
    df.loc[:2, "nilai_post"] = df.loc[:2, "nilai_pre"] + 5  # 3 non-zero differences
    df.loc[5, "nilai_pre"] = np.nan
    df.loc[6:9, ["nilai_pre", "nilai_post"]] = 100.0
    row = paired_summary(df, "knowledge").iloc[0]
    flags = row["flags"].split(",")
    for flag in ("too_few_nonzero", "incomplete_pairs", "ceiling", "underpowered"):
        assert flag in flags
    assert set(flags) <= set(ev.FLAGS)
    assert "Data terlalu sedikit" in row["summary_id"] and "Too little data" in row["summary_en"]


def test_extreme_and_non_normal_flags():
    rng = np.random.default_rng(4)
    pre = np.round(rng.normal(60, 5, 25))
    post = pre + np.round(rng.normal(5, 1, 25))
    post[0] = pre[0] + 40
    row = paired_summary(pd.DataFrame({"nilai_pre": pre, "nilai_post": post}), "knowledge").iloc[0]
    assert {"extreme_differences", "non_normal"} <= set(row["flags"].split(","))
    assert row["primary_test"] == "wilcoxon"
    assert "selisih ekstrem" in row["summary_id"]


@pytest.mark.parametrize("rows", [0, 1, 2])
def test_evaluate_tiny_inputs(rows):
    out = evaluate(training(rows), "knowledge", by="program")
    assert len(out["groups"]) == len({*training(rows)["program"]})
    assert out["overall"]["n"] == rows
    json.dumps(out, allow_nan=False)  # JSON-ready: NaN became None
    assert out["overall"]["summary_id"] and out["overall"]["summary_en"]


def test_evaluate_shape_matches_the_issue():
    out = evaluate(training(50), "knowledge", by=["kecamatan"])
    for key in ("measure", "correction", "design", "groups", "overall", "power", "primary_rule"):
        assert key in out
    g = out["groups"][0]
    for key in ("kecamatan", "n", "mean_before", "mean_after", "mean_delta", "sd_delta", "ci_low", "ci_high",
                "t_statistic", "df", "t_p_value", "wilcoxon_statistic", "wilcoxon_p_value", "rank_biserial",
                "shapiro_p_value", "effect_size_dz", "dz_ci_low", "dz_ci_high", "primary_test", "p_value",
                "p_adjusted", "flags", "summary_id", "summary_en"):
        assert key in g, key
    assert isinstance(g["n"], int) and isinstance(g["df"], int) and isinstance(g["flags"], list)
    assert g["primary_test"] in ("t", "wilcoxon")
    assert out["design"] == "before_after" and out["power"]["n_required"] == 34


def test_plain_language_cases():
    up = paired_summary(training(40), "knowledge").iloc[0]
    assert up["summary_id"].startswith("Nilai post-test naik rata-rata")
    assert "Tanpa kelompok pembanding" in up["summary_id"]
    df = training(40)
    df["nilai_post"] = df["nilai_pre"] - 8 + np.random.default_rng(2).normal(0, 2, 40).round()
    down = paired_summary(df, "knowledge").iloc[0]
    assert "turun" in down["summary_id"] and "fell" in down["summary_en"]
    df["nilai_post"] = df["nilai_pre"] + np.tile([-3.0, 3, -2, 2, 1, -1, 4, -4], 5)
    flat = paired_summary(df, "knowledge").iloc[0]
    assert "tidak ada bukti perubahan" in flat["summary_id"]
    assert "d_z ≥" in flat["summary_id"] and "80% power" in flat["summary_en"]
    assert ev_text.summarise({"n": 0}, lang="id").startswith("Tidak ada pasangan nilai pre-test")


def test_knowledge_and_performance_measures():
    df = training(30)
    perf = evaluate(df, "performance")
    know = evaluate(df, "knowledge")
    assert_allclose(perf["overall"]["mean_delta"], (df["kinerja_sesudah"] - df["kinerja_sebelum"]).mean())
    assert_allclose(know["overall"]["mean_delta"], (df["nilai_post"] - df["nilai_pre"]).mean())
    assert perf["overall"]["summary_id"].startswith("Nilai kinerja")


def test_errors():
    df = training(10)
    with pytest.raises(ValueError, match="measure must be one of"):
        paired_summary(df, "satisfaction")
    with pytest.raises(ValueError, match="by must name fields"):
        paired_summary(df, by="nip")
    with pytest.raises(ValueError, match="correction must be one of"):
        paired_summary(df, correction="bonferroni")
    with pytest.raises(ValueError, match="min_clusters must be"):
        paired_summary(df, min_clusters=1)
    with pytest.raises(AnalysisError) as err:
        paired_summary(df.drop(columns="nilai_post"))
    assert err.value.code == "missing_columns" and "nilai_post" in err.value.message("en")
    with pytest.raises(AnalysisError) as err:
        paired_summary(df.assign(nilai_pre=df["nilai_pre"].astype(str)))
    assert err.value.code == "measure_not_numeric"


# ---------------------------------------------------------------- ordered predikat

SCALE_2022 = ["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik"]


def predikat(before: list, after: list, **extra) -> pd.DataFrame:
    cat = pd.CategoricalDtype(SCALE_2022, ordered=True)
    return pd.DataFrame({"kinerja_sebelum": pd.Series(before, dtype=cat),
                         "kinerja_sesudah": pd.Series(after, dtype=cat), **extra})


def test_ordinal_predikat_uses_wilcoxon_on_ranks():
    before = ["Baik"] * 8 + ["Butuh Perbaikan"] * 6 + ["Sangat Baik"] * 2 + [None]
    after = ["Sangat Baik"] * 6 + ["Baik"] * 2 + ["Baik"] * 5 + ["Butuh Perbaikan"] + ["Sangat Baik"] * 2 + ["Baik"]
    df = predikat(before, after)
    out = evaluate(df, "performance")
    o = out["overall"]
    assert out["scale"] == "ordinal" and out["categories"] == SCALE_2022
    assert o["primary_test"] == "wilcoxon" and o["n"] == 16
    codes_b = df["kinerja_sebelum"].cat.codes.to_numpy()[:16] + 1.0
    codes_a = df["kinerja_sesudah"].cat.codes.to_numpy()[:16] + 1.0
    assert_allclose(o["p_value"], _scipy_wilcoxon_p(codes_b, codes_a), rtol=1e-12)
    assert (o["n_increase"], o["n_no_change"], o["n_decrease"]) == (11, 5, 0)
    assert o["summary_id"].startswith("Predikat kinerja membaik pada 11 dari 16 pegawai")
    assert np.array(o["shift_table"]).sum() == 16
    assert o["shift_table"][3][4] == 6  # Baik -> Sangat Baik
    assert "ceiling" in o["flags"]  # 2 of 16 start at Sangat Baik, 8 end there


def test_shift_table_tidy_and_complete():
    df = predikat(["Baik", "Baik", "Sangat Kurang"], ["Sangat Baik", "Baik", "Baik"], program=["A", "B", "A"])
    t = shift_table(df, by="program")
    assert list(t.columns) == ["program", "before", "after", "count"]
    assert len(t) == 2 * 25 and t["count"].sum() == 3
    assert t.query("program == 'A' and before == 'Sangat Kurang' and after == 'Baik'")["count"].item() == 1
    with pytest.raises(AnalysisError, match="ordered ratings|predikat"):
        shift_table(training(5), "knowledge")


def test_mixed_scales_are_refused():
    df = predikat(["Baik"], ["Baik"])
    with pytest.raises(AnalysisError) as err:
        paired_summary(df.assign(kinerja_sesudah=[90.0]), "performance")
    assert err.value.code == "mixed_scales"
    old = pd.CategoricalDtype(["Buruk", "Kurang", "Cukup", "Baik", "Sangat Baik"], ordered=True)
    with pytest.raises(AnalysisError):
        paired_summary(df.assign(kinerja_sesudah=pd.Series(["Baik"], dtype=old)), "performance")


# ---------------------------------------------------------------- comparison group (design)

def with_comparison(rows: int = 120, seed: int = 3, effect: float = 4.0) -> pd.DataFrame:
    df = training(rows, seed)
    rng = np.random.default_rng(seed + 100)
    comp = rng.random(rows) < 0.4
    df["kelompok"] = pd.Series(np.where(comp, "pembanding", "peserta"), dtype="str")
    df.loc[comp & (rng.random(rows) < 0.5), "program"] = None
    gain = np.where(comp, 2.0, 2.0 + effect) + rng.normal(0, 3, rows).round()
    df["nilai_post"] = df["nilai_pre"] + gain
    return df


def test_difference_in_differences_design_named_and_estimated():
    df = with_comparison()
    out = evaluate(df, "knowledge", by="program")
    assert out["design"] == "difference_in_differences"
    part = df[df["kelompok"] == "peserta"]
    comp = df[df["kelompok"] == "pembanding"]
    delta = lambda f: (f["nilai_post"] - f["nilai_pre"]).mean()  # noqa: E731
    assert_allclose(out["overall"]["did"], delta(part) - delta(comp), rtol=1e-12)
    for g in out["groups"]:
        matched = comp[(comp["program"] == g["program"]) | comp["program"].isna()]
        assert g["design"] == "difference_in_differences"
        assert g["n_comparison"] == len(matched)
        assert_allclose(g["did"], delta(part[part["program"] == g["program"]]) - delta(matched), rtol=1e-12)
        assert g["did_cluster_by"] == "kecamatan"
        assert "few_clusters" in g["flags"]  # 3 kecamatan
        assert "difference-in-differences" in g["summary_en"] and "only 3" in g["summary_en"]
    assert out["overall"]["did_n_clusters"] == 3


def test_difference_in_differences_matches_statsmodels_cluster_se():
    import statsmodels.formula.api as smf

    df = with_comparison(300, seed=9)
    df["kecamatan"] = pd.Series(np.random.default_rng(1).choice([f"K{i}" for i in range(8)], len(df)), dtype="str")
    out = evaluate(df, "knowledge")["overall"]
    long = pd.concat([
        df.assign(y=df["nilai_pre"], post=0),
        df.assign(y=df["nilai_post"], post=1),
    ]).assign(treated=lambda f: (f["kelompok"] == "peserta").astype(int))
    fit = smf.ols("y ~ treated * post", long).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(long["kecamatan"])[0]}, use_t=True)
    assert_allclose(out["did"], fit.params["treated:post"], rtol=1e-10)
    assert_allclose(out["did_se"], fit.bse["treated:post"], rtol=1e-10)
    assert_allclose(out["did_p_value"], fit.pvalues["treated:post"], rtol=1e-8)
    assert_allclose([out["did_ci_low"], out["did_ci_high"]], fit.conf_int().loc["treated:post"], rtol=1e-10)
    # the degrees of freedom of the t inference: G - 1 = 7 clusters minus one, as statsmodels uses
    assert out["did_df"] == fit.df_resid_inference == 7


def test_the_json_names_the_did_correction_and_its_degrees_of_freedom():
    out = evaluate(with_comparison(150, seed=12), "knowledge", by="program")
    assert out["did"]["correction"] == "CR1" and "G - 1" in out["did"]["df"]
    for g in [out["overall"], *out["groups"]]:
        assert g["design"] == "difference_in_differences"
        assert g["did_df"] == g["did_n_clusters"] - 1  # 3 kecamatan: t on 2 degrees of freedom


def test_single_kecamatan_groups_cluster_by_person():
    df = with_comparison(200, seed=5)
    out = paired_summary(df, "knowledge", by="kecamatan")
    assert (out["did_cluster_by"] == "person").all()
    assert out["flags"].str.contains("few_clusters").all()
    assert out["summary_id"].str.contains("per pegawai").all()


def test_groups_without_comparison_stay_before_after():
    df = with_comparison(120, seed=6)
    df.loc[df["kelompok"] == "pembanding", "program"] = "Latsar"
    out = paired_summary(df, "knowledge", by="program").set_index("program")
    assert out.loc["Latsar", "design"] == "difference_in_differences"
    assert out.loc["Pelayanan Prima", "design"] == "before_after"
    assert "no_comparison" in out.loc["Pelayanan Prima", "flags"]


def test_comparison_without_knowledge_scores_is_not_a_design():
    df = with_comparison(60, seed=7)
    df.loc[df["kelompok"] == "pembanding", ["nilai_pre", "nilai_post"]] = np.nan
    out = evaluate(df, "knowledge", by="program")
    assert out["design"] == "before_after"
    assert all("no_comparison" not in g["flags"] for g in out["groups"])


# ---------------------------------------------------------------- documentation

MODULES = [ev, ev_text, ev_groups]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_public_function_has_an_example(module):
    public = [
        obj for name, obj in vars(module).items()
        if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == module.__name__
    ]
    assert public
    missing = [f.__name__ for f in public if "Examples\n" not in (f.__doc__ or "") or ">>>" not in f.__doc__]
    assert not missing, f"public functions without an Examples section: {missing}"


def test_comparison_rows_without_dates_compare_with_every_period():
    # Non-participants have no program and no start date; grouped by period, each quarter's
    # participants are still compared with them (difference in differences), not left before/after.
    df = pd.DataFrame({
        "kelompok": ["peserta"] * 4 + ["pembanding"] * 10,
        "program": ["A"] * 4 + [None] * 10,
        "tanggal_mulai": pd.to_datetime(["2025-02-01", "2025-02-03", "2025-08-01", "2025-08-04"] + [None] * 10),
        "kinerja_sebelum": [70.0, 72.0, 68.0, 71.0] + [70.0, 69.0] * 5,
        "kinerja_sesudah": [78.0, 79.0, 75.0, 77.0] + [71.0, 70.0] * 5,
    })
    out = evaluate(df, measure="performance", by=("period",))
    designs = {g["period"]: (g["design"], g["did"]) for g in out["groups"]}
    # comparison change is +1: Q1 participants gain 7.5 → DiD 6.5; Q3 gain 6.5 → DiD 5.5
    assert designs["2025-Q1"][0] == designs["2025-Q3"][0] == "difference_in_differences"
    assert designs["2025-Q1"][1] == pytest.approx(6.5) and designs["2025-Q3"][1] == pytest.approx(5.5)


def test_fewer_than_ten_comparison_pairs_give_a_did_that_reads_too_little_data():
    # Nine comparison people: the DiD is the estimate (the strongest design), but it is flagged and
    # reads "too little data to conclude", never a silent fall-back to before/after.
    df = pd.DataFrame({
        "kelompok": ["peserta"] * 12 + ["pembanding"] * 9,
        "nilai_pre": [60.0 + i for i in range(12)] + [60.0] * 9,
        "nilai_post": [66.0 + i + (i % 3) for i in range(12)] + [61.0] * 9,
    })
    out = evaluate(df)["overall"]
    # participants' mean change (6 + 1) − comparison change 1 = 6
    assert out["design"] == "difference_in_differences" and out["did"] == pytest.approx(6.0)
    assert "small_comparison" in out["flags"] and "no_comparison" not in out["flags"]
    assert effect_status(out["did"], out["did_p_adjusted"], out["flags"], out["n"]) == "underpowered"
    ten = pd.concat([df, df.tail(1)], ignore_index=True)  # a tenth comparison person: no longer small
    out = evaluate(ten)["overall"]
    assert out["design"] == "difference_in_differences" and out["did"] == pytest.approx(6.0)
    assert "small_comparison" not in out["flags"]


def test_a_person_in_two_programs_counts_once_in_the_overall():
    # Same NIP in two programs with the same yearly SKP before/after on both rows (SKP is a
    # person's yearly value): four people, whatever the grouping. By hand: changes 5, 3, 2, 6 →
    # mean 4.0.
    df = pd.DataFrame({
        "nip": ["198503122010011003", "198503122010011003", "199001012015022001", "198807072012121002",
                "197912122005011004"],
        "program": ["A", "B", "A", "B", "A"],
        "kinerja_sebelum": [80.0, 80.0, 70.0, 75.0, 72.0],
        "kinerja_sesudah": [85.0, 85.0, 73.0, 77.0, 78.0],
    })
    alone = evaluate(df, measure="performance")["overall"]
    by_program = evaluate(df, measure="performance", by="program")
    assert alone["n"] == by_program["overall"]["n"] == 4
    assert alone["mean_delta"] == by_program["overall"]["mean_delta"] == 4.0
    assert alone == by_program["overall"]
    assert [g["n"] for g in by_program["groups"]] == [3, 2]  # within a program each person is there once


# ---------------------------------------------------------------- invariants on random data

_BY_CHOICES = [(), ("program",), ("kecamatan",), ("period",), ("program", "kecamatan"), ("unit_kerja", "period")]


@st.composite
def training_files(draw):
    """Random training files: people (NIP) in one or more programs, their yearly SKP repeated on each
    of their rows, knowledge scores per row, some comparison rows without a program."""
    people = draw(st.integers(1, 14))
    rows = []
    for person in range(people):
        nip = f"1985031220100110{person:02d}"
        skp = (draw(st.integers(60, 100)), draw(st.integers(60, 100)))
        comparison = draw(st.booleans()) and draw(st.booleans())
        for _ in range(1 if comparison else draw(st.integers(1, 3))):
            rows.append({
                "nip": nip,
                "program": None if comparison else draw(st.sampled_from(["A", "B", "C"])),
                "kecamatan": draw(st.sampled_from(["Medan Baru", "Medan Kota"])),
                "unit_kerja": draw(st.sampled_from(["Bappeda", "Dinas Sosial"])),
                "kelompok": "pembanding" if comparison else "peserta",
                "tanggal_mulai": pd.Timestamp("2025-01-06") + pd.Timedelta(days=draw(st.integers(0, 300))),
                "nilai_pre": float(draw(st.integers(40, 90))),
                "nilai_post": float(draw(st.integers(40, 100))),
                "kinerja_sebelum": float(skp[0]),
                "kinerja_sesudah": float(skp[1]),
            })
    df = pd.DataFrame(rows)
    for col in ("nip", "program", "kecamatan", "unit_kerja", "kelompok"):
        df[col] = df[col].astype("str")
    return df


@SETTINGS
@given(training_files(), st.sampled_from(["knowledge", "performance"]))
def test_overall_is_the_same_for_every_grouping(df, measure):
    """The overall result is computed once, from the person-level data: no ``--by`` changes it."""
    alone = evaluate(df, measure=measure)["overall"]
    for by in _BY_CHOICES[1:]:
        assert evaluate(df, measure=measure, by=by)["overall"] == alone, by




@SETTINGS
@given(samples(min_size=1, max_size=30))
def test_summary_groups_equal_their_own_analysis(data):
    before, after, groups = data
    programs = np.array(["A", "B", "C", "D"], dtype=object)[groups]
    df = pd.DataFrame({"program": pd.Series(programs, dtype="str"), "nilai_pre": before, "nilai_post": after})
    together = paired_summary(df, "knowledge", by="program")
    for _, row in together.iterrows():
        alone = paired_summary(df[df["program"] == row["program"]], "knowledge").iloc[0]
        for col in ("n", "mean_delta", "t_p_value", "wilcoxon_p_value", "shapiro_p_value", "dz_ci_low", "p_value",
                    "mde_dz", "primary_test", "design"):
            a, b = row[col], alone[col]
            assert (a == b) or (pd.isna(a) and pd.isna(b)), col


def test_comparison_weights_enter_the_did():
    """A matched comparison group's weights (column bobot_pembanding): by hand, participants change by
    (1 + 1 + 0) / 3 = 2/3, the comparison by (2·0 + 1·1 + 1·0) / 4 = 1/4, so DiD = 2/3 − 1/4 = 5/12."""
    df = pd.DataFrame({"kelompok": ["peserta"] * 3 + ["pembanding"] * 3,
                       "kinerja_sebelum": [3.0, 3, 4, 3, 4, 4], "kinerja_sesudah": [4.0, 4, 4, 3, 5, 4],
                       "bobot_pembanding": [np.nan, np.nan, np.nan, 2.0, 1.0, 1.0]})
    out = evaluate(df, "performance")
    assert out["design"] == "difference_in_differences"
    assert out["overall"]["did"] == pytest.approx(5 / 12, rel=1e-12)
    unweighted = evaluate(df.drop(columns="bobot_pembanding"), "performance")["overall"]["did"]
    assert unweighted == pytest.approx(2 / 3 - 1 / 3, rel=1e-12)  # (0 + 1 + 0) / 3 without the weights


def test_comparison_did_in_batches_gives_the_numbers_of_one_go(monkeypatch):
    """The comparison rows matched to every program reach the DiD engine in batches of groups
    (memory); every number is the one computed in one go, since each group's DiD is its own."""
    import analysis.evidence.groups as groups

    df = with_comparison(600, seed=5)
    df["kecamatan"] = pd.Series(np.random.default_rng(2).choice([f"K{i}" for i in range(6)], len(df)), dtype="str")
    whole = paired_summary(df, "knowledge", by=["program", "kecamatan"])
    monkeypatch.setattr(groups, "DID_BATCH_ROWS", 40)
    batches = groups._key_batches(np.repeat(np.arange(10), 30), 10, 40)  # groups of 30 rows, batches of ~40
    # a group joins the batch its first row falls in: rows 0, 30, 60 … // 40 = 0, 0, 1, 2, 3, 3, 4, 5, 6, 6
    assert batches == [(0, 2), (2, 3), (3, 4), (4, 6), (6, 7), (7, 8), (8, 10)]
    batched = paired_summary(df, "knowledge", by=["program", "kecamatan"])
    assert whole["design"].eq("difference_in_differences").any()
    pd.testing.assert_frame_equal(batched, whole)
