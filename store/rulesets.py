"""Rule sets kept in the database: versioned, audited, one history per rule-set name.

The product ships each rule set as a TOML file (the follow-up recommendation rules:
``analysis/followup/default_rules.toml``, under the name ``followup``). An administrator may edit
it; each save is a new version holding the text as written (table ``rule_set_versions`` of
:mod:`store.schema`), audited as ``rules_edit`` in the same transaction, and a reset is a version
too, which brings the shipped rules back. Until the first save — and after a reset — the rules in
force are the shipped ones (:attr:`StoredRules.text` is None). Every app server on the database sees
an edit at once.

The store keeps text and knows nothing of rules: a caller passes ``check``, which reads the text
(``analysis.followup.recommend.parse_followup_rules`` for the follow-up rules) and refuses a bad
one with an ``AnalysisError`` that names the rule and the field, before anything is written. The
same functions serve any other rule set (a per-employee development plan) under its own name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import func, insert, select

from analysis.core.errors import AnalysisError
from store import audit, db
from store.schema import MAX_RULE_SET_NAME, rule_set_versions

if TYPE_CHECKING:  # pragma: no cover
    from store.db import Database

#: Longest rule-set text accepted (characters).
MAX_TEXT = 100_000
VERSION_COLUMNS = ["version", "saved_at", "saved_by", "reset", "sha256"]


@dataclass(frozen=True)
class StoredRules:
    """The rule set in force under a name, and where it comes from.

    Attributes
    ----------
    name : str
    text : str or None
        The saved TOML text; None while the shipped rules are in force (nothing saved, or a reset).
    version : int
        The version in force (it changes with every save and reset: a cache key); 0 while nothing
        was ever saved.
    saved_by : str or None
    saved_at : datetime or None

    Examples
    --------
    >>> from store.db import Database
    >>> current_rules(Database("sqlite://"), "followup")
    StoredRules(name='followup', text=None, version=0, saved_by=None, saved_at=None)
    """

    name: str
    text: str | None
    version: int
    saved_by: str | None = None
    saved_at: datetime | None = None

    @property
    def edited(self) -> bool:
        """True for an administrator's text, False for the shipped rules."""
        return self.text is not None


def _name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_RULE_SET_NAME:
        raise ValueError(f"name must be a rule-set name of 1 to {MAX_RULE_SET_NAME} characters, got {name!r}")
    return name.strip()


def rules_version(store: Database, name: str) -> int:
    """The version of rule set ``name`` in force, read cheaply; 0 while nothing was ever saved.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> before = rules_version(store, "followup")
    >>> _ = save_rules(store, "followup", "rule_set = 'followup'", "admin")
    >>> before, rules_version(store, "followup"), rules_version(store, "other")
    (0, 1, 0)
    """
    name = _name(name)
    with store.transaction(write=False) as conn:
        return int(conn.execute(select(func.coalesce(func.max(rule_set_versions.c.id), 0))
                                .where(rule_set_versions.c.name == name)).scalar_one())


def current_rules(store: Database, name: str) -> StoredRules:
    """The rule set ``name`` in force: the latest saved text, or None for the shipped rules.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> _ = save_rules(store, "followup", "# edited", "admin")
    >>> now = current_rules(store, "followup")
    >>> now.text, now.version, now.edited, now.saved_by
    ('# edited', 1, True, 'admin')
    """
    name = _name(name)
    with store.transaction(write=False) as conn:
        latest = conn.execute(select(rule_set_versions).where(rule_set_versions.c.name == name)
                              .order_by(rule_set_versions.c.id.desc()).limit(1)).first()
    if latest is None:
        return StoredRules(name, None, 0)
    return StoredRules(name, None if latest.reset else latest.text, int(latest.id), latest.saved_by, latest.saved_at)


def save_rules(store: Database, name: str, text: str, actor: Any = "system", *,
               check: Callable[[str], Mapping | None] | None = None) -> StoredRules:
    """Save an edited rule set as a new version, in force at once; audited as ``rules_edit``.

    Parameters
    ----------
    store : store.db.Database
    name : str
        The rule set, e.g. ``"followup"``.
    text : str
        The TOML text as the administrator wrote it; kept byte for byte.
    actor : str or User
        Who saves it; a user object must be an admin.
    check : callable, optional
        Called with ``text`` before anything is written; raises ``AnalysisError`` for a bad rule
        set (nothing is saved then) and may return a mapping of facts to add to the audit entry
        (e.g. ``{"rules": 13}``).

    Raises
    ------
    AnalysisError
        ``rules_too_long`` over :data:`MAX_TEXT` characters, ``rules_empty`` for blank text, or
        whatever ``check`` raises; ``forbidden`` for a user who is not an admin.

    Examples
    --------
    >>> from store.audit import read_audit
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> saved = save_rules(store, "followup", "x = 1", "admin", check=lambda text: {"rules": 0})
    >>> saved.version, saved.text
    (1, 'x = 1')
    >>> read_audit(store)[["actor", "action", "target"]].to_dict("records")
    [{'actor': 'admin', 'action': 'rules_edit', 'target': 'followup'}]
    """
    who = audit.acting(actor, "admin")
    name = _name(name)
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    if not text.strip():
        raise AnalysisError("rules_empty", "Aturan kosong: tulis aturannya, atau kembali ke aturan bawaan.",
                            "The rules are empty: write them, or go back to the shipped rules.")
    if len(text) > MAX_TEXT:
        raise AnalysisError("rules_too_long", f"Aturan paling panjang {MAX_TEXT:,} karakter.".replace(",", "."),
                            f"Rules hold at most {MAX_TEXT:,} characters.")
    facts = dict(check(text) or {}) if check is not None else {}
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    now = db.utcnow()
    with store.transaction() as conn:
        version = conn.execute(
            insert(rule_set_versions)
            .values(name=name, saved_at=now, saved_by=who, reset=False, text=text, sha256=digest)
            .returning(rule_set_versions.c.id)
        ).scalar_one()
        audit.record(conn, who, "rules_edit", target=name,
                     detail={"version": int(version), "sha256": digest, **facts})
    return StoredRules(name, text, int(version), who, now)


def reset_rules(store: Database, name: str, actor: Any = "system") -> StoredRules:
    """Go back to the shipped rules: a new version without text (the edits stay in the history),
    audited as ``rules_edit``. Nothing happens while no edit is in force.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> reset_rules(store, "followup").version  # nothing edited: nothing to do
    0
    >>> _ = save_rules(store, "followup", "x = 1")
    >>> back = reset_rules(store, "followup", "admin")
    >>> back.version, back.text, back.edited
    (2, None, False)
    """
    who = audit.acting(actor, "admin")
    name = _name(name)
    current = current_rules(store, name)
    if not current.edited:
        return current
    now = db.utcnow()
    with store.transaction() as conn:
        version = conn.execute(
            insert(rule_set_versions)
            .values(name=name, saved_at=now, saved_by=who, reset=True, text=None, sha256=None)
            .returning(rule_set_versions.c.id)
        ).scalar_one()
        audit.record(conn, who, "rules_edit", target=name, detail={"version": int(version), "reset": True})
    return StoredRules(name, None, int(version), who, now)


def list_rule_versions(store: Database, name: str) -> pd.DataFrame:
    """Every saved version of rule set ``name``, newest first.

    Returns
    -------
    pandas.DataFrame
        ``version, saved_at`` (UTC), ``saved_by, reset`` (True: back to the shipped rules), ``sha256``.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> _ = save_rules(store, "followup", "x = 1", "ani")
    >>> list_rule_versions(store, "followup")[["version", "saved_by", "reset"]].to_dict("records")
    [{'version': 1, 'saved_by': 'ani', 'reset': False}]
    """
    name = _name(name)
    query = (select(rule_set_versions.c.id, rule_set_versions.c.saved_at, rule_set_versions.c.saved_by,
                    rule_set_versions.c.reset, rule_set_versions.c.sha256)
             .where(rule_set_versions.c.name == name).order_by(rule_set_versions.c.id.desc()))
    with store.transaction(write=False) as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=VERSION_COLUMNS)
    frame["version"] = frame["version"].astype("int64")
    frame["saved_at"] = pd.to_datetime(frame["saved_at"], utc=True)
    frame["saved_by"] = frame["saved_by"].astype("str")
    frame["reset"] = frame["reset"].astype(bool)
    frame["sha256"] = frame["sha256"].astype("str")
    return frame


def rules_text(store: Database, name: str, version: int) -> str | None:
    """The text of one saved version (None for a reset, or a version of another rule set).

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> v = save_rules(store, "followup", "x = 1").version
    >>> rules_text(store, "followup", v), rules_text(store, "other", v)
    ('x = 1', None)
    """
    name = _name(name)
    with store.transaction(write=False) as conn:
        row = conn.execute(select(rule_set_versions.c.text).where(
            (rule_set_versions.c.id == int(version)) & (rule_set_versions.c.name == name))).first()
    return None if row is None else row.text
