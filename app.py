"""Evaluasi Pembinaan ASN — the app shell.

    streamlit run app.py

``streamlit run`` finds ``app`` below, an ``st.App`` (it reads this file for the assignment), and
serves it with uvicorn: Streamlit's own routes plus the session-cookie routes of ``ui.routes``.
Imported that way — once per server process, before any browser session — the file only sets the
server up. Each session then runs it as its script (``__name__ == "__main__"``): page config,
language, who is signed in, and the navigation built from the pages this user may see
(``ui.registry``), or — for every path, so a link survives the sign-in — the sign-in page or a page
naming the problem (a configuration error, a database that is down). ``st.navigation`` comes before
any widget, so every widget has the same identity from the first run of the first session on. Each
run starts by forgetting the previous run's data sources (``ui.data.begin_run``). No maths and no
file parsing here.
"""

from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

# pages/ holds modules that app.py imports (ui.registry), not Streamlit's old "one file per page"
# layout. Streamlit decides once per process whether to emulate that layout, from the folder's mere
# presence (runtime/pages_manager.py: a class attribute, set by the first session). Emulating it runs
# the first session's first run as another page, so the widgets drawn then change identity on the
# next run and the first click of that session is lost; a failure before st.navigation would also
# list the page files. The attribute is internal: streamlit is pinned, and a browser test signs in
# on the first try on a fresh server.
PagesManager.uses_pages_directory = False

from ui.allocators import prepare_process  # noqa: E402

prepare_process()  # before any session: what one session's thread frees serves the others (ui/allocators.py)

HERE = Path(__file__).resolve().parent
FAVICON = HERE / "assets" / "favicon.svg"  # inlined by Streamlit: no request to a font CDN


def _language() -> None:
    """The session's language, from the sidebar switch's state (drawn later) or the link's ``lang``."""
    if "lang_choice" not in st.session_state:  # Indonesian unless the link asks for English
        st.session_state["lang_choice"] = "en" if st.query_params.get("lang") == "en" else "id"
    st.session_state["lang"] = st.session_state.get("lang_choice") or "id"  # deselected: Indonesian


def _language_switch() -> None:
    st.sidebar.segmented_control(
        "Bahasa / Language", ["id", "en"], key="lang_choice", format_func={"id": "Indonesia", "en": "English"}.get,
    )


def _gate_navigation(page, registry):
    """Every path of the app, and the old ``/ringkasan``, showing ``page`` and nothing else."""
    from ui.session import t

    pages = [st.Page(page, title=t("app.title"), url_path=spec.url_path, default=spec.default, visibility="hidden")
             for spec in registry.PAGES]
    pages.append(st.Page(page, title=t("app.title"), url_path=registry.OLD_DEFAULT_PATH, visibility="hidden"))
    return st.navigation(pages, position="hidden")


def _app_navigation(user, registry):
    """The pages ``user`` may see, and ``/ringkasan`` (the default page's old path) leading to the first."""
    from ui.session import t

    pages = [st.Page(spec.load().render, title=t(spec.title_key), icon=spec.icon, url_path=spec.url_path,
                     default=spec.default) for spec in registry.visible(user)]
    overview = pages[0]
    pages.append(st.Page(lambda: st.switch_page(overview), title=t("nav.ringkasan"),
                         url_path=registry.OLD_DEFAULT_PATH, visibility="hidden"))
    return st.navigation(pages)


def main() -> None:
    """One run of a session."""
    from analysis.core.districts import load_districts
    from ui import auth_gate, data, filters, look, presentation, registry
    from ui.session import t

    st.set_page_config(page_title="Evaluasi Pembinaan ASN", page_icon=str(FAVICON), layout="wide")
    data.begin_run()
    _language()

    def who_and_what():  # everything that reads the database or the settings before the navigation
        gate = auth_gate.identify()
        if gate.user is None:
            return gate, None, None
        return gate, data.source("training"), load_districts().table["kecamatan"].tolist()

    found, problem = auth_gate.contained(who_and_what)
    gate, training, districts = found if problem is None else (auth_gate.Gate(problem=problem), None, None)
    st.session_state["user"] = gate.user

    if gate.problem is not None:
        navigation = _gate_navigation(lambda: auth_gate.problem_page(gate), registry)
        _language_switch()
    elif gate.user is None:
        navigation = _gate_navigation(auth_gate.sign_in_page, registry)
        _language_switch()
    else:
        navigation = _app_navigation(gate.user, registry)
        _language_switch()
        st.sidebar.title(t("app.title"))
        st.sidebar.caption(t("app.subtitle"))
        filters.init()
        filters.sidebar(training, districts)
        filters.sync_url()  # filters and language in the URL on every page, so a copied link reopens the view
        with st.sidebar:
            auth_gate.sign_out_button(gate.user)
        auth_gate.hand_off_cookie()
    look.apply()  # readable captions, a shorter top margin (ui/look.py)
    if gate.user is not None and presentation.requested():
        # ?present=1: one finding per screen, no sidebar (ui/presentation.py), in place of the page
        auth_gate.run_contained(presentation)
        return
    if gate.user is not None:
        filters.chips()
    auth_gate.run_contained(navigation)


if __name__ == "__main__":
    main()
else:  # imported by `streamlit run app.py` to serve the app
    from analysis.intake import worker
    from ui import routes

    worker.start()  # the fork server of the upload workers imports the intake now, not at the first upload
    app = st.App(str(HERE / "app.py"), routes=routes.ROUTES)
