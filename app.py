"""Evaluasi Pembinaan ASN — the app shell.

Page config, language, who is signed in, the shared filters, and the navigation built from the
pages this user may see (``ui.registry``). Each run starts by forgetting the previous run's data
sources (``ui.data.begin_run``), so the store is asked once per run which version each page shows.
No maths and no file parsing here.

    streamlit run app.py
"""

import streamlit as st

from analysis.core.districts import load_districts
from ui import auth_gate, data, filters, registry
from ui import look, presentation  # the shared look; presentation mode (?present=1)
from ui.session import t

st.set_page_config(page_title="Evaluasi Pembinaan ASN", page_icon=":material/insights:", layout="wide")
data.begin_run()

if "lang_choice" not in st.session_state:  # Indonesian unless the link asks for English
    st.session_state["lang_choice"] = "en" if st.query_params.get("lang") == "en" else "id"
choice = st.sidebar.segmented_control(
    "Bahasa / Language", ["id", "en"], key="lang_choice", format_func={"id": "Indonesia", "en": "English"}.get,
)
st.session_state["lang"] = choice or "id"  # a deselected control falls back to Indonesian

user = auth_gate.sign_in()
pages = [
    st.Page(spec.load().render, title=t(spec.title_key), icon=spec.icon, url_path=spec.url_path, default=spec.default)
    for spec in registry.visible(user)
]
navigation = st.navigation(pages)

st.sidebar.title(t("app.title"))
st.sidebar.caption(t("app.subtitle"))
filters.init()
filters.sidebar(data.source("training"), load_districts().table["kecamatan"].tolist())
filters.sync_url()  # filters and language in the URL on every page, so a copied link reopens the view
with st.sidebar:
    auth_gate.sign_out_button(user)

look.apply()  # readable captions, a shorter top margin (ui/look.py)
if presentation.requested():  # ?present=1: one finding per screen, no sidebar (ui/presentation.py)
    presentation.run()  # draws the findings and ends the run
filters.chips()
navigation.run()
