"""UI helpers shared by app.py and the pages: session state, sign-in, filters, cached data.

Only this package and ``pages/`` import streamlit; the maths stays in ``analysis/``. Caching lives
here, on thin wrappers around ``analysis`` calls keyed on a :class:`ui.scope.Scope`.
"""
