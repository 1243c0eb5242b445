"""The theme dictionary in the database, on SQLite and PostgreSQL: read from the shipped CSV while no
edit exists, each save a new version with its audit entry, seen by every server on the same database,
and a reset back to the shipped file (store/themes.py)."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from analysis.core.config import THEMES_CSV
from analysis.core.errors import AnalysisError
from analysis.voice.themes import parse_themes, tag_comments, themes_frame
from store import themes
from store.audit import read_audit
from store.auth import User
from store.datasets import Store
from store_fixtures import db_url, store  # noqa: F401  (fixtures)


def shipped_rows() -> list[dict]:
    """The shipped file read with the csv module: the reference the store is checked against."""
    with open(THEMES_CSV, encoding="utf-8-sig", newline="") as f:
        return [{"tema": r["tema"], "kata_kunci": r["kata_kunci"]} for r in csv.DictReader(f)]


EDIT = pd.DataFrame({"tema": ["sarana", "biaya", "sarana"], "kata_kunci": ["toilet", "pungli", "parkir*"]})


def test_the_shipped_csv_is_in_force_while_nothing_was_saved(store):
    current = themes.current_themes(store)
    assert (current.version, current.edited, current.saved_by, current.saved_at) == (0, False, None, None)
    assert current.frame.to_dict("records") == shipped_rows()
    assert len(shipped_rows()) == 155  # data/tema_saran.csv: 156 lines, one of them the header
    assert themes.theme_version(store) == 0 and themes.list_theme_versions(store).empty


def test_a_save_is_a_new_version_with_its_audit_entry(store):
    first = themes.save_themes(store, EDIT, User("root", "admin"))
    assert (first.version, first.edited, first.saved_by) == (1, True, "root")
    second = themes.save_themes(store, EDIT.iloc[:2], "cli:root")
    assert second.version == 2 and themes.theme_version(store) == 2
    current = themes.current_themes(store)
    assert current.frame.to_dict("records") == [{"tema": "sarana", "kata_kunci": "toilet"},
                                               {"tema": "biaya", "kata_kunci": "pungli"}]
    assert (current.version, current.edited, current.saved_by) == (2, True, "cli:root")
    log = read_audit(store, action="themes_edit")
    assert log["actor"].tolist() == ["cli:root", "root"]
    assert [json.loads(d) for d in log["detail"]] == [{"version": 2, "themes": 2, "keywords": 2},
                                                       {"version": 1, "themes": 2, "keywords": 3}]
    history = themes.list_theme_versions(store)
    assert history[["version", "saved_by", "reset", "themes", "keywords"]].to_dict("records") == [
        {"version": 2, "saved_by": "cli:root", "reset": False, "themes": 2, "keywords": 2},
        {"version": 1, "saved_by": "root", "reset": False, "themes": 2, "keywords": 3}]
    assert str(history["saved_at"].dt.tz) == "UTC"


def test_every_server_on_the_same_database_sees_an_edit(db_url):
    one, two = Store(db_url), Store(db_url)  # two app servers behind a load balancer
    assert themes.current_themes(two).version == 0
    themes.save_themes(one, EDIT, "admin")
    seen = themes.current_themes(two)
    assert (seen.version, seen.edited) == (1, True)
    assert seen.frame.to_dict("records") == EDIT.to_dict("records")
    themes.reset_themes(two, "admin")
    assert themes.current_themes(one).frame.to_dict("records") == shipped_rows()
    one.close()
    two.close()


def test_reset_brings_back_the_shipped_file_and_keeps_the_history(store):
    assert themes.reset_themes(store, "admin").version == 0  # nothing edited: nothing happens
    assert read_audit(store).empty
    themes.save_themes(store, EDIT, "admin")
    back = themes.reset_themes(store, "admin")
    assert (back.version, back.edited, back.saved_by) == (2, False, "admin")
    assert back.frame.to_dict("records") == shipped_rows()
    current = themes.current_themes(store)
    assert (current.version, current.edited) == (2, False)
    assert current.frame.to_dict("records") == shipped_rows()
    assert themes.reset_themes(store, "admin").version == 2  # a second reset adds nothing
    assert [json.loads(d) for d in read_audit(store)["detail"]] == [
        {"version": 2, "reset": True}, {"version": 1, "themes": 2, "keywords": 3}]
    history = themes.list_theme_versions(store)
    assert history["reset"].tolist() == [True, False]
    assert history.loc[0, "themes"] == 11 and history.loc[0, "keywords"] == 155  # the shipped file's
    assert themes.save_themes(store, EDIT, "admin").version == 3


@pytest.mark.parametrize(
    "frame, code",
    [(EDIT.iloc[:0], "themes_unreadable"),
     (pd.DataFrame({"tema": ["biaya"], "kata_kunci": ["x" * 201]}), "themes_too_long")],
)
def test_a_save_refuses_what_is_no_dictionary(store, frame, code):
    with pytest.raises(AnalysisError) as err:
        themes.save_themes(store, frame, "admin")
    assert err.value.code == code
    assert themes.theme_version(store) == 0 and read_audit(store).empty


@pytest.mark.parametrize(
    "frame, match",
    [(pd.DataFrame({"theme": ["biaya"], "keyword": ["tarif"]}), "columns \\['tema', 'kata_kunci'\\], got \\['theme'"),
     ([("biaya", "tarif")], "got list"),
     (pd.DataFrame({"tema": ["biaya", "sarana"], "kata_kunci": ["tarif", " "]}), "blank theme or keyword"),
     (pd.DataFrame({"tema": [None], "kata_kunci": ["tarif"]}), "blank theme or keyword")],
)
def test_a_save_refuses_an_uncleaned_frame(store, frame, match):
    with pytest.raises(ValueError, match=match):
        themes.save_themes(store, frame, "admin")
    assert themes.theme_version(store) == 0


def test_only_an_admin_saves_or_resets(store):
    for call in (lambda: themes.save_themes(store, EDIT, User("budi", "analyst")),
                 lambda: themes.reset_themes(store, User("budi", "analyst"))):
        with pytest.raises(AnalysisError) as err:
            call()
        assert err.value.code == "forbidden"
    assert themes.theme_version(store) == 0


def test_a_missing_shipped_file_is_reported(store, tmp_path):
    with pytest.raises(AnalysisError) as err:
        themes.current_themes(store, shipped=tmp_path / "none.csv")
    assert err.value.code == "themes_unreadable"
    (tmp_path / "bad.csv").write_text("tema,kata\nbiaya,tarif\n", encoding="utf-8")
    with pytest.raises(AnalysisError) as err:
        themes.read_shipped_themes(tmp_path / "bad.csv")
    assert err.value.code == "themes_unreadable" and "kata_kunci" in err.value.message("en")


def test_a_saved_dictionary_tags_comments(store):
    # what the app does: clean the admin's edit, save it, read it back, tag with it
    edited = pd.DataFrame({"tema": ["Parkir ", "biaya"], "kata_kunci": ["Parkir*", "Pungli"]})
    themes.save_themes(store, themes_frame(zip(edited["tema"], edited["kata_kunci"])), "admin")
    dictionary = parse_themes(themes.current_themes(store).frame)
    comments = pd.DataFrame({"saran": ["Tempat parkirnya sempit", "Ada pungli di loket", "Terima kasih"]})
    assert tag_comments(comments, dictionary)["tema"].tolist()[:2] == ["parkir", "biaya"]
    assert pd.isna(tag_comments(comments, dictionary)["tema"].iloc[2])
