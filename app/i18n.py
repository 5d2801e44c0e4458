"""Translations looked up once per request (issue 16, item 3: labels as plain strings).

Flask-Babel finds the catalogue of the request's language on every ``gettext``: it looks up
its request context twice (the domain, then the catalogue: three context-local look-ups
each), reads the locale, turns it into its identifier and looks the pair up in its cache,
about 20 µs a string. A list page translates some 200 strings (column labels, buttons, the
state of each row), so that was a tenth of its time.

- :class:`RequestDomain` keeps the catalogue it found on the request's Babel context, in the
  attribute Flask-Babel itself clears when the language changes within the request
  (``refresh()``) and empties for ``force_locale()``, and reads it back with one look-up;
- :func:`lazy` is ``lazy_gettext`` for the app's enum labels (app/labels.py), going straight
  to that catalogue without Flask-Babel's domain look-up;
- the templates' ``_()`` go the same way (:func:`init_translations`).

Everything else is Flask-Babel's own.
"""
from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import Domain
from flask_babel import _get_current_context as babel_context
from flask_babel.speaklater import LazyString

#: the attribute of Flask-Babel's request context that refresh() clears
_KEPT = "babel_translations"


def _kept() -> Any:
    """The catalogue kept on this request's Babel context, or None."""
    try:
        state = g._get_current_object().__dict__.get("_flask_babel")
    except RuntimeError:  # no app context
        return None
    return getattr(state, _KEPT, None) if state is not None else None


class RequestDomain(Domain):
    """Flask-Babel's message domain, its catalogue found once per request."""

    def get_translations(self) -> Any:
        translations = _kept()
        if translations is not None:
            return translations
        context = babel_context()
        if context is None:  # outside a request: Flask-Babel's answer (no translation)
            return super().get_translations()
        translations = super().get_translations()
        setattr(context, _KEPT, translations)
        return translations


#: the app's domain (one catalogue, "messages", in the directories of the current app)
DOMAIN = RequestDomain()


def gettext(string: str, **variables: Any) -> str:
    """``string`` in the request's language."""
    return DOMAIN.gettext(string, **variables)


def lazy(string: str, **variables: Any) -> LazyString:
    """``string``, translated when it is shown (Flask-Babel's lazy string)."""
    return LazyString(gettext, string, **variables)


def init_translations(app: Any, appbuilder: Any) -> None:
    """Make :data:`DOMAIN` the domain of the app's Babel (FAB creates the Babel), and the
    templates' gettext read its catalogue."""
    babel = appbuilder.bm.babel
    # Babel.domain_instance is a cached_property: the instance's own value takes its place.
    babel.domain_instance = DOMAIN

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: DOMAIN.get_translations().ugettext(s),
        ngettext=lambda s, p, n: DOMAIN.get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: DOMAIN.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: DOMAIN.get_translations().unpgettext(c, s, p, n),
        newstyle=True)
