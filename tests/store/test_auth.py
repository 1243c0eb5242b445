"""Sign-in and roles (issue 5) on SQLite and PostgreSQL: argon2 accounts, lockout, sessions, OIDC
role mapping, the loopback rule of mode ``none``, the ``users`` CLI, the audit log, and the masking
of NIP and names for viewers (analysis/privacy.py)."""

from __future__ import annotations

import io
import json
import sys
import threading
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from argon2 import PasswordHasher, profiles

try:
    from pg import db_url  # noqa: F401  (fixture: sqlite and postgresql)
except ImportError:  # tests/ made a package
    from tests.pg import db_url  # noqa: F401

from analysis.core import roles
from store import audit
from store import auth
from analysis import cli
from analysis.cli.common import cli_actor
from store.audit import read_audit
from store.auth import User
from analysis.core.errors import AnalysisError
from store.privacy import for_role, mask_frame, mask_name, mask_nip, personal_columns
from store.datasets import Store

PASSWORD = "rahasia-panjang-sekali"


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch):
    """argon2 with its cheapest parameters, for speed; test_default_hasher checks the real ones."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def store(db_url):  # noqa: F811
    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves: ``clock.now += timedelta(...)``."""

    class Clock:
        now = audit.utcnow()

    monkeypatch.setattr(auth, "_now", lambda: Clock.now)
    return Clock


def code_of(call) -> str:
    with pytest.raises(AnalysisError) as err:
        call()
    return err.value.code


# --------------------------------------------------------------------------- roles and modes


@pytest.mark.parametrize(
    "role, needed, expected",
    [
        ("viewer", "viewer", True), ("viewer", "analyst", False), ("viewer", "admin", False),
        ("analyst", "viewer", True), ("analyst", "analyst", True), ("analyst", "admin", False),
        ("admin", "viewer", True), ("admin", "analyst", True), ("admin", "admin", True),
        (None, "viewer", False),
    ],
)
def test_role_order(role, needed, expected):
    assert roles.has_role(role, needed) is expected
    assert roles.has_role(User("x", role) if role else None, needed) is expected
    if expected:
        roles.require_role(User("x", role), needed)
    else:
        assert code_of(lambda: roles.require_role(User("x", role) if role else None, needed)) == "forbidden"


def test_unknown_role_is_a_value_error():
    with pytest.raises(ValueError, match="role must be one of viewer, analyst, admin, got 'boss'"):
        roles.role_rank("boss")


@pytest.mark.parametrize("value, expected", [(None, "none"), ("", "none"), ("none", "none"), (" Local ", "local"),
                                             ("OIDC", "oidc")])
def test_auth_mode(monkeypatch, value, expected):
    monkeypatch.delenv("EVALUASI_AUTH_MODE", raising=False)
    if value is None:
        assert auth.auth_mode() == expected
    else:
        monkeypatch.setenv("EVALUASI_AUTH_MODE", value)
        assert auth.auth_mode() == expected


def test_bad_auth_mode(monkeypatch):
    monkeypatch.setenv("EVALUASI_AUTH_MODE", "ldap")
    assert code_of(auth.auth_mode) == "bad_auth_mode"


@pytest.mark.parametrize(
    "address, ok",
    [
        ("127.0.0.1", True), ("127.0.1.1", True), ("::1", True), ("[::1]", True), ("localhost", True),
        (" 127.0.0.1 ", True), ("LOCALHOST", True),
        (None, False), ("", False), ("0.0.0.0", False), ("::", False), ("[::]", False), ("10.1.2.3", False),
        ("192.168.0.10", False), ("8.8.8.8", False), ("no-such-host.invalid", False), ("::ffff:10.0.0.1", False),
    ],
)
def test_loopback_only_ok(address, ok):
    assert auth.loopback_only_ok(address) is ok


def test_anonymous_admin_is_admin():
    user = auth.anonymous_admin()
    assert user.can("admin") and user.source == "none"


# --------------------------------------------------------------------------- accounts and sign-in


def test_default_hasher_is_argon2id_rfc9106(store, monkeypatch):
    monkeypatch.setattr(auth, "_hasher", PasswordHasher())
    auth.add_user(store, "budi", "analyst", PASSWORD)
    with store.transaction(write=False) as conn:
        stored = conn.execute(auth.users.select()).first().password_hash
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and PASSWORD not in stored
    assert auth.authenticate(store, "budi", PASSWORD).role == "analyst"


def test_sign_in_and_its_audit(store):
    auth.add_user(store, "Budi", "analyst", PASSWORD, email="Budi@Medan.go.id", actor="cli:root")
    user = auth.authenticate(store, " BUDI ", PASSWORD)
    assert user == User("budi", "analyst", email="budi@medan.go.id")
    assert code_of(lambda: auth.authenticate(store, "budi", PASSWORD + "x")) == "bad_credentials"
    assert code_of(lambda: auth.authenticate(store, "nobody", PASSWORD)) == "bad_credentials"
    assert code_of(lambda: auth.authenticate(store, "", "")) == "bad_credentials"
    log = read_audit(store)
    assert log["action"].tolist()[::-1] == ["user_add", "sign_in", "sign_in_failed", "sign_in_failed",
                                            "sign_in_failed"]
    assert log["ok"].tolist()[::-1] == [True, True, False, False, False]
    unknown = json.loads(log.loc[1, "detail"])
    assert unknown["reason"] == "unknown_user" and "nobody" not in log.loc[1].astype(str).str.cat()
    assert log.loc[1, "actor"] == "-"  # the typed text (perhaps a password) is not logged
    assert log.loc[2, "target"] == "budi" and json.loads(log.loc[2, "detail"])["reason"] == "wrong_password"
    assert auth.list_users(store).loc[0, "last_login_at"] is not pd.NaT


@pytest.mark.parametrize("name", ["a", "budi santoso", "<script>", "-budi", "x" * 255, ""])
def test_bad_usernames(store, name):
    assert code_of(lambda: auth.add_user(store, name, "viewer", PASSWORD)) == "bad_username"


@pytest.mark.parametrize("password", ["", "pendek", "123456789", "x" * 1025])
def test_weak_passwords(store, password):
    assert code_of(lambda: auth.add_user(store, "budi", "viewer", password)) == "weak_password"
    assert auth.get_user(store, "budi") is None


def test_duplicate_and_bad_role(store):
    auth.add_user(store, "budi", "viewer", PASSWORD)
    assert code_of(lambda: auth.add_user(store, "BUDI", "viewer", PASSWORD)) == "user_exists"
    assert code_of(lambda: auth.add_user(store, "ani", "boss", PASSWORD)) == "bad_role"
    assert code_of(lambda: auth.set_role(store, "budi", "boss")) == "bad_role"
    assert code_of(lambda: auth.set_role(store, "nobody", "admin")) == "no_such_user"


def test_account_without_password_cannot_sign_in_locally(store):
    auth.add_user(store, "alice@medan.go.id", "admin")
    assert code_of(lambda: auth.authenticate(store, "alice@medan.go.id", "")) == "bad_credentials"


@pytest.mark.parametrize("failures", [0, 1, 4])
def test_fewer_than_five_failures_do_not_lock(store, failures):
    auth.add_user(store, "budi", "viewer", PASSWORD)
    for _ in range(failures):
        assert code_of(lambda: auth.authenticate(store, "budi", "salah")) == "bad_credentials"
    assert auth.authenticate(store, "budi", PASSWORD).username == "budi"
    assert auth.list_users(store).loc[0, "failed_attempts"] == 0  # a success resets the count


def test_five_failures_lock_for_fifteen_minutes(store, clock):
    auth.add_user(store, "budi", "viewer", PASSWORD)
    codes = [code_of(lambda: auth.authenticate(store, "budi", "salah")) for _ in range(5)]
    assert codes == ["bad_credentials"] * 4 + ["locked"]
    assert code_of(lambda: auth.authenticate(store, "budi", PASSWORD)) == "locked"  # even the right one
    assert auth.list_users(store).loc[0, "locked"]
    clock.now += timedelta(minutes=14, seconds=59)
    assert code_of(lambda: auth.authenticate(store, "budi", PASSWORD)) == "locked"
    clock.now += timedelta(seconds=2)
    # after the lock, a fresh count: one wrong attempt does not lock again
    assert code_of(lambda: auth.authenticate(store, "budi", "salah")) == "bad_credentials"
    assert auth.authenticate(store, "budi", PASSWORD).username == "budi"
    log = read_audit(store)
    assert (log["action"] == "account_locked").sum() == 1
    assert (log["action"] == "sign_in_failed").sum() == 5 + 2 + 1


def test_lock_message_names_the_minutes(store, clock):
    auth.add_user(store, "budi", "viewer", PASSWORD)
    for _ in range(4):
        code_of(lambda: auth.authenticate(store, "budi", "salah"))
    with pytest.raises(AnalysisError) as err:
        auth.authenticate(store, "budi", "salah")
    assert "15 menit" in err.value.message("id") and "15 minutes" in err.value.message("en")


def test_admin_unlocks_and_password_change_unlocks(store):
    auth.add_user(store, "budi", "viewer", PASSWORD)
    for _ in range(5):
        code_of(lambda: auth.authenticate(store, "budi", "salah"))
    auth.unlock_user(store, "budi", actor="root")
    assert auth.authenticate(store, "budi", PASSWORD).username == "budi"
    for _ in range(5):
        code_of(lambda: auth.authenticate(store, "budi", "salah"))
    auth.set_password(store, "budi", "kata-sandi-baru-sekali", actor="root")
    assert auth.authenticate(store, "budi", "kata-sandi-baru-sekali").username == "budi"
    assert code_of(lambda: auth.authenticate(store, "budi", PASSWORD)) == "bad_credentials"


def test_concurrent_failures_still_lock(store):
    auth.add_user(store, "budi", "viewer", PASSWORD)
    barrier = threading.Barrier(8)
    codes: list[str] = []

    def attempt() -> None:
        barrier.wait(timeout=30)
        try:
            auth.authenticate(store, "budi", "salah")
        except AnalysisError as err:
            codes.append(err.code)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(codes) == 8 and set(codes) <= {"bad_credentials", "locked"} and "locked" in codes
    assert code_of(lambda: auth.authenticate(store, "budi", PASSWORD)) == "locked"
    assert (read_audit(store)["action"] == "sign_in_failed").sum() >= 8


def test_disabled_account(store):
    auth.add_user(store, "budi", "analyst", PASSWORD)
    auth.disable_user(store, "budi", actor="root")
    assert code_of(lambda: auth.authenticate(store, "budi", PASSWORD)) == "disabled"
    # a wrong password does not reveal that the account is disabled
    assert code_of(lambda: auth.authenticate(store, "budi", "salah")) == "bad_credentials"
    auth.enable_user(store, "budi", actor="root")
    assert auth.authenticate(store, "budi", PASSWORD).role == "analyst"
    actions = read_audit(store, actor="root")["action"].tolist()
    assert actions == ["user_enable", "user_disable"]


# --------------------------------------------------------------------------- sessions


def test_sessions_expire(store, clock, monkeypatch):
    monkeypatch.setenv("EVALUASI_SESSION_HOURS", "2")
    user = auth.add_user(store, "budi", "analyst", PASSWORD)
    token = auth.create_session(store, user)
    assert len(token) >= 40
    with store.transaction(write=False) as conn:
        assert token not in str(conn.execute(auth.sessions.select()).all())  # only its hash is kept
    assert auth.session_user(store, token) == user
    clock.now += timedelta(hours=1, minutes=59)
    assert auth.session_user(store, token) == user
    clock.now += timedelta(minutes=2)
    assert auth.session_user(store, token) is None
    auth.create_session(store, user)  # sweeps the expired one
    with store.transaction(write=False) as conn:
        assert len(conn.execute(auth.sessions.select()).all()) == 1


@pytest.mark.parametrize("change", ["role", "disable", "password"])
def test_account_changes_end_sessions(store, change):
    user = auth.add_user(store, "budi", "analyst", PASSWORD)
    token = auth.create_session(store, user)
    if change == "role":
        auth.set_role(store, "budi", "viewer")
    elif change == "disable":
        auth.disable_user(store, "budi")
    else:
        auth.set_password(store, "budi", "kata-sandi-baru-sekali")
    assert auth.session_user(store, token) is None


@pytest.mark.parametrize("token", [None, "", "tidak-ada"])
def test_unknown_sessions(store, token):
    assert auth.session_user(store, token) is None
    auth.end_session(store, token)


def test_sign_out_is_audited(store):
    user = auth.add_user(store, "budi", "analyst", PASSWORD)
    token = auth.create_session(store, user)
    auth.end_session(store, token)
    assert auth.session_user(store, token) is None
    assert read_audit(store, action="sign_out")["actor"].tolist() == ["budi"]


@pytest.mark.parametrize("value", ["0", "-1", "abc", "nan"])
def test_bad_session_hours(monkeypatch, value):
    monkeypatch.setenv("EVALUASI_SESSION_HOURS", value)
    assert code_of(auth.session_hours) == "bad_setting"


# --------------------------------------------------------------------------- OIDC

RULES = "admin:alice@medan.go.id;analyst:@bappeda.medan.go.id, @bkpsdm.medan.go.id\nviewer:@.medan.go.id;viewer:*"


@pytest.mark.parametrize(
    "email, role",
    [
        ("alice@medan.go.id", "admin"),
        ("ALICE@Medan.Go.Id", "admin"),
        ("bob@bappeda.medan.go.id", "analyst"),
        ("eve@bkpsdm.medan.go.id", "analyst"),
        ("dina@dinkes.medan.go.id", "viewer"),
        ("tamu@gmail.com", "viewer"),
        ("bob@evilbappeda.medan.go.id", "viewer"),
        ("bob@bappeda.medan.go.id.evil.com", "viewer"),
        ("", None),
        ("not-an-address", None),
    ],
)
def test_role_for_email(email, role):
    assert auth.role_for_email(email, auth.parse_role_rules(RULES)) == role


def test_most_specific_rule_wins_whatever_the_order():
    rules = auth.parse_role_rules("viewer:*;viewer:@.go.id;analyst:@.medan.go.id;admin:@bappeda.medan.go.id")
    assert auth.role_for_email("x@dinkes.medan.go.id", rules) == "analyst"
    assert auth.role_for_email("x@bappeda.medan.go.id", rules) == "admin"
    assert auth.role_for_email("x@sumutprov.go.id", rules) == "viewer"
    assert auth.role_for_email("x@medan.go.id", auth.parse_role_rules("analyst:@.medan.go.id")) is None


@pytest.mark.parametrize(
    "text",
    ["boss:*", "admin", "admin:@", "admin:a@", "admin:a b@x.id", "admin:*;viewer:*", "admin:@x.id;viewer:@X.ID"],
)
def test_bad_role_rules(text):
    assert code_of(lambda: auth.parse_role_rules(text)) == "bad_oidc_roles"


@pytest.mark.parametrize("text", [None, "", " ; \n "])
def test_empty_rules_let_nobody_in(text):
    assert auth.parse_role_rules(text) == []


def test_oidc_user(store, monkeypatch):
    monkeypatch.setenv("EVALUASI_OIDC_ROLES", RULES)
    user = auth.oidc_user(store, {"email": "Bob@Bappeda.Medan.go.id", "email_verified": True, "name": "Bob"})
    assert user == User("bob@bappeda.medan.go.id", "analyst", source="oidc", email="bob@bappeda.medan.go.id",
                        display_name="Bob")
    assert code_of(lambda: auth.oidc_user(store, {"email": "x@medan.go.id", "email_verified": False})) == \
        "email_unverified"
    assert code_of(lambda: auth.oidc_user(store, {"name": "no e-mail"})) == "no_email"
    assert code_of(lambda: auth.oidc_user(store, {"email": "x@gmail.com", "email_verified": True}, rules=[])) == \
        "no_role"
    # a rule-based role needs a verified address: a provider that omits the claim is not trusted
    assert code_of(lambda: auth.oidc_user(store, {"email": "eve@bappeda.medan.go.id"})) == "email_unverified"
    # an account made by an admin overrides the configuration, and disabling it keeps the person out
    auth.add_user(store, "dina@dinkes.medan.go.id", "admin")
    assert auth.oidc_user(store, {"email": "dina@dinkes.medan.go.id"}).role == "admin"
    auth.disable_user(store, "dina@dinkes.medan.go.id")
    assert code_of(lambda: auth.oidc_user(store, {"email": "dina@dinkes.medan.go.id"})) == "disabled"
    log = read_audit(store, action=["sign_in", "sign_in_failed"])
    reasons = [json.loads(d).get("reason") for d in log["detail"][::-1]]
    assert reasons == [None, "email_unverified", "no_email", "no_role", "email_unverified", None, "disabled"]


# --------------------------------------------------------------------------- the users CLI


@pytest.fixture
def run_cli(monkeypatch, capsys):
    def run(argv: list[str], stdin: str = ""):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = cli.main(argv)
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_users_cli(store, db_url, run_cli):  # noqa: F811
    db = ["--database-url", db_url, "--json"]
    code, out, _ = run_cli(["users", "add", "Admin", "--role", "admin", "--password-stdin", *db], PASSWORD + "\n")
    assert code == 0 and json.loads(out) == {"username": "admin", "role": "admin", "has_password": True}
    assert auth.authenticate(store, "admin", PASSWORD).role == "admin"

    code, out, _ = run_cli(["users", "add", "admin", "--role", "viewer", "--password-stdin", *db], PASSWORD + "\n")
    assert code == 2 and json.loads(out)["error"]["code"] == "user_exists"
    code, out, _ = run_cli(["users", "add", "budi", "--role", "viewer", *db])  # stdin is no terminal
    assert code == 2 and json.loads(out)["error"]["code"] == "password_required"
    code, out, _ = run_cli(["users", "add", "budi", "--role", "viewer", "--password-stdin", *db], "pendek\n")
    assert code == 2 and json.loads(out)["error"]["code"] == "weak_password"
    code, out, _ = run_cli(["users", "add", "alice@medan.go.id", "--role", "analyst", "--no-password", *db])
    assert code == 0 and json.loads(out)["has_password"] is False

    code, out, err = run_cli(["users", "role", "admin", "viewer", *db])
    assert code == 0 and "administrator aktif terakhir" in err  # a warning, not a refusal
    code, out, _ = run_cli(["users", "role", "admin", "admin", *db])
    code, out, _ = run_cli(["users", "disable", "alice@medan.go.id", *db])
    assert code == 0 and json.loads(out)["disabled"] is True
    code, out, _ = run_cli(["users", "enable", "alice@medan.go.id", *db])
    assert code == 0
    code, out, _ = run_cli(["users", "password", "admin", "--password-stdin", *db], "kata-sandi-baru-sekali\n")
    assert code == 0 and auth.authenticate(store, "admin", "kata-sandi-baru-sekali")
    code, out, _ = run_cli(["users", "unlock", "admin", *db])
    assert code == 0
    code, out, _ = run_cli(["users", "disable", "nobody", *db])
    assert code == 2 and json.loads(out)["error"]["code"] == "no_such_user"

    code, out, _ = run_cli(["users", "list", *db])
    listed = {u["username"]: u for u in json.loads(out)["users"]}
    assert set(listed) == {"admin", "alice@medan.go.id"}
    assert listed["admin"]["role"] == "admin" and listed["admin"]["has_password"]
    assert "password_hash" not in listed["admin"] and "$argon2" not in out
    code, out, _ = run_cli(["users", "list", "--database-url", db_url, "--lang", "en"])
    assert code == 0 and "alice@medan.go.id" in out and "no (OIDC)" in out

    actions = read_audit(store, actor=cli_actor())["action"].tolist()[::-1]
    assert actions == ["user_add", "user_add", "role_change", "role_change", "user_disable", "user_enable",
                       "password_change", "user_unlock"]


def test_users_list_empty(db_url, run_cli):  # noqa: F811
    code, out, _ = run_cli(["users", "list", "--database-url", db_url])
    assert code == 0 and out.strip() == "Belum ada akun."


# --------------------------------------------------------------------------- privacy


@pytest.mark.parametrize(
    "nip, masked",
    [
        ("198503122010011003", "198503********1003"),
        ("19850312 201001 1 003", "198503********1003"),
        ("1985.0312.2010.01.1.003", "198503********1003"),
        ("1234567890123456", "12345*******3456"),
        ("12345", "1***5"),
        ("12", "**"),
        ("1", "*"),
        ("", ""),
        (198503122010011003, "198503********1003"),
    ],
)
def test_mask_nip(nip, masked):
    assert mask_nip(nip) == masked
    assert len(masked) == len(str(nip).replace(" ", "").replace(".", ""))


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, pd.NaT])
def test_mask_keeps_missing(missing):
    assert mask_nip(missing) is missing and mask_name(missing) is missing


def test_mask_frame_for_viewers_only():
    frame = pd.DataFrame({
        "nip": pd.Series(["198503122010011003", None, "198503122010011003"], dtype="str"),
        "mentor_nip": pd.Series(["199001012015032001", "199001012015032001", None], dtype="str"),
        "nama": pd.Series(["Budi Santoso", "<img src=x onerror=alert(1)>", None], dtype="str"),
        "nilai_post": [80.0, np.nan, 70.0],
    })
    before = frame.copy()
    masked = for_role(frame, "viewer")
    pd.testing.assert_frame_equal(frame, before)  # the input is not touched
    assert masked["nip"].tolist()[0] == "198503********1003" and pd.isna(masked["nip"].iloc[1])
    assert masked["mentor_nip"].iloc[0] == "199001********2001"
    assert masked["nama"].tolist()[:2] == ["B*** S***", "<*** s*** o***"]
    assert masked["nip"].dtype == frame["nip"].dtype
    pd.testing.assert_series_equal(masked["nilai_post"], frame["nilai_post"])
    assert for_role(frame, User("x", "analyst")) is frame and for_role(frame, "admin") is frame
    assert for_role(frame, None)["nip"].iloc[0] == "198503********1003"  # nobody: masked too


def test_mask_frame_finds_file_headers_of_rejected_rows():
    rejected = pd.DataFrame({"No": [1], "NIP Baru": [1.98503122010011e17], "Nama Pegawai": ["Budi"],
                             "Unit": ["Dinas"], "_reasons": ["nip_as_number"]})
    assert personal_columns(rejected) == (["NIP Baru"], ["Nama Pegawai"])
    masked = mask_frame(rejected)
    assert masked["Nama Pegawai"].iloc[0] == "B***" and "2010011" not in masked["NIP Baru"].iloc[0]
    assert masked["Unit"].iloc[0] == "Dinas"


@pytest.mark.parametrize(
    "header, kind",
    [("nip", "nip"), ("NIP", "nip"), ("NIP Mentor", "nip"), ("mentee_nip", "nip"), ("Nomor Induk Pegawai", "nip"),
     ("nama", "name"), ("Nama Pegawai", "name"), ("NAMA", "name"), ("nama_mentor", "name"), ("Name", "name"),
     ("Nama Pelatihan", None), ("Nama Unit Layanan", None), ("Nipah", None), ("Unit Kerja", None), (7, None)],
)
def test_personal_columns(header, kind):
    nips, names = personal_columns(pd.DataFrame(columns=[header]))
    assert (nips, names) == ([header] if kind == "nip" else [], [header] if kind == "name" else [])


def test_mask_frame_refuses_non_frames():
    with pytest.raises(ValueError, match="frame must be a pandas DataFrame, got dict"):
        mask_frame({"nip": ["1"]})
