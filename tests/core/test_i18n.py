"""The string table: complete in both languages, placeholders consistent, every key the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.core.i18n import LANGS, STRINGS, has, placeholders, t, t_or

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_entry_has_both_languages_and_the_same_placeholders(key):
    entry = STRINGS[key]
    assert set(entry) == set(LANGS), key
    for lang in LANGS:
        assert isinstance(entry[lang], str) and entry[lang].strip(), (key, lang)
    assert placeholders(entry["id"]) == placeholders(entry["en"]), key


def test_keys_are_dotted_lowercase_names():
    bad = [k for k in STRINGS if not re.fullmatch(r"[a-z0-9_]+(\.[A-Za-z0-9_]+)+", k)]
    assert bad == []


def test_t_fills_placeholders_and_switches_language():
    assert t("common.showing_of", "id", shown="5", total="12") == "Menampilkan 5 dari 12"
    assert t("common.showing_of", "en", shown="5", total="12") == "Showing 5 of 12"
    assert t("common.no_data") == "Tidak ada data"


def test_unknown_key_and_language_fail_loudly():
    with pytest.raises(KeyError, match="no i18n string for key 'nope.nothing'"):
        t("nope.nothing")
    with pytest.raises(ValueError, match="lang must be one of"):
        t("common.no_data", "fr")


def test_t_or_and_has():
    assert t_or("flag.few_nonzero", "x", "en").startswith("fewer than 6")
    assert t_or("flag.brand_new", "brand_new") == "brand_new"
    assert has("element.u9") and not has("element.u10")


@pytest.mark.parametrize("lang", LANGS)
def test_nine_elements_and_four_grades(lang):
    names = [t(f"element.u{i}", lang) for i in range(1, 10)]
    assert [n.split()[0] for n in names] == [f"U{i}" for i in range(1, 10)]
    assert t("element.u1", "id") == "U1 Persyaratan"  # PermenPANRB 14/2017
    assert [t(f"grade.{g}", "id") for g in "ABCD"] == ["Sangat Baik", "Baik", "Kurang Baik", "Tidak Baik"]


def test_chart_and_deck_titles_differ_between_languages():
    titles = [k for k in STRINGS if k.endswith(".title") or ".title." in k]
    assert titles
    same = [k for k in titles if STRINGS[k]["id"] == STRINGS[k]["en"]]
    assert same == []


def test_every_literal_key_used_by_charts_and_exports_exists():
    pattern = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']""")
    used = set()
    for path in ROOT.glob("analysis/report/**/*.py"):
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert used, "the scan found no keys: the pattern is broken"
    assert sorted(k for k in used if k not in STRINGS) == []
