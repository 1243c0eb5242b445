"""Administrasi (admin only): accounts and roles, sign-in attempts and the waits they impose, the
audit log, archiving datasets, and the theme keyword dictionary of the comments.

Draws nothing at import: ``app.py`` calls :func:`render`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analysis.core import roles
from analysis.core.errors import AnalysisError
from analysis.report import exports
from store import audit
from store import accounts, auth, throttle
from ui import look
from ui import voice_cache as vc
from ui.data import store
from ui.datasets import status_label, version_label, versions_view
from ui.evidence_cache import export_job
from ui.session import LOCAL_TZ, integer, lang, local_time, md_escape, require, tr, user
from ui.upload import fixed_labels

MIN_ROLE = "admin"

STRINGS = {
    "title": {"id": "Administrasi", "en": "Administration"},
    "intro": {"id": "Akun dan peran, log audit, arsip dataset, dan kamus tema saran warga.",
              "en": "Accounts and roles, the audit log, dataset archive, and the theme dictionary of comments."},
    "tab.users": {"id": "Pengguna", "en": "Users"},
    "tab.audit": {"id": "Log audit", "en": "Audit log"},
    "tab.sign_in": {"id": "Percobaan masuk", "en": "Sign-in attempts"},
    "tab.datasets": {"id": "Dataset", "en": "Datasets"},
    "tab.themes": {"id": "Kamus tema", "en": "Theme dictionary"},
    "mode": {"id": "Mode masuk saat ini: {mode}.", "en": "Current sign-in mode: {mode}."},
    "mode.none": {"id": "Dalam mode none semua orang di komputer ini administrator; akun di bawah baru dipakai "
                         "setelah EVALUASI_AUTH_MODE=local atau oidc.",
                  "en": "In mode none everyone on this computer is administrator; the accounts below apply once "
                        "EVALUASI_AUTH_MODE=local or oidc."},
    "u.none": {"id": "Belum ada akun.", "en": "No account yet."},
    "u.add": {"id": "Tambah akun", "en": "Add an account"},
    "u.username": {"id": "Nama pengguna (atau e-mail untuk OIDC)", "en": "Username (or e-mail for OIDC)"},
    "u.role": {"id": "Peran", "en": "Role"},
    "u.password": {"id": "Kata sandi (min. 10 karakter; kosong untuk akun OIDC)",
                   "en": "Password (10+ characters; empty for an OIDC account)"},
    "u.email": {"id": "E-mail (opsional)", "en": "E-mail (optional)"},
    "u.submit": {"id": "Buat akun", "en": "Create account"},
    "u.added": {"id": "Akun {name} dibuat.", "en": "Account {name} created."},
    "u.manage": {"id": "Kelola akun", "en": "Manage an account"},
    "u.pick": {"id": "Akun", "en": "Account"},
    "u.new_role": {"id": "Peran baru", "en": "New role"},
    "u.set_role": {"id": "Ubah peran", "en": "Change role"},
    "u.disable": {"id": "Nonaktifkan", "en": "Disable"},
    "u.enable": {"id": "Aktifkan", "en": "Enable"},
    "u.unlock": {"id": "Hapus jeda masuk", "en": "Lift the sign-in wait"},
    "u.new_password": {"id": "Kata sandi baru", "en": "New password"},
    "u.set_password": {"id": "Setel kata sandi", "en": "Set password"},
    "u.done": {"id": "Perubahan pada akun {name} tersimpan (dicatat di log audit).",
               "en": "Change to account {name} saved (recorded in the audit log)."},
    "u.last_admin": {"id": "Harus ada minimal satu administrator aktif. Jadikan akun lain administrator dulu.",
                     "en": "At least one active administrator must remain. Make another account administrator first."},
    "u.col.username": {"id": "Nama pengguna", "en": "Username"},
    "u.col.role": {"id": "Peran", "en": "Role"},
    "u.col.email": {"id": "E-mail", "en": "E-mail"},
    "u.col.has_password": {"id": "Kata sandi", "en": "Password"},
    "u.col.disabled": {"id": "Nonaktif", "en": "Disabled"},
    "u.col.waiting": {"id": "Harus menunggu", "en": "Waiting"},
    "u.col.waiting_until": {"id": "Menunggu sampai (WIB)", "en": "Waiting until (WIB)"},
    "u.col.failed_attempts": {"id": "Gagal masuk berturut-turut", "en": "Failed sign-ins in a row"},
    "u.col.last_login_at": {"id": "Terakhir masuk (WIB)", "en": "Last sign-in (WIB)"},
    "u.col.created_at": {"id": "Dibuat (WIB)", "en": "Created (WIB)"},
    "u.col.created_by": {"id": "Dibuat oleh", "en": "Created by"},
    "role.viewer": {"id": "viewer (pimpinan: hanya hasil terbit)", "en": "viewer (leaders: published results only)"},
    "role.analyst": {"id": "analyst (unggah, terbitkan, unduh)", "en": "analyst (upload, publish, download)"},
    "role.admin": {"id": "admin (akun, log audit, arsip)", "en": "admin (accounts, audit log, archive)"},
    "s.caption": {"id": "Akun tidak pernah dikunci. Setiap kegagalan membuat percobaan berikutnya menunggu — per "
                         "akun, per alamat klien, dan per pasangan keduanya — makin lama hingga batasnya (NIST SP "
                         "800-63B §5.2.2). Jeda akun tidak berlaku dari alamat tempat akun itu pernah berhasil masuk.",
                  "en": "Accounts are never locked. Each failure makes the next attempts wait — per account, per "
                        "client address, and per pair of both — longer each time up to a cap (NIST SP 800-63B "
                        "§5.2.2). An account's wait does not apply at an address it has signed in from before."},
    "s.none": {"id": "Tidak ada kegagalan masuk yang tercatat.", "en": "No failed sign-ins are counted."},
    "s.scope.account": {"id": "akun", "en": "account"},
    "s.scope.address": {"id": "alamat", "en": "address"},
    "s.scope.pair": {"id": "akun dari alamat", "en": "account from address"},
    "s.col.scope": {"id": "Lingkup", "en": "Scope"},
    "s.col.account": {"id": "Akun", "en": "Account"},
    "s.col.address": {"id": "Alamat klien", "en": "Client address"},
    "s.col.failures": {"id": "Gagal", "en": "Failures"},
    "s.col.refused": {"id": "Ditolak saat menunggu", "en": "Refused while waiting"},
    "s.col.last_failure_at": {"id": "Gagal terakhir (WIB)", "en": "Last failure (WIB)"},
    "s.col.blocked_until": {"id": "Menunggu sampai (WIB)", "en": "Waiting until (WIB)"},
    "s.pick": {"id": "Hapus jeda untuk", "en": "Lift the wait of"},
    "s.clear": {"id": "Hapus jeda", "en": "Lift the wait"},
    "s.cleared": {"id": "Jeda dihapus ({n} hitungan).", "en": "Wait lifted ({n} counts)."},
    "s.recent": {"id": "Percobaan masuk terbaru", "en": "Recent sign-in attempts"},
    "a.action": {"id": "Tindakan", "en": "Action"},
    "a.actor": {"id": "Pelaku (nama pengguna)", "en": "Actor (username)"},
    "a.since": {"id": "Sejak tanggal", "en": "From date"},
    "a.until": {"id": "Sampai tanggal", "en": "To date"},
    "a.limit": {"id": "Paling banyak", "en": "At most"},
    "a.count": {"id": "{n} entri (terbaru di atas).", "en": "{n} entries (newest first)."},
    "a.download": {"id": "Unduh log (CSV)", "en": "Download the log (CSV)"},
    "a.col.at": {"id": "Waktu (WIB)", "en": "Time (WIB)"},
    "a.col.actor": {"id": "Pelaku", "en": "Actor"},
    "a.col.action": {"id": "Tindakan", "en": "Action"},
    "a.col.ok": {"id": "Berhasil", "en": "OK"},
    "a.col.dataset_id": {"id": "Dataset", "en": "Dataset"},
    "a.col.version_id": {"id": "Versi", "en": "Version"},
    "a.col.target": {"id": "Akun sasaran", "en": "Target account"},
    "a.col.detail": {"id": "Rincian", "en": "Detail"},
    "d.none": {"id": "Belum ada dataset tersimpan.", "en": "No dataset stored yet."},
    "d.pick": {"id": "Versi", "en": "Version"},
    "d.archive": {"id": "Arsipkan (sembunyikan)", "en": "Archive (hide)"},
    "d.restore": {"id": "Pulihkan", "en": "Restore"},
    "d.note": {"id": "Mengarsipkan hanya menyembunyikan versi dari semua halaman; tidak ada yang dihapus. "
                      "Penghapusan permanen hanya lewat `python -m analysis purge` dan tercatat di log audit.",
               "en": "Archiving only hides a version from every page; nothing is deleted. Permanent deletion "
                     "is only through `python -m analysis purge`, and it is audited."},
    "d.done": {"id": "Versi #{vid}: {status}.", "en": "Version #{vid}: {status}."},
    "t.source.default": {"id": "Kamus bawaan (data/tema_saran.csv).",
                         "en": "The bundled dictionary (data/tema_saran.csv)."},
    "t.source.edited": {"id": "Kamus hasil suntingan administrator, disimpan di basis data (berlaku di semua server).",
                        "en": "The administrator's edited dictionary, stored in the database (in force on every server)."},
    "t.caption": {"id": "Satu baris per kata kunci. Kata kunci cocok tanpa memandang huruf besar/kecil dan dengan "
                         "imbuhan umum (bayar → pembayaran); akhiri dengan * untuk awalan kata (antri*); frasa "
                         "(ruang tunggu) dicocokkan berurutan.",
                  "en": "One row per keyword. Keywords match regardless of case and with common Indonesian "
                        "affixes (bayar → pembayaran); end with * to match a word start (antri*); a phrase "
                        "(ruang tunggu) matches in sequence."},
    "t.col.tema": {"id": "Tema", "en": "Theme"},
    "t.col.kata_kunci": {"id": "Kata kunci", "en": "Keyword"},
    "t.save": {"id": "Simpan kamus", "en": "Save the dictionary"},
    "t.reset": {"id": "Kembali ke kamus bawaan", "en": "Back to the bundled dictionary"},
    "t.saved": {"id": "Kamus tersimpan: {n} kata kunci dalam {k} tema.",
                "en": "Dictionary saved: {n} keywords in {k} themes."},
    "t.was_reset": {"id": "Kamus bawaan dipakai lagi.", "en": "The bundled dictionary is in use again."},
}


def _flash(message: str) -> None:
    st.session_state["admin_flash"] = message
    st.rerun()


def _show_flash() -> None:
    message = st.session_state.pop("admin_flash", None)
    if message:
        st.success(message)


# --------------------------------------------------------------------------- users


def _users_tab() -> None:
    mode = auth.auth_mode()
    st.caption(tr(STRINGS, "mode", mode=mode))
    if mode == "none":
        st.info(tr(STRINGS, "mode.none"))
    users = accounts.list_users(store())
    if users.empty:
        st.info(tr(STRINGS, "u.none"))
    else:
        view = users.copy()
        for col in ("last_login_at", "created_at", "waiting_until"):
            view[col] = view[col].map(local_time)
        view["email"] = view["email"].fillna("")
        st.dataframe(view.rename(columns={c: tr(STRINGS, f"u.col.{c}") for c in view.columns}),
                     hide_index=True, width="stretch")
    _add_user()
    if not users.empty:
        _manage_user(users)


def _role_label(role: str) -> str:
    return tr(STRINGS, f"role.{role}")


def _add_user() -> None:
    with st.expander(tr(STRINGS, "u.add")):
        with st.form("admin_add_user", clear_on_submit=True):
            name = st.text_input(tr(STRINGS, "u.username"), max_chars=255)
            role = st.selectbox(tr(STRINGS, "u.role"), list(roles.ROLES),
                                format_func=fixed_labels(roles.ROLES, _role_label))
            password = st.text_input(tr(STRINGS, "u.password"), type="password")
            email = st.text_input(tr(STRINGS, "u.email"), max_chars=255)
            submitted = st.form_submit_button(tr(STRINGS, "u.submit"), type="primary")
        if submitted:
            try:
                made = accounts.add_user(store(), name, role, password or None, email=email or None, actor=user())
            except AnalysisError as err:
                st.error(md_escape(err.message(lang())))
                return
            _flash(tr(STRINGS, "u.added", name=made.username))


def _is_last_admin(users: pd.DataFrame, name: str) -> bool:
    row = users[users["username"] == name].iloc[0]
    return row["role"] == "admin" and not row["disabled"] and accounts.count_admins(store()) <= 1


def _manage_user(users: pd.DataFrame) -> None:
    st.subheader(tr(STRINGS, "u.manage"))
    names = users["username"].tolist()
    name = st.selectbox(tr(STRINGS, "u.pick"), names, key="admin_user_pick")
    row = users[users["username"] == name].iloc[0]
    c1, c2 = st.columns(2)
    choices = list(roles.ROLES)
    new_role = c1.selectbox(tr(STRINGS, "u.new_role"), choices, index=choices.index(row["role"]),
                            format_func=fixed_labels(choices, _role_label), key=f"admin_role_{name}")
    actions: list[tuple[str, object]] = []
    if c1.button(tr(STRINGS, "u.set_role"), key="admin_set_role", disabled=new_role == row["role"]):
        if new_role != "admin" and _is_last_admin(users, name):
            st.error(tr(STRINGS, "u.last_admin"))
        else:
            actions.append(("role", lambda: accounts.set_role(store(), name, new_role, actor=user())))
    if row["disabled"]:
        if c2.button(tr(STRINGS, "u.enable"), key="admin_enable"):
            actions.append(("enable", lambda: accounts.enable_user(store(), name, actor=user())))
    elif c2.button(tr(STRINGS, "u.disable"), key="admin_disable"):
        if _is_last_admin(users, name):
            st.error(tr(STRINGS, "u.last_admin"))
        else:
            actions.append(("disable", lambda: accounts.disable_user(store(), name, actor=user())))
    if row["waiting"] and c2.button(tr(STRINGS, "u.unlock"), key="admin_unlock"):
        actions.append(("unlock", lambda: accounts.unlock_user(store(), name, actor=user())))
    with st.form("admin_password", clear_on_submit=True):
        password = st.text_input(tr(STRINGS, "u.new_password"), type="password")
        if st.form_submit_button(tr(STRINGS, "u.set_password")) and password:
            actions.append(("password", lambda: accounts.set_password(store(), name, password, actor=user())))
    for _, act in actions:
        try:
            act()
        except AnalysisError as err:
            st.error(md_escape(err.message(lang())))
            return
        _flash(tr(STRINGS, "u.done", name=name))


# --------------------------------------------------------------------------- sign-in attempts


def _sign_in_tab() -> None:
    st.caption(tr(STRINGS, "s.caption"))
    counts = throttle.list_throttles(store())
    if counts.empty:
        st.info(tr(STRINGS, "s.none"))
    else:
        view = counts.drop(columns=["first_failure_at", "waiting"]).copy()
        view["scope"] = view["scope"].map(lambda s: tr(STRINGS, f"s.scope.{s}"))
        for col in ("last_failure_at", "blocked_until"):
            view[col] = view[col].map(local_time)
        view[["account", "address"]] = view[["account", "address"]].fillna("")
        st.dataframe(view.rename(columns={c: tr(STRINGS, f"s.col.{c}") for c in view.columns}),
                     hide_index=True, width="stretch")
        _lift_wait(counts)
    st.subheader(tr(STRINGS, "s.recent"))
    log = audit.read_audit(store(), limit=200, action=["sign_in", "sign_in_failed", "sign_in_throttled",
                                                       "throttle_clear", "user_unlock"])
    view = log.drop(columns=["id", "dataset_id", "version_id"]).copy()
    view["at"] = view["at"].map(local_time)
    st.dataframe(view.rename(columns={c: tr(STRINGS, f"a.col.{c}") for c in view.columns}),
                 hide_index=True, width="stretch")


def _lift_wait(counts: pd.DataFrame) -> None:
    """A selector of the accounts and addresses that wait, and the button that lifts one."""
    accounts_waiting = sorted({a for a in counts.loc[counts["scope"] != "address", "account"].dropna()
                               if not a.startswith("?")})
    addresses = sorted(set(counts["address"].dropna()))
    choices = [("account", a) for a in accounts_waiting] + [("address", a) for a in addresses]
    if not choices:
        return
    labels = {c: f"{tr(STRINGS, f's.scope.{c[0]}')}: {c[1]}" for c in choices}
    c1, c2 = st.columns([3, 1])
    chosen = c1.selectbox(tr(STRINGS, "s.pick"), choices, format_func=labels.__getitem__, key="admin_s_pick")
    if c2.button(tr(STRINGS, "s.clear"), key="admin_s_clear"):
        kind, value = chosen
        removed = throttle.clear(store(), actor=user(), **{kind: value})
        _flash(tr(STRINGS, "s.cleared", n=integer(removed)))


# --------------------------------------------------------------------------- audit log


def _audit_tab() -> None:
    c1, c2 = st.columns(2)
    actions = c1.multiselect(tr(STRINGS, "a.action"), list(audit.ACTIONS), key="admin_a_action",
                             placeholder=look.choose_placeholder())
    actor = c2.text_input(tr(STRINGS, "a.actor"), key="admin_a_actor", max_chars=255)
    c3, c4, c5 = st.columns(3)
    since = c3.date_input(tr(STRINGS, "a.since"), value=None, key="admin_a_since", format="DD/MM/YYYY")
    until = c4.date_input(tr(STRINGS, "a.until"), value=None, key="admin_a_until", format="DD/MM/YYYY")
    limit = c5.number_input(tr(STRINGS, "a.limit"), min_value=10, max_value=100_000, value=500, step=100,
                            key="admin_a_limit")
    log = audit.read_audit(
        store(), limit=int(limit), action=actions or None, actor=actor.strip() or None,
        since=_local_midnight(since), until=_local_midnight(until, next_day=True))
    st.caption(tr(STRINGS, "a.count", n=integer(len(log))))
    view = log.copy()
    view["at"] = view["at"].map(local_time)
    for col in ("target", "detail"):
        view[col] = view[col].fillna("")
    view = view.drop(columns=["id"]).rename(columns={c: tr(STRINGS, f"a.col.{c}") for c in view.columns if c != "id"})
    st.dataframe(view, hide_index=True, width="stretch")
    st.download_button(tr(STRINGS, "a.download"),
                       data=export_job(lambda: exports.to_csv_bytes(view, sep=";"), store(), user(), fmt="csv",
                                       page="admin", row_level=True, version_id=None, detail={"what": "audit_log"}),
                       file_name="log_audit.csv", mime="text/csv", on_click="ignore", key="admin_a_download")


def _local_midnight(day, next_day: bool = False) -> dt.datetime | None:
    """The start (WIB) of ``day`` — or of the day after — as an aware UTC time."""
    if day is None:
        return None
    start = pd.Timestamp(day) + pd.Timedelta(days=1 if next_day else 0)
    return start.tz_localize(LOCAL_TZ).tz_convert("UTC").to_pydatetime()


# --------------------------------------------------------------------------- datasets


def _datasets_tab() -> None:
    frame = store().list_datasets(status=None, user=user())
    if frame.empty:
        st.info(tr(STRINGS, "d.none"))
        return
    st.dataframe(versions_view(frame), hide_index=True, width="stretch")
    st.caption(tr(STRINGS, "d.note"))
    records = {int(r["version_id"]): r for r in frame.to_dict("records")}
    vid = st.selectbox(tr(STRINGS, "d.pick"), list(records), key="admin_version",
                       format_func=fixed_labels(records, lambda v: version_label(records[v])))
    status = records[vid]["status"]
    action = "restore" if status == "archived" else "archive"
    if st.button(tr(STRINGS, f"d.{action}"), key=f"admin_{action}"):
        try:
            getattr(store(), action)(vid, user())
        except AnalysisError as err:
            st.error(md_escape(err.message(lang())))
            return
        now = store().get_version(vid)["status"]
        _flash(tr(STRINGS, "d.done", vid=vid, status=status_label(now)))


# --------------------------------------------------------------------------- theme dictionary


def _themes_tab() -> None:
    dictionary, stamp = vc.theme_dictionary()
    edited_copy = vc.themes_edited()
    st.caption(tr(STRINGS, "t.source.edited" if edited_copy else "t.source.default"))
    st.caption(tr(STRINGS, "t.caption"))
    edited = st.data_editor(
        dictionary, key=f"admin_themes_{stamp}", num_rows="dynamic", hide_index=True, width="stretch",
        column_config={"tema": st.column_config.TextColumn(tr(STRINGS, "t.col.tema"), required=True),
                       "kata_kunci": st.column_config.TextColumn(tr(STRINGS, "t.col.kata_kunci"), required=True)})
    c1, c2 = st.columns(2)
    if c1.button(tr(STRINGS, "t.save"), key="admin_themes_save", type="primary"):
        try:
            saved = vc.save_themes(edited.fillna(""))
        except AnalysisError as err:
            st.error(md_escape(err.message(lang())))
            return
        _flash(tr(STRINGS, "t.saved", n=integer(len(saved)), k=integer(saved["tema"].nunique())))
    if edited_copy and c2.button(tr(STRINGS, "t.reset"), key="admin_themes_reset"):
        vc.reset_themes()
        _flash(tr(STRINGS, "t.was_reset"))


def render() -> None:
    """Draw the administration page (administrators only)."""
    require(MIN_ROLE)
    st.title(tr(STRINGS, "title"))
    st.caption(tr(STRINGS, "intro"))
    _show_flash()
    users, sign_ins, log, datasets, themes = st.tabs([
        tr(STRINGS, "tab.users"), tr(STRINGS, "tab.sign_in"), tr(STRINGS, "tab.audit"), tr(STRINGS, "tab.datasets"),
        tr(STRINGS, "tab.themes")])
    with users:
        _users_tab()
    with sign_ins:
        _sign_in_tab()
    with log:
        _audit_tab()
    with datasets:
        _datasets_tab()
    with themes:
        _themes_tab()
