"""The audit log on SQLite and PostgreSQL: the actions it knows, who is recorded, filters, and an
entry that commits or rolls back with its action (store/audit.py, analysis/cli/audit.py)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from analysis.core.errors import AnalysisError
from store import audit
from store.auth import User
from store_fixtures import db_url, store  # noqa: F401  (fixtures)


def test_record_knows_only_the_application_actions(store):
    with pytest.raises(ValueError, match="action must be one of sign_in, .*, got 'delete_everything'"):
        with store.transaction() as conn:
            audit.record(conn, "budi", "delete_everything")
    assert audit.read_audit(store).empty


@pytest.mark.parametrize(
    "actor, name",
    [("budi", "budi"), ("  cli:root ", "cli:root"), (SimpleNamespace(username="ani"), "ani"),
     (User("rudi", "viewer"), "rudi"), ("x" * 300, "x" * 255)],
)
def test_actor_name(actor, name):
    assert audit.actor_name(actor) == name


@pytest.mark.parametrize("actor", ["", "   ", None, 7, SimpleNamespace(username="")])
def test_actor_name_refuses_nobody(actor):
    with pytest.raises(ValueError, match="actor must be a user or a non-empty name"):
        audit.actor_name(actor)


def test_acting_checks_the_role_of_a_user_only():
    assert audit.acting("cli:root", "admin") == "cli:root"  # a name is trusted: whoever runs the CLI
    assert audit.acting(User("budi", "admin"), "analyst") == "budi"
    for user, needed in ((User("ani", "viewer"), "analyst"), (User("budi", "analyst"), "admin")):
        with pytest.raises(AnalysisError) as err:
            audit.acting(user, needed)
        assert err.value.code == "forbidden"


def test_an_entry_rolls_back_with_its_action(store):
    with pytest.raises(RuntimeError):
        with store.transaction() as conn:
            audit.record(conn, "budi", "export", version_id=1)
            raise RuntimeError("the export failed")
    audit.log_event(store, "budi", "export", version_id=2, detail={"format": "csv", "when": datetime(2025, 3, 12)})
    log = audit.read_audit(store)
    assert log["version_id"].tolist() == [2]
    assert json.loads(log.loc[0, "detail"]) == {"format": "csv", "when": "2025-03-12T00:00:00"}


def test_read_audit_filters_and_types(store):
    t0 = datetime(2025, 3, 12, 8, 0)
    for minutes, actor, action, dataset in ((0, "budi", "upload", 1), (10, "budi", "publish", 1),
                                            (20, "ani", "export", 2), (30, "root", "archive", 1)):
        with store.transaction() as conn:
            audit.record(conn, actor, action, dataset_id=dataset, at=t0 + timedelta(minutes=minutes))
    log = audit.read_audit(store)
    assert log["action"].tolist() == ["archive", "export", "publish", "upload"]  # newest first
    assert log.columns.tolist() == audit.COLUMNS
    assert str(log["at"].dt.tz) == "UTC" and str(log["dataset_id"].dtype) == "Int64" and log["ok"].all()
    assert audit.read_audit(store, action=["upload", "export"])["actor"].tolist() == ["ani", "budi"]
    assert audit.read_audit(store, actor="budi", action="publish")["dataset_id"].tolist() == [1]
    assert audit.read_audit(store, dataset_id=2)["action"].tolist() == ["export"]
    assert audit.read_audit(store, limit=1)["action"].tolist() == ["archive"]
    # 08:10 UTC is 15:10 in Medan (WIB, UTC+7): an aware bound is converted, a naive one taken as UTC
    wib = timezone(timedelta(hours=7))
    since = audit.read_audit(store, since=datetime(2025, 3, 12, 15, 10, tzinfo=wib), until=t0 + timedelta(minutes=30))
    assert since["action"].tolist() == ["export", "publish"]
    with pytest.raises(ValueError, match="limit must be at least 1, got 0"):
        audit.read_audit(store, limit=0)
