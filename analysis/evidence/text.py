"""The plain-language reading of one group's evidence, in Indonesian and in English.

One function, :func:`summarise`, turns a result row into two or three sentences a program manager
can act on, numbers formatted by ``analysis.core.fmt``. It is honest about the weak cases: no pairs,
too little data, no evidence of change (with what the group could have detected), a decrease, and
the limits of a before/after design without a comparison group. The wording lives in
:data:`TEXT`, one table per language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from analysis.core.fmt import fmt_int, fmt_number, fmt_p, fmt_pct
from analysis.core.significance import ALPHA, MIN_NONZERO, MIN_PAIRS, TOO_LITTLE_FLAGS, effect_status
from analysis.evidence.groups import DID

__all__ = ["MIN_NONZERO", "MIN_PAIRS", "TEXT", "summarise"]

#: Every sentence and word of the readings, per language.
TEXT = {
    "id": {
        # measure: subject, what the pairs are, who, unit
        "knowledge": ("Nilai post-test", "pasangan nilai pre-test dan post-test", "peserta", "poin"),
        "performance": ("Nilai kinerja", "pasangan nilai kinerja sebelum dan sesudah", "pegawai", "poin"),
        "ordinal": ("Predikat kinerja", "pasangan predikat kinerja sebelum dan sesudah", "pegawai", "tingkat"),
        "no_pairs": "Tidak ada {pairs} yang lengkap, jadi perubahan belum dapat dinilai.",
        "too_little": ("Data terlalu sedikit untuk menyimpulkan: {n} pasangan lengkap, {nz} di antaranya berubah; "
                       "kesimpulan butuh paling sedikit {min_n} pasangan dan {min_nz} perubahan."),
        "mean_change": "Rata-rata perubahan {delta} {unit} (95% CI {ci}).",
        "mean_change_no_ci": "Rata-rata perubahan {delta} {unit}.",
        "all_same": "Semua {people} berubah persis {delta} {unit}.",
        "significant_same": ("{subject} {verb} persis {amount} {unit} pada semua {n} {people}; "
                             "{noun} ini signifikan ({test}, {p}) dan {size} ({effect})."),
        "no_evidence_same": ("Semua {n} {people} berubah persis {delta} {unit}; tidak ada bukti perubahan "
                             "({test}, {p})."),
        "significant": ("{subject} {verb} rata-rata {amount} {unit} (95% CI {ci}) dari {n} {people}; "
                        "{noun} ini signifikan ({test}, {p}) dan {size} ({effect})."),
        "no_evidence": ("{subject} berubah rata-rata {delta} {unit} (95% CI {ci}) dari {n} {people}; "
                        "tidak ada bukti perubahan ({test}, {p})."),
        "ordinal_head": "{subject} membaik pada {inc} dari {n} {people}, tetap pada {same} dan memburuk pada {dec}",
        "ordinal_significant": "{head}; {way} ini signifikan ({test}, {p}) dan {size} ({effect}).",
        "ordinal_no_evidence": "{head}; tidak ada bukti perubahan ({test}, {p}).",
        "power": ("Dengan {n} {people}, hanya efek sebesar d_z ≥ {mde} yang terdeteksi dengan power 80%; "
                  "efek yang lebih kecil bisa terlewat."),
        "did": ("Dibandingkan dengan {n_c} pegawai pembanding, selisih perubahannya (difference-in-differences) "
                "{did} {unit} (95% CI {ci}; {p}); {verdict}."),
        "did_significant": "selisih ini signifikan",
        "did_no_evidence": "selisih ini belum terbukti",
        "did_too_little": "data terlalu sedikit untuk menyimpulkannya",
        "few_clusters": ("Galat baku dikelompokkan per kecamatan, tetapi hanya ada {g} kecamatan; "
                         "tafsirkan dengan hati-hati."),
        "one_cluster": ("Semua data berasal dari satu kecamatan, jadi galat baku dihitung per pegawai, "
                        "bukan per kecamatan."),
        "no_comparison": ("Tanpa kelompok pembanding, sebagian perubahan ini bisa bukan karena pelatihan "
                          "(misalnya regresi ke rata-rata)."),
        "ceiling": "{share} pasangan berada di batas atas skala, sehingga kenaikan bisa tertahan (efek plafon).",
        "extreme": "Ada {k} selisih ekstrem; periksa datanya.",
        "up": "naik", "down": "turun", "increase": "kenaikan", "decrease": "penurunan",
        "better": "perbaikan", "worse": "penurunan",
        "t": "uji t berpasangan", "wilcoxon": "uji Wilcoxon",
        "size": ("sangat kecil", "kecil", "sedang", "besar"),
        "after": "setelah", "holm": "koreksi Holm", "bh": "koreksi Benjamini–Hochberg", "to": "s.d.",
    },
    "en": {
        "knowledge": ("Post-test scores", "complete pre-test/post-test pairs", "participants", "points"),
        "performance": ("Performance scores", "complete before/after performance pairs", "staff", "points"),
        "ordinal": ("Performance ratings", "complete before/after performance ratings", "staff", "levels"),
        "no_pairs": "No {pairs}, so change cannot be assessed yet.",
        "too_little": ("Too little data to conclude: {n} complete {pair_word}, {nz} of them changed; a conclusion "
                       "needs at least {min_n} pairs and {min_nz} changes."),
        "mean_change": "Mean change {delta} {unit} (95% CI {ci}).",
        "mean_change_no_ci": "Mean change {delta} {unit}.",
        "all_same": "Every one of the {people} changed by exactly {delta} {unit}.",
        "significant_same": ("{subject} {verb} by exactly {amount} {unit} for all {n} {people}; "
                             "the {noun} is significant ({test}, {p}) and {size} ({effect})."),
        "no_evidence_same": ("All {n} {people} changed by exactly {delta} {unit}; no evidence of change "
                             "({test}, {p})."),
        "significant": ("{subject} {verb} by {amount} {unit} on average (95% CI {ci}) across {n} {people}; "
                        "the {noun} is significant ({test}, {p}) and {size} ({effect})."),
        "no_evidence": ("{subject} changed by {delta} {unit} on average (95% CI {ci}) across {n} {people}; "
                        "no evidence of change ({test}, {p})."),
        "ordinal_head": ("{subject} improved for {inc} of {n} {people}, stayed the same for {same} "
                         "and worsened for {dec}"),
        "ordinal_significant": "{head}; this {way} is significant ({test}, {p}) and {size} ({effect}).",
        "ordinal_no_evidence": "{head}; no evidence of change ({test}, {p}).",
        "power": ("With {n} {people} only effects of d_z ≥ {mde} are detected with 80% power; "
                  "smaller effects may be missed."),
        "did": ("Against {n_c} comparison staff, the difference-in-differences is {did} {unit} (95% CI {ci}, {p}); "
                "{verdict}."),
        "did_significant": "this difference is significant",
        "did_no_evidence": "there is no evidence of a difference",
        "did_too_little": "too little data to conclude about it",
        "few_clusters": "Standard errors are clustered by kecamatan, but there are only {g}; interpret with care.",
        "one_cluster": ("All data come from one kecamatan, so standard errors are clustered by person, "
                        "not by kecamatan."),
        "no_comparison": ("Without a comparison group, part of this change may not be due to the training "
                          "(e.g. regression to the mean)."),
        "ceiling": "{share} of pairs are at the top of the scale, which can hide gains (ceiling effect).",
        "extreme": "{k} extreme difference(s); check the data.",
        "up": "rose", "down": "fell", "increase": "increase", "decrease": "decrease",
        "better": "improvement", "worse": "decline",
        "t": "paired t-test", "wilcoxon": "Wilcoxon test",
        "size": ("negligible", "small", "medium", "large"),
        "after": "after", "holm": "Holm correction", "bh": "Benjamini–Hochberg adjustment", "to": "to",
    },
}


def _num(x) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _ok(x) -> bool:
    return math.isfinite(_num(x))


def _signed(x, decimals: int, lang: str) -> str:
    text = fmt_number(x, decimals, lang)
    return "+" + text if _num(x) > 0 and text.strip("0,.") else text


def _range(lo, hi, decimals: int, lang: str) -> str:
    a, b = fmt_number(lo, decimals, lang), fmt_number(hi, decimals, lang)
    return f"{a}–{b}" if _num(lo) >= 0 else f"{a} {TEXT[lang]['to']} {b}"


def _size(value: float, cuts: tuple[float, float, float], lang: str) -> str:
    """Cohen's labels: d 0.2/0.5/0.8, r 0.1/0.3/0.5."""
    return TEXT[lang]["size"][sum(abs(value) >= c for c in cuts)]


def summarise(row: Mapping, measure: str = "knowledge", scale: str = "numeric", lang: str = "id",
              correction: str = "holm", n_tests: int = 1) -> str:
    """Plain-language reading of one result row (a group or the overall row).

    The verdict follows :func:`analysis.core.significance.effect_status`, the rule every chart and
    table uses: a group with a "too little data" flag (no pairs, fewer than
    :data:`MIN_PAIRS` pairs, fewer than :data:`MIN_NONZERO` non-zero differences) reads "too little
    data to conclude" whatever its p-value. The flags are the row's ``flags``; a row without them
    (a hand-made one) is judged by its ``n`` and ``n_nonzero``.

    Parameters
    ----------
    row : mapping
        A row of :func:`analysis.evidence.engine.paired_summary` (or ``evaluate``'s group dict).
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
    >>> row = {"n": 12, "n_nonzero": 12, "mean_delta": 8.2, "ci_low": 6.9, "ci_high": 9.5, "sd_delta": 2.1,
    ...        "primary_test": "t", "p_value": 1e-5, "p_adjusted": 4e-5, "effect_size_dz": 3.9,
    ...        "mde_dz": 0.89, "design": "before_after", "flags": []}
    >>> summarise(row, n_tests=3).split(";")[0]
    'Nilai post-test naik rata-rata 8,2 poin (95% CI 6,9–9,5) dari 12 peserta'
    >>> summarise({"n": 0, "flags": ["no_pairs"]}, lang="en")
    'No complete pre-test/post-test pairs, so change cannot be assessed yet.'
    >>> summarise({**row, "n": 5, "n_nonzero": 5, "flags": ["too_few_nonzero", "small_n"]}, lang="en")
    'Too little data to conclude: 5 complete pairs, 5 of them changed; a conclusion needs at least 10 pairs and 6 changes. Mean change +8.2 points (95% CI 6.9–9.5).'
    """
    if lang not in TEXT:
        raise ValueError(f"lang must be 'id' or 'en', got {lang!r}")
    w = TEXT[lang]
    key = "ordinal" if scale == "ordinal" else measure
    if key not in ("knowledge", "performance", "ordinal"):
        raise ValueError(f"measure must be 'knowledge' or 'performance', got {measure!r}")
    subject, pairs, people, unit = w[key]
    n = _count(row.get("n"))
    if n == 0:
        return w["no_pairs"].format(pairs=pairs)
    n_nonzero = _count(row.get("n_nonzero"))
    p_adj = row.get("p_adjusted") if _ok(row.get("p_adjusted")) else row.get("p_value")
    if _too_little_data(row, n, n_nonzero) or not _ok(p_adj):
        return _too_little(row, n, n_nonzero, scale, people, unit, lang)

    def p_text(p, adjusted: bool) -> str:
        out = fmt_p(p, lang)
        if adjusted and correction in ("holm", "bh") and n_tests > 1:
            out += f" {w['after']} {w[correction]}"
        return out

    significant = _num(p_adj) < ALPHA
    who = dict(subject=subject, n=fmt_int(n, lang), people=people, unit=unit)
    parts = [_change(row, scale, significant, who, p_text(p_adj, True), lang)]
    if not significant and _ok(row.get("mde_dz")):
        parts.append(w["power"].format(n=who["n"], people=people, mde=fmt_number(row["mde_dz"], 2, lang)))
    parts += _design(row, significant, unit, p_text, lang)
    parts += _caveats(row, lang)
    return " ".join(parts)


def _count(x) -> int:
    """A count from a result row: 0 when missing."""
    return int(_num(x)) if _ok(x) else 0


def _too_little_data(row: Mapping, n: int, n_nonzero: int) -> bool:
    """The row's "too little data" flags; for a row without ``flags``, the same thresholds."""
    if "flags" in row and row.get("flags") is not None:
        return bool(TOO_LITTLE_FLAGS & set(row.get("flags") or []))
    return n < MIN_PAIRS or n_nonzero < MIN_NONZERO


def _all_same(row: Mapping) -> bool:
    """Every difference equal (standard deviation of the changes 0): no interval to give."""
    return _ok(row.get("sd_delta")) and _num(row.get("sd_delta")) == 0 and _count(row.get("n")) >= 2


def _too_little(row: Mapping, n: int, n_nonzero: int, scale: str, people: str, unit: str, lang: str) -> str:
    """Too little data to conclude: say so and what would be needed, with the mean change."""
    w = TEXT[lang]
    text = w["too_little"].format(n=fmt_int(n, lang), nz=fmt_int(n_nonzero, lang), min_n=MIN_PAIRS,
                                  min_nz=MIN_NONZERO, pair_word="pair" if n == 1 else "pairs")
    delta = row.get("mean_delta")
    if scale == "ordinal" or not _ok(delta):
        return text
    if _all_same(row):
        return text + " " + w["all_same"].format(people=people, delta=_signed(delta, 1, lang), unit=unit)
    if _ok(row.get("ci_low")) and _ok(row.get("ci_high")):
        ci = _range(row.get("ci_low"), row.get("ci_high"), 1, lang)
        return text + " " + w["mean_change"].format(delta=_signed(delta, 1, lang), unit=unit, ci=ci)
    return text + " " + w["mean_change_no_ci"].format(delta=_signed(delta, 1, lang), unit=unit)


def _effect_size(row: Mapping, test: str, lang: str) -> tuple[str, str]:
    """The effect size behind the primary test (d_z for the t-test, else the rank-biserial r) and
    Cohen's word for it."""
    if test == "t" and _ok(row.get("effect_size_dz")):
        value = _num(row["effect_size_dz"])
        return f"d_z = {fmt_number(value, 2, lang)}", _size(value, (0.2, 0.5, 0.8), lang)
    value = _num(row.get("rank_biserial"))
    return f"r = {fmt_number(value, 2, lang)}", _size(value, (0.1, 0.3, 0.5), lang) if _ok(value) else ""


def _change(row: Mapping, scale: str, significant: bool, who: dict, p: str, lang: str) -> str:
    """The first sentence: how scores (or ratings) changed, and whether that is evidence."""
    w = TEXT[lang]
    test = row.get("primary_test") or "wilcoxon"
    effect, size = _effect_size(row, test, lang)
    common = dict(**who, test=w[test], p=p, size=size, effect=effect)
    if scale == "ordinal":
        up = _num(row.get("rank_biserial")) > 0
        head = w["ordinal_head"].format(subject=who["subject"], n=who["n"], people=who["people"],
                                        inc=fmt_int(row.get("n_increase", 0), lang),
                                        same=fmt_int(row.get("n_no_change", 0), lang),
                                        dec=fmt_int(row.get("n_decrease", 0), lang))
        template = "ordinal_significant" if significant else "ordinal_no_evidence"
        return w[template].format(head=head, way=w["better" if up else "worse"], **common)
    delta = row.get("mean_delta")
    up = _num(delta) > 0
    verb, noun = w["up" if up else "down"], w["increase" if up else "decrease"]
    if _all_same(row):  # no spread, so no interval: say that everyone changed by the same amount
        if significant:
            return w["significant_same"].format(verb=verb, noun=noun, amount=fmt_number(abs(_num(delta)), 1, lang),
                                                **common)
        return w["no_evidence_same"].format(delta=_signed(delta, 1, lang), **common)
    ci = _range(row.get("ci_low"), row.get("ci_high"), 1, lang)
    if significant:
        return w["significant"].format(verb=verb, noun=noun, amount=fmt_number(abs(_num(delta)), 1, lang), ci=ci,
                                       **common)
    return w["no_evidence"].format(delta=_signed(delta, 1, lang), ci=ci, **common)


def _design(row: Mapping, significant: bool, unit: str, p_text, lang: str) -> list[str]:
    """The difference in differences against the comparison group with its verdict (the one the
    charts show for this group) and how its standard error was clustered; or — for a significant
    before/after change — the warning that it has no comparison."""
    w = TEXT[lang]
    if row.get("design") == DID and _ok(row.get("did")):
        adjusted = _ok(row.get("did_p_adjusted"))
        did_p = row.get("did_p_adjusted") if adjusted else row.get("did_p_value")
        status = effect_status(row.get("did"), did_p, list(row.get("flags") or []))
        verdict = w["did_significant" if status in ("increase", "decrease")
                    else "did_too_little" if status == "underpowered" else "did_no_evidence"]
        parts = [w["did"].format(n_c=fmt_int(row.get("n_comparison", 0), lang), did=_signed(row["did"], 1, lang),
                                 unit=unit, ci=_range(row.get("did_ci_low"), row.get("did_ci_high"), 1, lang),
                                 p=p_text(did_p, adjusted), verdict=verdict)]
        if "few_clusters" in set(row.get("flags") or []):
            one = row.get("did_cluster_by") != "kecamatan"
            g = fmt_int(row.get("did_n_clusters"), lang)
            parts.append(w["one_cluster"] if one else w["few_clusters"].format(g=g))
        return parts
    return [w["no_comparison"]] if significant else []


def _caveats(row: Mapping, lang: str) -> list[str]:
    """The ceiling effect and extreme differences, when flagged."""
    w = TEXT[lang]
    flags = set(row.get("flags") or [])
    parts = []
    if "ceiling" in flags and _ok(row.get("ceiling_share")):
        parts.append(w["ceiling"].format(share=fmt_pct(row["ceiling_share"], 0, lang)))
    if "extreme_differences" in flags and _ok(row.get("n_extreme")):
        parts.append(w["extreme"].format(k=fmt_int(row["n_extreme"], lang)))
    return parts
