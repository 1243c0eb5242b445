"""The real-browser tests: ``streamlit run app.py`` on 127.0.0.1, Debian's Chromium driven by
Playwright (``browser_flow``). Upload the sample training workbook, publish, see the Program page's
charts; open a shared link on a fresh server; switch language and pages and keep the filters and
the URL. Pictures go to the test's temporary folder only — the README's picture is refreshed by
``python tests/browser/screenshot.py``. Deselect with ``-m "not browser"``.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from browser_flow import CHROMIUM, chromium, publish_sample_and_open_program, streamlit_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (apt-get install chromium; "
                                                     ".ci/run installs it)"),
]


@pytest.fixture
def server(tmp_path):
    """A real ``streamlit run app.py`` on a free loopback port, with its own empty data folder."""
    with streamlit_server(tmp_path) as url:
        yield url


@pytest.fixture
def sync_api():
    return pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def test_upload_publish_and_see_the_program_chart(server, sync_api, tmp_path):
    with chromium(sync_api) as page:
        publish_sample_and_open_program(page, server)
        assert page.get_by_text("DATA SINTETIS").count() == 0  # published data, not the sample
        picture = tmp_path / "program.png"
        page.screenshot(path=str(picture), full_page=True)
    assert picture.stat().st_size > 10_000


def test_a_link_to_a_page_opens_it_on_a_fresh_server(server, sync_api):
    """The first request of a new server process: a shared link (filters in the URL) opens its page
    through app.py, not a blank one nor Streamlit's "Page not found" dialog."""
    with chromium(sync_api, height=1200) as page:
        page.goto(f"{server}/evaluasi-program?ukuran=knowledge")
        page.get_by_role("heading", name="Program", exact=True).wait_for()
        page.locator(".js-plotly-plot .main-svg").first.wait_for(state="visible")
        assert page.get_by_text("Page not found").count() == 0


def _query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def _wait_for_query(page, **expected) -> dict[str, str]:
    """The URL's query once it holds ``expected`` (Streamlit writes it after the run)."""
    for _ in range(60):
        query = _query(page)
        if all(query.get(k) == v for k, v in expected.items()):
            return query
        page.wait_for_timeout(250)
    raise AssertionError(f"the URL never held {expected}: {page.url}")


def _choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the sidebar selectbox labelled ``label``."""
    _settled(page)
    box = page.locator("section[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text=label)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()


RADIO = "section[data-testid='stSidebar'] [data-testid='stRadio']"


def _selected_measure(page) -> str:
    _settled(page)
    return page.locator(f"{RADIO} [data-testid='stRadioOption'][data-selected='true']").inner_text().strip()


def _settled(page) -> None:
    """Wait until the run has finished: the sidebar holds its three filter boxes, no stale copies."""
    boxes = page.locator("section[data-testid='stSidebar'] [data-testid='stSelectbox']")
    for _ in range(120):
        if boxes.count() == 3 and page.locator("[data-stale='true']").count() == 0:
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"the page did not settle: {boxes.count()} filter boxes")


def _sidebar_select_text(page, label: str) -> str:
    """What the sidebar selectbox labelled ``label`` shows as chosen."""
    _settled(page)
    box = page.locator("section[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text=label)
    return box.locator("input[role='combobox']").input_value()


def test_language_switch_and_pages_keep_the_filters_and_the_url(server, sync_api):
    with chromium(sync_api, height=1400) as page:
        page.goto(server)
        page.get_by_role("heading", name="Ringkasan", exact=True).wait_for()
        _choose(page, "Periode", "2025")
        _wait_for_query(page, periode="2025")
        page.locator(f"{RADIO} [data-testid='stRadioOption']").filter(has_text="Kinerja").click()
        _wait_for_query(page, periode="2025", ukuran="performance", lang="id")

        page.get_by_role("radio", name="English", exact=True).click()
        page.get_by_role("heading", name="Overview", exact=True).wait_for()
        _wait_for_query(page, lang="en", periode="2025", ukuran="performance")
        page.wait_for_timeout(500)
        assert _sidebar_select_text(page, "Program") == "All"  # not "Semua"
        assert _sidebar_select_text(page, "Period") == "2025"
        assert _selected_measure(page) == "Performance (SKP before/after)"
        _choose(page, "District", "Medan Baru")
        _wait_for_query(page, lang="en", periode="2025", ukuran="performance", kecamatan="Medan Baru")

        page.get_by_role("radio", name="Indonesia", exact=True).click()
        page.get_by_role("heading", name="Ringkasan", exact=True).wait_for()
        query = _wait_for_query(page, lang="id", periode="2025", ukuran="performance", kecamatan="Medan Baru")
        assert "program" not in query  # never "program=Semua"
        assert _sidebar_select_text(page, "Program") == "Semua"
        assert _selected_measure(page) == "Kinerja (SKP sebelum/sesudah)"  # the measure did not change

        page.get_by_role("link", name="Kecamatan", exact=True).click()
        page.get_by_role("heading", name="Kecamatan", exact=True).wait_for()
        query = _wait_for_query(page, lang="id", periode="2025", ukuran="performance", kecamatan="Medan Baru")
        assert "program" not in query
        assert "Kecamatan terpilih" in page.content()  # the page opened on the chosen district

        page.goto(page.url)  # the copied link reopens the view in a new session
        page.get_by_role("heading", name="Kecamatan", exact=True).wait_for()
        _wait_for_query(page, lang="id", periode="2025", ukuran="performance", kecamatan="Medan Baru")
        assert _sidebar_select_text(page, "Kecamatan") == "Medan Baru"
