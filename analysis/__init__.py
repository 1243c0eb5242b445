"""Evaluasi Pembinaan ASN: the analysis layer.

Everything that is not UI lives here: reading and validating workbooks, the data contracts,
statistics, the IKM, storage, exports and the command line (``python -m analysis``).
This package never imports streamlit (../shared/STYLE.md).
"""

__version__ = "0.1.0"
