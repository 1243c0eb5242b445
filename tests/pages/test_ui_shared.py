"""The UI helpers every page shares: the string tables, the data source of a run, the scope-keyed
cache (and that publishing never empties it), and the dataset-versions table."""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from apptest_helpers import make_app, run_page

from analysis.core.i18n import LANGS, placeholders
from analysis.evidence import engine
from store.datasets import Store
from ui import data, datasets, session
from ui.registry import PAGES
from ui.scope import Scope, cached

ROOT = Path(__file__).resolve().parents[2]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = (
    "NIP;Nama;Unit Kerja;Kecamatan;Nama Pelatihan;Tanggal Mulai;JP;Pre Test;Post Test\n"
    + "".join(f"19850312201001100{i};Pegawai {i};Dinas Kominfo;Medan Baru;Literasi Data;12/03/2025;20;{50 + i};{60 + 2 * i}\n"
              for i in range(8))
).encode()


# ------------------------------------------------------------------ the string tables


def _tables():
    for spec in PAGES:
        yield spec.module, importlib.import_module(spec.module).STRINGS
    yield "ui.datasets", datasets.STRINGS
    yield "ui.followup", importlib.import_module("ui.followup").STRINGS
    yield "analysis.followup.table", importlib.import_module("analysis.followup.table").STRINGS


@pytest.mark.parametrize("name, table", list(_tables()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_page_string_has_both_languages_and_the_same_placeholders(name, table):
    for key, entry in table.items():
        assert set(entry) == set(LANGS), (name, key)
        assert placeholders(entry["id"]) == placeholders(entry["en"]), (name, key)


def test_session_helpers_docstring_examples():
    assert doctest.testmod(session).failed == 0


# ------------------------------------------------------------------ sources and scopes


def _source(version_id=None, stamp="abc") -> data.Source:
    return data.Source("training", version_id, "contoh.xlsx", stamp=stamp)


def test_source_identity_and_audit_label():
    assert _source().cache_key() == ("training", None, "abc")
    assert _source(12, "2025-03-01 10:00").cache_key() == ("training", 12, "2025-03-01 10:00")
    assert (_source().label, _source(12).label) == ("training:sample", "training:12")
    assert _source().is_sample and not _source(12).is_sample


def test_scope_key_is_the_source_and_the_filters():
    sc = Scope(_source(12, "t"), periode="2025", kecamatan="Medan Baru")
    assert sc.cache_key() == (("training", 12, "t"), "2025", None, "Medan Baru")


def test_the_cache_is_keyed_on_the_scope_never_its_rows():
    calls = []

    @cached(max_entries=4)
    def count_rows(scope: Scope) -> int:
        calls.append(scope)
        return len(scope.rows)

    count_rows.clear()
    first = Scope(_source(1, "a"))
    first.__dict__["rows"] = pd.DataFrame({"x": [1, 2, 3]})  # rows already read for this scope
    same = Scope(_source(1, "a"))
    same.__dict__["rows"] = pd.DataFrame({"x": [1]})  # an equal scope: its rows are not looked at
    other = Scope(_source(1, "a"), periode="2025")
    other.__dict__["rows"] = pd.DataFrame({"x": [1]})
    newer = Scope(_source(2, "b"))
    newer.__dict__["rows"] = pd.DataFrame({"x": [1, 2]})
    assert [count_rows(first), count_rows(same), count_rows(other), count_rows(newer), count_rows(first)] == \
        [3, 3, 1, 2, 3]
    assert len(calls) == 3  # first, other, newer; "same" and the second "first" came from the cache


def test_no_code_empties_every_cache():
    """Keys change with the published version, so nothing may clear every user's cache."""
    pattern = re.compile(r"\bst\.cache_(data|resource)\.clear\(")
    files = [ROOT / "app.py", *sorted((ROOT / "ui").glob("*.py")), *sorted((ROOT / "pages").glob("*.py"))]
    assert [str(f.relative_to(ROOT)) for f in files if pattern.search(f.read_text(encoding="utf-8"))] == []


def test_sources_are_looked_up_once_per_run(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch)
    asked = []
    original = Store.list_datasets

    def list_datasets(self, *args, **kwargs):
        asked.append(kwargs.get("status", args[0] if args else None))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Store, "list_datasets", list_datasets)
    run_page(at, "pages/ringkasan.py")  # the shell's filters and three scopes of two kinds
    assert not at.exception
    asked.clear()
    at.run()
    assert asked == ["published"]  # one question for every kind


def test_publishing_keeps_every_other_cached_entry(tmp_path, monkeypatch):
    """Publish a version, then archive it: the overview is drawn again from the entries cached for
    the sample before, without computing, and no code clears a cache on the way."""
    at = make_app(tmp_path, monkeypatch, "admin")
    calls = []
    original = engine.paired_summary

    def paired_summary(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    def no_clear():
        raise AssertionError("a cache was cleared")

    monkeypatch.setattr(engine, "paired_summary", paired_summary)
    monkeypatch.setattr(st.cache_data, "clear", no_clear)
    run_page(at, "pages/ringkasan.py")
    assert not at.exception and calls  # computed for the sample
    on_sample = len(calls)

    run_page(at, "pages/data.py")
    at.file_uploader[0].set_value(("latsar.csv", CSV, "text/csv"))
    at.run()
    next(b for b in at.button if b.label == "Terbitkan").click()
    at.run()
    assert not at.exception and any("Terbit (versi #" in s.value for s in at.success)
    run_page(at, "pages/ringkasan.py")
    assert not at.exception and len(calls) > on_sample  # the new version is computed
    assert not any("DATA SINTETIS" in w.value for w in at.warning)
    published = len(calls)

    run_page(at, "pages/data.py")
    next(b for b in at.button if b.key == "data_v_archive").click()
    at.run()
    assert not at.exception
    run_page(at, "pages/ringkasan.py")
    assert not at.exception
    assert any("DATA SINTETIS" in w.value for w in at.warning)  # back on the sample …
    assert len(calls) == published  # … and every figure from the cache


# ------------------------------------------------------------------ dataset versions


def test_versions_view_and_label():
    frame = pd.DataFrame([{
        "version_id": 12, "name": "Latsar 2025", "kind": "training", "version_no": 2, "period": None,
        "status": "published", "source_name": "latsar.xlsx", "rows_accepted": 1234, "rows_rejected": 0,
        "uploaded_by": "budi", "uploaded_at": pd.Timestamp("2025-03-01 17:30"), "published_by": None,
        "published_at": pd.NaT, "sheet": "REKAP"}])
    view = datasets.versions_view(frame)
    assert view.columns.tolist() == ["ID", "Nama", "Jenis", "Versi", "Periode", "Status", "Berkas", "Diterima",
                                     "Ditolak", "Diunggah oleh", "Diunggah (WIB)", "Diterbitkan oleh",
                                     "Terbit (WIB)"]
    row = view.iloc[0]
    assert (row["Jenis"], row["Status"], row["Diterima"]) == ("Data pelatihan / pengembangan kompetensi", "terbit",
                                                               "1.234")
    assert (row["Diunggah (WIB)"], row["Terbit (WIB)"], row["Periode"]) == ("02-03-2025 00:30", "", "")
    assert datasets.version_label(frame.iloc[0].to_dict()) == "#12 Latsar 2025 · v2 · terbit"


# ------------------------------------------------------------------ filters, language and the URL


def _param(at, key):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def test_language_switch_keeps_the_filters_the_measure_and_the_url(tmp_path, monkeypatch):
    """Streamlit sends a selectbox's value back as its label; after a language switch the labels
    change ("Semua" → "All"), so the filters must not come back as the other language's label."""
    from ui.filters import widget_key

    at = make_app(tmp_path, monkeypatch)
    run_page(at, "pages/program.py")
    at.selectbox(key=widget_key("periode", "id")).set_value("2025")
    at.radio(key=widget_key("ukuran", "id")).set_value("performance")
    at.run()
    at.session_state["lang_choice"] = "en"
    at.run()
    assert not at.exception
    program = at.selectbox(key=widget_key("program", "en"))
    assert program.value == "__all__" and program.options[0] == "All"  # shown in English
    assert at.selectbox(key=widget_key("periode", "en")).value == "2025"
    assert at.radio(key=widget_key("ukuran", "en")).value == "performance"
    at.selectbox(key=widget_key("kecamatan", "en")).set_value("Medan Baru")
    at.run()
    at.session_state["lang_choice"] = "id"
    at.run()
    assert not at.exception
    assert at.radio(key=widget_key("ukuran", "id")).value == "performance"  # switching back keeps the measure
    assert at.selectbox(key=widget_key("program", "id")).options[0] == "Semua"
    assert at.session_state["filter_program"] == "__all__"
    expected = {"periode": "2025", "kecamatan": "Medan Baru", "ukuran": "performance", "lang": "id"}
    assert {k: _param(at, k) for k in expected} == expected and "program" not in at.query_params
    run_page(at, "pages/ringkasan.py")  # another page: the query string comes along
    assert not at.exception
    assert {k: _param(at, k) for k in expected} == expected


def test_the_language_comes_from_the_url_and_goes_back_into_it(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch)
    at.query_params["lang"] = "en"
    at.query_params["ukuran"] = "performance"
    run_page(at, "pages/ringkasan.py")
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert _param(at, "lang") == "en" and _param(at, "ukuran") == "performance"


def test_labels_sent_back_in_the_old_language_are_never_taken_as_values(tmp_path, monkeypatch):
    """What the browser does after a language switch: it sends each widget it still shows with the
    label it last drew ("Semua", "Kinerja (SKP)"). Those labels must not become filter values."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    from ui.filters import widget_key

    at = make_app(tmp_path, monkeypatch)
    run_page(at, "pages/ringkasan.py")
    at.radio(key=widget_key("ukuran", "id")).set_value("performance")
    at.run()
    old = {k: at.get("selectbox" if k != "ukuran" else "radio") for k in ("program", "ukuran")}
    program_id = next(w for w in old["program"] if w.key == widget_key("program", "id")).proto.id
    measure = next(w for w in old["ukuran"] if w.key == widget_key("ukuran", "id"))
    measure_label = measure.proto.options[measure.index]
    at.session_state["lang_choice"] = "en"
    at.run()
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=program_id, string_value="Semua"))
    states.widgets.append(WidgetState(id=measure.proto.id, string_value=measure_label))
    at._run(states)
    assert not at.exception
    assert at.session_state["filter_program"] == "__all__" and "program" not in at.query_params
    assert at.session_state["filter_ukuran"] == "performance"
    assert at.radio(key=widget_key("ukuran", "en")).value == "performance"
