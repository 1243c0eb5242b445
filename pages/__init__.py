"""The dashboard's pages: one module per page, each exposing ``render()`` and drawing nothing at import."""
