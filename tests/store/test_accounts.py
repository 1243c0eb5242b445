"""Accounts of mode ``local`` on SQLite and PostgreSQL: argon2id hashes, validation, disabling, and
the ``users`` CLI (store/accounts.py, analysis/cli/users.py). Failed sign-ins: test_throttle.py."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pandas as pd
import pytest
from argon2 import PasswordHasher

from analysis.cli.common import cli_actor
from analysis.core.errors import AnalysisError
from store import accounts
from store.audit import read_audit
from store.auth import User
from store.schema import users
from store_fixtures import cheap_hasher, clock, code_of, db_url, run_cli, store  # noqa: F401  (fixtures)

PASSWORD = "rahasia-panjang-sekali"


def test_default_hasher_is_argon2id_rfc9106(store, monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher())
    accounts.add_user(store, "budi", "analyst", PASSWORD)
    with store.transaction(write=False) as conn:
        stored = conn.execute(users.select()).first().password_hash
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and PASSWORD not in stored
    assert accounts.authenticate(store, "budi", PASSWORD).role == "analyst"


def test_sign_in_and_its_audit(store, code_of):
    accounts.add_user(store, "Budi", "analyst", PASSWORD, email="Budi@Medan.go.id", actor="cli:root")
    user = accounts.authenticate(store, " BUDI ", PASSWORD)
    assert user == User("budi", "analyst", email="budi@medan.go.id")
    assert code_of(lambda: accounts.authenticate(store, "budi", PASSWORD + "x")) == "bad_credentials"
    assert code_of(lambda: accounts.authenticate(store, "nobody", PASSWORD)) == "bad_credentials"
    assert code_of(lambda: accounts.authenticate(store, "", "")) == "bad_credentials"
    log = read_audit(store)
    assert log["action"].tolist()[::-1] == ["user_add", "sign_in", "sign_in_failed", "sign_in_failed",
                                            "sign_in_failed"]
    assert log["ok"].tolist()[::-1] == [True, True, False, False, False]
    unknown = json.loads(log.loc[1, "detail"])
    assert unknown["reason"] == "unknown_user" and "nobody" not in log.loc[1].astype(str).str.cat()
    assert log.loc[1, "actor"] == "-"  # the typed text (perhaps a password) is not logged
    assert log.loc[2, "target"] == "budi" and json.loads(log.loc[2, "detail"])["reason"] == "wrong_password"
    assert accounts.list_users(store).loc[0, "last_login_at"] is not pd.NaT


@pytest.mark.parametrize("name", ["a", "budi santoso", "<script>", "-budi", "x" * 255, ""])
def test_bad_usernames(store, name, code_of):
    assert code_of(lambda: accounts.add_user(store, name, "viewer", PASSWORD)) == "bad_username"


@pytest.mark.parametrize("password", ["", "pendek", "123456789", "x" * 1025])
def test_weak_passwords(store, password, code_of):
    assert code_of(lambda: accounts.add_user(store, "budi", "viewer", password)) == "weak_password"
    assert accounts.get_user(store, "budi") is None


def test_duplicate_and_bad_role(store, code_of):
    accounts.add_user(store, "budi", "viewer", PASSWORD)
    assert code_of(lambda: accounts.add_user(store, "BUDI", "viewer", PASSWORD)) == "user_exists"
    assert code_of(lambda: accounts.add_user(store, "ani", "boss", PASSWORD)) == "bad_role"
    assert code_of(lambda: accounts.set_role(store, "budi", "boss")) == "bad_role"
    assert code_of(lambda: accounts.set_role(store, "nobody", "admin")) == "no_such_user"


def test_account_without_password_cannot_sign_in_locally(store, code_of):
    accounts.add_user(store, "alice@medan.go.id", "admin")
    assert code_of(lambda: accounts.authenticate(store, "alice@medan.go.id", "")) == "bad_credentials"


def test_disabled_account(store, code_of):
    accounts.add_user(store, "budi", "analyst", PASSWORD)
    accounts.disable_user(store, "budi", actor="root")
    assert code_of(lambda: accounts.authenticate(store, "budi", PASSWORD)) == "disabled"
    # a wrong password does not reveal that the account is disabled
    assert code_of(lambda: accounts.authenticate(store, "budi", "salah")) == "bad_credentials"
    accounts.enable_user(store, "budi", actor="root")
    assert accounts.authenticate(store, "budi", PASSWORD).role == "analyst"
    actions = read_audit(store, actor="root")["action"].tolist()
    assert actions == ["user_enable", "user_disable"]


def test_find_account_and_the_errors_it_serves(store):
    assert accounts.find_account(store, "budi") is None
    accounts.add_user(store, "budi", "viewer", PASSWORD)
    row = accounts.find_account(store, "budi")
    assert (row.username, row.role, row.disabled, row.failed_attempts) == ("budi", "viewer", False, 0)
    assert row.password_hash.startswith("$argon2id$")
    assert accounts.find_account(store, "BUDI") is None  # names are stored, and looked up, lower case
    assert accounts.no_such_user("ani").message("id") == "Tidak ada akun 'ani'."
    assert accounts.account_disabled().code == "disabled"


# --------------------------------------------------------------------------- the users CLI


def test_users_cli(store, db_url, run_cli):  # noqa: F811
    db = ["--database-url", db_url, "--json"]
    code, out, _ = run_cli(["users", "add", "Admin", "--role", "admin", "--password-stdin", *db], PASSWORD + "\n")
    assert code == 0 and json.loads(out) == {"username": "admin", "role": "admin", "has_password": True}
    assert accounts.authenticate(store, "admin", PASSWORD).role == "admin"

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
    assert code == 0 and accounts.authenticate(store, "admin", "kata-sandi-baru-sekali")
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
