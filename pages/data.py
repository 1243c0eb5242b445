"""Data (analyst and up): upload workbooks, read the validation report before anything is saved,
map unknown headers, download rejected rows and templates, save as draft or publish; the list of
dataset versions with who uploaded them and when.

Saving or publishing clears no cache: the pages' caches are keyed on the published version
(``ui.scope``), so the next run reads the new version and every other entry stays.

Draws nothing at import: ``app.py`` calls :func:`render`.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from analysis.core.errors import AnalysisError
from analysis.intake import templates
from analysis.intake.contracts import KIND_LABELS, KINDS, fields
from analysis.report import exports
from store.datasets import VISIBLE
from ui import look, upload
from ui.data import store
from ui.datasets import version_label, versions_view
from ui.evidence_cache import export_job
from ui.session import can, integer, lang, md_escape, require, tr, user

MIN_ROLE = "analyst"
UPLOAD_TYPES = ["xlsx", "xlsm", "xls", "ods", "csv"]
#: Headers the intake could not place: the file goes straight to the mapping step.
MAPPING_CODES = {"missing_columns", "unrecognised_columns"}
AUTO = "auto"  # the kind selectbox's "detect automatically"

STRINGS = {
    "title": {"id": "Data", "en": "Data"},
    "intro": {"id": "Unggah rekap pelatihan, SKM, mentoring atau kegiatan masyarakat. Laporan validasi tampil "
                    "sebelum apa pun disimpan; simpan sebagai draf, lalu terbitkan agar pimpinan dapat melihatnya.",
              "en": "Upload training, SKM, mentoring or community-event workbooks. The validation report shows "
                    "before anything is saved; save as a draft, then publish so that leaders can see it."},
    "tab.upload": {"id": "Unggah", "en": "Upload"},
    "tab.versions": {"id": "Versi dataset", "en": "Dataset versions"},
    "tab.templates": {"id": "Templat Excel", "en": "Excel templates"},
    "kind": {"id": "Jenis data", "en": "Kind of data"},
    "kind.auto": {"id": "Deteksi otomatis", "en": "Detect automatically"},
    "files": {"id": "Berkas (xlsx, xlsm, xls, ods, csv; boleh beberapa)",
              "en": "Files (xlsx, xlsm, xls, ods, csv; several allowed)"},
    "files.help": {"id": "Judul kolom dikenali otomatis; baris judul laporan, nomor urut dan baris JUMLAH "
                         "diabaikan. Berkas tidak disimpan sebelum Anda menekan Simpan atau Terbitkan.",
                   "en": "Headers are recognised automatically; report titles, numbering and TOTAL rows are "
                         "skipped. Nothing is saved until you press Save or Publish."},
    "reading": {"id": "Membaca {name} ({i}/{n}) …", "en": "Reading {name} ({i}/{n}) …"},
    "no_files": {"id": "Belum ada berkas. Unduh templat di tab Templat Excel bila perlu.",
                 "en": "No file yet. Download a template from the Excel templates tab if needed."},
    "unreadable": {"id": "Berkas tidak dapat dibaca (kode {code}): {message}",
                   "en": "The file cannot be read (code {code}): {message}"},
    "m.read": {"id": "Baris dibaca", "en": "Rows read"},
    "m.accepted": {"id": "Diterima", "en": "Accepted"},
    "m.rejected": {"id": "Ditolak", "en": "Rejected"},
    "where": {"id": "Jenis: {kind} · lembar: {sheet} · baris judul kolom: {row}",
              "en": "Kind: {kind} · sheet: {sheet} · header row: {row}"},
    "duplicate": {"id": "Berkas yang sama persis sudah pernah diunggah:", "en": "This exact file was uploaded before:"},
    "all_ok": {"id": "Semua baris diterima.", "en": "Every row was accepted."},
    "some_rejected": {"id": "{n} baris ditolak dan tidak ikut disimpan. Perbaiki di berkas sumber lalu unggah lagi, "
                            "atau simpan tanpa baris itu.",
                      "en": "{n} rows were rejected and will not be saved. Fix them in the source file and upload "
                            "again, or save without them."},
    "none_accepted": {"id": "Tidak ada baris yang diterima: berkas ini belum dapat diterbitkan.",
                      "en": "No row was accepted: this file cannot be published yet."},
    "issues": {"id": "Laporan validasi ({e} galat, {w} peringatan, {i} info)",
               "en": "Validation report ({e} errors, {w} warnings, {i} notes)"},
    "issues.none": {"id": "Tidak ada catatan validasi.", "en": "No validation notes."},
    "issues.grouped": {"id": "Ringkas per jenis catatan", "en": "By kind of note"},
    "issues.all": {"id": "Semua baris ({n})", "en": "Every row ({n})"},
    "issues.item": {"id": "**{severity} · {code}** — {n} baris{where}", "en": "**{severity} · {code}** — {n} rows{where}"},
    "issues.rows": {"id": " (baris Excel {rows})", "en": " (Excel rows {rows})"},
    "issues.column": {"id": "kolom {columns}", "en": "column {columns}"},
    "issues.example": {"id": "contoh nilai: {value}", "en": "example value: {value}"},
    "map.needed": {
        "id": "Berkas ini terbaca sebagai data **{kind}**, tetapi kolom wajib belum dikenali: {missing}. Pilih kolom "
              "baku untuk judul kolom berkas di bawah, lalu baca ulang.",
        "en": "This file reads as **{kind}** data, but required columns were not recognised: {missing}. Choose the "
              "field each header of the file holds below, then read it again."},
    "map.unknown": {
        "id": "Judul kolom berkas ini belum dikenali. Pilih jenis datanya dan kolom baku untuk setiap judul, lalu "
              "baca ulang.",
        "en": "The headers of this file were not recognised. Choose the kind of data and the field each header "
              "holds, then read it again."},
    "map.kind": {"id": "Jenis data berkas ini", "en": "Kind of data in this file"},
    "col.baris": {"id": "Baris", "en": "Row"},
    "col.lembar": {"id": "Lembar", "en": "Sheet"},
    "col.kolom": {"id": "Kolom", "en": "Column"},
    "col.nilai": {"id": "Nilai", "en": "Value"},
    "col.tingkat": {"id": "Tingkat", "en": "Severity"},
    "col.kode": {"id": "Kode", "en": "Code"},
    "col.pesan": {"id": "Apa yang perlu dilakukan", "en": "What to do"},
    "sev.error": {"id": "galat", "en": "error"},
    "sev.warning": {"id": "peringatan", "en": "warning"},
    "sev.info": {"id": "info", "en": "note"},
    "map.title": {"id": "Petakan judul kolom yang tidak dikenal", "en": "Map unknown headers"},
    "map.caption": {"id": "Pilih kolom baku untuk setiap judul yang tidak dikenal, lalu baca ulang. "
                           "Biarkan kosong untuk mengabaikan kolom itu.",
                    "en": "Choose the field each unknown header holds, then read again. Leave empty to "
                          "ignore the column."},
    "map.ignore": {"id": "— abaikan —", "en": "— ignore —"},
    "map.header": {"id": "Judul kolom di berkas", "en": "Header in the file"},
    "map.field": {"id": "Kolom baku", "en": "Field"},
    "map.add": {"id": "Tambah pemetaan", "en": "Add mapping"},
    "map.current": {"id": "Pemetaan saat ini:", "en": "Current mapping:"},
    "map.apply": {"id": "Baca ulang dengan pemetaan", "en": "Read again with this mapping"},
    "map.clear": {"id": "Hapus pemetaan", "en": "Clear mapping"},
    "map.kind_needed": {"id": "Pilih jenis data di atas agar daftar kolom baku dapat ditampilkan.",
                        "en": "Choose the kind of data above to list the fields."},
    "dl.rejected_xlsx": {"id": "Unduh baris ditolak (Excel)", "en": "Download rejected rows (Excel)"},
    "dl.rejected_csv": {"id": "Unduh baris ditolak (CSV)", "en": "Download rejected rows (CSV)"},
    "save.title": {"id": "Simpan", "en": "Save"},
    "save.name": {"id": "Nama dataset", "en": "Dataset name"},
    "save.name_help": {"id": "Nama yang sama dan jenis yang sama menjadi versi baru dataset itu.",
                       "en": "The same name and kind make a new version of that dataset."},
    "save.period": {"id": "Periode (mis. 2025 atau 2025-S1)", "en": "Period (e.g. 2025 or 2025-S1)"},
    "save.draft": {"id": "Simpan sebagai draf", "en": "Save as draft"},
    "save.publish": {"id": "Terbitkan", "en": "Publish"},
    "saved.draft": {"id": "Tersimpan sebagai draf (versi #{vid}). Terbitkan di tab Versi dataset bila sudah diperiksa.",
                    "en": "Saved as a draft (version #{vid}). Publish it from the Dataset versions tab once checked."},
    "saved.published": {"id": "Terbit (versi #{vid}). Semua halaman kini memakai data ini.",
                        "en": "Published (version #{vid}). Every page now uses these data."},
    "remove": {"id": "Selesai dengan berkas ini", "en": "Done with this file"},
    "v.none": {"id": "Belum ada dataset tersimpan. Halaman lain menampilkan contoh sintetis sampai ada yang terbit.",
               "en": "No dataset stored yet. The other pages show the synthetic sample until one is published."},
    "v.show_archived": {"id": "Tampilkan yang diarsipkan", "en": "Show archived versions"},
    "v.pick": {"id": "Pilih versi", "en": "Choose a version"},
    "v.publish": {"id": "Terbitkan versi ini", "en": "Publish this version"},
    "v.archive": {"id": "Arsipkan (sembunyikan)", "en": "Archive (hide)"},
    "v.restore": {"id": "Pulihkan", "en": "Restore"},
    "v.source": {"id": "Unduh berkas asli", "en": "Download the original file"},
    "v.rejected": {"id": "Unduh baris ditolak", "en": "Download rejected rows"},
    "v.report": {"id": "Laporan validasi saat diunggah", "en": "Validation report at upload"},
    "v.done.publish": {"id": "Versi #{vid} terbit.", "en": "Version #{vid} published."},
    "v.done.archive": {"id": "Versi #{vid} diarsipkan.", "en": "Version #{vid} archived."},
    "v.done.restore": {"id": "Versi #{vid} dipulihkan.", "en": "Version #{vid} restored."},
    "v.archive_note": {"id": "Mengarsipkan hanya menyembunyikan; tidak ada yang dihapus.",
                       "en": "Archiving only hides; nothing is deleted."},
    "tpl.caption": {"id": "Templat dibuat dari kontrak data yang sama dengan validator: lembar Data (judul kolom "
                           "dan satu baris contoh) dan lembar Petunjuk.",
                    "en": "Templates come from the same data contracts as the validator: a Data sheet (headers "
                          "and one example row) and an instructions sheet (Petunjuk)."},
    "tpl.download": {"id": "Unduh templat", "en": "Download template"},
    "tpl.columns": {"id": "Kolom", "en": "Columns"},
}


def _kind_label(kind: str) -> str:
    return tr(STRINGS, "kind.auto") if kind == AUTO else KIND_LABELS[kind][lang()]


# --------------------------------------------------------------------------- upload


def _upload_tab() -> None:
    kinds = [AUTO, *KINDS]
    chosen = st.selectbox(tr(STRINGS, "kind"), kinds, format_func=upload.fixed_labels(kinds, _kind_label),
                          key="data_kind")
    kind = None if chosen in (AUTO, None) else chosen
    files = st.file_uploader(tr(STRINGS, "files"), type=UPLOAD_TYPES, accept_multiple_files=True,
                             key="data_files", help=tr(STRINGS, "files.help"))
    look.uploader_texts("data_files", int(st.get_option("server.maxUploadSize")), UPLOAD_TYPES)
    if not files:
        upload.sync([], kind)
        st.info(tr(STRINGS, "no_files"))
        return
    bar = st.empty()

    def progress(done: int, total: int, name: str) -> None:
        bar.progress(done / max(total, 1), text=tr(STRINGS, "reading", name=md_escape(name), i=done + 1, n=total))

    with st.spinner():
        items = upload.sync(files, kind, on_progress=progress)
    bar.empty()
    for item in items:
        with st.container(border=True):
            _review(item)


def _review(item: upload.Pending) -> None:
    st.subheader(md_escape(item.name))
    if item.error is not None:
        if item.error.code in MAPPING_CODES and item.error.details.get("headers"):
            _map_unknown(item)  # straight to the mapping, the detected kind preselected
            return
        st.error(tr(STRINGS, "unreadable", code=item.error.code, message=md_escape(item.error.message(lang()))))
        if item.error.code == "no_header":
            _manual_mapping(item)
        return
    res = item.result
    c1, c2, c3 = st.columns(3)
    c1.metric(tr(STRINGS, "m.read"), integer(res.rows_read))
    c2.metric(tr(STRINGS, "m.accepted"), integer(res.rows_accepted))
    c3.metric(tr(STRINGS, "m.rejected"), integer(res.rows_rejected))
    st.caption(tr(STRINGS, "where", kind=KIND_LABELS[res.kind][lang()], sheet=md_escape(res.sheet),
                  row=res.header_row))
    earlier = store().find_file(res.sha256)
    if item.saved_version is not None and len(earlier):  # the version just saved from this very upload
        earlier = earlier[earlier["version_id"] != item.saved_version]
    if len(earlier):
        st.info(tr(STRINGS, "duplicate"))
        st.dataframe(versions_view(earlier), hide_index=True)
    if res.rows_accepted == 0:
        st.error(tr(STRINGS, "none_accepted"))
    elif res.rows_rejected:
        st.warning(tr(STRINGS, "some_rejected", n=integer(res.rows_rejected)))
    else:
        st.success(tr(STRINGS, "all_ok"))
    _issues(res)
    if res.unknown_columns:
        _mapping(item)
    if res.rows_rejected:
        _rejected_downloads(item)
    _save(item)


def _issues(res) -> None:
    counts = res.counts()
    table = upload.issues_frame(res, lang())
    if table.empty:
        st.caption(tr(STRINGS, "issues.none"))
        return
    severity = {s: tr(STRINGS, f"sev.{s}") for s in ("error", "warning", "info")}
    with st.expander(tr(STRINGS, "issues", e=integer(counts["error"]), w=integer(counts["warning"]),
                        i=integer(counts["info"])), expanded=bool(counts["error"] or counts["warning"])):
        grouped, every = st.tabs([tr(STRINGS, "issues.grouped"), tr(STRINGS, "issues.all", n=integer(len(table)))])
        with grouped:
            for g in upload.grouped_issues(table).to_dict("records"):
                _issue_group(g, severity)
        with every:
            view = table.assign(tingkat=table["tingkat"].map(lambda s: severity.get(s, s)))
            view = view.rename(columns={c: tr(STRINGS, f"col.{c}") for c in view.columns})
            st.dataframe(view, hide_index=True, width="stretch", column_config={
                tr(STRINGS, "col.pesan"): st.column_config.TextColumn(width="large")})


def _issue_group(g: dict, severity: dict) -> None:
    """One kind of note: severity, code and how many rows, where, and what to do — wrapped text."""
    where = tr(STRINGS, "issues.rows", rows=md_escape(g["baris"])) if g["baris"] else ""
    line = tr(STRINGS, "issues.item", severity=severity.get(g["tingkat"], g["tingkat"]), code=md_escape(g["kode"]),
              n=integer(g["jumlah"]), where=where)
    detail = [tr(STRINGS, "issues.column", columns=md_escape(g["kolom"]))] if g["kolom"] else []
    if g["nilai"]:
        detail.append(tr(STRINGS, "issues.example", value=md_escape(g["nilai"])))
    with st.container(border=True):
        st.markdown(line + ("  \n" + " · ".join(detail) if detail else ""))
        st.markdown(md_escape(g["pesan"] or ""))


def _field_label(kind: str):
    specs = {f.name: f for f in fields(kind)}

    def label(name: str) -> str:
        if not name:
            return tr(STRINGS, "map.ignore")
        spec = specs[name]
        return f"{name} — {spec.en if lang() == 'en' else spec.description}"

    return label


def _mapping(item: upload.Pending) -> None:
    """One selectbox per unknown header, then read the file again with the mapping."""
    res = item.result
    taken = set(res.columns.values())
    options = [""] + [f.name for f in fields(res.kind) if f.name not in taken or f.name in item.mapping.values()]
    label = upload.fixed_labels(options, _field_label(res.kind))
    with st.expander(tr(STRINGS, "map.title"), expanded=True):
        st.caption(tr(STRINGS, "map.caption"))
        chosen = {}
        for header in res.unknown_columns:
            # keyed by the header itself: after a re-read the list shrinks, and a key by position
            # would hand one header's choice to the next
            key = f"map_{item.key}_{hashlib.sha1(header.encode('utf-8')).hexdigest()[:10]}"
            value = st.selectbox(md_escape(header), options, format_func=label, key=key)
            if value:
                chosen[header] = value
        if st.button(tr(STRINGS, "map.apply"), key=f"map_apply_{item.key}", disabled=not chosen):
            item.mapping = {**item.mapping, **chosen}
            item.read()
            st.rerun()


def _map_unknown(item: upload.Pending) -> None:
    """Headers the intake could not place: one selectbox per header with the fields of the kind the
    intake detected (the required fields it missed first), then read the file again."""
    details = item.error.details
    kind = details.get("kind") or item.kind
    if kind:
        missing = [f for f in details.get("missing", [])]
        st.info(tr(STRINGS, "map.needed", kind=KIND_LABELS[kind][lang()], missing=md_escape(", ".join(missing))))
    else:
        st.info(tr(STRINGS, "map.unknown"))
        kind = st.selectbox(tr(STRINGS, "map.kind"), list(KINDS), key=f"mapkind_{item.key}",
                            format_func=upload.fixed_labels(KINDS, _kind_label))
        missing = [f.name for f in fields(kind) if f.required]
    names = [f.name for f in fields(kind)]
    options = [""] + [n for n in missing if n in names] + [n for n in names if n not in missing]
    label = upload.fixed_labels(options, _field_label(kind))
    chosen = {}
    with st.container(border=True):
        st.markdown(f"**{tr(STRINGS, 'map.title')}**")
        st.caption(tr(STRINGS, "map.caption"))
        for header in details.get("headers", []):
            key = f"map_{item.key}_{hashlib.sha1(str(header).encode('utf-8')).hexdigest()[:10]}"
            value = st.selectbox(md_escape(header), options, format_func=label, key=key)
            if value:
                chosen[str(header)] = value
        if st.button(tr(STRINGS, "map.apply"), key=f"map_apply_{item.key}", type="primary", disabled=not chosen):
            item.mapping = {**item.mapping, **chosen}
            item.read()
            st.rerun()


def _manual_mapping(item: upload.Pending) -> None:
    """When no header row could be matched, the analyst types a header and picks its field."""
    with st.expander(tr(STRINGS, "map.title"), expanded=True):
        st.caption(tr(STRINGS, "map.caption"))
        kind = item.kind
        if kind is None:
            st.info(tr(STRINGS, "map.kind_needed"))
            return
        seen = [h for h in item.error.details.get("headers", []) if h not in item.mapping] if item.error else []
        if seen:  # the headers the intake saw but could not place: pick one
            header = st.selectbox(tr(STRINGS, "map.header"), seen, key=f"mmap_hs_{item.key}")
        else:
            header = st.text_input(tr(STRINGS, "map.header"), key=f"mmap_h_{item.key}")
        names = [f.name for f in fields(kind)]
        fld = st.selectbox(tr(STRINGS, "map.field"), names, format_func=upload.fixed_labels(names, _field_label(kind)),
                           key=f"mmap_f_{item.key}")
        if st.button(tr(STRINGS, "map.add"), key=f"mmap_add_{item.key}", disabled=not header.strip()):
            item.mapping = {**item.mapping, header.strip(): fld}
            st.rerun()
        if item.mapping:
            st.caption(tr(STRINGS, "map.current"))
            st.dataframe(pd.DataFrame({tr(STRINGS, "map.header"): list(item.mapping),
                                       tr(STRINGS, "map.field"): list(item.mapping.values())}), hide_index=True)
            c1, c2 = st.columns(2)
            if c1.button(tr(STRINGS, "map.apply"), key=f"mmap_apply_{item.key}", type="primary"):
                item.read()
                st.rerun()
            if c2.button(tr(STRINGS, "map.clear"), key=f"mmap_clear_{item.key}"):
                item.mapping = {}
                item.read()
                st.rerun()


def _rejected_downloads(item: upload.Pending) -> None:
    res, language, sheet = item.result, lang(), tr(STRINGS, "m.rejected")
    stem = upload.default_name(item.name).replace(" ", "_")
    c1, c2 = st.columns(2)
    detail = {"what": "rejected_rows_before_saving", "file": res.source_name}
    c1.download_button(
        tr(STRINGS, "dl.rejected_xlsx"),
        data=export_job(lambda: exports.to_excel_bytes({sheet: res.rejected}, lang=language, notes=[res.source_name]),
                        store(), user(), fmt="xlsx", page="data", row_level=True, version_id=None, detail=detail),
        file_name=f"ditolak_{stem}.xlsx", on_click="ignore", key=f"rej_x_{item.key}",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    c2.download_button(
        tr(STRINGS, "dl.rejected_csv"),
        data=export_job(lambda: exports.to_csv_bytes(res.rejected, sep=";"), store(), user(), fmt="csv",
                        page="data", row_level=True, version_id=None, detail=detail),
        file_name=f"ditolak_{stem}.csv", mime="text/csv", on_click="ignore", key=f"rej_c_{item.key}")


def _save(item: upload.Pending) -> None:
    res = item.result
    if item.saved_version is not None:
        key = "saved.published" if item.published else "saved.draft"
        st.success(tr(STRINGS, key, vid=item.saved_version))
        if st.button(tr(STRINGS, "remove"), key=f"forget_{item.key}"):
            upload.forget(item.file_id)
            st.rerun()
        return
    st.markdown(f"**{tr(STRINGS, 'save.title')}**")
    c1, c2 = st.columns([2, 1])
    name = c1.text_input(tr(STRINGS, "save.name"), value=upload.default_name(item.name), max_chars=200,
                         key=f"name_{item.key}", help=tr(STRINGS, "save.name_help"))
    period = c2.text_input(tr(STRINGS, "save.period"), value=upload.default_period(res), max_chars=100,
                           key=f"period_{item.key}")
    b1, b2 = st.columns(2)
    draft = b1.button(tr(STRINGS, "save.draft"), key=f"draft_{item.key}")
    publish = b2.button(tr(STRINGS, "save.publish"), key=f"publish_{item.key}", type="primary",
                        disabled=res.rows_accepted == 0)
    if not (draft or publish):
        return
    try:
        vid = store().save_upload(res, name=name, period=period or None, uploader=user(), publish=publish)
    except AnalysisError as err:
        st.error(md_escape(err.message(lang())))
        return
    item.saved_version, item.published = vid, bool(publish)
    st.rerun()  # the next run finds the new version; caches keyed on the old one stay for others


# --------------------------------------------------------------------------- versions


def _versions_tab() -> None:
    admin = can("admin")
    archived = admin and st.checkbox(tr(STRINGS, "v.show_archived"), key="data_show_archived")
    frame = store().list_datasets(status=None if archived else VISIBLE, user=user())
    done = st.session_state.pop("data_version_done", None)
    if done:
        st.success(tr(STRINGS, f"v.done.{done[0]}", vid=done[1]))
    if frame.empty:
        st.info(tr(STRINGS, "v.none"))
        return
    st.dataframe(versions_view(frame), hide_index=True, width="stretch")
    records = {int(r["version_id"]): r for r in frame.to_dict("records")}
    vid = st.selectbox(tr(STRINGS, "v.pick"), list(records), key="data_version",
                       format_func=upload.fixed_labels(records, lambda v: version_label(records[v])))
    row = records[vid]
    c1, c2, c3, c4 = st.columns(4)
    if row["status"] == "draft" and c1.button(tr(STRINGS, "v.publish"), key="data_v_publish", type="primary"):
        _act("publish", vid)
    if admin and row["status"] != "archived" and c2.button(tr(STRINGS, "v.archive"), key="data_v_archive",
                                                           help=tr(STRINGS, "v.archive_note")):
        _act("archive", vid)
    if admin and row["status"] == "archived" and c2.button(tr(STRINGS, "v.restore"), key="data_v_restore"):
        _act("restore", vid)
    who, language, sheet = user(), lang(), tr(STRINGS, "m.rejected")
    source_name = str(row["source_name"])
    c3.download_button(
        tr(STRINGS, "v.source"), file_name=source_name, key="data_v_source", on_click="ignore",
        data=export_job(lambda: store().load_source(vid, user=who)[1], store(), who,
                        fmt=source_name.rsplit(".", 1)[-1].lower(), page="data", row_level=True, version_id=vid,
                        detail={"what": "source"}))
    if int(row["rows_rejected"]):
        c4.download_button(
            tr(STRINGS, "v.rejected"), file_name=f"ditolak_versi_{vid}.xlsx", key="data_v_rejected",
            on_click="ignore", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            data=export_job(lambda: exports.to_excel_bytes({sheet: store().load_rejected(vid, user=who)},
                                                            lang=language, notes=[str(row["name"])]),
                            store(), who, fmt="xlsx", page="data", row_level=True, version_id=vid,
                            detail={"what": "rejected"}))
    with st.expander(tr(STRINGS, "v.report")):
        report = store().load_report(vid, user=user())
        issues = pd.DataFrame(report.get("issues") or [])
        if issues.empty:
            st.caption(tr(STRINGS, "issues.none"))
        else:
            names = {"row": "baris", "sheet": "lembar", "column": "kolom", "value": "nilai", "severity": "tingkat",
                     "code": "kode", "message": "pesan"}
            keep = [c for c in names if c in issues]
            view = issues[keep].astype("str").replace({"None": "", "nan": "", "<NA>": ""})
            view = view.rename(columns={c: tr(STRINGS, f"col.{names[c]}") for c in keep})
            st.dataframe(view, hide_index=True, width="stretch")


def _act(action: str, vid: int) -> None:
    try:
        getattr(store(), action)(vid, user())
    except AnalysisError as err:
        st.error(md_escape(err.message(lang())))
        return
    st.session_state["data_version_done"] = (action, vid)
    st.rerun()


# --------------------------------------------------------------------------- templates


def _templates_tab() -> None:
    st.caption(tr(STRINGS, "tpl.caption"))
    for kind in KINDS:
        with st.container(border=True):
            st.markdown(f"**{KIND_LABELS[kind][lang()]}**")
            st.download_button(tr(STRINGS, "tpl.download"), data=lambda k=kind: templates.template_bytes(k),
                               file_name=f"templat_{kind}.xlsx", on_click="ignore", key=f"tpl_{kind}",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            with st.expander(tr(STRINGS, "tpl.columns")):
                st.markdown(templates.columns_markdown(kind, lang()))


def render() -> None:
    """Draw the Data page (analysts and administrators)."""
    require(MIN_ROLE)
    st.title(tr(STRINGS, "title"))
    st.caption(tr(STRINGS, "intro"))
    up, versions, tpl = st.tabs([tr(STRINGS, "tab.upload"), tr(STRINGS, "tab.versions"),
                                 tr(STRINGS, "tab.templates")])
    with up:
        _upload_tab()
    with versions:
        _versions_tab()
    with tpl:
        _templates_tab()
