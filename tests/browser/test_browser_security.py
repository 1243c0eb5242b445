"""Real-browser tests of what only a browser shows: a fresh server's first sign-in, the HttpOnly
session cookie across reloads and tabs, links that survive the sign-in, a guarded navigation when
the configuration is wrong or the database is down, an upload that kills its reader while the
server and other sessions live on, an app that needs no internet, and two servers on one
PostgreSQL database. Each test starts its own ``streamlit run app.py`` (``servers.running``).
"""

from __future__ import annotations

import pytest

from builders import repeated_ods
from servers import CHROMIUM, chromium, context, new_page, running

PASSWORD = "rahasia-panjang-sekali"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (apt-get install chromium; "
                                                     ".ci/run installs it)"),
]


@pytest.fixture
def pw():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        yield playwright


def _account(database_url: str | None, folder, name: str = "budi", role: str = "analyst") -> None:
    """An account made before the server starts, as ``python -m analysis users add`` would."""
    from store import accounts
    from store.db import Database

    database = Database(database_url or f"sqlite:///{folder / 'var' / 'evaluasi.sqlite3'}")
    try:
        accounts.add_user(database, name, role, PASSWORD)
    finally:
        database.close()


def _sign_in(page, name: str = "budi") -> None:
    page.get_by_label("Nama pengguna").fill(name)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()


def _session_cookie(page, ctx) -> dict:
    """The session cookie, once the page has fetched it (a moment after the sign-in)."""
    for _ in range(40):
        found = [c for c in ctx.cookies() if c["name"] == "evaluasi_sesi"]
        if found:
            return found[0]
        page.wait_for_timeout(250)
    raise AssertionError(f"no session cookie: {[c['name'] for c in ctx.cookies()]}")


def test_the_first_session_of_a_fresh_server_signs_in_at_the_first_try(tmp_path, pw):
    _account(None, tmp_path)
    with running(tmp_path, EVALUASI_AUTH_MODE="local") as server:
        browser = chromium(pw)
        try:
            page = new_page(context(browser))
            page.goto(server.url)
            _sign_in(page)  # once: the first action of the first session is not lost
            page.get_by_text("Masuk sebagai budi (analyst)").wait_for(timeout=20_000)
            page.get_by_text("English", exact=True).click()  # and the next one neither
            page.get_by_text("Medan City Government").wait_for(timeout=20_000)
        finally:
            browser.close()


def test_a_sign_in_lasts_across_reloads_and_tabs_and_lands_where_the_link_pointed(tmp_path, pw):
    _account(None, tmp_path)
    with running(tmp_path, EVALUASI_AUTH_MODE="local") as server:
        browser = chromium(pw)
        try:
            ctx = context(browser)
            page = new_page(ctx)
            page.goto(f"{server.url}/evaluasi-program?kecamatan=Medan+Baru&ukuran=performance")
            _sign_in(page)
            page.get_by_text("Masuk sebagai budi (analyst)").wait_for()
            page.get_by_role("heading", name="Program", exact=True).wait_for()
            assert page.url.startswith(f"{server.url}/evaluasi-program?") and "kecamatan=Medan+Baru" in page.url
            assert page.get_by_role("radio", name="Kinerja (SKP sebelum/sesudah)").is_checked()  # the link's filters
            assert "Medan Baru" in page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").nth(2) \
                .inner_html()

            cookie = _session_cookie(page, ctx)
            assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
            assert "evaluasi_sesi" not in page.evaluate("document.cookie")  # scripts cannot read it

            page.reload()
            page.get_by_text("Masuk sebagai budi (analyst)").wait_for()
            other = new_page(ctx)
            other.goto(server.url)
            other.get_by_text("Masuk sebagai budi (analyst)").wait_for()

            other.get_by_role("button", name="Keluar").click()  # signing out ends it in every tab
            other.get_by_text("Masuk ke Evaluasi Pembinaan ASN").wait_for()
            other.wait_for_timeout(1500)
            assert "evaluasi_sesi" not in {c["name"] for c in ctx.cookies()}
            page.reload()
            page.get_by_text("Masuk ke Evaluasi Pembinaan ASN").wait_for()
        finally:
            browser.close()


def test_a_configuration_error_names_no_page(tmp_path, pw):
    with running(tmp_path, EVALUASI_AUTH_MODE="locl") as server:
        browser = chromium(pw)
        try:
            page = new_page(context(browser))
            for path in ("/", "/administrasi", "/admin", "/data"):
                page.goto(server.url + path)
                page.get_by_text("bad_auth_mode").wait_for()
                body = page.locator("body").inner_text()
                for name in ("Administrasi", "Kelola", "Program", "Suara Masyarakat", "admin", "ringkasan"):
                    assert name not in body, (path, name)
                assert page.locator("[data-testid='stSidebarNav']").count() == 0
        finally:
            browser.close()


def test_a_database_that_is_down_shows_a_coded_message_and_no_details(tmp_path, pw):
    from servers import free_port

    port = free_port()
    url = f"postgresql://evaluasi:rahasia@127.0.0.1:{port}/evaluasi"
    with running(tmp_path, EVALUASI_AUTH_MODE="local", DATABASE_URL=url) as server:
        browser = chromium(pw)
        try:
            page = new_page(context(browser))
            page.goto(server.url)
            page.get_by_text("database_unavailable").wait_for()
            body = page.locator("body").inner_text()
            for detail in (str(port), "rahasia", "psycopg", "Traceback", "OperationalError", "/work"):
                assert detail not in body, detail
        finally:
            browser.close()
        assert "OperationalError" in server.log.read_text(errors="replace")  # the details are in the log


def test_an_upload_that_kills_its_reader_leaves_the_server_and_other_sessions_alive(tmp_path, pw):
    killer = tmp_path / "ulang.ods"
    killer.write_bytes(repeated_ods(tmp_path))  # 1.5 KB; calamine aborts the process that reads it
    with running(tmp_path, EVALUASI_INTAKE_MEMORY_MB="768") as server:
        browser = chromium(pw)
        try:
            other = new_page(context(browser))  # someone else, already using the app
            other.goto(server.url)
            other.get_by_text("Pemerintah Kota Medan").first.wait_for()

            page = new_page(context(browser))
            page.goto(f"{server.url}/kelola-data")
            page.get_by_role("heading", name="Data", exact=True).wait_for()
            page.locator("input[type=file]").first.set_input_files(str(killer))
            page.get_by_text("kode file_too_complex").wait_for()
            assert server.alive()

            other.get_by_text("English", exact=True).click()  # the other session still gets answers
            other.get_by_text("Medan City Government").wait_for()
            other.get_by_role("link", name="About the method").click()
            other.get_by_role("heading", name="About the method").first.wait_for()
            assert server.alive()
        finally:
            browser.close()


def test_the_app_needs_no_internet_shows_no_deploy_button_and_knows_ringkasan(tmp_path, pw):
    with running(tmp_path) as server:
        browser = chromium(pw)
        try:
            page = new_page(context(browser))
            outside = []
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
                (server.url, "data:", "blob:", "about:")) else None)
            page.goto(f"{server.url}/ringkasan")  # the overview's old path, on a fresh server
            page.get_by_role("heading", name="Ringkasan").first.wait_for()
            page.wait_for_timeout(2000)
            assert page.get_by_text("Page not found").count() == 0
            assert page.url.split("?")[0].rstrip("/") == server.url  # the overview (its filters in the query)
            icon = page.evaluate("document.querySelector(\"link[rel='shortcut icon']\").href")
            assert icon.startswith("data:image/svg+xml")
            assert outside == []  # not the favicon from a font CDN, nothing else either
            assert page.get_by_role("button", name="Deploy").count() == 0
            page.locator("[data-testid='stMainMenu']").click()
            page.wait_for_timeout(500)
            assert page.get_by_text("Deploy").count() == 0 and page.get_by_text("Clear cache").count() == 0
        finally:
            browser.close()


def test_two_servers_on_one_postgresql_share_published_data_and_sign_ins(tmp_path, pw):
    from pg import SKIP_REASON, fresh_url, server_url

    from servers import ROOT

    base = server_url()
    if base is None:
        pytest.skip(SKIP_REASON)
    sample = ROOT / "data" / "sample" / "rekap_pelatihan_2025.xlsx"
    with fresh_url(base) as url:
        _account(url, tmp_path, role="analyst")
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        with running(tmp_path / "a", EVALUASI_AUTH_MODE="local", DATABASE_URL=url) as one, \
                running(tmp_path / "b", EVALUASI_AUTH_MODE="local", DATABASE_URL=url) as two:
            browser = chromium(pw)
            try:
                ctx = context(browser)  # a browser sends 127.0.0.1's cookies to both ports
                first = new_page(ctx)
                first.goto(f"{one.url}/kelola-data")
                _sign_in(first)
                first.get_by_role("heading", name="Data", exact=True).wait_for()
                first.locator("input[type=file]").first.set_input_files(str(sample))
                first.get_by_text("Baris dibaca").first.wait_for()
                first.get_by_role("button", name="Terbitkan", exact=True).click()
                first.get_by_text("Terbit (versi #").first.wait_for()

                second = new_page(ctx)
                second.goto(f"{two.url}/evaluasi-program")
                second.get_by_text("Masuk sebagai budi (analyst)").wait_for()  # the same sign-in
                second.get_by_role("heading", name="Program", exact=True).wait_for()
                second.get_by_text("Sumber: rekap pelatihan 2025 (versi 1").first.wait_for()  # what the first published
                assert second.get_by_text("DATA SINTETIS").count() == 0

                second.get_by_role("button", name="Keluar").click()  # sign out on the second server
                second.get_by_text("Masuk ke Evaluasi Pembinaan ASN").wait_for()
                first.reload()
                first.get_by_text("Masuk ke Evaluasi Pembinaan ASN").wait_for()  # ended on the first too
            finally:
                browser.close()
