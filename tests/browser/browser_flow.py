"""What the real-browser tests and ``tests/browser/screenshot.py`` share: a real ``streamlit run
app.py`` on a free loopback port with its own empty data folder, Debian's Chromium driven by
Playwright, and the upload-and-publish flow that ends on the Program page.

Nothing here writes outside the folder it is given (the server's data folder, its log, the
picture): the tests pass a temporary folder; only ``screenshot.py`` is given ``docs/``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SAMPLE = ROOT / "data" / "sample" / "rekap_pelatihan_2025.xlsx"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
START_TIMEOUT = 90  # seconds for the server to answer
STEP_TIMEOUT = 90_000  # milliseconds for one step in the browser


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"streamlit did not answer {url} within {START_TIMEOUT} s:\n{log.read_text(errors='replace')}")


@contextlib.contextmanager
def streamlit_server(folder: Path) -> Iterator[str]:
    """A real ``streamlit run app.py`` on a free loopback port, its data and log in ``folder``;
    yields the base URL and stops the server (the process it started, by its id) afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(EVALUASI_DATA_DIR=str(folder / "var"), EVALUASI_AUTH_MODE="none", PYTHONUNBUFFERED="1")
    log = folder / "streamlit.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/_stcore/health", proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@contextlib.contextmanager
def chromium(sync_api, *, height: int = 2000) -> Iterator:
    """A page of a headless Chromium (Debian's), Indonesian locale, wide viewport."""
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": height}, locale="id-ID")
            page.set_default_timeout(STEP_TIMEOUT)
            yield page
        finally:
            browser.close()


def publish_sample_and_open_program(page, server: str) -> None:
    """Upload the sample training workbook on the Data page, see the validation report, publish,
    open the Program page and wait until its charts are drawn."""
    page.goto(server)
    page.get_by_text("Pemerintah Kota Medan").first.wait_for()
    page.get_by_role("link", name="Data", exact=True).click()
    page.get_by_role("heading", name="Data", exact=True).wait_for()
    page.locator("input[type=file]").first.set_input_files(str(SAMPLE))
    page.get_by_text("Baris dibaca").first.wait_for()  # the validation report, before saving
    page.get_by_text("baris ditolak dan tidak ikut disimpan").first.wait_for()
    page.get_by_role("button", name="Terbitkan", exact=True).click()
    page.get_by_text("Terbit (versi #").first.wait_for()

    page.get_by_role("link", name="Program", exact=True).click()
    page.get_by_role("heading", name="Program", exact=True).wait_for()
    page.locator(".js-plotly-plot").first.wait_for(state="visible")
    page.locator(".js-plotly-plot .main-svg").first.wait_for(state="visible")
    page.wait_for_timeout(1500)  # let every chart finish drawing before anyone looks
