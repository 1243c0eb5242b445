"""The product's look beyond Streamlit's theme: readable captions and Streamlit's own widget texts
in the reader's language.

- Captions: Streamlit draws them in a faded grey (about 3.7:1 on white); WCAG 2.1 AA asks 4.5:1 for
  text, so :func:`apply` sets them to :data:`CAPTION_COLOUR` (8.4:1 on white, 7.5:1 on the
  sidebar's grey), trims the page's top padding and sets the verdict table in 14 px with tight
  cells, so a laptop's first screen (1366×768) holds the verdict and the start of the ranking.
- Widget texts: the multiselect's placeholder is a parameter (:func:`choose_placeholder`); the file
  uploader of Streamlit 1.67 has no parameter for its button ("Upload", "Add files") or its limit
  line ("50MB per file • XLSX"), so :func:`uploader_texts` replaces them by CSS on that uploader
  alone (its ``st-key-…`` class), in the session's language; the uploader's accessible name stays
  the label the page gives it.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from analysis.core.i18n import translate
from ui.session import lang

#: Caption text: #4A4D57 on white is 8.4:1 (by hand from the WCAG 2.1 relative luminance; AA asks 4.5:1).
CAPTION_COLOUR = "#4A4D57"

STRINGS = {
    "choose": {"id": "Pilih satu atau lebih", "en": "Choose one or more"},
    "upload": {"id": "Pilih berkas", "en": "Choose files"},
    "add": {"id": "Tambah berkas", "en": "Add files"},
    "limit": {"id": "Maks. {mb} MB per berkas", "en": "Up to {mb} MB per file"},
    "drop": {"id": "Lepaskan berkas di sini", "en": "Drop the files here"},
}

GLOBAL_STYLE = f"""<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {{ color: {CAPTION_COLOUR} !important; }}
[data-testid="stMainBlockContainer"] {{ padding-top: 2.5rem !important; }}
.st-key-verdict table th, .st-key-verdict table td {{ padding: 0.3rem 0.6rem !important; font-size: 0.875rem !important; }}
</style>"""


def _tr(key: str, **values) -> str:
    return translate(STRINGS, key, lang(), **values)


def contrast_ratio(foreground: str, background: str = "#FFFFFF") -> float:
    """WCAG 2.1 contrast ratio of two ``#RRGGBB`` colours (1 to 21).

    Examples
    --------
    >>> round(contrast_ratio("#000000"), 1), round(contrast_ratio(CAPTION_COLOUR), 1)
    (21.0, 8.4)
    """
    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def apply() -> None:
    """The shared style of every page (``app.py`` calls it once per run)."""
    st.html(GLOBAL_STYLE)


def choose_placeholder() -> str:
    """The multiselect placeholder in the session's language (Streamlit's own: "Choose options")."""
    return _tr("choose")


def _css_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def uploader_style(key: str, limit_mb: int, types: Sequence[str], language: str) -> str:
    """The CSS that writes the uploader ``key``'s button and limit line in ``language``.

    Examples
    --------
    >>> css = uploader_style("data_files", 50, ["xlsx", "csv"], "id")
    >>> '.st-key-data_files' in css and 'content: "Pilih berkas"' in css and "Maks. 50 MB per berkas • XLSX, CSV" in css
    True
    """
    scope = f".st-key-{key}"
    limit = translate(STRINGS, "limit", language, mb=limit_mb) + (" • " + ", ".join(t.upper() for t in types)
                                                                  if types else "")
    words = {k: _css_text(translate(STRINGS, k, language)) for k in ("upload", "add", "drop")}
    return f"""<style>
{scope} [data-testid="stFileUploaderDropzone"] button {{ font-size: 0 !important; }}
{scope} [data-testid="stFileUploaderDropzone"] button * {{ display: none !important; }}
{scope} [data-testid="stFileUploaderDropzone"] button::after {{ content: "{words['upload']}"; font-size: 1rem; }}
{scope} [data-testid="stFileUploader"] section + div button:not([data-testid*="Delete"]) {{ font-size: 0 !important; }}
{scope} [data-testid="stFileUploaderDropzoneInstructions"] * {{ font-size: 0 !important; }}
{scope} [data-testid="stFileUploaderDropzoneInstructions"] > div::after {{ content: "{_css_text(limit)}";
  font-size: 0.875rem; }}
</style>"""


def uploader_texts(key: str, limit_mb: int, types: Sequence[str]) -> None:
    """Draw :func:`uploader_style` for the uploader with widget key ``key`` (call beside it)."""
    st.html(uploader_style(key, limit_mb, types, lang()))
