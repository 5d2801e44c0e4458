"""The landing page after login (the dashboard grows here, R-13.5)."""
from __future__ import annotations

from flask_appbuilder import IndexView as FabIndexView


class IndexView(FabIndexView):
    """FAB's index with our template."""

    index_template = "index.html"
