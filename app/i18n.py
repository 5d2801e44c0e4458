"""Translations looked up once per request (issue 16, item 3: labels as plain strings).

Flask-Babel finds the catalogue of the request's language on every ``gettext``: it reads the
locale, turns it into its identifier and looks the pair up in its cache, about 20 µs a
string. A list page translates some 200 strings (column labels, buttons, the state of each
row), so that was a tenth of its time. :class:`RequestDomain` keeps the catalogue it found
on the request's Babel context, in the attribute Flask-Babel itself clears when the language
changes within the request (``refresh()``) and empties for ``force_locale()``; everything
else is Flask-Babel's own.
"""
from __future__ import annotations

from typing import Any

from flask_babel import Domain
from flask_babel import _get_current_context as babel_context

#: the attribute of Flask-Babel's request context that refresh() clears
_KEPT = "babel_translations"


class RequestDomain(Domain):
    """Flask-Babel's message domain, its catalogue found once per request."""

    def get_translations(self) -> Any:
        context = babel_context()
        if context is None:  # outside a request: Flask-Babel's answer (no translation)
            return super().get_translations()
        translations = getattr(context, _KEPT, None)
        if translations is None:
            translations = super().get_translations()
            setattr(context, _KEPT, translations)
        return translations


def init_translations(appbuilder: Any) -> None:
    """Make :class:`RequestDomain` the domain of the app's Babel (FAB creates the Babel)."""
    babel = appbuilder.bm.babel
    # Babel.domain_instance is a cached_property: the instance's own value takes its place.
    babel.domain_instance = RequestDomain(domain=babel.domain)
