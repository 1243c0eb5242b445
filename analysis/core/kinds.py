"""The kinds of upload the product reads, their labels and the date that places a row in time.

One table: the intake, the store, the CLI and the pages all read the list of kinds from here.
"""

from __future__ import annotations

KINDS: tuple[str, ...] = ("training", "feedback", "mentoring", "events", "kinerja", "jp_lain")

KIND_LABELS: dict[str, dict[str, str]] = {
    "training": {"id": "Data pelatihan / pengembangan kompetensi", "en": "Training records"},
    "feedback": {"id": "Survei Kepuasan Masyarakat (SKM)", "en": "Citizen satisfaction survey (SKM)"},
    "mentoring": {"id": "Pasangan mentoring", "en": "Mentoring pairs"},
    "events": {"id": "Forum warga dan open house", "en": "Community forums and open-house days"},
    "kinerja": {"id": "Penilaian kinerja (SKP / e-Kinerja)", "en": "Performance appraisals (SKP / e-Kinerja)"},
    "jp_lain": {"id": "Pengembangan kompetensi lain (JP)", "en": "Other competency development (JP)"},
}

# The column whose date places a row in a period (the sidebar's period filter, the upload preview).
# An appraisal has no date: its ``periode`` is the period itself (``analysis.core.periods.read_period``),
# so the sidebar's period filter does not apply to it.
DATE_COLUMNS: dict[str, str | None] = {
    "training": "tanggal_mulai",
    "feedback": "tanggal",
    "mentoring": "tanggal_mulai",
    "events": "tanggal",
    "kinerja": None,
    "jp_lain": "tanggal_mulai",
}


def check_kind(kind: str) -> str:
    """``kind`` if it is one of :data:`KINDS`, else ``ValueError`` naming the choices.

    Examples
    --------
    >>> check_kind("feedback")
    'feedback'
    >>> check_kind("survey")
    Traceback (most recent call last):
    ...
    ValueError: kind must be one of training, feedback, mentoring, events, kinerja, jp_lain, got 'survey'
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    return kind
