"""What the real-browser tests and ``tests/browser/screenshot.py`` share: a real ``streamlit run
app.py`` on a free loopback port with its own empty data folder, Debian's Chromium driven by
Playwright, and the upload-and-publish flow that ends on the Program page.

Nothing here writes outside the folder it is given (the server's data folder, its log, the
picture): the tests pass a temporary folder; only ``screenshot.py`` is given ``docs/``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from servers import CHROMIUM, CHROMIUM_ARGS, ROOT, STEP_TIMEOUT, running

SAMPLE = ROOT / "data" / "sample" / "rekap_pelatihan_2025.xlsx"

__all__ = ["CHROMIUM", "ROOT", "SAMPLE", "chromium", "publish_sample_and_open_program", "streamlit_server"]


@contextlib.contextmanager
def streamlit_server(folder: Path) -> Iterator[str]:
    """A real ``streamlit run app.py`` on a free loopback port, its data and log in ``folder``
    (``servers.running``, with sign-in off); yields the base URL and stops the server afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    with running(folder) as server:
        yield server.url


@contextlib.contextmanager
def chromium(sync_api, *, height: int = 2000, width: int = 1440) -> Iterator:
    """A page of a headless Chromium (Debian's), Indonesian locale, a wide viewport unless told."""
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, locale="id-ID")
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
