"""Menu categories, defined once (the labels are translated; the names are stable keys)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _

CASEWORK = ("Casework", _("Casework"), "fa-briefcase")
SUPERVISION = ("Supervision", _("Supervision"), "fa-eye")
TEAM = ("Team", _("Team"), "fa-users")
REFERENCE = ("Reference", _("Reference data"), "fa-book")


def add(appbuilder, view, name: str, label, category: tuple, icon: str = "") -> None:
    """Register ``view`` under ``category`` with a translated label."""
    key, category_label, category_icon = category
    appbuilder.add_view(
        view, name, label=label, icon=icon, category=key,
        category_label=category_label, category_icon=category_icon,
    )
