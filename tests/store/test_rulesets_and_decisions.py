"""Rule sets and meeting decisions in the database, on SQLite and PostgreSQL (store/rulesets.py,
store/decisions.py): every save is a version with its audit entry and is checked before it is
written; a decision record is append-only, survives a restart (a second Store on the same
database), is audited, and a correction is a new record."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError

from analysis.core.errors import AnalysisError
from analysis.followup.decisions import decision_in_force
from analysis.followup.recommend import DEFAULT_RULES, RECOMMENDATIONS, RULE_SET, parse_followup_rules
from store import decisions, rulesets
from store.audit import read_audit
from store.auth import User
from store.datasets import Store
from store.schema import decisions as decisions_table
from store_fixtures import db_url, store  # noqa: F401  (fixtures)

SHIPPED = DEFAULT_RULES.read_text(encoding="utf-8")
EDITED = SHIPPED.replace('{ fact = "learning.n", lt = 10 },', '{ fact = "learning.n", lt = 20 },', 1)


def check(text: str) -> dict:
    """What the app passes: the follow-up parser, and the number of rules for the audit entry."""
    return {"rules": len(parse_followup_rules(text, "edit").rules)}


# --------------------------------------------------------------------------- rule sets


def test_the_shipped_rules_are_in_force_while_nothing_was_saved(store):
    current = rulesets.current_rules(store, RULE_SET)
    assert (current.text, current.version, current.edited) == (None, 0, False)
    assert rulesets.list_rule_versions(store, RULE_SET).empty


def test_a_save_is_checked_versioned_and_audited(store):
    saved = rulesets.save_rules(store, RULE_SET, EDITED, User("root", "admin"), check=check)
    assert (saved.version, saved.text, saved.saved_by) == (1, EDITED, "root")
    assert rulesets.current_rules(store, RULE_SET).text == EDITED  # byte for byte
    log = read_audit(store, action="rules_edit")
    assert log[["actor", "target"]].to_dict("records") == [{"actor": "root", "target": "followup"}]
    detail = json.loads(log.loc[0, "detail"])
    assert detail["version"] == 1 and detail["rules"] == 13 and len(detail["sha256"]) == 64
    assert rulesets.rules_text(store, RULE_SET, 1) == EDITED


def test_a_bad_rule_set_is_refused_before_anything_is_written(store):
    bad = EDITED.replace('fact = "behaviour.design"', 'fact = "behaviour.desain"')
    with pytest.raises(AnalysisError) as err:
        rulesets.save_rules(store, RULE_SET, bad, "admin", check=check)
    assert err.value.code == "invalid_rules"
    assert "rule 'scale_up' (no. 6), field 'when[3].fact'" in err.value.message("en")
    assert rulesets.rules_version(store, RULE_SET) == 0 and read_audit(store).empty
    with pytest.raises(AnalysisError) as err:
        rulesets.save_rules(store, RULE_SET, "   ", "admin", check=check)
    assert err.value.code == "rules_empty"


def test_reset_and_history_and_names_are_separate(store):
    rulesets.save_rules(store, RULE_SET, EDITED, "admin")
    rulesets.save_rules(store, "rencana_pengembangan", "x = 1", "admin")  # another rule set, its own history
    back = rulesets.reset_rules(store, RULE_SET, "admin")
    assert (back.text, back.edited, back.version) == (None, False, 3)
    assert rulesets.current_rules(store, "rencana_pengembangan").text == "x = 1"
    assert rulesets.list_rule_versions(store, RULE_SET)[["version", "reset"]].to_dict("records") == [
        {"version": 3, "reset": True}, {"version": 1, "reset": False}]
    assert rulesets.reset_rules(store, RULE_SET, "admin").version == 3  # nothing edited: nothing added


def test_only_an_admin_edits_rules(store):
    for who in (User("budi", "analyst"), User("ani", "viewer")):
        with pytest.raises(AnalysisError) as err:
            rulesets.save_rules(store, RULE_SET, EDITED, who)
        assert err.value.code == "forbidden"
    assert rulesets.rules_version(store, RULE_SET) == 0


def test_every_server_sees_an_edit(db_url):  # noqa: F811
    one, two = Store(db_url), Store(db_url)
    rulesets.save_rules(one, RULE_SET, EDITED, "admin")
    assert rulesets.current_rules(two, RULE_SET).text == EDITED
    one.close()
    two.close()


# --------------------------------------------------------------------------- decisions


def record(store, **changes) -> int:
    values = dict(rule_set=RULE_SET, subject="Literasi Data", decision="perbaiki",
                  reasons="Materi praktik ditambah; evaluasi lagi triwulan depan.", decided_on="2025-07-03",
                  actor=User("ani", "analyst"), period="2025-Q2", recommendation="perbaiki",
                  rule="learning_not_behaviour", rules_version=0,
                  snapshot={"learning.effect": 0.8, "behaviour.estimate": float("nan")},
                  allowed=tuple(RECOMMENDATIONS))
    values.update(changes)
    return decisions.record_decision(store, **values)


def test_a_decision_survives_a_restart_and_is_in_the_audit_log(db_url):  # noqa: F811
    first = Store(db_url)
    new_id = record(first)
    first.close()
    again = Store(db_url)  # the app restarted: a new Store on the same database
    try:
        rows = decisions.list_decisions(again, RULE_SET)
        assert rows["id"].tolist() == [new_id]
        row = rows.iloc[0]
        assert (row["subject"], row["decision"], row["period"], row["recorded_by"]) == (
            "Literasi Data", "perbaiki", "2025-Q2", "ani")
        assert row["decided_on"] == dt.datetime(2025, 7, 3) and row["reasons"].startswith("Materi praktik")
        assert json.loads(row["snapshot"]) == {"learning.effect": 0.8, "behaviour.estimate": None}
        log = read_audit(again, action="decision_record")
        assert log[["actor", "target"]].to_dict("records") == [{"actor": "ani", "target": "Literasi Data"}]
        detail = json.loads(log.loc[0, "detail"])
        assert detail == {"id": new_id, "rule_set": "followup", "decision": "perbaiki", "period": "2025-Q2",
                          "decided_on": "2025-07-03", "recommendation": "perbaiki",
                          "rule": "learning_not_behaviour", "corrects": None}
    finally:
        again.close()


def test_the_database_refuses_to_change_or_delete_a_decision(store):
    new_id = record(store)
    for statement in (update(decisions_table).where(decisions_table.c.id == new_id).values(decision="lanjutkan"),
                      delete(decisions_table).where(decisions_table.c.id == new_id)):
        with pytest.raises(DBAPIError, match="append-only"):
            with store.transaction() as conn:
                conn.execute(statement)
    assert decisions.list_decisions(store, RULE_SET)["decision"].tolist() == ["perbaiki"]


def test_a_correction_is_a_new_record(store):
    first = record(store)
    fixed = record(store, decision="lanjutkan", reasons="Koreksi: rapat memutuskan lanjutkan.", corrects=first)
    rows = decisions.list_decisions(store, RULE_SET)
    assert rows["decision"].tolist() == ["perbaiki", "lanjutkan"]  # the first is kept as it was
    assert rows["corrects"].isna().tolist() == [True, False] and rows["corrects"].iloc[1] == first
    found, how = decision_in_force(rows, "Literasi Data", "2025-Q2")
    assert (found["id"], how) == (fixed, "this_period")
    with pytest.raises(AnalysisError) as err:
        record(store, subject="Pelayanan Prima", corrects=first)  # not a record of that program
    assert err.value.code == "unknown_decision"


@pytest.mark.parametrize("changes, code", [
    ({"reasons": "  "}, "decision_reasons_required"),
    ({"decision": "tunda"}, "invalid_decision"),
    ({"decided_on": None}, "decision_date_required"),
    ({"decided_on": dt.date.today() + dt.timedelta(days=10)}, "decision_in_future"),
    ({"actor": User("pimpinan", "viewer")}, "forbidden"),
])
def test_what_is_refused(store, changes, code):
    with pytest.raises(AnalysisError) as err:
        record(store, **changes)
    assert err.value.code == code
    assert decisions.list_decisions(store, RULE_SET).empty and read_audit(store).empty


def test_decisions_of_one_subject(store):
    record(store)
    record(store, subject="Pelayanan Prima", decision="kembangkan")
    assert decisions.list_decisions(store, RULE_SET, subject="Pelayanan Prima")["decision"].tolist() == ["kembangkan"]
    assert decisions.list_decisions(store, "other").empty
    with store.transaction(write=False) as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM decisions")).scalar_one() == 2
