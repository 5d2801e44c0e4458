"""The menu rendered once, then reused (issue 16 item 2: cached chrome).

FAB renders the navbar's menu on every page: about fifty permission checks, each label
translated twice and one URL per entry, some 4 ms of a list page's 23. What it shows depends
only on the user's roles (which entries are visible), the language (the labels) and the role
definitions (which roles see what); so it is rendered once per (role set, definitions'
version, language, script root) and kept. Editing a role, a permission or a user's roles and
``flask sync-perms`` raise the definitions' version (app/security.py), so the next page
renders the menu afresh. A visitor who is not signed in, or whose version was not read with
the user, gets it rendered every time, as before.

The page's other furniture is kept the same way (``fragment``: a ``{% call xb_fragment(...) %}``
block in a template): the style sheets and scripts of every page (their addresses, per
language, script root and office day), the navbar (per user, name, chosen language and the
menu's key) and a list's header (paging, page size, record count: per view, address, page,
count and the user's add and action rights). What differs per request, the script nonce and
the CSRF token, is put in each time; a visitor who is not signed in gets the navbar rendered.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from app.security import definitions_version, keep

TEMPLATE = "xb_navbar_menu.html"
#: kept menus above this many are dropped and rendered again (a menu is ~10 KB of HTML)
KEPT_LIMIT = 500
#: (role ids, definitions' version, language, script root) → the rendered menu
_kept: dict[tuple, Markup] = {}
#: fragment's name → {(name, language, script root, its parts): its markup, with the marks
#: below} (a store per name: the many list headers do not push out the few navbars)
_kept_fragments: dict[str, dict[tuple, str]] = {}
#: what stands for this request's script nonce and CSRF token in kept markup
NONCE_MARK, TOKEN_MARK = "\x00xb-nonce\x00", "\x00xb-csrf-token\x00"


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


def fragment(name: str, *parts: Any, per_user: bool = False, caller: Any) -> Markup:
    """The markup of a ``{% call xb_fragment(name, *parts) %}`` block: rendered once per
    language, script root and ``parts`` (with ``per_user``: also per user, name, chosen
    language and the menu's key), then reused with this request's nonce and CSRF token."""
    from app.web_security import csp_nonce

    key = (name, str(get_locale()), request.script_root, *parts)
    if per_user:
        menu_key = _key()
        if menu_key is None:
            return caller()
        key += (menu_key, current_user.id, current_user.get_full_name(), session.get("locale"))
    nonce = csp_nonce()
    store = _kept_fragments.setdefault(name, {})
    html = store.get(key)
    if html is None:
        html = str(caller()).replace(nonce, NONCE_MARK)
        token = g.get("csrf_token")
        if token:
            html = html.replace(token, TOKEN_MARK)
        keep(store, key, html, KEPT_LIMIT)
    html = html.replace(NONCE_MARK, nonce)
    if TOKEN_MARK in html:
        from flask_wtf.csrf import generate_csrf

        html = html.replace(TOKEN_MARK, generate_csrf())
    return Markup(html)


def register(appbuilder) -> None:
    """No view: the template globals of the navbar's menu (templates/appbuilder/
    navbar_menu.html) and of the kept fragments (templates/xb_layout.html)."""
    current_app.jinja_env.globals.update(xb_menu=menu, xb_fragment=fragment)
