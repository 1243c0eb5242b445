"""Security of the pages: nothing drawn when a page runs by itself, who sees which page,
the loopback-only mode ``none``, masked NIP for viewers, and hostile names shown as text.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st
from apptest_helpers import make_app, publish, run_page, visible_pages
from streamlit.testing.v1 import AppTest

from analysis.core.roles import ROLES, has_role
from analysis.intake.pipeline import read_file
from ui.registry import PAGES

ROOT = Path(__file__).resolve().parents[2]
PAGE_FILES = sorted(p.name for p in (ROOT / "pages").glob("*.py") if p.name != "__init__.py")
XSS = "<img src=x onerror=alert(1)>"
FORBIDDEN = "Anda tidak memiliki akses ke halaman ini."
NIP_18 = re.compile(r"(?<!\d)\d{18}(?!\d)")
NIP_MASKED = re.compile(r"\d{6}\*{8}\d{4}")
NAME_MASKED = re.compile(r"\b[A-Z]\*\*\* [A-Z]\*\*\*")


def _drawn(at) -> list:
    """Every element the run put in the main area or the sidebar."""
    return list(at.main.children.values()) + list(at.sidebar.children.values())


# --------------------------------------------------------------------------- pages run alone


def test_every_registered_page_has_a_file():
    assert sorted(f"{spec.module.split('.')[-1]}.py" for spec in PAGES) == PAGE_FILES


@pytest.mark.parametrize("name", PAGE_FILES)
def test_page_run_alone_by_streamlit_draws_nothing(name):
    """Streamlit's legacy pages/ runner would run the file as a script, skipping app.py's checks."""
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60).run()
    assert not at.exception
    assert _drawn(at) == []


def test_pages_run_as_plain_python_draw_nothing():
    script = ("import runpy, sys\n"
              "for path in sys.argv[1:]:\n"
              "    runpy.run_path(path, run_name='__main__')\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "EVALUASI_AUTH_MODE": "local"}
    proc = subprocess.run([sys.executable, "-c", script, *(str(ROOT / "pages" / n) for n in PAGE_FILES)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""


# --------------------------------------------------------------------------- who sees what


@pytest.mark.parametrize("role", ROLES)
def test_navigation_lists_exactly_the_pages_of_the_role(tmp_path, monkeypatch, role):
    at = make_app(tmp_path, monkeypatch, role=role)
    at.run()
    assert not at.exception
    allowed = [spec for spec in PAGES if has_role(role, spec.min_role)]
    assert visible_pages(at) == [spec.url_path for spec in allowed]
    for spec in PAGES:
        path = f"pages/{spec.module.split('.')[-1]}.py"
        if spec in allowed:
            run_page(at, path)
            assert not at.exception, (path, [e.value for e in at.exception])
            assert FORBIDDEN not in [e.value for e in at.error], path
        else:
            with pytest.raises(LookupError):
                run_page(at, path)


BELOW = [(spec.module, role) for spec in PAGES for role in (None, *ROLES) if not has_role(role, spec.min_role)]


@pytest.mark.parametrize(("module", "role"), BELOW, ids=[f"{m.split('.')[-1]}-{r}" for m, r in BELOW])
def test_page_reached_directly_above_the_role_shows_only_forbidden(module, role):
    """Each page's render() checks the role again, whatever way it was reached."""
    script = (
        "import importlib\n"
        "import streamlit as st\n"
        "from store.auth import User\n"
        + ("st.session_state['user'] = None\n" if role is None
           else f"st.session_state['user'] = User('uji', {role!r})\n")
        + f"importlib.import_module({module!r}).render()\n"
    )
    at = AppTest.from_string(script, default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == [FORBIDDEN]
    assert len(_drawn(at)) == 1


def test_mode_none_off_loopback_shows_only_the_explanation(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch)  # mode none
    real = st.get_option
    monkeypatch.setattr(st, "get_option", lambda key: "0.0.0.0" if key == "server.address" else real(key))
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and "EVALUASI\\_AUTH\\_MODE\\=local" in at.error[0].value
    assert "0\\.0\\.0\\.0" in at.error[0].value and "not_loopback" in at.error[0].value
    # every path is registered, but each shows the explanation only, under the app's name
    assert {info.get("page_name") for info in at._registered_pages.values()} == {"Evaluasi Pembinaan ASN"}
    assert not at.title and not at.metric and not at.dataframe and not at.get("plotly_chart")
    assert [type(e).__name__ for e in at.main.children.values()] == ["Error"]
    assert [type(e).__name__ for e in at.sidebar.children.values()] == ["ButtonGroup"]  # the language switch only


# --------------------------------------------------------------------------- personal data


def _everything(at) -> str:
    """All text of the last run: elements, dataframes, and the plotly figures' JSON."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "code", "error", "warning",
                 "info", "success"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += [chart.proto.spec for chart in at.get("plotly_chart")]
    return "\n".join(parts)


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_program_page_masks_nip_and_names_for_viewers(tmp_path, monkeypatch, role):
    at = make_app(tmp_path, monkeypatch, role=role)
    run_page(at, "pages/program.py")
    assert not at.exception
    shown = _everything(at)
    sample = read_file(ROOT / "data" / "sample" / "rekap_pelatihan_2025.xlsx", kind="training").accepted
    nips = set(sample["nip"].dropna())
    names = {n for n in sample["nama"].dropna() if "," not in n}  # without academic titles, as hovers show them
    leaked_nips = {n for n in NIP_18.findall(shown) if n in nips}
    leaked_names = {n for n in names if n in shown}
    if role == "viewer":
        assert not leaked_nips, sorted(leaked_nips)[:3]
        assert not leaked_names, sorted(leaked_names)[:3]
        assert NAME_MASKED.search(shown)  # participants are there, as initials
        for nip in NIP_18.findall(shown):
            assert nip not in nips
        masked = NIP_MASKED.findall(shown)
        assert all(m[:6] + m[-4:] in {n[:6] + n[-4:] for n in nips} for m in masked)
    else:
        assert leaked_names  # an analyst sees the names: the masking above is the role's doing


# --------------------------------------------------------------------------- hostile text


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _hostile_data(tmp_path: Path) -> None:
    nips = ["198503122010011003", "198601012011012004", "197904152005011002", "199002202015032001",
            "198812312012121005", "197512012000031006", "199307072019022007", "198004042006041008"]
    rows = "".join(
        f"{nip};{XSS} {i};Puskesmas A;Medan Baru;{XSS};10/03/2025;14/03/2025;20;{50 + i};{60 + 2 * i}\n"
        for i, nip in enumerate(nips))
    publish("training", _write(tmp_path / "latsar.csv",
                               "NIP;Nama;Unit Kerja;Kecamatan;Nama Pelatihan;Tanggal Mulai;Tanggal Selesai;JP;"
                               "Pre Test;Post Test\n" + rows))
    survey = "".join(f"0{d}/02/2025;{XSS};Medan Baru;3;3;3;3;3;3;3;3;3;{XSS} telp 081234567890\n" for d in range(1, 6))
    publish("feedback", _write(tmp_path / "skm.csv",
                               "Tanggal;Unit Layanan;Kecamatan;U1;U2;U3;U4;U5;U6;U7;U8;U9;Saran\n" + survey))


def _assert_no_html(at) -> None:
    # the only raw HTML is the app's own style sheet (ui/look.py), a constant without user text
    from ui import look

    assert all(el.proto.body == look.GLOBAL_STYLE or (el.proto.body.startswith("<style>") and "st-key-" in el.proto.body
                                                       and "<img" not in el.proto.body)
               for el in at.get("html"))
    for kind in ("markdown", "caption", "title", "header", "subheader", "error", "warning", "info", "success"):
        for el in at.get(kind):
            proto = getattr(el, "proto", None)
            assert not getattr(proto, "allow_html", False), (kind, el.value)
            value = str(el.value)
            assert "<img" not in value.replace("\\<img", ""), (kind, value)  # only as escaped Markdown
    for chart in at.get("plotly_chart"):
        assert "<img" not in chart.proto.spec  # plotly labels escaped (&lt;img …)


def _cells(at) -> str:
    return "\n".join(d.value.to_csv() for d in at.dataframe)


def test_hostile_program_name_and_comment_show_as_text(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch)  # admin in mode none
    _hostile_data(tmp_path)
    run_page(at, "pages/program.py")
    assert not at.exception
    _assert_no_html(at)
    assert "&lt;img src=x onerror=alert(1)&gt;" in "".join(c.proto.spec for c in at.get("plotly_chart"))

    run_page(at, "pages/suara_masyarakat.py")
    assert not at.exception
    _assert_no_html(at)
    at.session_state["suara_tab"] = "Saran warga"
    at.run()
    assert not at.exception
    _assert_no_html(at)
    # an administrator (mode none) reads the comment as written; viewers get it masked (next test)
    assert f"{XSS} telp 081234567890" in _cells(at) and "[disamarkan]" not in _cells(at)
    assert XSS in _cells(at)  # the literal text, in a table cell


def test_viewer_comments_hide_contacts_and_profile(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="viewer")
    _hostile_data(tmp_path)
    run_page(at, "pages/suara_masyarakat.py")
    at.session_state["suara_tab"] = "Saran warga"
    at.run()
    assert not at.exception
    cells = _cells(at)
    assert f"{XSS} telp [disamarkan]" in cells and "081234567890" not in cells
    _assert_no_html(at)


def test_hostile_file_name_on_the_data_page(tmp_path, monkeypatch):
    at = make_app(tmp_path, monkeypatch, role="analyst")
    run_page(at, "pages/data.py")
    csv = ("NIP;Nama;Unit Kerja;Kecamatan;Nama Pelatihan;Tanggal Mulai;JP;Pre Test;Post Test;=HYPERLINK(1)\n"
           f"198503122010011003;{XSS};Dinas;Medan Baru;{XSS};12/03/2025;20;60;80;x\n").encode()
    at.file_uploader[0].set_value((f"{XSS}.csv", csv, "text/csv"))
    at.run()
    assert not at.exception
    _assert_no_html(at)
    assert at.subheader[0].value == "\\<img src\\=x onerror\\=alert\\(1\\)\\>\\.csv"
    labels = [s.label for s in at.selectbox]
    assert "\\=HYPERLINK\\(1\\)" in labels  # an unknown header is a widget label: escaped too


def test_plotly_specs_are_json(tmp_path, monkeypatch):
    """The checks above read the charts' JSON; make sure it is what they think it is."""
    at = make_app(tmp_path, monkeypatch)
    run_page(at, "pages/suara_masyarakat.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "data" in spec and "layout" in spec


def test_every_page_declares_its_least_role():
    # each page declares the least role it needs; the navigation reads it from the page
    from analysis.core.roles import ROLES
    from ui.registry import PAGES

    for spec in PAGES:
        assert spec.load().MIN_ROLE in ROLES, spec.module
    assert {s.module: s.min_role for s in PAGES}["pages.admin"] == "admin"
    assert {s.module: s.min_role for s in PAGES}["pages.data"] == "analyst"
