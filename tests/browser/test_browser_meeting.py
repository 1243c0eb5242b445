"""The leader's answer and the meeting in a real browser: at 1366×768 (a laptop) the Ringkasan's
verdict and its first chart start in the first viewport; presentation mode (``?present=1``) hides
the sidebar and steps through the findings with the arrow keys and the buttons. The server shows
the bundled sample (nothing published). Deselect with ``-m "not browser"``.
"""

from __future__ import annotations

import re

import pytest

from browser_flow import CHROMIUM, chromium, streamlit_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (apt-get install chromium; "
                                                     ".ci/run installs it)"),
]

LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def server(tmp_path):
    with streamlit_server(tmp_path) as url:
        yield url


@pytest.fixture
def sync_api():
    return pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, "not laid out"
    return box


def test_verdict_and_first_chart_in_the_first_laptop_viewport(server, sync_api):
    with chromium(sync_api, **LAPTOP) as page:
        page.goto(server)
        page.get_by_role("heading", name="Ringkasan", exact=True).wait_for()
        verdict = page.get_by_text("Apakah program berhasil?").first
        verdict.wait_for()
        chart = page.locator(".js-plotly-plot .main-svg").first
        chart.wait_for(state="visible")
        page.wait_for_timeout(1000)  # the last layout of the run
        assert page.evaluate("window.scrollY") == 0
        # the verdict table (a row per level: knowledge, performance, satisfaction, reaction) on the first screen
        table = page.locator("[data-testid='stMain'] table").first
        assert table.locator("tbody tr").count() == 4
        assert "Pengetahuan (L2)" in table.inner_text()
        b = _box(table)
        assert b["y"] + b["height"] <= LAPTOP["height"], b
        # the ranking chart starts on the first screen with a good part of it visible
        b = _box(chart)
        assert b["y"] < LAPTOP["height"] - 150, b


def _title(page) -> str:
    return page.locator("[data-testid='stMain'] h1").first.inner_text().strip()


def _position(page, i: int) -> None:
    page.get_by_text(re.compile(rf"Temuan {i} dari \d+")).first.wait_for()


def test_presentation_mode_steps_with_keys_and_buttons(server, sync_api):
    with chromium(sync_api, **LAPTOP) as page:
        page.goto(f"{server}/?present=1")
        _position(page, 1)
        first = _title(page)
        assert first.startswith("Pengetahuan: terbukti naik di ")
        assert not page.locator("section[data-testid='stSidebar']").is_visible()  # no chrome
        footer = page.locator("[data-testid='stMain']").inner_text()
        assert "Filter: periode semua" in footer and "Sumber angka" in footer

        page.locator("[data-testid='stMain'] h1").first.click()  # the keys go to the page, not a widget
        page.keyboard.press("ArrowRight")
        _position(page, 2)
        second = _title(page)
        assert second != first and re.search(r"\d", second)

        page.get_by_role("button", name="Berikutnya").click()
        _position(page, 3)
        assert _title(page) not in (first, second)

        page.keyboard.press("ArrowLeft")
        _position(page, 2)
        assert _title(page) == second
        page.get_by_role("button", name="Sebelumnya").click()
        _position(page, 1)
        assert _title(page) == first


PHONE = {"width": 390, "height": 844}


def _below(page, chart, part: str) -> None:
    """In ``chart`` (a Plotly figure), ``part`` (the legend or the colour bar) lies below the plot
    area and inside the phone's width."""
    plot = _box(chart.locator(".nsewdrag").first)
    b = _box(chart.locator(part).first)
    assert b["y"] >= plot["y"] + plot["height"] - 1, (part, b, plot)
    assert b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"], (part, b)


def test_phone_ranking_legend_and_map_colour_bar_below(server, sync_api):
    with chromium(sync_api, **PHONE) as page:
        page.goto(server)
        chart = page.locator(".js-plotly-plot").first
        chart.locator(".main-svg").first.wait_for(state="visible")
        page.wait_for_timeout(1000)
        assert _box(chart)["width"] <= PHONE["width"]
        _below(page, chart, ".legend")
        # every program's label fits the phone: wrapped or shortened, never cut at the left edge
        for label in chart.locator(".ytick text, .annotation-text").all():
            b = label.bounding_box()
            if b is not None:
                assert b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"], b

        page.goto(f"{server}/peta-kecamatan")
        page.get_by_role("heading", name="Kecamatan", exact=True).wait_for()
        tile_map = page.locator(".js-plotly-plot").first
        tile_map.locator(".main-svg").first.wait_for(state="visible")
        page.wait_for_timeout(1000)
        _below(page, tile_map, ".colorbar")
