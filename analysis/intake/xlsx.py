"""The structure of an ``.xlsx`` package, read with the standard library only.

Which worksheets a workbook has and where their XML parts are (``xl/workbook.xml`` and its
relationships), and the guard every XML part passes before anything parses it: no DOCTYPE or
entity declaration (Excel and LibreOffice never write one; it is the way into entity-expansion
attacks). Nothing here imports pandas or a reader library, so the side process that reads the
sheets' XML beside the upload worker (:mod:`analysis.intake.sidecar`) starts in milliseconds.
"""

from __future__ import annotations

import re
import zipfile
from xml.etree.ElementTree import iterparse

from analysis.core.errors import AnalysisError

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_XML_HEAD_LIMIT = 1 << 20


def unsafe_xml() -> AnalysisError:
    """The error for an XML part that declares a DOCTYPE or entities (code ``unsafe_xml``).

    Examples
    --------
    >>> unsafe_xml().code
    'unsafe_xml'
    """
    return AnalysisError(
        "unsafe_xml",
        "Berkas memuat deklarasi XML (DOCTYPE/ENTITY) yang tidak pernah ditulis Excel dan dapat dipakai "
        "untuk serangan. Berkas ditolak; simpan ulang dari Excel.",
        "The file declares XML entities (DOCTYPE/ENTITY), which Excel never writes and which can be used "
        "in an attack. It was refused; save it again from Excel.",
    )


def _strip_comments(data: bytes) -> bytes:
    return re.sub(rb"<!--.*?-->", b"", data, flags=re.S)


def check_xml_part(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse (``unsafe_xml``) an XML part that declares a DOCTYPE or entities. The prolog is read
    up to the first element, however long the comments before it.

    Examples
    --------
    >>> import io
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z:
    ...     z.writestr("a.xml", "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e 'boom'>]><x>&e;</x>")
    >>> check_xml_part(zipfile.ZipFile(buf), "a.xml")
    Traceback (most recent call last):
    ...
    analysis.core.errors.AnalysisError: The file declares XML entities (DOCTYPE/ENTITY), which Excel never writes and which can be used in an attack. It was refused; save it again from Excel.
    """
    seen = b""
    with zf.open(name) as fh:
        while len(seen) < _XML_HEAD_LIMIT:
            chunk = fh.read(8192)
            if not chunk:
                break
            seen += chunk
            upper = seen.upper()
            if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
                raise unsafe_xml()
            if re.search(rb"<(?![?!])[A-Za-z_]", _strip_comments(seen)):
                return
    if len(seen) >= _XML_HEAD_LIMIT:
        raise unsafe_xml()


def safe_xml(zf: zipfile.ZipFile, name: str):
    """The part ``name`` opened for reading, after :func:`check_xml_part`.

    Examples
    --------
    >>> import io, xlsxwriter
    >>> buf = io.BytesIO()
    >>> wb = xlsxwriter.Workbook(buf); _ = wb.add_worksheet("REKAP"); wb.close()
    >>> with safe_xml(zipfile.ZipFile(buf), "xl/workbook.xml") as fh:
    ...     fh.read(5)
    b'<?xml'
    """
    check_xml_part(zf, name)
    return zf.open(name)


def worksheets(zf: zipfile.ZipFile) -> list[tuple[str, str | None, str]]:
    """The workbook's sheets in order: ``(name, XML part or None, state)``; ``state`` is
    ``visible``, ``hidden`` or ``veryHidden``.

    Examples
    --------
    >>> import io, xlsxwriter
    >>> buf = io.BytesIO()
    >>> wb = xlsxwriter.Workbook(buf); _ = wb.add_worksheet("REKAP"); wb.close()
    >>> worksheets(zipfile.ZipFile(buf))
    [('REKAP', 'xl/worksheets/sheet1.xml', 'visible')]
    """
    names = set(zf.namelist())
    rels = {}
    rels_path = "xl/_rels/workbook.xml.rels"
    if rels_path in names:
        with safe_xml(zf, rels_path) as fh:
            for _, el in iterparse(fh):
                if el.tag.endswith("Relationship"):
                    target = el.get("Target", "")
                    target = target.lstrip("/") if target.startswith("/") else "xl/" + target
                    rels[el.get("Id")] = target
    sheets = []
    with safe_xml(zf, "xl/workbook.xml") as fh:
        for _, el in iterparse(fh):
            if el.tag == NS + "sheet":
                sheets.append((el.get("name"), rels.get(el.get(REL_NS + "id")), el.get("state", "visible")))
    return sheets
