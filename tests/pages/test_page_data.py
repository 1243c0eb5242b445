"""The Data page: upload, validation report before saving, header mapping, draft and
publish, dataset versions, templates — as analyst and admin, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import make_app, publish, run_page, set_lang, texts

from store import audit
from store.datasets import Store

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/data.py"
SAMPLE = ROOT / "data" / "sample" / "rekap_pelatihan_2025.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

GOOD_CSV = (
    "NIP;Nama;Unit Kerja;Kecamatan;Nama Pelatihan;Tanggal Mulai;JP;Pre Test;Post Test;Skor Xyz\n"
    "198503122010011003;Ani;Dinas Kominfo;Kec. Medan Baru;Literasi Data;12/03/2025;20;60,5;80;4\n"
    "198601012011012004;Budi;Dinas Kominfo;Medan Raya;Literasi Data;12/03/2025;20;55;70;5\n"
    "197904152005011002;Citra;Dinas Kominfo;Medan Sunggal;Literasi Data;12/03/2025;20;50;72;3\n"
).encode()

NO_PROGRAM_CSV = (
    "NIP;Nama;Unit Kerja;Kecamatan;Kegiatan Diklat Xyz;Tanggal Mulai;JP;Pre Test;Post Test\n"
    "198503122010011003;Ani;Dinas Kominfo;Medan Baru;Literasi Data;12/03/2025;20;60;80\n"
).encode()


def _store() -> Store:
    return Store()  # the test's EVALUASI_DATA_DIR (set by make_app)


def _button(at, label: str):
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}; have {[b.label for b in at.button]}"
    return found[0]


def _frame_with(at, column: str):
    """The first dataframe drawn that has ``column``."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no dataframe with a {column!r} column")


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_upload_sample_report_then_publish(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="analyst")
    run_page(at, PAGE)
    assert not at.exception
    assert at.title[0].value == "Data"
    assert at.file_uploader[0].accept_multiple_files
    assert set(at.file_uploader[0].allowed_type) >= {".xlsx", ".xls", ".ods", ".csv"}

    at.file_uploader[0].set_value(("rekap_pelatihan_2025.xlsx", SAMPLE.read_bytes(), XLSX))
    at.run()
    assert not at.exception
    m = _metrics(at)
    assert (m["Baris dibaca"], m["Diterima"], m["Ditolak"]) == ("3.501", "3.496", "5")
    issues = _frame_with(at, "Kode")
    assert list(issues.columns) == ["Baris", "Lembar", "Kolom", "Nilai", "Tingkat", "Kode", "Apa yang perlu dilakukan"]
    assert {"unknown_kecamatan", "nip_as_number", "out_of_range"} <= set(issues["Kode"])
    assert issues["Tingkat"].iloc[0] == "galat"  # errors first
    assert any("5 baris ditolak" in w.value for w in at.warning)
    labels = [d.label for d in at.get("download_button")]
    assert "Unduh baris ditolak (Excel)" in labels and "Unduh baris ditolak (CSV)" in labels
    assert _store().counts()["versions"] == 0  # nothing saved before the analyst says so

    at.text_input(key=[k for k in at.session_state if str(k).startswith("name_")][0]).set_value("Latsar 2025")
    _button(at, "Terbitkan").click()
    at.run()
    assert not at.exception
    assert any("Terbit (versi #" in s.value for s in at.success)
    store = _store()
    versions = store.list_datasets()
    assert versions[["name", "status", "rows_accepted", "period", "uploaded_by"]].to_dict("records") == [
        {"name": "Latsar 2025", "status": "published", "rows_accepted": 3496, "period": "2025",
         "uploaded_by": "uji_analyst"}]
    actions = audit.read_audit(store)["action"].tolist()
    assert "upload" in actions and "publish" in actions
    # the versions table lists it with who uploaded it
    table = _frame_with(at, "Diunggah oleh")
    assert table["Nama"].tolist() == ["Latsar 2025"] and table["Diunggah oleh"].tolist() == ["uji_analyst"]


def test_unreadable_file_shows_code_and_saves_nothing(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="analyst")
    run_page(at, PAGE)
    at.file_uploader[0].set_value(("kosong.csv", b"", "text/csv"))
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and "(kode empty_file)" in at.error[0].value
    assert "Berkas tidak dapat dibaca" in at.error[0].value
    assert not [b for b in at.button if b.label in ("Terbitkan", "Simpan sebagai draf")]
    assert _store().counts()["versions"] == 0


def test_map_unknown_header_then_read_again(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="analyst")
    run_page(at, PAGE)
    at.file_uploader[0].set_value(("rekap.csv", GOOD_CSV, "text/csv"))
    at.run()
    assert not at.exception
    assert "Petakan judul kolom yang tidak dikenal" in [e.label for e in at.expander]
    header_box = [s for s in at.selectbox if s.label == "Skor Xyz"]
    assert header_box, [s.label for s in at.selectbox]
    header_box[0].set_value("kepuasan_peserta")
    at.run()
    _button(at, "Baca ulang dengan pemetaan").click()
    at.run()
    assert not at.exception
    assert "Petakan judul kolom yang tidak dikenal" not in [e.label for e in at.expander]
    item = next(iter(at.session_state["upload_pending"].values()))
    assert item.result.columns["Skor Xyz"] == "kepuasan_peserta"
    assert item.result.accepted["kepuasan_peserta"].tolist() == [4.0, 3.0]


def test_missing_column_manual_mapping(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="analyst")
    run_page(at, PAGE)
    at.selectbox(key="data_kind").set_value("training")
    at.file_uploader[0].set_value(("tanpa_program.csv", NO_PROGRAM_CSV, "text/csv"))
    at.run()
    assert not at.exception
    assert "(kode missing_columns)" in at.error[0].value
    # the headers the intake saw but could not place are offered to pick from
    key = [k for k in at.session_state if str(k).startswith("mmap_hs_")][0]
    assert "Kegiatan Diklat Xyz" in at.selectbox(key=key).options
    at.selectbox(key=key).set_value("Kegiatan Diklat Xyz")
    at.selectbox(key=key.replace("mmap_hs_", "mmap_f_")).set_value("program")
    at.run()
    _button(at, "Tambah pemetaan").click()
    at.run()
    _button(at, "Baca ulang dengan pemetaan").click()
    at.run()
    assert not at.exception
    assert not at.error
    assert _metrics(at)["Diterima"] == "1"


def test_several_files_and_english(tmp_path, monkeypatch):
    feedback = ("Tanggal;Unit Layanan;Kecamatan;U1;U2;U3;U4;U5;U6;U7;U8;U9;Saran\n"
                "05/02/2025;Puskesmas A;Medan Baru;3;3;3;3;3;3;3;3;3;Antri lama\n").encode()
    at = make_app(tmp_path, monkeypatch, role="analyst")
    run_page(at, PAGE)
    at.file_uploader[0].set_value([("rekap.csv", GOOD_CSV, "text/csv"), ("skm.csv", feedback, "text/csv")])
    at.run()
    assert not at.exception
    kinds = [c.value for c in at.caption if c.value.startswith("Jenis: ")]
    assert [k.split(" · ")[0] for k in kinds] == [
        "Jenis: Data pelatihan / pengembangan kompetensi", "Jenis: Survei Kepuasan Masyarakat (SKM)"]
    assert [m.value for m in at.metric if m.label == "Baris dibaca"] == ["3", "1"]
    assert [s.value for s in at.subheader][:2] == ["rekap\\.csv", "skm\\.csv"]
    # removing one file from the uploader forgets it
    at.file_uploader[0].set_value([("skm.csv", feedback, "text/csv")])
    at.run()
    assert len(at.session_state["upload_pending"]) == 1
    # the language switch (last: the shared sidebar filters are drawn in the language of each run)
    set_lang(at, "en")
    assert not at.exception
    assert [c.value.split(" · ")[0] for c in at.caption if c.value.startswith("Kind: ")] == [
        "Kind: Citizen satisfaction survey (SKM)"]
    assert [m.label for m in at.metric][:3] == ["Rows read", "Accepted", "Rejected"]


def test_draft_publish_archive_restore_from_versions(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="admin")
    run_page(at, PAGE)
    at.file_uploader[0].set_value(("rekap.csv", GOOD_CSV, "text/csv"))
    at.run()
    _button(at, "Simpan sebagai draf").click()
    at.run()
    assert not at.exception
    assert any("Tersimpan sebagai draf" in s.value for s in at.success)
    vid = int(_store().list_datasets()["version_id"].iloc[0])
    assert _store().get_version(vid)["status"] == "draft"

    _button(at, "Terbitkan versi ini").click()
    at.run()
    assert _store().get_version(vid)["status"] == "published"
    _button(at, "Arsipkan (sembunyikan)").click()
    at.run()
    assert not at.exception
    assert _store().get_version(vid)["status"] == "archived"
    at.checkbox(key="data_show_archived").check()
    at.run()
    _button(at, "Pulihkan").click()
    at.run()
    assert _store().get_version(vid)["status"] == "published"
    labels = [d.label for d in at.get("download_button")]
    assert "Unduh berkas asli" in labels and "Unduh baris ditolak" in labels


def test_analyst_cannot_archive_and_templates_offered(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="analyst")
    vid = publish("training", SAMPLE)
    run_page(at, PAGE)
    assert not at.exception
    labels = [b.label for b in at.button]
    assert "Arsipkan (sembunyikan)" not in labels and "Pulihkan" not in labels
    assert "Tampilkan yang diarsipkan" not in [c.label for c in at.checkbox]
    assert at.selectbox(key="data_version").value == vid
    downloads = [d.label for d in at.get("download_button")]
    # one per kind: training, SKM, mentoring, events, appraisals, other development
    assert downloads.count("Unduh templat") == 6
    assert "Unduh berkas asli" in downloads


@pytest.mark.parametrize("role", ["viewer"])
def test_data_page_not_for_viewers(tmp_path, monkeypatch, role):
    at = make_app(tmp_path, monkeypatch, role=role)
    at.run()
    with pytest.raises(LookupError):
        run_page(at, PAGE)


def test_language_switch(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="analyst")
    run_page(at, PAGE)
    assert "Unggah" in texts(at)
    set_lang(at, "en")
    assert not at.exception
    assert "Upload" in texts(at) and "Dataset versions" in texts(at)
    assert at.file_uploader[0].label.startswith("Files")
