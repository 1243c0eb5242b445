"""Plain-language readings (analysis/evidence/text.py): each kind of sentence, written out by hand
from the wording the program managers agreed on."""

from __future__ import annotations

import pytest

from analysis.evidence.text import MIN_NONZERO, summarise

SIGNIFICANT_DID = {
    "n": 20, "n_nonzero": 15, "mean_delta": 6.0, "ci_low": 3.0, "ci_high": 9.0, "primary_test": "t",
    "p_value": 0.001, "p_adjusted": 0.003, "effect_size_dz": 0.9, "design": "difference_in_differences",
    "did": 4.0, "did_ci_low": -1.5, "did_ci_high": 9.5, "did_p_value": 0.1, "did_p_adjusted": 0.2,
    "n_comparison": 12, "did_cluster_by": "kecamatan", "did_n_clusters": 3, "flags": ["few_clusters", "ceiling"],
    "ceiling_share": 0.25,
}


def test_no_pairs():
    assert summarise({"n": 0}, "performance", lang="id") == (
        "Tidak ada pasangan nilai kinerja sebelum dan sesudah yang lengkap, jadi perubahan belum dapat dinilai.")


def test_too_little_data_with_the_mean_change():
    row = {"n": 3, "n_nonzero": 2, "mean_delta": 4.3, "ci_low": -2.1, "ci_high": 10.7, "p_value": 0.5,
           "flags": ["too_few_nonzero", "small_n"]}
    assert MIN_NONZERO == 6
    assert summarise(row, lang="en") == (
        "Too little data to conclude: 3 complete pairs, 2 of them changed; a conclusion needs at least 10 pairs "
        "and 6 changes. Mean change +4.3 points (95% CI -2.1 to 10.7).")
    assert summarise(row, lang="id") == (
        "Data terlalu sedikit untuk menyimpulkan: 3 pasangan lengkap, 2 di antaranya berubah; kesimpulan butuh "
        "paling sedikit 10 pasangan dan 6 perubahan. Rata-rata perubahan +4,3 poin (95% CI -2,1 s.d. 10,7).")


def test_one_pair_without_a_p_value_is_too_little_data():
    row = {"n": 1, "n_nonzero": 1, "mean_delta": -2.0, "p_value": float("nan"), "flags": []}
    assert summarise(row, lang="en").startswith("Too little data to conclude: 1 complete pair, 1 of them")
    assert summarise(row, lang="en").endswith("Mean change -2.0 points.")


def test_a_significant_p_value_in_a_small_group_still_reads_too_little_data():
    # Five pairs with consistent gains: the t-test gives p < 0.001, but the group carries small_n and
    # too_few_nonzero, so the reading says what the chart and the status say: too little data.
    row = {"n": 5, "n_nonzero": 5, "mean_delta": 8.0, "ci_low": 7.0, "ci_high": 9.0, "primary_test": "t",
           "p_value": 0.0001, "p_adjusted": 0.0001, "flags": ["too_few_nonzero", "small_n"]}
    assert summarise(row, lang="en").startswith("Too little data to conclude: 5 complete pairs")
    assert "significant" not in summarise(row, lang="en")


def test_all_differences_equal_reads_as_exactly_that_without_an_interval():
    # Twelve participants who all gained exactly 5 points: no spread, so no t interval; the reading
    # says so instead of "(95% CI – to –)".
    row = {"n": 12, "n_nonzero": 12, "mean_delta": 5.0, "sd_delta": 0.0, "ci_low": float("nan"),
           "ci_high": float("nan"), "primary_test": "wilcoxon", "p_value": 0.0005, "p_adjusted": 0.0005,
           "rank_biserial": 1.0, "design": "before_after", "flags": ["constant_differences"]}
    assert summarise(row, lang="id").startswith(
        "Nilai post-test naik persis 5,0 poin pada semua 12 peserta; kenaikan ini signifikan (uji Wilcoxon, "
        "p < 0,001) dan besar (r = 1,00).")
    assert summarise(row, lang="en").startswith(
        "Post-test scores rose by exactly 5.0 points for all 12 participants; the increase is significant")
    assert "CI" not in summarise(row, lang="en")
    small = {**row, "n": 4, "n_nonzero": 4, "flags": ["too_few_nonzero", "small_n"]}
    assert summarise(small, lang="id").endswith("Semua peserta berubah persis +5,0 poin.")


def test_significant_change_with_a_comparison_group_and_few_kecamatan():
    assert summarise(SIGNIFICANT_DID, lang="en", correction="bh", n_tests=4) == (
        "Post-test scores rose by 6.0 points on average (95% CI 3.0–9.0) across 20 participants; the increase is "
        "significant (paired t-test, p = 0.0030 after Benjamini–Hochberg adjustment) and large (d_z = 0.90). "
        "Against 12 comparison staff, the difference-in-differences is +4.0 points (95% CI -1.5 to 9.5, "
        "p = 0.200 after Benjamini–Hochberg adjustment); there is no evidence of a difference. Standard errors are clustered by kecamatan, but there "
        "are only 3; interpret with care. 25% of pairs are at the top of the scale, which can hide gains "
        "(ceiling effect).")
    assert summarise(SIGNIFICANT_DID, lang="id", n_tests=4) == (
        "Nilai post-test naik rata-rata 6,0 poin (95% CI 3,0–9,0) dari 20 peserta; kenaikan ini signifikan "
        "(uji t berpasangan, p = 0,0030 setelah koreksi Holm) dan besar (d_z = 0,90). Dibandingkan dengan 12 "
        "pegawai pembanding, selisih perubahannya (difference-in-differences) +4,0 poin (95% CI -1,5 s.d. 9,5; "
        "p = 0,200 setelah koreksi Holm); selisih ini belum terbukti. Galat baku dikelompokkan per kecamatan, tetapi hanya ada 3 kecamatan; "
        "tafsirkan dengan hati-hati. 25% pasangan berada di batas atas skala, sehingga kenaikan bisa tertahan "
        "(efek plafon).")


def test_one_test_alone_names_no_correction_and_one_kecamatan_clusters_by_person():
    row = {**SIGNIFICANT_DID, "did_cluster_by": "person", "flags": ["few_clusters"]}
    text = summarise(row, lang="en", n_tests=1)
    assert "p = 0.0030)" in text and "adjustment" not in text
    assert text.endswith("All data come from one kecamatan, so standard errors are clustered by person, "
                         "not by kecamatan.")


def test_significant_before_after_warns_that_there_is_no_comparison():
    row = {k: v for k, v in SIGNIFICANT_DID.items() if not k.startswith("did")}
    text = summarise({**row, "design": "before_after", "flags": []}, lang="en")
    assert text.endswith("Without a comparison group, part of this change may not be due to the training "
                         "(e.g. regression to the mean).")


def test_ordinal_ratings_without_evidence_report_power_and_extremes():
    row = {"n": 16, "n_nonzero": 11, "primary_test": "wilcoxon", "p_value": 0.2, "rank_biserial": -0.2,
           "n_increase": 4, "n_no_change": 5, "n_decrease": 7, "mde_dz": 0.75, "flags": ["extreme_differences"],
           "n_extreme": 2}
    assert summarise(row, "performance", "ordinal", "en") == (
        "Performance ratings improved for 4 of 16 staff, stayed the same for 5 and worsened for 7; no evidence of "
        "change (Wilcoxon test, p = 0.200). With 16 staff only effects of d_z ≥ 0.75 are detected with 80% "
        "power; smaller effects may be missed. 2 extreme difference(s); check the data.")


def test_bad_arguments():
    with pytest.raises(ValueError, match="lang must be 'id' or 'en'"):
        summarise({"n": 1}, lang="fr")
    with pytest.raises(ValueError, match="measure must be 'knowledge' or 'performance'"):
        summarise({"n": 1}, "satisfaction")
