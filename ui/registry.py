"""The pages of the app, each with the least role it needs and its place in the menu."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from analysis.core.roles import has_role


# The default page is served at "/"; Streamlit resolves a URL against the other pages' paths only,
# so the default page's own path is never typed. Links made before it was renamed name
# /ringkasan: app.py registers that path as a hidden page that switches to the default one.
OLD_DEFAULT_PATH = "ringkasan"


@dataclass(frozen=True)
class PageSpec:
    module: str       # "pages.ringkasan"
    title_key: str    # ui.text key
    icon: str
    url_path: str
    default: bool = False

    def load(self):
        return importlib.import_module(self.module)

    @property
    def min_role(self) -> str:
        """The least role that may open the page, as the page module declares it (``MIN_ROLE``)."""
        return self.load().MIN_ROLE


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages.ringkasan", "nav.ringkasan", ":material/dashboard:", "ikhtisar", default=True),
    PageSpec("pages.program", "nav.program", ":material/school:", "evaluasi-program"),
    PageSpec("pages.kecamatan", "nav.kecamatan", ":material/map:", "peta-kecamatan"),
    PageSpec("pages.mentoring", "nav.mentoring", ":material/diversity_3:", "evaluasi-mentoring"),
    PageSpec("pages.suara_masyarakat", "nav.suara", ":material/forum:", "suara-masyarakat"),
    PageSpec("pages.tindak_lanjut", "nav.tindak_lanjut", ":material/task_alt:", "tindak-lanjut"),
    PageSpec("pages.karier", "nav.karier", ":material/trending_up:", "karier-jp"),
    PageSpec("pages.pengembangan", "nav.pengembangan", ":material/badge:", "pengembangan-pegawai"),
    PageSpec("pages.data", "nav.data", ":material/upload_file:", "kelola-data"),
    PageSpec("pages.metode", "nav.metode", ":material/menu_book:", "tentang-metode"),
    PageSpec("pages.admin", "nav.admin", ":material/admin_panel_settings:", "administrasi"),
)


def visible(user) -> list[PageSpec]:
    """The pages ``user`` may open, in menu order."""
    return [p for p in PAGES if has_role(user, p.min_role)]
