"""The theme dictionary of citizens' comments (keyword → theme), kept in the database.

The product ships a dictionary, ``data/tema_saran.csv`` (:data:`analysis.core.config.THEMES_CSV`).
An administrator may edit it; each save is a new version (tables ``theme_versions`` and
``theme_keywords`` of :mod:`store.schema`), audited as ``themes_edit`` in the same transaction,
and a reset is a version too, which brings the shipped file back. Until the first save — and
after a reset — the dictionary in force is the shipped file, read as it is. Because the versions
live in the database, every app server behind a load balancer sees an administrator's edit.

The store keeps the (theme, keyword) pairs it is given, in their order; cleaning and matching are
the business of :mod:`analysis.voice.themes` (``parse_themes`` reads a frame this module returns,
``themes_frame`` cleans an edited one before :func:`save_themes`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import func, insert, select

from analysis.core.config import THEMES_CSV
from analysis.core.errors import AnalysisError
from store import audit, db
from store.schema import MAX_THEME_TEXT, theme_keywords, theme_versions

if TYPE_CHECKING:  # pragma: no cover
    from store.db import Database

COLUMNS = ["tema", "kata_kunci"]
VERSION_COLUMNS = ["version", "saved_at", "saved_by", "reset", "themes", "keywords"]


@dataclass(frozen=True, eq=False)
class ThemeDictionary:
    """The dictionary in force and where it comes from.

    Attributes
    ----------
    frame : pandas.DataFrame
        ``tema``, ``kata_kunci`` (text), in the dictionary's order.
    version : int
        The version in force (it changes with every save and reset: a cache key); 0 while
        nothing was ever saved.
    edited : bool
        True for an administrator's edit, False for the shipped file.
    saved_by : str or None
    saved_at : datetime or None
        Who saved the version in force, and when (naive UTC); None for the shipped file.

    Examples
    --------
    >>> from store.db import Database
    >>> shipped = current_themes(Database("sqlite://"))
    >>> shipped.version, shipped.edited, list(shipped.frame.columns)
    (0, False, ['tema', 'kata_kunci'])
    """

    frame: pd.DataFrame
    version: int
    edited: bool
    saved_by: str | None = None
    saved_at: datetime | None = None


def read_shipped_themes(path: str | Path = THEMES_CSV) -> pd.DataFrame:
    """The shipped dictionary as written in its file: ``tema``, ``kata_kunci``, in file order.

    Raises
    ------
    AnalysisError
        ``themes_unreadable`` when the file is missing or lacks those columns.

    Examples
    --------
    >>> read_shipped_themes().iloc[0].tolist()
    ['waktu pelayanan', 'lama']
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype="str", keep_default_na=False, encoding="utf-8-sig")
    except (OSError, csv.Error, pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
        raise AnalysisError("themes_unreadable", f"Kamus tema {path.name} tidak dapat dibaca: {err}",
                            f"The theme dictionary {path.name} cannot be read: {err}") from None
    if not set(COLUMNS) <= set(raw.columns):
        raise AnalysisError(
            "themes_unreadable",
            f"Kamus tema {path.name} harus memiliki kolom 'tema' dan 'kata_kunci'; ada: {list(raw.columns)}.",
            f"The theme dictionary {path.name} needs the columns 'tema' and 'kata_kunci'; found: {list(raw.columns)}.",
        )
    return raw[COLUMNS].reset_index(drop=True)


def theme_version(store: Database) -> int:
    """The version of the dictionary in force, read cheaply (one small query): 0 while nothing was
    ever saved. A cache of the dictionary keyed on it is never stale.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> before = theme_version(store)
    >>> _ = save_themes(store, pd.DataFrame({"tema": ["biaya"], "kata_kunci": ["tarif"]}))
    >>> before, theme_version(store)
    (0, 1)
    """
    with store.transaction(write=False) as conn:
        return int(conn.execute(select(func.coalesce(func.max(theme_versions.c.id), 0))).scalar_one())


def current_themes(store: Database, *, shipped: str | Path = THEMES_CSV) -> ThemeDictionary:
    """The dictionary in force: the latest saved version, or the ``shipped`` file while nothing was
    saved or after a reset.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> current_themes(store).frame.equals(read_shipped_themes())
    True
    >>> _ = save_themes(store, pd.DataFrame({"tema": ["biaya"], "kata_kunci": ["tarif"]}), "admin")
    >>> now = current_themes(store)
    >>> now.version, now.edited, now.saved_by, now.frame.to_dict("records")
    (1, True, 'admin', [{'tema': 'biaya', 'kata_kunci': 'tarif'}])
    """
    with store.transaction(write=False) as conn:
        latest = conn.execute(select(theme_versions).order_by(theme_versions.c.id.desc()).limit(1)).first()
        rows = [] if latest is None or latest.reset else conn.execute(
            select(theme_keywords.c.tema, theme_keywords.c.kata_kunci)
            .where(theme_keywords.c.version_id == latest.id)
            .order_by(theme_keywords.c.position)
        ).all()
    if latest is None:
        return ThemeDictionary(read_shipped_themes(shipped), version=0, edited=False)
    if latest.reset:
        return ThemeDictionary(read_shipped_themes(shipped), version=int(latest.id), edited=False,
                               saved_by=latest.saved_by, saved_at=latest.saved_at)
    frame = pd.DataFrame([tuple(r) for r in rows], columns=COLUMNS).astype("str")
    return ThemeDictionary(frame, version=int(latest.id), edited=True, saved_by=latest.saved_by,
                           saved_at=latest.saved_at)


def _text(value: Any) -> str:
    """A cell of an edited frame as trimmed text; a missing value is blank."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def _checked_pairs(frame: Any) -> list[tuple[str, str]]:
    """The (theme, keyword) pairs of ``frame``, trimmed; refused when a value is blank or too long,
    or when there is none."""
    if not isinstance(frame, pd.DataFrame) or not set(COLUMNS) <= set(frame.columns):
        found = list(frame.columns) if isinstance(frame, pd.DataFrame) else type(frame).__name__
        raise ValueError(f"frame must be a DataFrame with the columns {COLUMNS}, got {found}")
    pairs = [(_text(theme), _text(keyword)) for theme, keyword in zip(frame["tema"], frame["kata_kunci"])]
    for theme, keyword in pairs:
        if not theme or not keyword:
            raise ValueError(f"frame holds a blank theme or keyword ({theme!r}, {keyword!r}): clean it first "
                             "with analysis.voice.themes.themes_frame")
        if max(len(theme), len(keyword)) > MAX_THEME_TEXT:
            long = theme if len(theme) > MAX_THEME_TEXT else keyword
            raise AnalysisError(
                "themes_too_long",
                f"Tema dan kata kunci paling panjang {MAX_THEME_TEXT} karakter; {long[:40]!r}… lebih panjang.",
                f"Themes and keywords hold at most {MAX_THEME_TEXT} characters; {long[:40]!r}… is longer.",
            )
    if not pairs:
        raise AnalysisError("themes_unreadable", "Kamus tema tidak berisi kata kunci.",
                            "The theme dictionary holds no keyword.")
    return pairs


def save_themes(store: Database, frame: pd.DataFrame, actor: Any = "system") -> ThemeDictionary:
    """Save an edited dictionary as a new version, in force at once on every server; audited as
    ``themes_edit`` in the same transaction.

    Parameters
    ----------
    store : store.db.Database
    frame : pandas.DataFrame
        ``tema``, ``kata_kunci``, already cleaned (``analysis.voice.themes.themes_frame``): values
        are only trimmed here, and a blank one is refused (``ValueError``).
    actor : str or User
        Who saves it; a user object must be an admin.

    Returns
    -------
    ThemeDictionary
        The new version in force.

    Raises
    ------
    AnalysisError
        ``themes_unreadable`` for a dictionary without a keyword; ``themes_too_long`` for a theme
        or keyword over 200 characters.

    Examples
    --------
    >>> from store.audit import read_audit
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> saved = save_themes(store, pd.DataFrame({"tema": ["biaya", "biaya"], "kata_kunci": ["tarif", "bayar"]}),
    ...                     "admin")
    >>> saved.version, len(saved.frame)
    (1, 2)
    >>> read_audit(store)[["actor", "action", "detail"]].to_dict("records")
    [{'actor': 'admin', 'action': 'themes_edit', 'detail': '{"version": 1, "themes": 1, "keywords": 2}'}]
    """
    who = audit.acting(actor, "admin")
    pairs = _checked_pairs(frame)
    themes = len({theme for theme, _ in pairs})
    now = db.utcnow()
    with store.transaction() as conn:
        version = conn.execute(
            insert(theme_versions)
            .values(saved_at=now, saved_by=who, reset=False, themes=themes, keywords=len(pairs))
            .returning(theme_versions.c.id)
        ).scalar_one()
        conn.execute(insert(theme_keywords), [
            {"version_id": version, "position": i, "tema": theme, "kata_kunci": keyword}
            for i, (theme, keyword) in enumerate(pairs)
        ])
        audit.record(conn, who, "themes_edit", detail={"version": int(version), "themes": themes,
                                                       "keywords": len(pairs)})
    return ThemeDictionary(pd.DataFrame(pairs, columns=COLUMNS).astype("str"), version=int(version),
                           edited=True, saved_by=who, saved_at=now)


def reset_themes(store: Database, actor: Any = "system", *, shipped: str | Path = THEMES_CSV) -> ThemeDictionary:
    """Go back to the shipped dictionary: a new version that holds no keyword (the edits stay in the
    history), audited as ``themes_edit``. Nothing happens while no edit is in force.

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> reset_themes(store).version  # nothing edited: nothing to do
    0
    >>> _ = save_themes(store, pd.DataFrame({"tema": ["biaya"], "kata_kunci": ["tarif"]}))
    >>> back = reset_themes(store, "admin")
    >>> back.version, back.edited, back.frame.equals(read_shipped_themes())
    (2, False, True)
    """
    who = audit.acting(actor, "admin")
    frame = read_shipped_themes(shipped)
    now = db.utcnow()
    with store.transaction() as conn:
        latest = conn.execute(select(theme_versions.c.reset).order_by(theme_versions.c.id.desc()).limit(1)).first()
        if latest is None or latest.reset:
            version = None
        else:
            version = conn.execute(
                insert(theme_versions)
                .values(saved_at=now, saved_by=who, reset=True, themes=int(frame["tema"].nunique()),
                        keywords=len(frame))
                .returning(theme_versions.c.id)
            ).scalar_one()
            audit.record(conn, who, "themes_edit", detail={"version": int(version), "reset": True})
    if version is None:
        return current_themes(store, shipped=shipped)
    return ThemeDictionary(frame, version=int(version), edited=False, saved_by=who, saved_at=now)


def list_theme_versions(store: Database) -> pd.DataFrame:
    """Every saved version of the dictionary, newest first, for the admin page.

    Returns
    -------
    pandas.DataFrame
        ``version, saved_at`` (UTC), ``saved_by, reset`` (True: back to the shipped file),
        ``themes, keywords`` (how many the version holds in force).

    Examples
    --------
    >>> from store.db import Database
    >>> store = Database("sqlite://")
    >>> _ = save_themes(store, pd.DataFrame({"tema": ["biaya"], "kata_kunci": ["tarif"]}), "ani")
    >>> list_theme_versions(store)[["version", "saved_by", "reset", "themes", "keywords"]].to_dict("records")
    [{'version': 1, 'saved_by': 'ani', 'reset': False, 'themes': 1, 'keywords': 1}]
    """
    query = select(theme_versions.c.id, theme_versions.c.saved_at, theme_versions.c.saved_by,
                   theme_versions.c.reset, theme_versions.c.themes, theme_versions.c.keywords)
    with store.transaction(write=False) as conn:
        rows = conn.execute(query.order_by(theme_versions.c.id.desc())).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=VERSION_COLUMNS)
    for name in ("version", "themes", "keywords"):
        frame[name] = frame[name].astype("int64")
    frame["saved_at"] = pd.to_datetime(frame["saved_at"], utc=True)
    frame["saved_by"] = frame["saved_by"].astype("str")
    frame["reset"] = frame["reset"].astype(bool)
    return frame
