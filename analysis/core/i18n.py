"""Bilingual text: the shared string table and the one lookup every label goes through.

A string table maps a key to ``{"id": …, "en": …}``; :func:`translate` looks a key up in a table
and fills its ``{placeholders}``. ``STRINGS`` is the shared table, read with :func:`t`: figures,
exports, the app shell (``app.*``, ``nav.*``, ``ui.*``, ``filter.*``, ``data.*``) and the measure
names (:func:`measure_label`). A page keeps the strings only it uses in its own table beside its
code and reads them through the same :func:`translate` (``ui.session.tr``). To add a string, add
one entry; a test checks that every entry has both languages and the same ``{placeholders}`` in
each. Keys are dotted: ``chart.*`` figures, ``deck.*``/``export.*`` exports, ``col.*`` column
headers, ``flag.*`` the evidence engine's flags, ``element.*`` the nine service elements of the
SKM (PermenPANRB 14/2017, Lampiran), ``grade.*`` IKM grades.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

LANGS = ("id", "en")

STRINGS: dict[str, dict[str, str]] = {
    # --- measures: the before/after pairs the evidence pages compare -----------------------------
    "measure.knowledge": {"id": "Pengetahuan (pre/post-test)", "en": "Knowledge (pre/post-test)"},
    "measure.performance": {"id": "Kinerja (SKP sebelum/sesudah)", "en": "Performance (SKP before/after)"},
    "measure.change.knowledge": {"id": "Nilai post-test − pre-test (poin)",
                                 "en": "Post-test − pre-test score (points)"},
    "measure.change.performance": {"id": "Nilai kinerja sesudah − sebelum (poin)",
                                   "en": "Performance score after − before (points)"},
    "measure.change.ordinal": {"id": "Predikat kinerja sesudah − sebelum (tingkat)",
                               "en": "Performance rating after − before (levels)"},
    # --- the app shell: navigation, sign-in, filters, where the data come from --------------------
    "app.title": {"id": "Evaluasi Pembinaan ASN", "en": "ASN Development Evaluation"},
    "app.subtitle": {"id": "Pemerintah Kota Medan", "en": "Medan City Government"},
    "app.language": {"id": "Bahasa", "en": "Language"},
    "nav.ringkasan": {"id": "Ringkasan", "en": "Overview"},
    "nav.program": {"id": "Program", "en": "Program"},
    "nav.kecamatan": {"id": "Kecamatan", "en": "Districts"},
    "nav.suara": {"id": "Suara Masyarakat", "en": "Citizen Voice"},
    "nav.tindak_lanjut": {"id": "Tindak Lanjut", "en": "Follow-up"},
    "nav.data": {"id": "Data", "en": "Data"},
    "nav.metode": {"id": "Tentang metode", "en": "About the method"},
    "nav.admin": {"id": "Administrasi", "en": "Administration"},
    "nav.mentoring": {"id": "Mentoring", "en": "Mentoring"},
    "nav.karier": {"id": "Karier dan JP", "en": "Careers and JP"},
    "nav.pengembangan": {"id": "Pengembangan Pegawai", "en": "Employee development"},
    "ui.forbidden": {"id": "Anda tidak memiliki akses ke halaman ini.",
                     "en": "You do not have access to this page."},
    "ui.signed_in_as": {"id": "Masuk sebagai {name} ({role})", "en": "Signed in as {name} ({role})"},
    "ui.sign_out": {"id": "Keluar", "en": "Sign out"},
    "ui.sign_in": {"id": "Masuk", "en": "Sign in"},
    "ui.username": {"id": "Nama pengguna", "en": "Username"},
    "ui.password": {"id": "Kata sandi", "en": "Password"},
    "ui.sign_in_title": {"id": "Masuk ke Evaluasi Pembinaan ASN", "en": "Sign in to ASN Development Evaluation"},
    "ui.sign_in_oidc": {"id": "Masuk dengan akun instansi", "en": "Sign in with your organisation account"},
    "ui.no_role": {"id": "Akun {email} belum diberi peran. Hubungi administrator.",
                   "en": "Account {email} has no role yet. Contact an administrator."},
    "ui.not_loopback": {
        "id": "Mode tanpa masuk (EVALUASI_AUTH_MODE=none) hanya melayani dari komputer ini (127.0.0.1), "
              "tetapi server mendengarkan di '{address}'. Untuk melayani jaringan, nyalakan masuk: setel "
              "EVALUASI_AUTH_MODE=local (buat administrator pertama dengan `python -m analysis users add NAMA "
              "--role admin --password-stdin`) atau EVALUASI_AUTH_MODE=oidc (blok [auth] di secrets.toml), "
              "lalu mulai ulang.",
        "en": "The no-sign-in mode (EVALUASI_AUTH_MODE=none) serves only this computer (127.0.0.1), but the "
              "server listens on '{address}'. To serve a network, turn sign-in on: set "
              "EVALUASI_AUTH_MODE=local (create the first administrator with `python -m analysis users add NAME "
              "--role admin --password-stdin`) or EVALUASI_AUTH_MODE=oidc (an [auth] block in secrets.toml), "
              "then restart."},
    "ui.problem": {"id": "{message} (kode: {code})", "en": "{message} (code: {code})"},
    "ui.none_mode": {"id": "Mode lokal tanpa masuk: semua pengguna administrator (hanya 127.0.0.1).",
                     "en": "Local mode without sign-in: everyone is administrator (127.0.0.1 only)."},
    "filter.title": {"id": "Filter", "en": "Filters"},
    "filter.period": {"id": "Periode", "en": "Period"},
    "filter.program": {"id": "Program", "en": "Program"},
    "filter.kecamatan": {"id": "Kecamatan", "en": "District"},
    "filter.measure": {"id": "Ukuran", "en": "Measure"},
    "filter.all": {"id": "Semua", "en": "All"},
    "filter.reset": {"id": "Hapus filter", "en": "Clear filters"},
    "data.sample_banner": {
        "id": "DATA SINTETIS — contoh bawaan ({kind}), bukan data pegawai atau warga sebenarnya. Tampil sampai "
              "analis menerbitkan dataset nyata mana pun di halaman Data; sejak itu tidak ada halaman yang "
              "memakai data contoh.",
        "en": "SYNTHETIC DATA — the bundled sample ({kind}), not real civil servants or citizens. Shown until an "
              "analyst publishes any real dataset on the Data page; from then on no page uses the sample."},
    "data.published_caption": {"id": "Sumber: {name} (versi {version}, terbit {when})",
                               "en": "Source: {name} (version {version}, published {when})"},
    "data.missing": {
        "id": "Belum ada data {kind} yang diterbitkan. {what} Data contoh tidak dipakai, karena sudah ada "
              "data nyata yang diterbitkan.",
        "en": "No {kind} data has been published yet. {what} The bundled sample is not used, because real "
              "data has been published."},
    "data.what.training": {
        "id": "Unggah rekap pelatihan (satu baris per peserta per program: NIP, nama, unit kerja, kecamatan, "
              "program, tanggal mulai, JP, nilai pre/post test atau kinerja sebelum/sesudah), lalu terbitkan.",
        "en": "Upload the training records (one row per participant per program: NIP, name, work unit, "
              "district, program, start date, JP, pre/post test or performance before/after), then publish."},
    "data.what.feedback": {
        "id": "Unggah hasil Survei Kepuasan Masyarakat (satu baris per responden: tanggal, unit layanan, "
              "kecamatan, jawaban U1–U9), lalu terbitkan.",
        "en": "Upload the citizen satisfaction survey (one row per respondent: date, service unit, district, "
              "answers U1–U9), then publish."},
    "data.what.mentoring": {
        "id": "Unggah daftar pasangan mentoring (NIP mentor, NIP mentee, kecamatan, tanggal mulai), lalu terbitkan.",
        "en": "Upload the mentoring pairs (mentor NIP, mentee NIP, district, start date), then publish."},
    "data.what.events": {
        "id": "Unggah rekap forum warga dan open house (jenis kegiatan, tanggal, kecamatan), lalu terbitkan.",
        "en": "Upload the community forums and open-house days (kind of event, date, district), then publish."},
    "data.what.kinerja": {
        "id": "Unggah ekspor penilaian kinerja seluruh pegawai (SKP / e-Kinerja: NIP, nama, periode, predikat "
              "atau kedua rating), lalu terbitkan.",
        "en": "Upload the appraisal export of the whole workforce (SKP / e-Kinerja: NIP, name, period, predikat "
              "or both ratings), then publish."},
    "data.what.jp_lain": {
        "id": "Unggah rekap pengembangan kompetensi lain (NIP, nama kegiatan, tanggal mulai, JP), lalu terbitkan.",
        "en": "Upload the other competency development (NIP, activity, start date, JP), then publish."},
    "data.go_upload": {"id": "Buka halaman Data untuk mengunggah", "en": "Open the Data page to upload"},
    "data.source.published": {"id": "{kind}: {name}, versi {version} (terbit {when})",
                              "en": "{kind}: {name}, version {version} (published {when})"},
    "data.source.sample": {"id": "{kind}: contoh bawaan (DATA SINTETIS)",
                           "en": "{kind}: bundled sample (SYNTHETIC DATA)"},
    "data.source.missing": {"id": "{kind}: belum ada data yang diterbitkan", "en": "{kind}: no data published"},
    "data.sources": {"id": "Sumber angka — {sources}.", "en": "Sources of these figures — {sources}."},
    # --- common -------------------------------------------------------------------------------
    "common.no_data": {"id": "Tidak ada data", "en": "No data"},
    "common.synthetic": {"id": "DATA SINTETIS", "en": "SYNTHETIC DATA"},
    "common.before": {"id": "Sebelum", "en": "Before"},
    "common.after": {"id": "Sesudah", "en": "After"},
    "common.mean": {"id": "Rata-rata", "en": "Mean"},
    "common.change": {"id": "Perubahan", "en": "Change"},
    "common.ci95": {"id": "95% CI", "en": "95% CI"},
    "common.showing_of": {"id": "Menampilkan {shown} dari {total}", "en": "Showing {shown} of {total}"},
    "common.participants": {"id": "peserta", "en": "participants"},
    "common.respondents": {"id": "responden", "en": "respondents"},
    "common.small_n": {"id": "n kecil", "en": "small n"},
    "common.p_adjusted": {"id": "p terkoreksi", "en": "adjusted p"},
    # --- effect status (how an estimate reads) ----------------------------------------------------
    "status.increase": {"id": "Naik signifikan", "en": "Significant increase"},
    "status.decrease": {"id": "Turun signifikan", "en": "Significant decrease"},
    "status.not_significant": {"id": "Belum terbukti berubah", "en": "No evidence of change"},
    "status.underpowered": {"id": "Data terlalu sedikit untuk menyimpulkan",
                            "en": "Too little data to conclude"},
    "status.no_estimate": {"id": "Tidak dapat dihitung", "en": "Cannot be estimated"},
    # --- flags from the evidence engine and the IKM ----------------------------------------------
    # names as analysis.evidence.engine and analysis.voice.ikm write them (plus the brief's short forms)
    "flag.no_pairs": {"id": "tidak ada pasangan sebelum–sesudah yang lengkap",
                      "en": "no complete before/after pairs"},
    "flag.too_few_nonzero": {"id": "kurang dari 6 selisih bukan nol: data terlalu sedikit untuk menyimpulkan",
                             "en": "fewer than 6 non-zero differences: too little data to conclude"},
    "flag.few_nonzero": {"id": "kurang dari 6 selisih bukan nol: data terlalu sedikit untuk menyimpulkan",
                         "en": "fewer than 6 non-zero differences: too little data to conclude"},
    "flag.small_n": {"id": "jumlah pasangan kecil", "en": "few complete pairs"},
    "flag.underpowered": {"id": "hanya efek besar yang dapat terdeteksi (power 80% untuk efek sedang tidak tercapai)",
                          "en": "only large effects are detectable (no 80% power for a medium effect)"},
    "flag.small_comparison": {"id": "kurang dari 10 pasangan pembanding: data terlalu sedikit untuk menyimpulkan",
                              "en": "fewer than 10 comparison pairs: too little data to conclude"},
    "flag.no_answers": {"id": "responden unit ini tidak menjawab satu unsur pun: IKM tidak dapat dihitung",
                        "en": "this unit's respondents answered no element: no IKM"},
    "flag.small_sample": {"id": "kurang dari 30 responden: IKM belum kuat",
                          "en": "fewer than 30 respondents: the IKM is not yet firm"},
    "flag.conflicting_duplicate": {"id": "ada NIP ganda dengan nilai berbeda: orang itu tidak dihitung",
                                   "en": "a duplicated NIP with differing values: that person is left out"},
    "flag.constant_differences": {"id": "semua selisih sama: uji t tidak dapat dihitung",
                                  "en": "all differences equal: no t-test possible"},
    "flag.non_normal": {"id": "selisih tidak berdistribusi normal (di bawah 30 pasangan: uji Wilcoxon dipakai)",
                        "en": "differences not normal (below 30 pairs: Wilcoxon test used)"},
    "flag.ceiling": {"id": "banyak nilai di batas maksimum (efek plafon)",
                     "en": "many scores at the maximum (ceiling effect)"},
    "flag.extreme_differences": {"id": "ada selisih ekstrem", "en": "extreme differences present"},
    "flag.extreme": {"id": "ada selisih ekstrem", "en": "extreme differences present"},
    "flag.incomplete_pairs": {"id": "sebagian peserta tanpa pasangan lengkap (tidak dihitung)",
                              "en": "some participants lack a complete pair (left out)"},
    "flag.few_clusters": {"id": "kecamatan (klaster) terlalu sedikit untuk galat baku klaster",
                          "en": "too few districts (clusters) for clustered standard errors"},
    "flag.no_comparison": {"id": "tanpa kelompok pembanding: hanya sebelum–sesudah",
                           "en": "no comparison group: before/after only"},
    "flag.comparison_not_used": {"id": "kelompok pembanding tidak dipakai untuk predikat",
                                 "en": "comparison group not used for ratings"},
    "flag.sample_short": {"id": "responden di bawah target sampel Krejcie–Morgan",
                          "en": "respondents below the Krejcie–Morgan sample size"},
    "flag.incomplete": {"id": "ada unsur yang tidak dijawab siapa pun: IKM tidak dapat dihitung",
                        "en": "an element nobody answered: no IKM"},
    "flag.small_round": {"id": "responden satu putaran survei sedikit", "en": "few respondents in a survey round"},
    "flag.ordinal_separation": {"id": "jawaban sebelum dan sesudah terpisah penuh: rasio odds tak hingga",
                                "en": "before and after answers fully separated: infinite odds ratio"},
    "flag.ordinal_fit_warning": {"id": "model logit ordinal kurang stabil; tafsirkan dengan hati-hati",
                                 "en": "ordinal logit fit unstable; interpret with care"},
    "flag.no_comparison_units": {"id": "tidak ada unit tanpa pegawai terlatih sebagai pembanding",
                                 "en": "no units without trained staff to compare with"},
    "flag.comparison_round_empty": {"id": "unit pembanding tidak disurvei pada salah satu putaran",
                                    "en": "comparison units not surveyed in one of the rounds"},
    "flag.unmatched_participants": {"id": "sebagian peserta tanpa pembanding yang cocok (tidak dihitung)",
                                    "en": "some participants had no matched comparison (left out)"},
    "flag.missing_periods": {"id": "sebagian peserta tanpa periode penilaian sebelum atau sesudah (dilaporkan)",
                             "en": "some participants lack an appraisal period before or after (reported)"},
    # --- column headers used by the exports -------------------------------------------------------
    "col.program": {"id": "Program", "en": "Program"},
    "col.kecamatan": {"id": "Kecamatan", "en": "District"},
    "col.unit_layanan": {"id": "Unit layanan", "en": "Service unit"},
    "col.n": {"id": "n", "en": "n"},
    "col.mean_delta": {"id": "Perubahan rata-rata", "en": "Mean change"},
    "col.ci": {"id": "95% CI", "en": "95% CI"},
    "col.p_adjusted": {"id": "p terkoreksi", "en": "Adjusted p"},
    "col.effect_size_dz": {"id": "d_z", "en": "d_z"},
    "col.note": {"id": "Catatan", "en": "Note"},
    "col.ikm": {"id": "IKM", "en": "IKM"},
    "col.grade": {"id": "Mutu", "en": "Grade"},
    # --- charts: evidence -------------------------------------------------------------------------
    "chart.ranking.title": {"id": "Program menurut perubahan rata-rata",
                            "en": "Programs ranked by mean change"},
    "chart.ranking.xaxis": {"id": "Perubahan rata-rata (sesudah − sebelum), dengan 95% CI",
                            "en": "Mean change (after − before), with 95% CI"},
    "chart.paired.title": {"id": "Sebelum dan sesudah, per peserta",
                           "en": "Before and after, per participant"},
    "chart.paired.yaxis": {"id": "Nilai", "en": "Score"},
    "chart.paired.up": {"id": "Naik", "en": "Up"},
    "chart.paired.down": {"id": "Turun", "en": "Down"},
    "chart.paired.same": {"id": "Tetap", "en": "Unchanged"},
    "chart.delta.title": {"id": "Sebaran perubahan per peserta",
                          "en": "Distribution of the change per participant"},
    "chart.delta.xaxis": {"id": "Perubahan (sesudah − sebelum)", "en": "Change (after − before)"},
    "chart.delta.yaxis": {"id": "Jumlah peserta", "en": "Participants"},
    "chart.delta.bin": {"id": "{low} s.d. {high}", "en": "{low} to {high}"},
    "chart.delta.mean": {"id": "rata-rata {value}", "en": "mean {value}"},
    "chart.delta.zero": {"id": "tanpa perubahan", "en": "no change"},
    "chart.forest.title": {"id": "Perubahan per kecamatan", "en": "Change per district"},
    "chart.forest.overall": {"id": "keseluruhan {value}", "en": "overall {value}"},
    "chart.mentors.title": {"id": "Efek per mentor (disusutkan ke rata-rata)", "en": "Effect per mentor (shrunk to the mean)"},
    "chart.mentors.xaxis": {"id": "Perubahan mentee di atas pembanding", "en": "Mentees' change beyond the comparison"},
    "chart.mentors.shrunk": {"id": "perkiraan disusutkan (95% interval)", "en": "shrunk estimate (95% interval)"},
    "chart.mentors.raw": {"id": "rata-rata mentee apa adanya", "en": "mentees' raw mean"},
    "chart.mentors.overall": {"id": "rata-rata semua mentor {value}", "en": "all mentors' mean {value}"},
    "chart.dose.title": {"id": "Perubahan menurut jumlah sesi", "en": "Change by number of sessions"},
    "chart.dose.xaxis": {"id": "Jumlah sesi mentoring", "en": "Mentoring sessions"},
    "chart.dose.yaxis": {"id": "Perubahan di atas pembanding", "en": "Change beyond the comparison"},
    "chart.dose.slope": {"id": "kemiringan {value} per sesi", "en": "slope {value} per session"},
    "chart.dose.mentee": {"id": "mentee", "en": "mentee"},
    "chart.map.title": {"id": "Peta skematis kecamatan di Kota Medan",
                        "en": "Schematic map of the districts of Medan"},
    "chart.map.lon": {"id": "Bujur", "en": "Longitude"},
    "chart.map.lat": {"id": "Lintang", "en": "Latitude"},
    "chart.map.no_data": {"id": "tanpa data", "en": "no data"},
    "chart.map.note": {"id": "Titik = pusat kecamatan (skematis, bukan batas wilayah resmi)",
                       "en": "Dots = district centres (schematic, not official boundaries)"},
    "chart.heatmap.title": {"id": "Ukuran efek (d_z) program × kecamatan",
                            "en": "Effect size (d_z), program × district"},
    "chart.heatmap.legend": {"id": "* signifikan setelah koreksi (p < 0,05)    • n kecil",
                             "en": "* significant after correction (p < 0.05)    • small n"},
    # --- charts: citizen voice --------------------------------------------------------------------
    "chart.ikm.title.unit_layanan": {"id": "IKM per unit layanan", "en": "IKM per service unit"},
    "chart.ikm.title.kecamatan": {"id": "IKM per kecamatan", "en": "IKM per district"},
    "chart.ikm.axis": {"id": "IKM (skala 25–100)", "en": "IKM (25–100 scale)"},
    "chart.elements.title": {"id": "Nilai rata-rata (NRR) sembilan unsur pelayanan",
                             "en": "Mean score (NRR) of the nine service elements"},
    "chart.elements.axis": {"id": "NRR (skala 1–4)", "en": "NRR (1–4 scale)"},
    "chart.elements.weakest": {"id": "terendah: mulai perbaikan di sini",
                               "en": "lowest: start improving here"},
    "chart.elements.lowest": {"id": "terendah", "en": "lowest"},
    "chart.dumbbell.after_up": {"id": "Sesudah: naik", "en": "After: up"},
    "chart.dumbbell.after_down": {"id": "Sesudah: turun", "en": "After: down"},
    "chart.dumbbell.title": {"id": "IKM sebelum dan sesudah program",
                             "en": "IKM before and after the programs"},
    "chart.trend.title": {"id": "Tren IKM dan kegiatan pelibatan masyarakat",
                          "en": "IKM trend and community engagement events"},
    "chart.trend.xaxis": {"id": "Periode", "en": "Period"},
    "chart.trend.overall": {"id": "IKM", "en": "IKM"},
    "chart.trend.event_hover": {"id": "{kind}, {date}: {people} peserta",
                                "en": "{kind}, {date}: {people} participants"},
    "chart.themes.title": {"id": "Tema saran dan pengaduan warga",
                           "en": "Themes in citizens' suggestions and complaints"},
    "chart.themes.axis": {"id": "Jumlah komentar", "en": "Comments"},
    "event.forum": {"id": "Forum warga", "en": "Citizen forum"},
    "event.open_house": {"id": "Open house", "en": "Open house"},
    "grade.A": {"id": "Sangat Baik", "en": "Very good"},
    "grade.B": {"id": "Baik", "en": "Good"},
    "grade.C": {"id": "Kurang Baik", "en": "Poor"},
    "grade.D": {"id": "Tidak Baik", "en": "Very poor"},
    # the nine elements (unsur) of the SKM questionnaire, PermenPANRB 14/2017, Lampiran
    "element.u1": {"id": "U1 Persyaratan", "en": "U1 Requirements"},
    "element.u2": {"id": "U2 Sistem, Mekanisme dan Prosedur",
                   "en": "U2 Systems, mechanisms and procedures"},
    "element.u3": {"id": "U3 Waktu Penyelesaian", "en": "U3 Completion time"},
    "element.u4": {"id": "U4 Biaya/Tarif", "en": "U4 Cost/fee"},
    "element.u5": {"id": "U5 Produk Spesifikasi Jenis Pelayanan",
                   "en": "U5 Product specification of the service"},
    "element.u6": {"id": "U6 Kompetensi Pelaksana", "en": "U6 Staff competence"},
    "element.u7": {"id": "U7 Perilaku Pelaksana", "en": "U7 Staff conduct"},
    "element.u8": {"id": "U8 Sarana dan Prasarana", "en": "U8 Facilities and infrastructure"},
    "element.u9": {"id": "U9 Penanganan Pengaduan, Saran dan Masukan",
                   "en": "U9 Handling of complaints, suggestions and feedback"},
    # --- exports: workbook ------------------------------------------------------------------------
    "export.title": {"id": "Evaluasi Pembinaan ASN — Pemerintah Kota Medan",
                     "en": "ASN Development Evaluation — Medan City Government"},
    "export.cover.sheet": {"id": "Sampul", "en": "Cover"},
    "export.cover.generated": {"id": "Dibuat", "en": "Generated"},
    "export.cover.contents": {"id": "Isi", "en": "Contents"},
    "export.cover.sheet_col": {"id": "Lembar", "en": "Sheet"},
    "export.cover.rows_col": {"id": "Baris", "en": "Rows"},
    "export.cover.synthetic_note": {
        "id": "Data ini sintetis, dibuat untuk demonstrasi; bukan data pegawai atau warga sebenarnya.",
        "en": "These data are synthetic, made for demonstration; not real staff or citizen data."},
    "export.cover.formula_note": {
        "id": "Teks yang diawali =, +, -, @, tab atau CR diberi awalan ' agar tidak dijalankan "
              "sebagai rumus.",
        "en": "Text starting with =, +, -, @, tab or CR is prefixed with ' so that it never runs "
              "as a formula."},
    # --- exports: deck ----------------------------------------------------------------------------
    "deck.headline.title": {"id": "Angka utama", "en": "Headline figures"},
    "deck.ranking.title": {"id": "Program menurut perubahan rata-rata (95% CI)",
                           "en": "Programs ranked by mean change (95% CI)"},
    "deck.ranking.series": {"id": "Perubahan rata-rata", "en": "Mean change"},
    "deck.kecamatan.title": {"id": "Hasil per kecamatan", "en": "Results per district"},
    "deck.ikm.title": {"id": "Indeks Kepuasan Masyarakat (IKM)",
                       "en": "Community Satisfaction Index (IKM)"},
    "deck.method.title": {"id": "Metode dan catatan kehati-hatian", "en": "Method and caveats"},
    "deck.continued": {"id": "(lanjutan)", "en": "(continued)"},
    "deck.generated": {"id": "Dibuat {date}", "en": "Generated {date}"},
    "deck.sources": {"id": "Sumber data: {sources}", "en": "Data sources: {sources}"},
    "headline.participants": {"id": "Peserta", "en": "Participants"},
    "headline.programs": {"id": "Program", "en": "Programs"},
    "headline.jp_total": {"id": "JP terlaksana", "en": "JP delivered"},
    "headline.share_significant": {"id": "Program dengan kenaikan signifikan",
                                   "en": "Programs with a significant gain"},
    "headline.ikm_now": {"id": "IKM saat ini", "en": "IKM now"},
    "headline.ikm_change": {"id": "Perubahan IKM", "en": "Change in IKM"},
    "method.before_after": {
        "id": "Perubahan = nilai sesudah − nilai sebelum pada peserta yang sama (data berpasangan); "
              "95% CI menunjukkan ketidakpastiannya.",
        "en": "Change = score after − score before for the same participant (paired data); the "
              "95% CI shows its uncertainty."},
    "method.regression": {
        "id": "Tanpa kelompok pembanding, perbandingan sebelum–sesudah cenderung melebih-lebihkan "
              "efek (regresi ke rata-rata, seleksi peserta); bila ada data non-peserta dipakai "
              "selisih-dalam-selisih (difference-in-differences).",
        "en": "Without a comparison group, before/after comparisons tend to overstate effects "
              "(regression to the mean, selection); where non-participants' data exist, "
              "difference-in-differences is used."},
    "method.multiple": {
        "id": "Karena banyak kelompok diuji sekaligus, nilai p dikoreksi (Holm atau "
              "Benjamini–Hochberg).",
        "en": "Because many groups are tested at once, p-values are adjusted (Holm or "
              "Benjamini–Hochberg)."},
    "method.small_n": {
        "id": "Kelompok dengan kurang dari 10 pasangan atau kurang dari 6 selisih bukan nol dibaca 'data "
              "terlalu sedikit untuk menyimpulkan', apa pun nilai p-nya; ditandai 'n kecil' dan digambar "
              "pudar, bukan dibaca sebagai 'tidak ada efek'.",
        "en": "Groups with fewer than 10 pairs or fewer than 6 non-zero differences read 'too little data "
              "to conclude', whatever their p-value; they are marked 'small n' and drawn faded, never read "
              "as 'no effect'."},
    "method.ikm": {
        "id": "IKM = 25 × rata-rata NRR sembilan unsur (PermenPANRB 14/2017); mutu A ≥ 88,31, "
              "B ≥ 76,61, C ≥ 65,00, D di bawahnya.",
        "en": "IKM = 25 × the mean NRR of the nine elements (PermenPANRB 14/2017); grade A ≥ 88.31, "
              "B ≥ 76.61, C ≥ 65.00, D below."},
}


def translate(table: Mapping[str, Mapping[str, str]], key: str, lang: str = "id", **values) -> str:
    """The string ``key`` of ``table`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    The one lookup behind every bilingual text: :func:`t` reads the shared ``STRINGS`` with it,
    pages read their own tables with it (through ``ui.session``, which adds the session's language).

    Parameters
    ----------
    table : mapping
        Key → ``{"id": …, "en": …}``, e.g. ``STRINGS`` or a page's own table.
    key : str
        A key of ``table``.
    lang : {"id", "en"}
        Indonesian (default) or English.
    **values
        Values for the string's placeholders (already formatted, e.g. with ``analysis.core.fmt``);
        without values the text is returned as written.

    Raises
    ------
    KeyError
        ``key`` is not in ``table``.
    ValueError
        ``lang`` is not one of :data:`LANGS`.

    Examples
    --------
    >>> table = {"greeting": {"id": "Halo, {name}", "en": "Hello, {name}"}}
    >>> translate(table, "greeting", "en", name="Budi")
    'Hello, Budi'
    >>> translate(table, "greeting")
    'Halo, {name}'
    >>> translate(table, "farewell")
    Traceback (most recent call last):
    ...
    KeyError: "no i18n string for key 'farewell'"
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    try:
        text = table[key][lang]
    except KeyError:
        raise KeyError(f"no i18n string for key {key!r}") from None
    return text.format(**values) if values else text


def t(key: str, lang: str = "id", **values) -> str:
    """The string ``key`` of the shared table ``STRINGS`` in ``lang`` (see :func:`translate`).

    Parameters
    ----------
    key : str
        A key of ``STRINGS``, e.g. ``"chart.ranking.title"``.
    lang : {"id", "en"}
        Indonesian (default) or English.
    **values
        Values for the string's placeholders.

    Examples
    --------
    >>> t("common.no_data")
    'Tidak ada data'
    >>> t("common.showing_of", "en", shown=5, total=12)
    'Showing 5 of 12'
    """
    return translate(STRINGS, key, lang, **values)


def measure_label(measure: str, lang: str = "id", *, change: bool = False, ordinal: bool = False) -> str:
    """What a before/after measure is called: its name, or with ``change`` its change in words with
    the unit (points, or rating levels when ``ordinal``: performance held as SKP predikat).

    Parameters
    ----------
    measure : {"knowledge", "performance"}
        ``knowledge``: pre-test → post-test; ``performance``: the SKP score or predikat before → after.
    lang : {"id", "en"}
        Indonesian (default) or English.
    change : bool
        The change (after − before) with its unit instead of the name.
    ordinal : bool
        With ``change``: the performance is held as ordered ratings, so the change is in levels.

    Examples
    --------
    >>> measure_label("knowledge")
    'Pengetahuan (pre/post-test)'
    >>> measure_label("performance", "en", change=True)
    'Performance score after − before (points)'
    >>> measure_label("performance", "en", change=True, ordinal=True)
    'Performance rating after − before (levels)'
    >>> measure_label("attitude")
    Traceback (most recent call last):
    ...
    ValueError: measure must be 'knowledge' or 'performance', got 'attitude'
    """
    if measure not in ("knowledge", "performance"):
        raise ValueError(f"measure must be 'knowledge' or 'performance', got {measure!r}")
    if not change:
        return t(f"measure.{measure}", lang)
    return t("measure.change.ordinal" if ordinal else f"measure.change.{measure}", lang)


def has(key: str) -> bool:
    """Whether ``key`` is in the table.

    Examples
    --------
    >>> has("grade.A"), has("grade.Z")
    (True, False)
    """
    return key in STRINGS


def t_or(key: str, default: str, lang: str = "id") -> str:
    """``t(key, lang)`` if the key exists, else ``default`` (for codes from data, such as flags).

    Examples
    --------
    >>> t_or("flag.small_n", "small_n", "en"), t_or("flag.unknown_code", "unknown_code")
    ('few complete pairs', 'unknown_code')
    """
    return t(key, lang) if key in STRINGS else default


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a template uses.

    Examples
    --------
    >>> sorted(placeholders("{shown} of {total}"))
    ['shown', 'total']
    """
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
