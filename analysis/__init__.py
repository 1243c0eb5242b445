"""Evaluasi Pembinaan ASN: the analysis layer.

Everything that is neither UI nor storage lives here, in subpackages: ``core`` (errors, settings,
formatting, i18n, periods, groups, districts), ``intake`` (reading and validating workbooks),
``stats``, ``evidence``, ``voice`` (IKM and citizens' comments), ``report`` (charts and exports) and
``cli`` (``python -m analysis``). It never imports streamlit or the store (the import contracts in
``.importlinter``; docs/architecture.md).
"""

__version__ = "0.1.0"
