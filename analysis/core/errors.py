"""One error type for expected problems, carrying a code and a message in both languages.

Modelled on datasette's single user-facing error: the UI and the CLI turn it into a friendly
message; anything else is a bug and propagates.
"""

from __future__ import annotations


class AnalysisError(ValueError):
    """An expected, user-facing problem (bad file, too little data, unknown option).

    Parameters
    ----------
    code : str
        Stable snake_case identifier, e.g. ``"password_protected"``; tests and the CLI use it.
    message_id : str
        What happened and what to do, in Indonesian.
    message_en : str, optional
        The same in English; defaults to the Indonesian text.
    details : dict, optional
        Facts a program can act on, e.g. ``{"headers": [...]}`` for the app's column mapping.

    Examples
    --------
    >>> err = AnalysisError("empty_file", "Berkas kosong.", "The file is empty.")
    >>> err.code, err.message("en")
    ('empty_file', 'The file is empty.')
    """

    def __init__(self, code: str, message_id: str, message_en: str | None = None,
                 details: dict | None = None) -> None:
        super().__init__(message_en or message_id)
        self.code = code
        self.message_id = message_id
        self.message_en = message_en or message_id
        self.details = details or {}  # machine-readable facts for the UI (e.g. the headers seen)

    def message(self, lang: str = "id") -> str:
        """The message in ``lang`` (``"id"`` or ``"en"``)."""
        return self.message_en if lang == "en" else self.message_id

    def to_dict(self, lang: str = "id") -> dict:
        """``{"code": …, "message": …}`` as the CLI prints it under ``"error"``."""
        return {"code": self.code, "message": self.message(lang)}
