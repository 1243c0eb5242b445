"""Presentation mode: an evaluation meeting run from the product, one finding per screen.

``?present=1`` (or the button on the overview, :func:`open_button`) turns the app into a projector
view: no sidebar, no Streamlit chrome, projector type sizes; one finding per screen
(``ui.findings``: the verdict, the program ranking, the chosen program, the kecamatan view,
citizen satisfaction, mentoring, the follow-up recommendations — those the data allow), each under
its takeaway title; previous and next by buttons and by the arrow keys; the current filters and the
data sources in the footer. ``app.py`` calls :func:`run` when :func:`requested` says so; the
filters are those of the session (or of the link), so a shared link opens the same meeting.
"""

from __future__ import annotations

import streamlit as st

from analysis.core.i18n import translate
from ui import findings
from ui.session import lang, md_escape

PARAM = "present"
STEP = "present_step"

STRINGS = {
    "open": {"id": "Mode presentasi", "en": "Presentation mode"},
    "open.help": {"id": "Satu temuan per layar untuk rapat evaluasi, tanpa panel samping; pindah dengan tombol "
                        "atau tombol panah di papan ketik.",
                  "en": "One finding per screen for the evaluation meeting, no sidebar; move with the buttons or "
                        "the arrow keys."},
    "prev": {"id": "Sebelumnya", "en": "Previous"},
    "next": {"id": "Berikutnya", "en": "Next"},
    "close": {"id": "Keluar dari presentasi", "en": "Leave the presentation"},
    "position": {"id": "Temuan {i} dari {n}", "en": "Finding {i} of {n}"},
    "keys": {"id": "Tombol panah ← → untuk pindah", "en": "Arrow keys ← → to move"},
    "empty": {"id": "Belum ada temuan untuk ditampilkan dengan filter ini.",
              "en": "No finding to show under these filters yet."},
}

#: Projector type sizes and no chrome: the sidebar, the header and the toolbar hidden.
STYLE = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], footer { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 1.5rem !important; max-width: 96vw !important; }
[data-testid="stMain"] h1 { font-size: 2.6rem !important; line-height: 1.25 !important; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] td, [data-testid="stMain"] th
  { font-size: 1.5rem !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.15rem !important; }
</style>"""


def _tr(key: str, **values) -> str:
    return translate(STRINGS, key, lang(), **values)


def requested() -> bool:
    """Whether this run shows the presentation (``?present=1``)."""
    return st.query_params.get(PARAM) == "1"


def _open() -> None:
    st.query_params[PARAM] = "1"
    st.session_state[STEP] = 0


def _close() -> None:
    if PARAM in st.query_params:
        del st.query_params[PARAM]


def _move(by: int, total: int) -> None:
    st.session_state[STEP] = min(max(0, st.session_state.get(STEP, 0) + by), max(total - 1, 0))


def open_button() -> None:
    """The button that starts the presentation (on the overview)."""
    st.button(_tr("open"), key="present_open", on_click=_open, icon=":material/slideshow:", help=_tr("open.help"))


def run() -> None:
    """Draw the current finding full screen with its navigation and footer, then end the run."""
    st.html(STYLE)
    shown = findings.all_findings()
    if not shown:
        st.info(_tr("empty"))
        st.button(_tr("close"), key="present_close", on_click=_close, shortcut="escape")
        st.stop()
    step = min(max(0, int(st.session_state.get(STEP, 0))), len(shown) - 1)
    st.session_state[STEP] = step
    finding = shown[step]
    st.title(md_escape(finding.title), anchor=False)
    finding.draw(True)
    _navigation(step, len(shown))
    st.caption(md_escape(findings.filters_text()) + "  \n" + findings.sources_line())
    st.stop()


def _navigation(step: int, total: int) -> None:
    prev, where, nxt, close = st.columns([2, 3, 2, 3], vertical_alignment="center")
    prev.button(_tr("prev"), key="present_prev", on_click=_move, args=(-1, total), disabled=step == 0,
                icon=":material/arrow_back:", shortcut="left", width="stretch")
    where.markdown(f"**{_tr('position', i=step + 1, n=total)}** · {_tr('keys')}")
    nxt.button(_tr("next"), key="present_next", on_click=_move, args=(1, total), disabled=step >= total - 1,
               icon=":material/arrow_forward:", shortcut="right", width="stretch", type="primary")
    close.button(_tr("close"), key="present_close", on_click=_close, icon=":material/close:", shortcut="escape",
                 width="stretch")
