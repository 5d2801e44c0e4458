"""Password rules and password age (R-14.1; 等保 level 3, 身份鉴别).

One rule set for every path that sets a password: FAB's user add form, the reset-password
and change-my-password forms, the ``flask fab`` commands, ``flask ensure-admin`` and
``sm.add_user`` / ``sm.reset_password`` (app/security.py wires them all here).
"""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _

from app.clock import as_utc
from app.domain.errors import DomainError

MIN_LENGTH = 8
MIN_CLASSES = 3
# Shorter user names are not looked for inside the password: a one- or two-letter name
# would forbid most passwords without making any of them harder to guess.
MIN_USERNAME_IN_PASSWORD = 3

# "Due at once": the due time of a password someone else set.
ALREADY_DUE = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

RULES_TEXT = _("At least 8 characters, with three of: upper-case letters, lower-case letters, "
               "digits, symbols; must not contain the user name.")


class PasswordRejected(DomainError):
    """The password breaks the rules; ``str(error)`` lists what is wrong, in the UI language."""


def character_classes(password: str) -> int:
    """How many of the four classes (lower, upper, digit, other) the password uses."""
    lower = any("a" <= c <= "z" for c in password)
    upper = any("A" <= c <= "Z" for c in password)
    digit = any("0" <= c <= "9" for c in password)
    other = any(not ("a" <= c <= "z" or "A" <= c <= "Z" or "0" <= c <= "9") for c in password)
    return lower + upper + digit + other


def password_problems(password: str | None, username: str | None = None,
                      min_length: int = MIN_LENGTH) -> list:
    """The rules ``password`` breaks (translatable messages); empty when it is acceptable."""
    password = password or ""
    problems = []
    if len(password) < min_length:
        problems.append(_("The password must have at least %(n)d characters.", n=min_length))
    if character_classes(password) < MIN_CLASSES:
        problems.append(_("The password must use three of: upper-case letters, lower-case "
                          "letters, digits, symbols."))
    if any(ord(c) < 32 or ord(c) == 127 for c in password):
        # A NUL byte cuts the password short in C libraries and is refused by PostgreSQL
        # no control character can be typed at a login form anyway.
        problems.append(_("The password must not contain control characters."))
    name = (username or "").strip().lower()
    if len(name) >= MIN_USERNAME_IN_PASSWORD and name in password.lower():
        problems.append(_("The password must not contain the user name."))
    return problems


def check_password(password: str | None, username: str | None = None,
                   min_length: int = MIN_LENGTH) -> None:
    """Raise :class:`PasswordRejected` when ``password`` breaks a rule."""
    problems = password_problems(password, username, min_length)
    if problems:
        raise PasswordRejected("；".join(str(p) for p in problems))


def password_due_at(changed_at: dt.datetime | None, must_change: bool,
                    max_age_days: int) -> dt.datetime | None:
    """When the password must next be changed (UTC); ``None``: never.

    A password set by someone else (``must_change``) is due at once; otherwise it is due
    ``max_age_days`` after it was set (0 turns expiry off).
    """
    if must_change:
        return ALREADY_DUE
    if not max_age_days or changed_at is None:
        return None
    return as_utc(changed_at) + dt.timedelta(days=max_age_days)

