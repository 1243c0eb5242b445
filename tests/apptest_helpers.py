"""Shared helpers for the page tests (``streamlit.testing.v1.AppTest``).

Stable API, used by every ``tests/test_page_*.py``:

- :func:`make_app` — an ``AppTest`` of ``app.py`` on a fresh, empty data folder, signed in as a role;
- :func:`run_page` — open one page (``"pages/program.py"``) and run it;
- :func:`set_lang` — switch the session to ``"en"`` or ``"id"``;
- :func:`texts` — every piece of text drawn, for ``in`` assertions;
- :func:`publish` — publish a workbook or a canonical frame into the test's store;
- :func:`sample_rows` — the bundled sample of a kind, canonical columns;
- :func:`plotly_specs` — the figures drawn, as JSON text;
- :func:`click_chart` — click a point of a plotly chart, firing its ``on_select`` callback.

The pages are registered with ``st.Page(module.render, url_path=...)`` (callables), which
``AppTest.switch_page`` cannot match by file name; :func:`run_page` maps the file to its
``url_path`` through ``ui.registry`` and selects the registered page by that path.

AppTest resets ``PagesManager.uses_pages_directory`` before every run, so with a ``pages/`` folder
beside ``app.py`` each run would go through Streamlit's legacy pages/ runner, which resolves a page
hash to the bare file ``pages/<name>.py`` (drawing nothing) instead of the page's ``render()``. A
real server makes that choice once per process and ``st.navigation`` turns it off for good;
:func:`make_app` pins it off so tests see what a running server shows.
"""

from __future__ import annotations

import functools
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from store import accounts, sessions
from store.auth import loopback_only_ok
from store.datasets import Store

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
PASSWORD = "kata-sandi-uji-123"
TIMEOUT = 60


def _clear_caches() -> None:
    """Drop Streamlit caches from an earlier test: the store and data caches are keyed by version
    id, which a fresh database reuses for different data."""
    st.cache_data.clear()
    st.cache_resource.clear()


def _no_legacy_pages_runner(monkeypatch) -> None:
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False  # as after the first st.navigation call of a server

    monkeypatch.setattr(PagesManager, "__init__", init)


def make_app(tmp_path: Path, monkeypatch, role: str | None = None, *, lang: str | None = None) -> AppTest:
    """An AppTest of ``app.py`` with its own empty store in ``tmp_path / "var"``, not yet run.

    Parameters
    ----------
    tmp_path, monkeypatch : the pytest fixtures of the calling test.
    role : None, "viewer", "analyst" or "admin"
        None runs sign-in mode ``none`` (everyone is admin, on the loopback address Streamlit reads
        from ``.streamlit/config.toml``); a role runs mode ``local`` with an account
        ``uji_<role>`` of that role already signed in (its token in ``session_state["auth_token"]``).
    lang : "id" or "en", optional
        The session's language before the first run (default: the app's, Indonesian).
    """
    data_dir = tmp_path / "var"
    data_dir.mkdir(exist_ok=True)
    monkeypatch.setenv("EVALUASI_DATA_DIR", str(data_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)  # each test gets its own SQLite store
    monkeypatch.setenv("EVALUASI_AUTH_MODE", "none" if role is None else "local")
    _clear_caches()
    _no_legacy_pages_runner(monkeypatch)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if role is None:
        if not loopback_only_ok(st.get_option("server.address")):
            raise RuntimeError("run the page tests from the repository root, so .streamlit/config.toml "
                               "binds the app to 127.0.0.1 (mode none serves only on loopback)")
    else:
        store = Store()
        try:
            user = accounts.add_user(store, f"uji_{role}", role, PASSWORD)
            at.session_state["auth_token"] = sessions.create_session(store, user)
        finally:
            store.close()
    if lang is not None:
        at.session_state["lang_choice"] = lang
    return at


def _spec(page_path: str):
    from ui.registry import PAGES

    module = page_path.removesuffix(".py").replace("/", ".")
    for spec in PAGES:
        if spec.module == module:
            return spec
    raise ValueError(f"page_path must name a page in ui.registry.PAGES, got {page_path!r}")


def page_hash(at: AppTest, page_path: str) -> str | None:
    """The hash under which the last run registered ``page_path``; None when this user's navigation
    does not hold it (a page above the user's role)."""
    spec = _spec(page_path)
    for key, info in at._registered_pages.items():
        if info.get("url_pathname") == spec.url_path or (spec.default and info.get("url_pathname") == ""):
            return key
    return None


def visible_pages(at: AppTest) -> list[str]:
    """The url paths in the navigation of the last run (what this user may open), without the hidden
    alias of the default page's old path."""
    from ui.registry import OLD_DEFAULT_PATH, PAGES

    default = next((p.url_path for p in PAGES if p.default), "")
    return [str(info.get("url_pathname") or default) for info in at._registered_pages.values()
            if "url_pathname" in info and info.get("url_pathname") != OLD_DEFAULT_PATH]


def run_page(at: AppTest, page_path: str, *, timeout: float | None = None) -> AppTest:
    """Open ``page_path`` (e.g. ``"pages/program.py"``) and run it; return ``at``.

    Runs the app once first when it has not run yet (the navigation is built by a run). Raises
    ``LookupError`` when the page is not in this user's navigation.
    """
    if not at._registered_pages:
        at.run(timeout=timeout)
    key = page_hash(at, page_path)
    if key is None:
        raise LookupError(f"{page_path} is not in this user's navigation: {visible_pages(at)}")
    at._page_hash = key
    return at.run(timeout=timeout)


def set_lang(at: AppTest, lang: str) -> AppTest:
    """Switch the session's language (the sidebar's segmented control) and rerun."""
    at.session_state["lang_choice"] = lang
    return at.run()


def texts(at: AppTest) -> str:
    """All text the last run drew (titles, headers, markdown, captions, metrics, alerts, text, code),
    joined by newlines, for ``"..." in texts(at)`` assertions."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "code", "latex",
                 "error", "warning", "info", "success"):
        parts.extend(str(getattr(el, "value", "")) for el in at.get(kind))
    for el in at.get("metric"):
        parts.extend([str(el.label), str(el.value)])
    for el in [*at.get("expandable"), *at.get("expander")]:  # the type name differs between versions
        parts.append(str(getattr(el, "label", "")))
    for el in at.get("tab"):
        parts.append(str(getattr(el, "label", "")))
    return "\n".join(parts)


def publish(kind: str, source, *, name: str | None = None, period: str = "2025") -> int:
    """Publish ``source`` in the store of the current environment, as the Data page would, and return
    the version id (call after :func:`make_app`, which points ``EVALUASI_DATA_DIR`` at the test's
    folder).

    ``source`` is a workbook path (read through the intake) or a DataFrame already in the canonical
    columns of ``kind`` (stored as the accepted rows of a small synthetic upload).
    """
    if isinstance(source, pd.DataFrame):
        frame = source.reset_index(drop=True)
        payload = frame.to_csv(index=False).encode("utf-8")
        res = SimpleNamespace(kind=kind, accepted=frame, rejected=pd.DataFrame(),
                              report=lambda lang="id": {"rows_read": len(frame)},
                              source_name=f"{name or kind}.csv", source_bytes=payload, rows_read=len(frame))
        label = name or kind
    else:
        from analysis.intake.pipeline import read_file

        res = read_file(source, kind=kind)
        label = name or Path(source).stem
    store = Store()
    try:
        vid = store.save_upload(res, name=label, period=period, uploader="uji")
        store.publish(vid, "uji")
    finally:
        store.close()
    _clear_caches()
    return vid


def sample_rows(kind: str = "training") -> pd.DataFrame:
    """The bundled sample of ``kind`` in canonical columns (read once per test session)."""
    return _sample_rows(kind).copy()


@functools.lru_cache(maxsize=4)
def _sample_rows(kind: str) -> pd.DataFrame:
    from analysis.intake.pipeline import read_file
    from ui.data import SAMPLE_FILES

    return read_file(ROOT / "data" / "sample" / SAMPLE_FILES[kind], kind=kind).accepted


def plotly_specs(at: AppTest) -> list[str]:
    """The JSON figure specs of the plotly charts the last run drew (for text assertions)."""
    return [el.proto.spec for el in at.get("plotly_chart")]


HOSTILE = "<img src=x onerror=alert(1)>"
PREDIKAT_2022 = ["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik"]


def training_frame(programs: dict[str, int], *, comparison: int = 0, ordinal: bool = False,
                   kecamatan: tuple[str, ...] = ("Medan Baru", "Medan Kota", "Medan Johor"),
                   gain: float = 6.0, seed: int = 0) -> pd.DataFrame:
    """A small canonical training frame: ``programs`` maps a program name to its participants;
    ``comparison`` adds non-participants (``kelompok = "pembanding"``, no program). Scores rise by
    about ``gain`` points; with ``ordinal`` the performance columns are 2022 SKP predikat."""
    import numpy as np

    from analysis.core.districts import load_districts

    rng = np.random.default_rng(seed)
    codes = dict(zip(load_districts().table["kecamatan"], load_districts().table["kode"]))
    rows = []
    groups = [(name, "peserta", n) for name, n in programs.items()] + [(None, "pembanding", comparison)]
    i = 0
    for program, kelompok, n in groups:
        for _ in range(n):
            kec = kecamatan[i % len(kecamatan)]
            pre = float(np.clip(rng.normal(65, 8), 0, 100))
            lift = gain if kelompok == "peserta" else gain / 3
            rows.append({
                "nip": f"19850312201001{1 + i % 2}{i % 1000:03d}",
                "nama": f"Pegawai Uji {i + 1}",
                "unit_kerja": f"Kantor Camat {kec}",
                "kecamatan": kec,
                "kode_kecamatan": codes[kec],
                "program": program,
                "jenis_program": "pelatihan" if program else None,
                "kelompok": kelompok,
                "tanggal_mulai": pd.Timestamp("2025-03-03") + pd.Timedelta(days=7 * (i % 8)),
                "tanggal_selesai": pd.Timestamp("2025-03-06") + pd.Timedelta(days=7 * (i % 8)),
                "jp": 24.0 if program else float("nan"),
                "nilai_pre": round(pre, 1) if program else float("nan"),
                "nilai_post": round(float(np.clip(pre + rng.normal(lift, 4), 0, 100)), 1) if program else float("nan"),
                "kinerja_sebelum": round(float(rng.normal(80, 5)), 1),
                "kinerja_sesudah": 0.0,
                "kepuasan_peserta": 4.0 if program else float("nan"),
                "_row": i + 5,
                "_sheet": "REKAP",
            })
            rows[-1]["kinerja_sesudah"] = round(rows[-1]["kinerja_sebelum"] + float(rng.normal(lift / 2, 2)), 1)
            i += 1
    df = pd.DataFrame(rows)
    for col in ("nip", "nama", "unit_kerja", "kecamatan", "kode_kecamatan", "program", "jenis_program", "kelompok",
                "_sheet"):
        df[col] = df[col].astype("str")
    if ordinal:
        scale = pd.CategoricalDtype(PREDIKAT_2022, ordered=True)
        before = rng.choice([1, 2, 3], size=len(df))
        after = np.clip(before + rng.choice([0, 1, 1, 1, -1], size=len(df)), 0, 4)
        df["kinerja_sebelum"] = pd.Categorical.from_codes(before, dtype=scale)
        df["kinerja_sesudah"] = pd.Categorical.from_codes(after, dtype=scale)
    return df


def click_chart(at: AppTest, key: str, customdata: list, *, timeout: float | None = None) -> AppTest:
    """Click one point of the plotly chart drawn with ``key`` and run, as the browser would: the
    chart's selection (``{"selection": {"points": [{"customdata": ...}]}}``) is sent as its widget
    state with every other widget's, so the chart's own ``on_select`` callback fires."""
    import json

    from streamlit.proto.WidgetStates_pb2 import WidgetState

    charts = [el for el in at.get("plotly_chart") if getattr(el.proto, "id", "").endswith(key)
              or getattr(el, "key", None) == key]
    if not charts:
        raise LookupError(f"no plotly chart with key {key!r} in the last run")
    states = at._tree.get_widget_states()
    selection = {"selection": {"points": [{"customdata": customdata, "curve_number": 0, "point_number": 0,
                                           "point_index": 0}],
                               "point_indices": [0], "box": [], "lasso": []}}
    state = WidgetState(id=charts[0].proto.id, string_value=json.dumps(selection))  # as the frontend sends it
    states.widgets.append(state)
    return at._run(states, timeout=timeout)
