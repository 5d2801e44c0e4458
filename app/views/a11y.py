"""Accessibility helpers for the templates (issue 19, R-20.1).

``html_lang`` gives every FAB page's ``<html lang>`` (app/templates/appbuilder/init.html)
from the selected language: ``zh-CN`` for Chinese, so that screen readers read the page as
Chinese, and ``en`` for English. The layout's landmarks, headings and the bundled
``static/js/a11y.js`` and ``static/css/a11y.css`` do the rest (app/templates/xb_layout.html).
"""
from __future__ import annotations

from flask import current_app
from flask_babel import get_locale

#: the BCP 47 tag of each selectable language (app/config.py LANGUAGES)
HTML_LANG = {"zh": "zh-CN", "en": "en"}


def html_lang() -> str:
    """The ``lang`` of the page being rendered, from the selected language."""
    locale = get_locale()
    language = locale.language if locale is not None else "zh"
    return HTML_LANG.get(language, language)


def register(appbuilder) -> None:
    """Offer ``html_lang()`` to every template (from app/views/__init__.py)."""
    current_app.jinja_env.globals["html_lang"] = html_lang
