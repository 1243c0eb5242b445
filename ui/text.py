"""Strings of the app shell (navigation, sign-in, filters) in Indonesian and English.

Pages keep their own strings beside their code; figures and exports use ``analysis.core.i18n``.
"""

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {"id": "Evaluasi Pembinaan ASN", "en": "ASN Development Evaluation"},
    "app.subtitle": {"id": "Pemerintah Kota Medan", "en": "Medan City Government"},
    "app.language": {"id": "Bahasa", "en": "Language"},
    "nav.ringkasan": {"id": "Ringkasan", "en": "Overview"},
    "nav.program": {"id": "Program", "en": "Program"},
    "nav.kecamatan": {"id": "Kecamatan", "en": "Districts"},
    "nav.suara": {"id": "Suara Masyarakat", "en": "Citizen Voice"},
    "nav.data": {"id": "Data", "en": "Data"},
    "nav.metode": {"id": "Tentang metode", "en": "About the method"},
    "nav.admin": {"id": "Administrasi", "en": "Administration"},
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
    "ui.none_mode": {"id": "Mode lokal tanpa masuk: semua pengguna administrator (hanya 127.0.0.1).",
                     "en": "Local mode without sign-in: everyone is administrator (127.0.0.1 only)."},
    "filter.title": {"id": "Filter", "en": "Filters"},
    "filter.period": {"id": "Periode", "en": "Period"},
    "filter.program": {"id": "Program", "en": "Program"},
    "filter.kecamatan": {"id": "Kecamatan", "en": "District"},
    "filter.measure": {"id": "Ukuran", "en": "Measure"},
    "filter.all": {"id": "Semua", "en": "All"},
    "measure.knowledge": {"id": "Pengetahuan (pre/post-test)", "en": "Knowledge (pre/post-test)"},
    "measure.performance": {"id": "Kinerja (SKP sebelum/sesudah)", "en": "Performance (SKP before/after)"},
    "data.sample_banner": {
        "id": "DATA SINTETIS — contoh bawaan, bukan data pegawai atau warga sebenarnya. Tampil sampai "
              "analis menerbitkan dataset {kind} yang nyata di halaman Data.",
        "en": "SYNTHETIC DATA — the bundled sample, not real civil servants or citizens. Shown until an "
              "analyst publishes a real {kind} dataset on the Data page."},
    "data.published_caption": {"id": "Sumber: {name} (versi {version}, terbit {when})",
                               "en": "Source: {name} (version {version}, published {when})"},
}
