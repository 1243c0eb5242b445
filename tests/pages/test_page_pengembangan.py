"""The Pengembangan page (pages/pengembangan.py): a viewer is refused; an analyst finds an
employee's record and every record opened is audited; the plan list and its rules; the plan
workbook formula-safe and masked for viewers; administrators edit the plan rules with a clear
error for a bad rule."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.career.plan import DEFAULT_PLAN_RULES, development_plan, default_plan_rules
from apptest_helpers import make_app, publish, run_page, texts
from roster_case import A, B, C, appraisals, mentoring, other, training
from store import rulesets
from store.audit import read_audit
from store.datasets import Store

PAGE = "pages/pengembangan.py"
FORBIDDEN = "Anda tidak memiliki akses ke halaman ini."


def _published(tmp_path, monkeypatch, role):
    at = make_app(tmp_path, monkeypatch, role)
    publish("kinerja", appraisals(), name="Penilaian 2025")
    publish("training", training(), name="Rekap 2025")
    publish("mentoring", mentoring(), name="Mentoring 2025")
    publish("jp_lain", other(), name="Lain 2025")
    return at


def _audit(action: str) -> pd.DataFrame:
    store = Store()
    try:
        return read_audit(store, action=action)
    finally:
        store.close()


def test_a_viewer_sees_none_of_it(tmp_path, monkeypatch):
    at = _published(tmp_path, monkeypatch, "viewer")
    at.run()
    with pytest.raises(LookupError):  # not in the viewer's menu
        run_page(at, PAGE)
    script = ("import streamlit as st\nfrom store.auth import User\nst.session_state['user'] = User('uji', 'viewer')\n"
              "import pages.pengembangan as p\np.render()\n")
    direct = AppTest.from_string(script, default_timeout=60).run()  # reached another way: refused again
    assert [e.value for e in direct.error] == [FORBIDDEN] and not direct.dataframe
    assert _audit("record_view").empty


def test_an_analyst_opens_a_record_and_the_view_is_audited(tmp_path, monkeypatch):
    at = run_page(_published(tmp_path, monkeypatch, "analyst"), PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert _audit("record_view").empty  # nothing opened yet
    at.text_input(key="pengembangan_query").set_value("Ani").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert "**Ani Lestari**" in shown and f"NIP {A}" in shown
    programs = next(d.value for d in at.dataframe if "Program" in d.value.columns and "Pre-test" in d.value.columns)
    assert programs["Program"].tolist() == ["Pelayanan Prima", "Mentoring Kecamatan"]  # both rows as recorded
    jp = next(d.value for d in at.dataframe if "Tercapai" in d.value.columns)
    # the roster case by hand: 16 training + 6 mentoring (3 sessions × 2) = 22 in 2025
    assert jp[["Tahun", "Pelatihan", "Mentoring", "JP"]].values.tolist() == [[2025, 16.0, 6.0, 22.0]]
    mentees = next(d.value for d in at.dataframe if "NIP mentee" in d.value.columns)
    assert len(mentees) == 1  # A mentors F
    log = _audit("record_view")
    assert log[["actor", "target"]].values.tolist() == [["uji_analyst", A]]
    at.run()  # a rerun of the same record is the same view
    assert len(_audit("record_view")) == 1
    at.text_input(key="pengembangan_query").set_value(B[:8]).run()  # by NIP digits: another record
    assert not at.exception
    assert _audit("record_view")["target"].tolist() == [B, A]


def test_the_plan_list_and_its_rules(tmp_path, monkeypatch):
    at = run_page(_published(tmp_path, monkeypatch, "analyst"), PAGE)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # every appraisal is Baik: the JP rule speaks for B (18), C (0) and F (5) — medium priority
    assert (metrics["Prioritas tinggi"], metrics["Prioritas sedang"], metrics["Tanpa saran"]) == ("0", "3", "3")
    plan = next(d.value for d in at.dataframe if "Saran" in d.value.columns)
    assert set(plan["NIP"]) == {B, C, "198812312012121005"} and set(plan["Aturan"]) == {"jp_kurang"}
    rules = next(d.value for d in at.dataframe if "Syarat (semua)" in d.value.columns)
    assert rules["Aturan"].tolist() == [r.id for r in default_plan_rules().rules]
    assert not at.text_area  # the rules editor is for administrators


def test_admin_edits_the_plan_rules_with_a_clear_error(tmp_path, monkeypatch):
    at = run_page(_published(tmp_path, monkeypatch, "admin"), PAGE)
    assert not at.exception
    editor = next(t for t in at.text_area if t.label == "Aturan (TOML)")
    assert editor.value == DEFAULT_PLAN_RULES.read_text(encoding="utf-8")
    editor.set_value(editor.value.replace('priority = "sedang"\nwhen = [\n  { fact = "meets_target"',
                                          'priority = "segera"\nwhen = [\n  { fact = "meets_target"'))
    next(b for b in at.button if b.label == "Simpan aturan").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("aturan 'jp\\_kurang' \\(no\\. 3\\), isian 'priority'" in e for e in errors), errors
    store = Store()
    try:
        assert rulesets.rules_version(store, "rencana_pengembangan") == 0
    finally:
        store.close()
    editor = next(t for t in at.text_area if t.label == "Aturan (TOML)")
    editor.set_value(DEFAULT_PLAN_RULES.read_text(encoding="utf-8").replace(
        'priority = "sedang"\nwhen = [\n  { fact = "meets_target"', 'priority = "tinggi"\nwhen = [\n  { fact = "meets_target"'))
    next(b for b in at.button if b.label == "Simpan aturan").click().run()
    assert not at.exception
    assert any("Aturan tersimpan sebagai versi 1." in s.value for s in at.success)
    assert {m.label: m.value for m in at.metric}["Prioritas tinggi"] == "3"
    assert _audit("rules_edit")[["actor", "target"]].values.tolist() == [["uji_admin", "rencana_pengembangan"]]


def _hostile_plan():
    rows = appraisals()
    rows.loc[rows["nip"] == C, "nama"] = "=HYPERLINK(\"http://contoh.invalid\",\"klik\")"
    rows.loc[rows["nip"] == C, "unit_kerja"] = "+SUM(1,1)"
    return development_plan(rows, training(), mentoring(), other())


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_the_plan_workbook_is_formula_safe_and_masked_for_viewers(role):
    from store.auth import User
    from ui import career as cr

    plan = _hostile_plan()
    book = openpyxl.load_workbook(io.BytesIO(cr.plan_workbook(plan, default_plan_rules(), "id", User("uji", role),
                                                             synthetic=False)))
    assert book.sheetnames == ["Sampul", "Rencana Pengembangan", "Prioritas per unit", "Bukti program", "Aturan"]
    cells = [c.value for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.startswith(("=", "+", "-", "@")) for v in cells)  # never a live formula
    sheet = book["Rencana Pengembangan"]
    header = [c.value for c in sheet[1]]
    nips = [r[header.index("NIP")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    names = [r[header.index("Nama")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    if role == "viewer":
        assert C not in nips and "198503********1003" not in nips and "197904********1002" in nips
        assert not any("HYPERLINK" in (n or "") for n in names)  # a name is reduced to initials
        assert any("disamarkan" in (v or "") for v in cells)
    else:
        assert C in nips and "'=HYPERLINK(\"http://contoh.invalid\",\"klik\")" in names
    units = [r[header.index("Unit kerja")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'+SUM(1,1)" in units  # a hostile unit name stays text, for every role
