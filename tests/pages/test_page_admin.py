"""The Administration page: accounts (add, role, disable/enable, unlock, password), the
audit log, archive/restore of datasets, and the theme dictionary — admins only."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from apptest_helpers import make_app, publish, run_page, set_lang, texts

from store import audit
from store import accounts as auth
from store import themes as theme_store
from analysis.voice import themes
from analysis.core.errors import AnalysisError
from store.datasets import Store
from ui import voice_cache

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/admin.py"
PASSWORD = "rahasia-panjang-sekali"


def _button(at, label: str):
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}; have {[b.label for b in at.button]}"
    return found[0]


def _submit(at, label: str):
    found = [b for b in at.get("form_submit_button") if b.label == label] or [b for b in at.button if b.label == label]
    assert found, f"no submit button {label!r}"
    return found[0]


def _audit_table(at) -> pd.DataFrame:
    """The audit log tab's table (the sign-in tab's recent attempts have no dataset column)."""
    return next(d.value for d in at.dataframe if "Dataset" in d.value.columns)


def test_users_list_add_and_audit(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="admin")
    run_page(at, PAGE)
    assert not at.exception
    assert at.title[0].value == "Administrasi"
    users = at.dataframe[0].value
    assert users["Nama pengguna"].tolist() == ["uji_admin"]
    assert "Mode masuk saat ini: local." in texts(at)

    form = at.get("form")[0]
    form.text_input[0].set_value("Budi.Santoso")
    form.selectbox[0].set_value("analyst")
    form.text_input[1].set_value(PASSWORD)
    _submit(at, "Buat akun").click()
    at.run()
    assert not at.exception
    assert any("Akun budi.santoso dibuat." in s.value for s in at.success)
    store = Store()
    assert auth.get_user(store, "budi.santoso").role == "analyst"
    log = audit.read_audit(store, action="user_add")
    assert log[["actor", "target"]].to_dict("records")[0] == {"actor": "uji_admin", "target": "budi.santoso"}
    assert "user_add" in _audit_table(at)["Tindakan"].tolist()


def test_bad_new_account_is_an_error(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="admin")
    run_page(at, PAGE)
    form = at.get("form")[0]
    form.text_input[0].set_value("uji_admin")  # already exists
    _submit(at, "Buat akun").click()
    at.run()
    assert not at.exception
    assert any("sudah ada" in e.value for e in at.error)


def _hold_wait(store, account: str) -> None:
    """Make the account's running sign-in wait last an hour, so a slow run still sees it."""
    from datetime import timedelta

    from sqlalchemy import update

    from store import db
    from store.schema import sign_in_throttle

    with store.transaction() as conn:
        conn.execute(update(sign_in_throttle).where(sign_in_throttle.c.scope == "account",
                                                    sign_in_throttle.c.account == account)
                     .values(blocked_until=db.utcnow() + timedelta(hours=1)))


def test_change_role_disable_enable_unlock_password(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="admin")
    store = Store()
    auth.add_user(store, "budi", "viewer", PASSWORD)
    # nine failures from nine addresses: the account's own wait starts at the 6th and is 16 s after the
    # 9th (2, 4, 8, 16 s), longer than the page's first run takes on a loaded machine
    for i in range(9):
        with pytest.raises(AnalysisError):
            auth.authenticate(store, "budi", "salah-salah-salah", address=f"192.0.2.{i}")
    _hold_wait(store, "budi")  # that wait is 2 s (store.throttle.RULES): long enough only on a fast machine
    assert auth.list_users(store).set_index("username").loc["budi", "waiting"]
    run_page(at, PAGE)
    at.selectbox(key="admin_user_pick").set_value("budi")
    at.run()
    at.selectbox(key="admin_role_budi").set_value("analyst")
    at.run()
    _button(at, "Ubah peran").click()
    at.run()
    assert not at.exception
    assert auth.get_user(store, "budi").role == "analyst"

    _button(at, "Hapus jeda masuk").click()
    at.run()
    assert not auth.list_users(store).set_index("username").loc["budi", "waiting"]

    _button(at, "Nonaktifkan").click()
    at.run()
    assert auth.list_users(store).set_index("username").loc["budi", "disabled"]
    _button(at, "Aktifkan").click()
    at.run()
    assert not auth.list_users(store).set_index("username").loc["budi", "disabled"]

    password_form = at.get("form")[1]
    password_form.text_input[0].set_value("kata-sandi-baru-123")
    _submit(at, "Setel kata sandi").click()
    at.run()
    assert not at.exception
    assert auth.authenticate(store, "budi", "kata-sandi-baru-123").username == "budi"
    actions = set(audit.read_audit(store, actor="uji_admin")["action"])
    assert {"role_change", "user_unlock", "user_disable", "user_enable", "password_change"} <= actions


def test_last_admin_is_kept(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="admin")
    run_page(at, PAGE)
    assert at.selectbox(key="admin_user_pick").value == "uji_admin"
    _button(at, "Nonaktifkan").click()
    at.run()
    assert not at.exception
    assert any("minimal satu administrator" in e.value for e in at.error)
    assert not auth.list_users(Store()).set_index("username").loc["uji_admin", "disabled"]


def test_audit_filter_and_dataset_archive_restore(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="admin")
    vid = publish("events", ROOT / "data" / "sample" / "kegiatan_masyarakat_2025.xlsx")
    run_page(at, PAGE)
    assert at.selectbox(key="admin_version").value == vid
    _button(at, "Arsipkan (sembunyikan)").click()
    at.run()
    assert not at.exception
    assert Store().get_version(vid)["status"] == "archived"
    assert any("diarsipkan" in s.value for s in at.success)
    _button(at, "Pulihkan").click()
    at.run()
    assert Store().get_version(vid)["status"] == "published"

    at.multiselect(key="admin_a_action").set_value(["archive", "restore"])
    at.run()
    log = _audit_table(at)
    assert sorted(log["Tindakan"]) == ["archive", "restore"]
    assert set(log["Pelaku"]) == {"uji_admin"}


def test_theme_dictionary_edited_copy_and_reset(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch)  # mode none: the local user is admin
    run_page(at, PAGE)
    assert "Kamus bawaan (data/tema_saran.csv)." in texts(at)
    edited = next(d for d in at.dataframe if "kata_kunci" in d.value.columns).value
    assert {"waktu pelayanan", "biaya"} <= set(edited["tema"])
    with pytest.raises(AnalysisError):
        voice_cache.save_themes(pd.DataFrame({"tema": [""], "kata_kunci": [""]}))
    voice_cache.save_themes(pd.DataFrame({"tema": ["Biaya"], "kata_kunci": ["Tarif "]}))
    assert theme_store.current_themes(Store()).frame.to_dict("records") == [{"tema": "biaya", "kata_kunci": "tarif"}]
    at.run()
    assert "Kamus hasil suntingan administrator, disimpan di basis data (berlaku di semua server)." in texts(at)
    _button(at, "Kembali ke kamus bawaan").click()
    at.run()
    assert not at.exception
    assert not theme_store.current_themes(Store()).edited
    assert "Kamus bawaan dipakai lagi." in texts(at)


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_not_in_navigation_below_admin(tmp_path, monkeypatch, role):
    at = make_app(tmp_path, monkeypatch, role=role)
    at.run()
    with pytest.raises(LookupError):
        run_page(at, PAGE)


def test_language_switch(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="admin")
    run_page(at, PAGE)
    set_lang(at, "en")
    assert not at.exception
    assert at.title[0].value == "Administration"
    assert "Username" in at.dataframe[0].value.columns


def test_sign_in_attempts_and_their_waits_are_shown_and_lifted(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="admin")
    store = Store()
    auth.add_user(store, "budi", "viewer", PASSWORD)
    for _ in range(4):  # the fourth failure from one address starts that address's wait for budi
        with pytest.raises(AnalysisError):
            auth.authenticate(store, "budi", "salah-salah-salah", address="203.0.113.9")
    run_page(at, PAGE)
    assert not at.exception
    assert "Akun tidak pernah dikunci." in texts(at)
    counts = next(d.value for d in at.dataframe if "Lingkup" in d.value.columns)
    pair = counts[counts["Lingkup"] == "akun dari alamat"].iloc[0]
    assert (pair["Akun"], pair["Alamat klien"], pair["Gagal"]) == ("budi", "203.0.113.9", 4)
    recent = next(d.value for d in at.dataframe if "Tindakan" in d.value.columns and "Dataset" not in d.value.columns)
    assert recent["Tindakan"].tolist().count("sign_in_failed") == 4
    assert "sign_in_throttled" in recent["Tindakan"].tolist()
    at.selectbox(key="admin_s_pick").set_value(("address", "203.0.113.9"))
    _button(at, "Hapus jeda").click()
    at.run()
    assert not at.exception
    assert auth.authenticate(store, "budi", PASSWORD, address="203.0.113.9").username == "budi"
    assert "throttle_clear" in set(audit.read_audit(store, actor="uji_admin")["action"])
