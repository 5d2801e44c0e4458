"""The menu rendered once, then reused (issue 16 item 2: cached chrome).

FAB renders the navbar's menu on every page: about fifty permission checks, each label
translated twice and one URL per entry, some 4 ms of a list page's 23. What it shows depends
only on the user's roles (which entries are visible), the language (the labels) and the role
definitions (which roles see what); so it is rendered once per (role set, definitions'
version, language, script root) and kept. Editing a role, a permission or a user's roles and
``flask sync-perms`` raise the definitions' version (app/security.py), so the next page
renders the menu afresh. A visitor who is not signed in, or whose version was not read with
the user, gets it rendered every time, as before.

The user's own part of the navbar (name, language choice, sign-out, quick search) is not kept.
"""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from app.security import definitions_version, keep

TEMPLATE = "xb_navbar_menu.html"
#: kept menus above this many are dropped and rendered again (a menu is ~10 KB of HTML)
KEPT_LIMIT = 500
#: (role ids, definitions' version, language, script root) → the rendered menu
_kept: dict[tuple, Markup] = {}


def _key() -> tuple | None:
    user = current_user._get_current_object() if current_user else None
    if user is None or not user.is_authenticated:
        return None
    version = definitions_version(user)
    if version is None:
        return None
    roles = tuple(sorted(role.id for role in current_app.appbuilder.sm.get_user_roles(user)))
    return roles, version, str(get_locale()), request.script_root


def _render() -> Markup:
    return Markup(render_template(TEMPLATE, menu=current_app.appbuilder.menu))


def menu() -> Markup:
    """The menu entries of this request's user, rendered or kept."""
    key = _key()
    if key is None:
        return _render()
    html = _kept.get(key)
    return html if html is not None else keep(_kept, key, _render(), KEPT_LIMIT)


def register(appbuilder) -> None:
    """No view: the template global the navbar calls (templates/appbuilder/navbar_menu.html)."""
    current_app.jinja_env.globals["xb_menu"] = menu
