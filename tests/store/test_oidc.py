"""Mode ``oidc`` on SQLite and PostgreSQL: the e-mail → role rules and the claims that become a user,
audited (store/oidc.py)."""

from __future__ import annotations

import json

import pytest

from store import accounts, oidc
from store.audit import read_audit
from store.auth import User
from store_fixtures import cheap_hasher, code_of, db_url, store  # noqa: F401  (fixtures)


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
    assert oidc.role_for_email(email, oidc.parse_role_rules(RULES)) == role


def test_most_specific_rule_wins_whatever_the_order():
    rules = oidc.parse_role_rules("viewer:*;viewer:@.go.id;analyst:@.medan.go.id;admin:@bappeda.medan.go.id")
    assert oidc.role_for_email("x@dinkes.medan.go.id", rules) == "analyst"
    assert oidc.role_for_email("x@bappeda.medan.go.id", rules) == "admin"
    assert oidc.role_for_email("x@sumutprov.go.id", rules) == "viewer"
    assert oidc.role_for_email("x@medan.go.id", oidc.parse_role_rules("analyst:@.medan.go.id")) is None


@pytest.mark.parametrize(
    "text",
    ["boss:*", "admin", "admin:@", "admin:a@", "admin:a b@x.id", "admin:*;viewer:*", "admin:@x.id;viewer:@X.ID"],
)
def test_bad_role_rules(text, code_of):
    assert code_of(lambda: oidc.parse_role_rules(text)) == "bad_oidc_roles"


@pytest.mark.parametrize("text", [None, "", " ; \n "])
def test_empty_rules_let_nobody_in(text):
    assert oidc.parse_role_rules(text) == []


def test_oidc_user(store, monkeypatch, code_of):
    monkeypatch.setenv("EVALUASI_OIDC_ROLES", RULES)
    user = oidc.oidc_user(store, {"email": "Bob@Bappeda.Medan.go.id", "email_verified": True, "name": "Bob"})
    assert user == User("bob@bappeda.medan.go.id", "analyst", source="oidc", email="bob@bappeda.medan.go.id",
                        display_name="Bob")
    assert code_of(lambda: oidc.oidc_user(store, {"email": "x@medan.go.id", "email_verified": False})) == \
        "email_unverified"
    assert code_of(lambda: oidc.oidc_user(store, {"name": "no e-mail"})) == "no_email"
    assert code_of(lambda: oidc.oidc_user(store, {"email": "x@gmail.com", "email_verified": True}, rules=[])) == \
        "no_role"
    # a rule-based role needs a verified address: a provider that omits the claim is not trusted
    assert code_of(lambda: oidc.oidc_user(store, {"email": "eve@bappeda.medan.go.id"})) == "email_unverified"
    # an account made by an admin overrides the configuration, and disabling it keeps the person out
    accounts.add_user(store, "dina@dinkes.medan.go.id", "admin")
    assert oidc.oidc_user(store, {"email": "dina@dinkes.medan.go.id"}).role == "admin"
    accounts.disable_user(store, "dina@dinkes.medan.go.id")
    assert code_of(lambda: oidc.oidc_user(store, {"email": "dina@dinkes.medan.go.id"})) == "disabled"
    log = read_audit(store, action=["sign_in", "sign_in_failed"])
    reasons = [json.loads(d).get("reason") for d in log["detail"][::-1]]
    assert reasons == [None, "email_unverified", "no_email", "no_role", "email_unverified", None, "disabled"]


def test_refresh_reads_the_account_again(store, code_of):
    rules = oidc.parse_role_rules("viewer:*")
    user = oidc.oidc_user(store, {"email": "a@medan.go.id", "email_verified": True}, rules)
    assert oidc.refresh_oidc_user(store, user, rules) is user  # unchanged: the same object
    accounts.add_user(store, "a@medan.go.id", "analyst")
    assert oidc.refresh_oidc_user(store, user, rules).role == "analyst"
    accounts.disable_user(store, "a@medan.go.id")
    assert code_of(lambda: oidc.refresh_oidc_user(store, user, rules)) == "disabled"
    assert read_audit(store, action="sign_in")["actor"].tolist() == ["a@medan.go.id"]  # a refresh is no sign-in
