"""The screens (layer 3): FAB ModelViews, one module per aggregate, registered in one place."""
from __future__ import annotations

from importlib import import_module

from app.views.index import IndexView

#: Modules with a ``register(appbuilder)`` function, in menu order.
VIEW_MODULES = [
    # 业务办理 Casework
    "prereview", "client", "commission", "items", "plan", "casework", "materials", "delivery",
    "termination",
    # 监督考核 Supervision
    "supervision", "meetings", "revisits", "assessment", "notification", "audit",
    # 队伍管理 Team
    "organisation", "training",
    # 基础数据 Reference data
    "reference", "calendar", "imports",
    # no menu
    "lookup", "search", "workflow", "ledgers", "documents", "busy", "health", "api", "online",
    "chrome", "list_rows", "list_links", "pages", "a11y", "rendering",
]


def register_views(appbuilder) -> None:
    """Register every screen of the app; the only place views are added to the menu."""
    for name in VIEW_MODULES:
        import_module(f"app.views.{name}").register(appbuilder)
    # FAB adds its Security menu first; the clerks' work comes first, administration last.
    menu = appbuilder.menu.menu
    menu.sort(key=lambda item: item.name == "Security")


__all__ = ["IndexView", "register_views"]
