"""The real-browser test: ``streamlit run app.py`` on 127.0.0.1, Debian's Chromium driven
by Playwright. Upload the sample training workbook on the Data page, see the validation report,
publish, open the Program page, wait for a plotly chart, and save ``docs/screenshot.png`` (the
README's screenshot). Deselect with ``-m "not browser"``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SAMPLE = ROOT / "data" / "sample" / "rekap_pelatihan_2025.xlsx"
SCREENSHOT = ROOT / "docs" / "screenshot.png"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
START_TIMEOUT = 90  # seconds for the server to answer
STEP_TIMEOUT = 90_000  # milliseconds for one step in the browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (apt-get install chromium; "
                                                     ".ci/run installs it)"),
]


def _free_port() -> int:
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


@pytest.fixture
def server(tmp_path):
    """A real ``streamlit run app.py`` on a free loopback port, with its own empty data folder."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(EVALUASI_DATA_DIR=str(tmp_path / "var"), EVALUASI_AUTH_MODE="none", PYTHONUNBUFFERED="1")
    log = tmp_path / "streamlit.log"
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


def test_upload_publish_and_see_the_program_chart(server):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 2000}, locale="id-ID")
            page.set_default_timeout(STEP_TIMEOUT)

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
            assert page.get_by_text("dataset pelatihan yang nyata").count() == 0  # published data, not the sample
            page.wait_for_timeout(1500)  # let every chart finish drawing before the picture
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 10_000


def test_a_link_to_a_page_opens_it_on_a_fresh_server(server):
    """The first request of a new server process: a shared link (filters in the URL) opens its page
    through app.py, not a blank one nor Streamlit's "Page not found" dialog."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1200}, locale="id-ID")
            page.set_default_timeout(STEP_TIMEOUT)
            page.goto(f"{server}/evaluasi-program?ukuran=knowledge")
            page.get_by_role("heading", name="Program", exact=True).wait_for()
            page.locator(".js-plotly-plot .main-svg").first.wait_for(state="visible")
            assert page.get_by_text("Page not found").count() == 0
        finally:
            browser.close()
