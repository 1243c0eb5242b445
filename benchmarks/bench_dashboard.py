"""Dashboard redraws and server memory: publish a training dataset of 100k, 500k and 1M rows (the
bundled sample scaled up) beside the bundled SKM and event samples, then drive the pages and the
common interactions with 1 and with 5 concurrent sessions, and report the server-side time of each
rerun and the server's memory.

    python benchmarks/bench_dashboard.py                       # 100k, 500k and 1M rows × 1 and 5 sessions (~20 min)
    python benchmarks/bench_dashboard.py --rows 100000         # 100k only (a few minutes); or BENCH_SIZES=100000
    python benchmarks/bench_dashboard.py --rows 1000000 --sessions 1
    python benchmarks/bench_dashboard.py --quick               # 20k rows, 1 and 2 sessions

The server is a child process that runs ``app.py`` under Streamlit's ``AppTest``, one per session,
each session in its own thread (as a Streamlit server runs each session's script in a thread of its
own), sharing the process's caches; nothing listens on a port. Each session visits, in order: the
Ringkasan page; a period, a kecamatan and a measure change there; the Program page and a second
program; the Kecamatan page; the Suara Masyarakat page and its three other tabs; then the filters
reset. Sessions take different filter values, so five sessions are five different views. The round
runs ``--rounds`` times (later rounds find their views cached: a revisit).

Times are the wall time of each rerun in the server (``AppTest.run``), medians over sessions and
steps, also as a ratio to a rerun of a bare Streamlit page (a title and a select box) under
``AppTest`` in the same process: what Streamlit itself costs per rerun. Memory is the server's
resident set (VmRSS) and its high-water mark (VmHWM) after each round, reported as a ratio to the
in-memory size of the published training frame (``DataFrame.memory_usage(deep=True)`` of the
frame as the store loads it): the whole server's, and the part above a baseline: the
same server, the same sessions and steps, on the bundled ~3.5k-row sample published the same way
(what the code, Streamlit and the libraries hold whatever the data). Goals: a filter change's median
< 0.3 s at 100k and < 1 s at 1M; a page's first render < 1.5 s at 100k; memory above the baseline
≤ 4 × the frame at every size and session count, and flat after the first round.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = (100_000, 500_000, 1_000_000)  # BENCH_SIZES=100000 (or --rows 100000) for a shorter run
FILTER_STEPS = ("period", "kecamatan", "measure")
PAGE_STEPS = ("ringkasan", "program", "kecamatan page", "suara")
TAB_STEPS = ("suara: before/after", "suara: trend", "suara: comments")
PERIODS = ("2025", "2025-Q2", "2025-Q3", "2025", "2025-Q2")  # the training sample runs in Q2 and Q3
KECAMATAN = ("Medan Baru", "Medan Kota", "Medan Johor", "Medan Amplas", "Medan Helvetia")
TABS = ("Sebelum dan sesudah program", "Tren dan kegiatan warga", "Saran warga")


# --------------------------------------------------------------------------- the published data


def sample(kind: str) -> pd.DataFrame:
    from analysis.intake.pipeline import read_file
    from ui.data import SAMPLE_FILES

    return read_file(ROOT / "data" / "sample" / SAMPLE_FILES[kind], kind=kind).accepted


def training_frame(rows: int, seed: int = 12) -> pd.DataFrame:
    """The bundled training sample repeated to ``rows`` rows: every copy is new people (the NIP's
    birth date moved by the copy's number of days) with the scores moved by a little noise, so the
    programs, districts, units (which the SKM sample surveys) and comparison rows keep the sample's
    shape."""
    base = sample("training")
    copies = -(-rows // len(base))
    index = np.tile(np.arange(len(base)), copies)[:rows]
    copy = np.repeat(np.arange(copies), len(base))[:rows]
    frame = base.iloc[index].reset_index(drop=True)
    rng = np.random.default_rng(seed)
    nip = frame["nip"].astype("str")
    born = pd.to_datetime(nip.str[:8], format="%Y%m%d", errors="coerce")
    moved = (born + pd.to_timedelta(copy, unit="D")).dt.strftime("%Y%m%d")
    frame["nip"] = pd.Series(np.where(born.notna(), moved + nip.str[8:], nip), dtype="str")
    for col in ("nilai_pre", "nilai_post", "kinerja_sebelum", "kinerja_sesudah"):
        if col in frame and pd.api.types.is_float_dtype(frame[col]):
            noise = np.where(copy > 0, rng.normal(0, 2, rows), 0.0)
            frame[col] = (frame[col] + noise).clip(0, 100).round(1)
    frame["_row"] = np.arange(5, rows + 5, dtype="int64")
    return frame


def _upload(kind: str, frame: pd.DataFrame, name: str) -> SimpleNamespace:
    import hashlib

    payload = f"{kind} {name} {len(frame)}".encode()
    return SimpleNamespace(kind=kind, accepted=frame, rejected=frame.head(0),
                           report=lambda lang="id": {"rows_read": len(frame)}, source_name=f"{name}.xlsx",
                           source_bytes=payload, sha256=hashlib.sha256(payload).hexdigest(), rows_read=len(frame))


def publish_all(data_dir: Path, training: pd.DataFrame) -> int:
    """Publish ``training`` and the SKM and event samples into a new store in ``data_dir``; return the
    in-memory size of the training frame as the store loads it (bytes)."""
    from store.datasets import Store

    store = Store(f"sqlite:///{data_dir / 'evaluasi.sqlite3'}")
    try:
        ids = {}
        for kind, frame in (("training", training), ("feedback", sample("feedback")), ("events", sample("events"))):
            ids[kind] = store.save_upload(_upload(kind, frame, f"bench_{kind}"), name=f"Bench {kind}",
                                          period="2025", uploader="bench", publish=True)
        return int(store.load_rows(ids["training"]).memory_usage(deep=True).sum())
    finally:
        store.close()


# --------------------------------------------------------------------------- the server (child process)


def _memory() -> dict:
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) * 1024
    return out


class Session:
    """One browser session: an AppTest of app.py and the steps it takes, timed."""

    def __init__(self, number: int):
        from streamlit.testing.v1 import AppTest

        self.number = number
        self.at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
        self.times: list[tuple[int, str, float]] = []
        self.errors: list[str] = []

    def _timed(self, rnd: int, step: str, action) -> None:
        start = time.perf_counter()
        action()
        self.times.append((rnd, step, time.perf_counter() - start))
        if self.at.exception:
            self.errors.append(f"{step}: {[e.value for e in self.at.exception][:1]}")

    def _page(self, page: str) -> None:
        from apptest_helpers import run_page

        run_page(self.at, page)

    def _widget(self, kind: str, key: str, value) -> None:
        getattr(self.at, kind)(key=key).set_value(value)
        self.at.run()

    def _tab(self, label: str) -> None:
        self.at.session_state["suara_tab"] = label
        self.at.run()

    def round(self, rnd: int) -> None:
        try:
            self._round(rnd)
        except Exception as err:  # noqa: BLE001 - reported with the figures, the other sessions go on
            shown = [e.value for e in self.at.exception][:1] or [el.value for el in self.at.title][:1]
            self.errors.append(f"round {rnd}, after {self.times[-1][1] if self.times else '-'}: "
                               f"{type(err).__name__}: {err} (the page showed {shown})")

    def _round(self, rnd: int) -> None:
        i = self.number
        at = self.at
        self._timed(rnd, "ringkasan", lambda: self._page("pages/ringkasan.py"))
        self._timed(rnd, "period", lambda: self._widget("selectbox", "filter_periode__id", PERIODS[i % len(PERIODS)]))
        self._timed(rnd, "kecamatan",
                    lambda: self._widget("selectbox", "filter_kecamatan__id", KECAMATAN[i % len(KECAMATAN)]))
        self._timed(rnd, "measure", lambda: self._widget("radio", "filter_ukuran__id", "performance"))
        self._timed(rnd, "program", lambda: self._page("pages/program.py"))
        picks = [o for o in at.selectbox(key="program_pick").options] if self._has("program_pick") else []
        if len(picks) > 1:
            self._timed(rnd, "program pick", lambda: self._widget("selectbox", "program_pick",
                                                                   picks[(i + 1) % len(picks)]))
        self._timed(rnd, "kecamatan page", lambda: self._page("pages/kecamatan.py"))
        self._timed(rnd, "suara", lambda: self._page("pages/suara_masyarakat.py"))
        for label, step in zip(TABS, TAB_STEPS):
            self._timed(rnd, step, lambda label=label: self._tab(label))
        self._tab("IKM dan unsur")
        self._timed(rnd, "measure back", lambda: self._widget("radio", "filter_ukuran__id", "knowledge"))
        self.at.session_state["filter_periode"] = "__all__"
        self.at.session_state["filter_kecamatan"] = "__all__"

    def _has(self, key: str) -> bool:
        return any(getattr(el, "key", None) == key for el in self.at.selectbox)


def warm_imports() -> None:
    """Import what the pages import, as a server has after its first session: the times measure the
    data's work, not Python loading plotly and scipy once per process."""
    import importlib

    from ui.registry import PAGES

    for spec in PAGES:
        importlib.import_module(spec.module)


def _one_parse_at_a_time() -> None:
    """Each AppTest run parses app.py again (a server parses it once); CPython 3.11's ``ast.parse``
    is not safe in concurrent threads (``SystemError: AST constructor recursion depth mismatch``)."""
    import ast

    lock, parse = threading.Lock(), ast.parse

    def locked(*args, **kwargs):
        with lock:
            return parse(*args, **kwargs)

    ast.parse = locked


def _runtime_kept_between_runs() -> None:
    """AppTest installs a stand-in Streamlit runtime for each run and removes it when the run ends;
    with sessions running at once, one session's end would pull the runtime from under the others.
    Here the last stand-in stays installed (a server has one runtime for every session)."""
    from streamlit.runtime import Runtime
    from streamlit.testing.v1 import app_test

    class Kept(type):
        def __setattr__(cls, name, value):
            if name == "_instance":
                if value is not None:
                    Runtime._instance = value
                return
            super().__setattr__(name, value)

    app_test.Runtime = Kept("Runtime", (Runtime,), {})


def held_bytes() -> int:
    """Bytes of the rows the process holds (``ui.data``), when it keeps that count."""
    from ui import data

    holder = getattr(data, "_holder", None)
    return holder().nbytes() if holder is not None else -1


BARE_PAGE = """import streamlit as st
st.title("Bare")
st.selectbox("Pilih", ["a", "b", "c"], key="pick")
"""


def bare_rerun(times: int = 7) -> float:
    """Median seconds of a rerun of a bare Streamlit page under ``AppTest`` (a select box changed),
    in this process: what Streamlit costs per rerun, whatever the app."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(BARE_PAGE, default_timeout=60)
    at.run()
    spent = []
    for i in range(times):
        start = time.perf_counter()
        at.selectbox(key="pick").set_value("abc"[i % 3])
        at.run()
        spent.append(time.perf_counter() - start)
    return statistics.median(spent)


def serve(sessions: int, rounds: int) -> dict:
    """Run ``sessions`` sessions concurrently for ``rounds`` rounds; the times and memory per round."""
    sys.path.insert(0, str(ROOT / "tests"))
    os.chdir(ROOT)  # .streamlit/config.toml binds the app to loopback (sign-in mode none)
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # as after the first st.navigation of a server (tests/apptest_helpers.py)
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    _one_parse_at_a_time()
    _runtime_kept_between_runs()
    from streamlit import logger

    logger.set_log_level("error")
    warm_imports()
    bare = bare_rerun()
    people = [Session(i) for i in range(sessions)]
    memory = [_memory()]
    for rnd in range(rounds):
        threads = [threading.Thread(target=s.round, args=(rnd,)) for s in people]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        memory.append(_memory())
    return {"times": [t for s in people for t in s.times], "memory": memory, "held": held_bytes(),
            "bare_s": bare, "errors": [e for s in people for e in s.errors]}


# --------------------------------------------------------------------------- the parent


def run_server(data_dir: Path, sessions: int, rounds: int) -> dict:
    env = {**os.environ, "EVALUASI_DATA_DIR": str(data_dir), "EVALUASI_AUTH_MODE": "none",
           "PYTHONWARNINGS": "ignore", "STREAMLIT_LOGGER_LEVEL": "error"}
    env.pop("DATABASE_URL", None)
    out = data_dir / f"serve_{sessions}.json"
    proc = subprocess.run([sys.executable, __file__, "--serve", str(out), "--sessions", str(sessions),
                           "--rounds", str(rounds)], env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    if proc.returncode:  # Streamlit's warnings of AppTest's bare mode are noise, unless the server failed
        sys.stderr.write(proc.stderr[-5000:])
        raise RuntimeError(f"the benchmark's server exited with {proc.returncode}")
    return json.loads(out.read_text())


def _median(times: list, rounds: set[int], steps) -> float:
    values = [t for r, s, t in times if r in rounds and s in steps]
    return statistics.median(values) if values else float("nan")


def summarise(rows: int, sessions: int, frame_bytes: int, result: dict, base: dict) -> dict:
    times, mem, base_mem = result["times"], result["memory"], base["memory"]
    first, later = {0}, set(range(1, len(mem) - 1))
    hwm, base_hwm = mem[-1]["VmHWM"], base_mem[-1]["VmHWM"]
    rss = [m["VmRSS"] for m in mem[1:]]
    out = {
        "rows": rows, "sessions": sessions, "frame_mb": round(frame_bytes / 1e6, 1),
        "filter_first_s": round(_median(times, first, FILTER_STEPS), 3),
        "filter_revisit_s": round(_median(times, later, FILTER_STEPS), 3),
        "page_first_s": round(_median(times, first, PAGE_STEPS), 3),
        "page_first_max_s": round(max((t for r, s, t in times if r == 0 and s in PAGE_STEPS), default=float("nan")), 3),
        "tab_first_s": round(_median(times, first, TAB_STEPS), 3),
        "revisit_s": round(_median(times, later, {s for _, s, _ in times}), 3),
        "bare_s": round(result["bare_s"], 3),
        "filter_vs_bare": round(_median(times, first, FILTER_STEPS) / result["bare_s"], 1),
        "rss_vs_frame": round(rss[-1] / frame_bytes, 2),
        "rss_gb": [round(r / 1e9, 2) for r in rss],
        "hwm_gb": round(hwm / 1e9, 2),
        "base_hwm_gb": round(base_hwm / 1e9, 2),
        "ratio_hwm": round((hwm - base_hwm) / frame_bytes, 2),
        "ratio_rss": round((rss[-1] - base_mem[-1]["VmRSS"]) / frame_bytes, 2),
        "growth_after_first_round_mb": round((rss[-1] - rss[0]) / 1e6, 1),
        "held_mb": round(result.get("held", -1) / 1e6, 1),
        "errors": result["errors"][:3],
    }
    per_step = {}
    for step in dict.fromkeys(s for _, s, _ in times):
        per_step[step] = [round(_median(times, first, {step}), 3), round(_median(times, later, {step}), 3)]
    out["steps"] = per_step
    return out


def show(s: dict) -> None:
    print(f"\n{s['rows']:,} rows × {s['sessions']} session(s); training frame {s['frame_mb']} MB in memory")
    print(f"  filter change, median: {s['filter_first_s']:.3f} s new view, {s['filter_revisit_s']:.3f} s revisited")
    print(f"  a bare Streamlit page reruns in {s['bare_s']:.3f} s here: the filter change is {s['filter_vs_bare']}× that")
    print(f"  first render of a page, median {s['page_first_s']:.3f} s (slowest {s['page_first_max_s']:.3f} s); "
          f"a tab {s['tab_first_s']:.3f} s; any revisited view {s['revisit_s']:.3f} s")
    print(f"  server memory: high-water {s['hwm_gb']} GB (baseline {s['base_hwm_gb']} GB); RSS after each round "
          f"{s['rss_gb']} GB; rows held {s['held_mb']} MB")
    print(f"  memory above the baseline ÷ frame: {s['ratio_hwm']:.2f} (high-water), {s['ratio_rss']:.2f} (RSS at the "
          f"end); growth after the first round {s['growth_after_first_round_mb']:+.1f} MB   goal ≤ 4 and flat")
    print(f"  whole server RSS ÷ frame: {s['rss_vs_frame']:.2f} (code, Streamlit and libraries included)")
    for step, (a, b) in s["steps"].items():
        print(f"    {step:<22} first {a:7.3f} s   revisited {b:7.3f} s")
    if s["errors"]:
        print(f"  ERRORS: {s['errors']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sizes = [int(n) for n in os.environ.get("BENCH_SIZES", "").replace(",", " ").split()] or list(SIZES)
    parser.add_argument("--rows", type=int, nargs="*", default=sizes,
                        help="training rows to publish (default: $BENCH_SIZES, else 100000 500000 1000000)")
    parser.add_argument("--sessions", type=int, nargs="*", default=[1, 5])
    parser.add_argument("--rounds", type=int, default=3, help="visits of every page and step per session")
    parser.add_argument("--quick", action="store_true", help="20k rows, 1 and 2 sessions, 2 rounds")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        args.serve.write_text(json.dumps(serve(args.sessions[0], args.rounds)))
        return 0
    if args.quick:
        args.rows, args.sessions, args.rounds = [20_000], [1, 2], 2
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as tmp:
        base_dir = Path(tmp) / "baseline"
        base_dir.mkdir()
        publish_all(base_dir, sample("training"))
        baselines = {k: run_server(base_dir, k, args.rounds) for k in args.sessions}
        for rows in args.rows:
            data_dir = Path(tmp) / f"rows_{rows}"
            data_dir.mkdir()
            frame_bytes = publish_all(data_dir, training_frame(rows))
            for k in args.sessions:
                summary = summarise(rows, k, frame_bytes, run_server(data_dir, k, args.rounds), baselines[k])
                show(summary)
                results.append(summary)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print(json.dumps([{k: v for k, v in r.items() if k != "steps"} for r in results]))
    return 0 if all(not r["errors"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
