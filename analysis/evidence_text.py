"""The plain-language reading of one group's evidence, in Indonesian and in English.

One function, :func:`summarise`, turns a result row into two or three sentences a program manager
can act on, numbers formatted by ``analysis.fmt``. It is honest about the weak cases: no pairs,
too little data, no evidence of change (with what the group could have detected), a decrease, and
the limits of a before/after design without a comparison group.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from analysis.fmt import fmt_int, fmt_number, fmt_p, fmt_pct

_SIG = 0.05
#: Smallest number of non-zero differences with which a two-sided exact Wilcoxon test can reach p < 0.05.
MIN_NONZERO = 6

_WORDS = {
    "id": {
        "knowledge": ("Nilai post-test", "pasangan nilai pre-test dan post-test", "peserta", "poin"),
        "performance": ("Nilai kinerja", "pasangan nilai kinerja sebelum dan sesudah", "pegawai", "poin"),
        "ordinal": ("Predikat kinerja", "pasangan predikat kinerja sebelum dan sesudah", "pegawai", "tingkat"),
        "up": "naik", "down": "turun", "inc": "kenaikan", "dec": "penurunan",
        "t": "uji t berpasangan", "wilcoxon": "uji Wilcoxon",
        "size": ("sangat kecil", "kecil", "sedang", "besar"),
        "holm": "koreksi Holm", "bh": "koreksi Benjamini–Hochberg",
    },
    "en": {
        "knowledge": ("Post-test scores", "complete pre-test/post-test pairs", "participants", "points"),
        "performance": ("Performance scores", "complete before/after performance pairs", "staff", "points"),
        "ordinal": ("Performance ratings", "complete before/after performance ratings", "staff", "levels"),
        "up": "rose", "down": "fell", "inc": "increase", "dec": "decrease",
        "t": "paired t-test", "wilcoxon": "Wilcoxon test",
        "size": ("negligible", "small", "medium", "large"),
        "holm": "Holm correction", "bh": "Benjamini–Hochberg adjustment",
    },
}


def _num(x) -> float:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return math.nan
    return x


def _ok(x) -> bool:
    return math.isfinite(_num(x))


def _signed(x, decimals: int, lang: str) -> str:
    text = fmt_number(x, decimals, lang)
    return "+" + text if _num(x) > 0 and text.strip("0,.") else text


def _range(lo, hi, decimals: int, lang: str) -> str:
    a, b = fmt_number(lo, decimals, lang), fmt_number(hi, decimals, lang)
    if _num(lo) >= 0:
        return f"{a}–{b}"
    return f"{a} s.d. {b}" if lang == "id" else f"{a} to {b}"


def _size(value: float, cuts: tuple[float, float, float], lang: str) -> str:
    """Cohen's labels: d 0.2/0.5/0.8, r 0.1/0.3/0.5."""
    v = abs(value)
    words = _WORDS[lang]["size"]
    return words[sum(v >= c for c in cuts)]


def summarise(row: Mapping, measure: str = "knowledge", scale: str = "numeric", lang: str = "id", correction: str = "holm", n_tests: int = 1) -> str:
    """Plain-language reading of one result row (a group or the overall row).

    Parameters
    ----------
    row : mapping
        A row of :func:`analysis.evidence.paired_summary` (or ``evaluate``'s group dict).
    measure : {"knowledge", "performance"}
    scale : {"numeric", "ordinal"}
    lang : {"id", "en"}
    correction : {"holm", "bh", "none"}
        The adjustment behind ``p_adjusted``; named in the text when ``n_tests`` > 1.
    n_tests : int
        How many p-values were adjusted together.

    Returns
    -------
    str

    Examples
    --------
    >>> row = {"n": 8, "n_nonzero": 8, "mean_delta": 8.2, "ci_low": 6.9, "ci_high": 9.5,
    ...        "primary_test": "t", "p_value": 1e-5, "p_adjusted": 4e-5, "effect_size_dz": 5.3,
    ...        "mde_dz": 1.16, "design": "before_after", "flags": []}
    >>> summarise(row, n_tests=3).split(";")[0]
    'Nilai post-test naik rata-rata 8,2 poin (95% CI 6,9–9,5) dari 8 peserta'
    >>> summarise({"n": 0, "flags": ["no_pairs"]}, lang="en")
    'No complete pre-test/post-test pairs, so change cannot be assessed yet.'
    """
    if lang not in _WORDS:
        raise ValueError(f"lang must be 'id' or 'en', got {lang!r}")
    w = _WORDS[lang]
    key = "ordinal" if scale == "ordinal" else measure
    if key not in w:
        raise ValueError(f"measure must be 'knowledge' or 'performance', got {measure!r}")
    subject, pairs, people, unit = w[key]
    en = lang == "en"
    n = int(_num(row.get("n")) if _ok(row.get("n")) else 0)
    flags = set(row.get("flags") or [])
    if n == 0:
        if en:
            return f"No {pairs}, so change cannot be assessed yet."
        return f"Tidak ada {pairs} yang lengkap, jadi perubahan belum dapat dinilai."

    n_nonzero = int(_num(row.get("n_nonzero"))) if _ok(row.get("n_nonzero")) else 0
    p_adj = row.get("p_adjusted") if _ok(row.get("p_adjusted")) else row.get("p_value")
    delta = row.get("mean_delta")
    parts: list[str] = []

    if n_nonzero < MIN_NONZERO or not _ok(p_adj):
        if en:
            text = (f"Too little data to judge change: only {fmt_int(n, lang)} complete pairs, "
                    f"{fmt_int(n_nonzero, lang)} of them changed; with fewer than {MIN_NONZERO} changes "
                    "a two-sided test cannot reach p < 0.05.")
        else:
            text = (f"Data terlalu sedikit untuk menilai perubahan: hanya {fmt_int(n, lang)} pasangan lengkap, "
                    f"{fmt_int(n_nonzero, lang)} di antaranya berubah; dengan kurang dari {MIN_NONZERO} perubahan, "
                    "uji dua sisi tidak mungkin mencapai p < 0,05.")
        if scale != "ordinal" and _ok(delta):
            text += (f" Mean change {_signed(delta, 1, lang)} {unit}." if en
                     else f" Rata-rata perubahan {_signed(delta, 1, lang)} {unit}.")
        return text

    test = row.get("primary_test") or "wilcoxon"
    p_text = fmt_p(p_adj, lang)
    if correction in ("holm", "bh") and n_tests > 1:
        p_text += (" after " if en else " setelah ") + w[correction]
    significant = _num(p_adj) < _SIG
    if test == "t" and _ok(row.get("effect_size_dz")):
        eff_value = _num(row["effect_size_dz"])
        effect = f"d_z = {fmt_number(eff_value, 2, lang)}"
        size = _size(eff_value, (0.2, 0.5, 0.8), lang)
    else:
        eff_value = _num(row.get("rank_biserial"))
        effect = f"r = {fmt_number(eff_value, 2, lang)}"
        size = _size(eff_value, (0.1, 0.3, 0.5), lang) if _ok(eff_value) else ""
    direction_up = _num(delta) > 0 if scale != "ordinal" else _num(row.get("rank_biserial")) > 0

    if scale == "ordinal":
        inc = fmt_int(row.get("n_increase", 0), lang)
        same = fmt_int(row.get("n_no_change", 0), lang)
        dec = fmt_int(row.get("n_decrease", 0), lang)
        if en:
            head = f"{subject} improved for {inc} of {fmt_int(n, lang)} {people}, stayed the same for {same} and worsened for {dec}"
        else:
            head = f"{subject} membaik pada {inc} dari {fmt_int(n, lang)} {people}, tetap pada {same} dan memburuk pada {dec}"
        if significant:
            way = ("improvement" if direction_up else "decline") if en else ("perbaikan" if direction_up else "penurunan")
            parts.append(f"{head}; this {way} is significant ({w[test]}, {p_text}) and {size} ({effect})." if en
                         else f"{head}; {way} ini signifikan ({w[test]}, {p_text}) dan {size} ({effect}).")
        else:
            parts.append(f"{head}; no evidence of change ({w[test]}, {p_text})." if en
                         else f"{head}; tidak ada bukti perubahan ({w[test]}, {p_text}).")
    else:
        ci = _range(row.get("ci_low"), row.get("ci_high"), 1, lang)
        if significant:
            verb = w["up"] if direction_up else w["down"]
            noun = w["inc"] if direction_up else w["dec"]
            amount = fmt_number(abs(_num(delta)), 1, lang)
            if en:
                parts.append(f"{subject} {verb} by {amount} {unit} on average (95% CI {ci}) across {fmt_int(n, lang)} {people}; "
                             f"the {noun} is significant ({w[test]}, {p_text}) and {size} ({effect}).")
            else:
                parts.append(f"{subject} {verb} rata-rata {amount} {unit} (95% CI {ci}) dari {fmt_int(n, lang)} {people}; "
                             f"{noun} ini signifikan ({w[test]}, {p_text}) dan {size} ({effect}).")
        else:
            change = _signed(delta, 1, lang)
            if en:
                parts.append(f"{subject} changed by {change} {unit} on average (95% CI {ci}) across {fmt_int(n, lang)} {people}; "
                             f"no evidence of change ({w[test]}, {p_text}).")
            else:
                parts.append(f"{subject} berubah rata-rata {change} {unit} (95% CI {ci}) dari {fmt_int(n, lang)} {people}; "
                             f"tidak ada bukti perubahan ({w[test]}, {p_text}).")
    if not significant and _ok(row.get("mde_dz")):
        mde = fmt_number(row["mde_dz"], 2, lang)
        parts.append(f"With {fmt_int(n, lang)} {people} only effects of d_z ≥ {mde} are detected with 80% power; smaller effects may be missed."
                     if en else
                     f"Dengan {fmt_int(n, lang)} {people}, hanya efek sebesar d_z ≥ {mde} yang terdeteksi dengan power 80%; efek yang lebih kecil bisa terlewat.")

    if row.get("design") == "difference_in_differences" and _ok(row.get("did")):
        did_p = row.get("did_p_adjusted") if _ok(row.get("did_p_adjusted")) else row.get("did_p_value")
        did_p_text = fmt_p(did_p, lang)
        if correction in ("holm", "bh") and n_tests > 1 and _ok(row.get("did_p_adjusted")):
            did_p_text += (" after " if en else " setelah ") + w[correction]
        did_ci = _range(row.get("did_ci_low"), row.get("did_ci_high"), 1, lang)
        n_c = fmt_int(row.get("n_comparison", 0), lang)
        if scale != "ordinal":
            parts.append(f"Against {n_c} comparison staff, the difference-in-differences is {_signed(row['did'], 1, lang)} {unit} (95% CI {did_ci}, {did_p_text})."
                         if en else
                         f"Dibandingkan dengan {n_c} pegawai pembanding, selisih perubahannya (difference-in-differences) {_signed(row['did'], 1, lang)} {unit} (95% CI {did_ci}; {did_p_text}).")
        if "few_clusters" in flags:
            g = fmt_int(row.get("did_n_clusters", 0), lang)
            if row.get("did_cluster_by") == "kecamatan":
                parts.append(f"Standard errors are clustered by kecamatan, but there are only {g}; interpret with care."
                             if en else
                             f"Galat baku dikelompokkan per kecamatan, tetapi hanya ada {g} kecamatan; tafsirkan dengan hati-hati.")
            else:
                parts.append("All data come from one kecamatan, so standard errors are clustered by person, not by kecamatan."
                             if en else
                             "Semua data berasal dari satu kecamatan, jadi galat baku dihitung per pegawai, bukan per kecamatan.")
    elif significant:
        parts.append("Without a comparison group, part of this change may not be due to the training (e.g. regression to the mean)."
                     if en else
                     "Tanpa kelompok pembanding, sebagian perubahan ini bisa bukan karena pelatihan (misalnya regresi ke rata-rata).")
    if "ceiling" in flags and _ok(row.get("ceiling_share")):
        share = fmt_pct(row["ceiling_share"], 0, lang)
        parts.append(f"{share} of pairs are at the top of the scale, which can hide gains (ceiling effect)."
                     if en else
                     f"{share} pasangan berada di batas atas skala, sehingga kenaikan bisa tertahan (efek plafon).")
    if "extreme_differences" in flags and _ok(row.get("n_extreme")):
        k = fmt_int(row["n_extreme"], lang)
        parts.append(f"{k} extreme difference(s); check the data." if en else f"Ada {k} selisih ekstrem; periksa datanya.")
    return " ".join(parts)
