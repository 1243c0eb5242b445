"""The Tindak Lanjut page (pages/tindak_lanjut.py) per role — a viewer reads, an analyst records a
decision, an administrator edits the rules — and the scorecard row on the Program page
(pages/program.py, ui/followup.py): the decision shows there, survives a restart and is audited."""

from __future__ import annotations

import json

import pytest

from analysis.followup.recommend import DEFAULT_RULES
from apptest_helpers import HOSTILE, make_app, publish, run_page, texts, training_frame
from followup_truth import TRUTH, known_truth_feedback, known_truth_training
from store import decisions, rulesets
from store.audit import read_audit
from store.datasets import Store

PAGE = "pages/tindak_lanjut.py"
SAVE_DECISION = "Simpan keputusan"
SAVE_RULES = "Simpan aturan"
REASONS = "Alasan (wajib)"


def known_truth_app(tmp_path, monkeypatch, role, lang=None):
    at = make_app(tmp_path, monkeypatch, role, lang=lang)
    publish("training", known_truth_training(), name="Rekap uji")
    publish("feedback", known_truth_feedback(), name="SKM uji")
    return at


def scorecard(at):
    return next(d.value for d in at.dataframe if "Rekomendasi" in d.value.columns
                or "Recommendation" in d.value.columns)


def labels(at, kind: str) -> list[str]:
    return [el.label for el in at.get(kind)]


def test_viewer_reads_the_scorecard_but_records_and_edits_nothing(tmp_path, monkeypatch):
    at = run_page(known_truth_app(tmp_path, monkeypatch, "viewer"), PAGE)
    assert not at.exception
    assert at.title[0].value == "Tindak Lanjut"
    table = scorecard(at).set_index("Program")
    expected = {"kembangkan": "⏫ Kembangkan", "hentikan": "⛔ Hentikan", "data_belum_cukup": "⏳ Data belum cukup",
                "perbaiki": "🔧 Perbaiki"}
    assert {p: table.loc[p, "Rekomendasi"] for p in TRUTH} == {p: expected[r] for p, (r, _) in TRUTH.items()}
    assert {p: table.loc[p, "Aturan"] for p in TRUTH} == {p: rule for p, (_, rule) in TRUTH.items()}
    assert list(scorecard(at)["Program"]) == ["Nol", "Rugi", "Tahu", "Kecil", "Kuat"]  # action first
    assert table.loc["Nol", "L4 Hasil (IKM)"] == "– tidak ada data (unit peserta tidak disurvei)"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"⛔ Hentikan": "2", "🔧 Perbaiki": "1", "⏳ Data belum cukup": "1", "✅ Lanjutkan": "0",
                       "⏫ Kembangkan": "1"}
    assert SAVE_DECISION not in labels(at, "button") and SAVE_RULES not in labels(at, "button")
    assert not at.text_area  # neither the decision form nor the rules editor
    assert "Keputusan rapat dicatat oleh analis atau administrator." in texts(at)
    assert len(at.get("download_button")) == 2


def test_analyst_records_a_decision_that_is_audited_and_survives_a_restart(tmp_path, monkeypatch):
    at = known_truth_app(tmp_path, monkeypatch, "analyst")
    at.session_state["filter_periode"] = "2025-Q2"
    at = run_page(at, PAGE)
    assert not at.exception
    assert SAVE_RULES not in labels(at, "button")  # the rules are for administrators
    at.selectbox(key="tindak_lanjut_program").set_value("Tahu").run()
    assert "Aturan yang berlaku: **learning\\_not\\_behaviour** (no. 8) → 🔧 Perbaiki." in texts(at)
    next(t for t in at.text_area if t.label == REASONS).set_value("Tambah praktik kerja; ukur SKP lagi.")
    next(b for b in at.button if b.label == SAVE_DECISION).click().run()
    assert not at.exception
    assert any("Keputusan untuk Tahu tersimpan (#1)." in s.value for s in at.success)
    log = next(d.value for d in at.dataframe if "Dicatat oleh" in d.value.columns)
    assert log.iloc[0][["Program", "Periode", "Keputusan", "Dicatat oleh"]].tolist() == [
        "Tahu", "2025-Q2", "🔧 Perbaiki", "uji_analyst"]
    # the row shows the decision of this period
    assert scorecard(at).set_index("Program").loc["Tahu", "Keputusan rapat"].startswith(
        "Diputuskan: 🔧 Perbaiki, untuk 2025-Q2 (uji_analyst, ")
    # a restart: a new store and a new app on the same database still hold it, and the audit log has it
    store = Store()
    try:
        rows = decisions.list_decisions(store, "followup")
        assert rows[["subject", "decision", "recommendation", "rule", "recorded_by"]].iloc[0].tolist() == [
            "Tahu", "perbaiki", "perbaiki", "learning_not_behaviour", "uji_analyst"]
        assert json.loads(rows.loc[0, "snapshot"])["learning.effect"] > 3  # the numbers it was taken on
        entry = read_audit(store, action="decision_record")
        assert entry[["actor", "target"]].to_dict("records") == [{"actor": "uji_analyst", "target": "Tahu"}]
    finally:
        store.close()
    again = make_app(tmp_path, monkeypatch, "viewer")
    again.session_state["filter_periode"] = "2025-Q3"  # the next period's scorecard
    again = run_page(again, PAGE)
    assert not again.exception
    assert scorecard(again).set_index("Program").loc["Tahu", "Keputusan rapat"].startswith(
        "Diputuskan: 🔧 Perbaiki, untuk 2025-Q2 (uji_analyst, ")


def test_a_decision_needs_reasons(tmp_path, monkeypatch):
    at = run_page(known_truth_app(tmp_path, monkeypatch, "analyst"), PAGE)
    next(b for b in at.button if b.label == SAVE_DECISION).click().run()
    assert not at.exception
    assert any("Tuliskan alasan keputusan rapat\\." in e.value for e in at.error)


def test_admin_edits_the_rules_with_a_clear_error_for_a_bad_rule(tmp_path, monkeypatch):
    at = run_page(known_truth_app(tmp_path, monkeypatch, "admin"), PAGE)
    assert not at.exception
    editor = next(t for t in at.text_area if t.label == "Aturan (TOML)")
    assert editor.value == DEFAULT_RULES.read_text(encoding="utf-8")
    bad = editor.value.replace('{ fact = "behaviour.design", eq', '{ fact = "behaviour.desain", eq')
    editor.set_value(bad)
    next(b for b in at.button if b.label == SAVE_RULES).click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("aturan 'scale\\_up' \\(no\\. 6\\), isian 'when\\[3\\]\\.fact'\\: fakta 'behaviour\\.desain'" in e
               for e in errors), errors
    store = Store()
    try:
        assert rulesets.rules_version(store, "followup") == 0  # nothing saved
    finally:
        store.close()
    # a valid edit: expanding is only "continue" from now on
    editor = next(t for t in at.text_area if t.label == "Aturan (TOML)")
    editor.set_value(DEFAULT_RULES.read_text(encoding="utf-8").replace(
        'id = "scale_up"\nrecommendation = "kembangkan"', 'id = "scale_up"\nrecommendation = "lanjutkan"'))
    next(b for b in at.button if b.label == SAVE_RULES).click().run()
    assert not at.exception
    assert any("Aturan tersimpan sebagai versi 1." in s.value for s in at.success)
    assert scorecard(at).set_index("Program").loc["Kuat", "Rekomendasi"] == "✅ Lanjutkan"
    assert "Aturan versi 1, disimpan oleh uji\\_admin" in texts(at)
    store = Store()
    try:
        assert read_audit(store, action="rules_edit")["actor"].tolist() == ["uji_admin"]
    finally:
        store.close()
    next(b for b in at.button if b.label == "Kembali ke aturan bawaan").click().run()
    assert not at.exception
    assert scorecard(at).set_index("Program").loc["Kuat", "Rekomendasi"] == "⏫ Kembangkan"


def test_a_row_opens_the_program(tmp_path, monkeypatch):
    at = run_page(known_truth_app(tmp_path, monkeypatch, "viewer"), PAGE)
    assert at.session_state["_tindak_lanjut_rows"] == ["Nol", "Rugi", "Tahu", "Kecil", "Kuat"]
    at.session_state["filter_program"] = "Kuat"  # what a click on the Kuat row sets …
    at.session_state["_tindak_lanjut_goto_program"] = True  # … before the next run opens the Program page
    at.run()
    assert not at.exception
    assert at.title[0].value == "Program" and at.header[0].value == "Kuat"


def test_program_page_shows_its_scorecard_row_and_decision(tmp_path, monkeypatch):
    at = known_truth_app(tmp_path, monkeypatch, "viewer")
    store = Store()
    try:
        decisions.record_decision(store, rule_set="followup", subject="Kuat", decision="lanjutkan",
                                  reasons="Lanjut; tambah kelompok pembanding.", decided_on="2025-04-20",
                                  actor="cli:uji", period="2025-Q1",
                                  snapshot={"behaviour.estimate": 1.0})
    finally:
        store.close()
    at.session_state["filter_program"] = "Kuat"
    at = run_page(at, "pages/program.py")
    assert not at.exception
    shown = texts(at)
    assert "**Tindak lanjut\\: ⏫ Kembangkan** · aturan scale\\_up" in shown
    assert "▲ DiD \\+3,00 \\[" in shown  # L3, escaped as Markdown
    assert ("Diputuskan\\: ✅ Lanjutkan, untuk 2025\\-Q1 \\(cli\\:uji, 20\\-04\\-2025\\)\\. Sejak itu\\: rekomendasi "
            "kini ⏫ Kembangkan; L3 1,00 → 3,00\\.") in shown
    assert [e.label for e in at.get("expander")] == ["Catatan keputusan (1)"]


def test_english_and_levels_without_data(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, "viewer", lang="en")
    rows = training_frame({"Pelayanan Prima": 40}).drop(columns=["kinerja_sebelum", "kinerja_sesudah"])
    publish("training", rows, name="Tanpa SKP")
    at = run_page(at, PAGE)
    assert not at.exception
    assert at.title[0].value == "Follow-up"
    row = scorecard(at).iloc[0]
    assert row["L3 Behaviour"] == "– no data" and row["Recommendation"] == "✅ Continue"
    assert row["Rule"] == "gain_learning"


@pytest.mark.parametrize("page", [PAGE, "pages/program.py"])
def test_hostile_program_name_stays_text(tmp_path, monkeypatch, page):
    at = make_app(tmp_path, monkeypatch, "analyst")
    publish("training", training_frame({HOSTILE: 12}), name="Uji")
    at = run_page(at, page)
    assert not at.exception
    assert all(not el.allow_html for el in at.get("markdown"))
    assert all(HOSTILE not in el.value for el in at.get("markdown"))


def test_the_downloads_are_formula_safe(tmp_path):
    import io

    import openpyxl

    from analysis.followup.recommend import default_rules
    from analysis.followup.scorecard import scorecard
    from analysis.report import exports
    from ui import followup as fu

    store = Store(f"sqlite:///{tmp_path / 'evaluasi.sqlite3'}")
    try:
        decisions.record_decision(store, rule_set="followup", subject="Kuat", decision="kembangkan",
                                  reasons='=HYPERLINK("http://contoh.invalid","klik")', decided_on="2025-07-01",
                                  actor="cli:uji", period="2025-Q2")
        records = decisions.list_decisions(store, "followup")
    finally:
        store.close()
    card = scorecard(known_truth_training(), known_truth_feedback())
    sheets = fu.export_sheets(card, default_rules(), records, "id", "2025-Q3")
    assert list(sheets) == ["Kartu skor", "Aturan", "Keputusan"]
    assert sheets["Aturan"].iloc[0].tolist()[:3] == ["1", "too_few_pairs", "⏳ Data belum cukup"]
    book = openpyxl.load_workbook(io.BytesIO(exports.to_excel_bytes(sheets, "id")))
    cells = [c.value for row in book["Keputusan"].iter_rows() for c in row if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://contoh.invalid","klik")' in cells  # neutralised, never a formula
    scorecard_cells = [c.value for row in book["Kartu skor"].iter_rows() for c in row]
    assert "⏫ Kembangkan" in scorecard_cells
    csv = exports.to_csv_bytes(fu.decisions_view(records, "id"), sep=";").decode("utf-8-sig")
    assert '"\'=HYPERLINK(""http://contoh.invalid"",""klik"")"' in csv
