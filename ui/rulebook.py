"""Rule sets an administrator edits in the app — the follow-up recommendation rules (Tindak Lanjut)
and the development-plan rules (Pengembangan Pegawai): the rules in force (the version saved in the
database under the set's name, :mod:`store.rulesets`, or the shipped TOML file), saving (checked by
the set's parser first, so the error names the rule and the field), resetting, the history, and the
page section that shows the rules and, for administrators, edits them. Every save and reset is a
new version, audited by the store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.core.errors import AnalysisError
from analysis.core.i18n import translate
from analysis.rules.engine import RuleSet
from store import rulesets
from ui import data
from ui.session import can, lang, local_time, md_escape, tr, user

STRINGS = {
    "invalid": {
        "id": "Aturan tersimpan (versi {version}) tidak lagi sah ({message}); aturan bawaan dipakai sampai "
              "administrator memperbaikinya.",
        "en": "The stored rules (version {version}) are no longer valid ({message}); the shipped rules apply until "
              "an administrator fixes them."},
    "source.edited": {"id": "Aturan versi {version}, disimpan oleh {who} pada {when} WIB.",
                      "en": "Rules version {version}, saved by {who} on {when} WIB."},
    "edit.header": {"id": "Ubah aturan (administrator)", "en": "Edit the rules (administrator)"},
    "edit.text": {"id": "Aturan (TOML)", "en": "Rules (TOML)"},
    "edit.help": {"id": "Diperiksa sebelum disimpan; kesalahan menyebut aturan dan isiannya. Setiap penyimpanan "
                         "menjadi versi baru dan tercatat di log audit.",
                  "en": "Checked before saving; a mistake names the rule and the field. Every save is a new version "
                        "and is recorded in the audit log."},
    "edit.save": {"id": "Simpan aturan", "en": "Save the rules"},
    "edit.reset": {"id": "Kembali ke aturan bawaan", "en": "Back to the shipped rules"},
    "edit.saved": {"id": "Aturan tersimpan sebagai versi {version}.", "en": "Rules saved as version {version}."},
    "edit.was_reset": {"id": "Aturan bawaan berlaku lagi.", "en": "The shipped rules apply again."},
    "edit.history": {"id": "Riwayat versi", "en": "Version history"},
}

#: Who may edit a rule set.
EDIT_ROLE = "admin"


@dataclass(frozen=True)
class RulesInForce:
    """The parsed rules, the stored version behind them (0: shipped) and any problem reading it."""

    rules: RuleSet
    version: int
    edited: bool
    saved_by: str | None = None
    saved_at: object = None
    problem: str | None = None


@dataclass(frozen=True)
class RuleBook:
    """One editable rule set: its name in the store, its parser (``parse(text, origin)``, raising
    ``AnalysisError`` naming the rule and the field), the shipped rules and the file they come from."""

    name: str
    parse: Callable[[str, str], RuleSet]
    default: Callable[[], RuleSet]
    default_file: Path

    def in_force(self) -> RulesInForce:
        """The rules saved in the database, or the shipped ones (also when a stored text no longer
        parses: then ``problem`` says so)."""
        stored = rulesets.current_rules(data.store(), self.name)
        if stored.text is None:
            return RulesInForce(self.default(), stored.version, False, stored.saved_by, stored.saved_at)
        try:
            parsed = self.parse(stored.text, f"database v{stored.version}")
        except AnalysisError as err:  # a stored text a newer release no longer accepts
            problem = translate(STRINGS, "invalid", lang(), version=stored.version, message=err.message(lang()))
            return RulesInForce(self.default(), stored.version, True, stored.saved_by, stored.saved_at,
                                problem=problem)
        return RulesInForce(parsed, stored.version, True, stored.saved_by, stored.saved_at)

    def save(self, text: str) -> int:
        """Save an administrator's text as a new version, checked first; returns the version."""
        def check(candidate: str) -> dict:
            return {"rules": len(self.parse(candidate, "edit").rules)}

        return rulesets.save_rules(data.store(), self.name, text, user(), check=check).version

    def reset(self) -> None:
        """Back to the shipped rules (a new version; the edits stay in the history), audited."""
        rulesets.reset_rules(data.store(), self.name, user())

    def versions(self) -> pd.DataFrame:
        """Every saved version, newest first (``store.rulesets.list_rule_versions``)."""
        return rulesets.list_rule_versions(data.store(), self.name)

    def text(self) -> str:
        """The text to edit: the stored one, or the shipped file."""
        stored = rulesets.current_rules(data.store(), self.name).text
        return stored if stored is not None else self.default_file.read_text(encoding="utf-8")


def rules_section(book: RuleBook, rules: RulesInForce, table: pd.DataFrame, *, key: str, header: str,
                  shipped: str, order: str, flash: Callable[[str], None]) -> None:
    """The rules as a table under ``header`` with where they come from (``shipped`` names the file)
    and how they are read (``order``); for administrators, the editor. ``flash`` shows a message
    after the rerun a save or reset causes. Widget keys start with ``key``."""
    st.subheader(header)
    if rules.edited and not rules.problem:
        st.caption(tr(STRINGS, "source.edited", version=rules.version, who=md_escape(rules.saved_by or "–"),
                      when=local_time(rules.saved_at)))
    else:
        st.caption(shipped)
    st.caption(order)
    st.dataframe(table, hide_index=True, width="stretch", key=f"{key}_rules")
    if can(EDIT_ROLE):
        _editor(book, rules, key, flash)


def _editor(book: RuleBook, rules: RulesInForce, key: str, flash: Callable[[str], None]) -> None:
    with st.expander(tr(STRINGS, "edit.header")):
        text = st.text_area(tr(STRINGS, "edit.text"), value=book.text(), height=420,
                            key=f"{key}_rules_text_{rules.version}", help=tr(STRINGS, "edit.help"))
        st.caption(tr(STRINGS, "edit.help"))
        c1, c2 = st.columns(2)
        if c1.button(tr(STRINGS, "edit.save"), key=f"{key}_rules_save", type="primary"):
            try:
                version = book.save(text)
            except AnalysisError as err:
                st.error(md_escape(err.message(lang())))
            else:
                flash(tr(STRINGS, "edit.saved", version=version))
        if rules.edited and c2.button(tr(STRINGS, "edit.reset"), key=f"{key}_rules_reset"):
            book.reset()
            flash(tr(STRINGS, "edit.was_reset"))
        history = book.versions()
        if not history.empty:
            st.caption(tr(STRINGS, "edit.history"))
            view = history.assign(saved_at=history["saved_at"].map(local_time)).drop(columns=["sha256"])
            st.dataframe(view, hide_index=True, width="stretch", key=f"{key}_rules_history")
