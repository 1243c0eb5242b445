"""The list of districts (kecamatan) as data, and matching the many ways exports write them.

Kepmendagri 300.2.2-2138/2025: Kota Medan's 21 kecamatan with their Kemendagri codes (not alphabetical: always read
from the table, never derived by sorting). The table is a CSV (``EVALUASI_DISTRICTS``), so another
city can use the product by pointing at its own list.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from analysis.core.config import get_settings

_PREFIX = re.compile(r"^(kecamatan|kec)\b\.?\s*")


def district_key(text) -> str:
    """Compare names without case, punctuation, a leading "Kec."/"Kecamatan" and spaces.

    Examples
    --------
    >>> district_key("Kec. Medan-Baru ")
    'medanbaru'
    >>> district_key("KECAMATAN MEDAN BARU")
    'medanbaru'
    """
    s = re.sub(r"[^0-9a-z]+", " ", str(text).lower()).strip()
    s = _PREFIX.sub("", s)
    return s.replace(" ", "")


@dataclass(frozen=True)
class Match:
    """Result of matching one written name: ``name``/``kode`` when unique, else ``candidates``."""

    name: str | None
    kode: str | None
    status: str  # "ok", "ambiguous", "unknown"
    candidates: tuple[str, ...] = ()


class Districts:
    """A city's district table with a matcher for written names.

    Examples
    --------
    >>> d = load_districts()
    >>> len(d.table)
    21
    >>> d.match("Kec. Medan Baru").name, d.match("Sunggal").kode
    ('Medan Baru', '12.71.02')
    >>> d.match("Medan").status
    'ambiguous'
    >>> d.match("Medan Raya").status
    'unknown'
    """

    def __init__(self, table: pd.DataFrame):
        missing = {"kode", "kecamatan"} - set(table.columns)
        if missing:
            raise ValueError(f"district table needs columns kode and kecamatan, missing {sorted(missing)}")
        self.table = table.reset_index(drop=True)
        names = self.table["kecamatan"].astype(str).tolist()
        codes = self.table["kode"].astype(str).tolist()
        # The city prefix shared by every name ("Medan ") may be left out in exports ("Baru").
        words = [n.split() for n in names]
        common = words[0][0] if words and all(len(w) > 1 and w[0] == words[0][0] for w in words) else None
        self._exact: dict[str, tuple[str, str]] = {}
        for name, code in zip(names, codes):
            self._exact[district_key(name)] = (name, code)
            self._exact[re.sub(r"\D", "", code)] = (name, code)
            if common:
                self._exact.setdefault(district_key(name.split(None, 1)[1]), (name, code))
        self._common = district_key(common) if common else None
        self._names = names

    @cache
    def match(self, text: str) -> Match:
        key = district_key(text)
        if key in self._exact:
            name, code = self._exact[key]
            return Match(name, code, "ok")
        if not key:
            return Match(None, None, "unknown")
        contains = [n for n in self._names if key in district_key(n)]
        if len(contains) > 1 or key == self._common:
            return Match(None, None, "ambiguous", tuple(contains))
        keys = {district_key(n): n for n in self._names}
        close = difflib.get_close_matches(key, list(keys), n=3, cutoff=0.6)
        if self._common and not close:
            close = difflib.get_close_matches(self._common + key, list(keys), n=3, cutoff=0.6)
        candidates = tuple(dict.fromkeys(contains + [keys[k] for k in close]))
        return Match(None, None, "unknown", candidates)

    def coordinates(self) -> pd.DataFrame:
        """``kode, kecamatan, lat, lon`` for the schematic map."""
        return self.table[["kode", "kecamatan", "lat", "lon"]].copy()


@cache
def _load(path: str) -> Districts:
    table = pd.read_csv(path, dtype={"kode": str, "kecamatan": str})
    return Districts(table)


def load_districts(path: str | Path | None = None) -> Districts:
    """The configured district table (``EVALUASI_DISTRICTS``, default Kota Medan's 21 kecamatan).

    Examples
    --------
    >>> load_districts().match("KECAMATAN MEDAN BARU").kode
    '12.71.17'
    """
    return _load(str(path or get_settings().districts_csv))
