"""Format checks for identifiers the forms and records carry.

Each check is a pure function returning ``None`` when the value is acceptable and a
translatable message otherwise, so that forms, the CLI and the seed use the same rules.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _

PROJECT_CODE_RE = re.compile(r"[0-9]{4}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}(-[0-9]{3})?")
MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
LANDLINE_RE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
TOWN_CODE_RE = re.compile(r"[0-9]{9}")

# Patterns are used with fullmatch and ASCII digits only: "$" would accept a trailing
# newline and "\d" full-width digits typed with a Chinese input method.

# GB 32100-2015: 18 characters from this alphabet (no I, O, Z, S, V).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_project_code(value: str) -> object | None:
    """National investment project code, GB/T 40058-2021 (R-4.3)."""
    if not PROJECT_CODE_RE.fullmatch(value or ""):
        return _(
            "Project code must look like YYYY-XXXXXX-NN-NN-NNNNNN, "
            "optionally followed by -NNN for an engineering code."
        )
    year = int(value[:4])
    if year < 2000 or year > 2099:
        return _("The project code's year is not plausible.")
    return None


def check_phone(value: str) -> object | None:
    """A mainland mobile number (11 digits) or a landline with area code."""
    value = (value or "").replace(" ", "")
    if MOBILE_RE.fullmatch(value) or LANDLINE_RE.fullmatch(value):
        return None
    return _("Enter an 11-digit mobile number or a landline number with area code.")


def is_mobile(value: str | None) -> bool:
    """True for an 11-digit mainland mobile number (the only kind that takes SMS/WeChat)."""
    return bool(MOBILE_RE.fullmatch((value or "").replace(" ", "").replace("-", "")))


def check_email(value: str) -> object | None:
    """A plain e-mail address."""
    if EMAIL_RE.fullmatch(value or ""):
        return None
    return _("Enter a valid e-mail address.")


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a credit code."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def check_credit_code(value: str) -> object | None:
    """统一社会信用代码: 18 characters, GB 32100 alphabet, valid check character."""
    value = (value or "").upper()
    if len(value) != 18 or any(ch not in CREDIT_CODE_ALPHABET for ch in value):
        return _("The unified social credit code has 18 digits or capital letters.")
    if credit_code_check_char(value[:17]) != value[17]:
        return _("The unified social credit code's check character is wrong.")
    return None


def check_days(value: Any) -> object | None:
    """A time limit in working days is never negative."""
    if value is not None and value < 0:
        return _("The number of working days cannot be negative.")
    return None


#: Numeric(14, 2) holds 12 integer digits; larger input would be refused by the database.
AMOUNT_LIMIT = Decimal("1e12")


def check_amount(value: Any) -> object | None:
    """Investment (万元) and floor area (m²) are not negative and fit the column."""
    if value is None:
        return None
    if value < 0:
        return _("The amount cannot be negative.")
    if value >= AMOUNT_LIMIT:
        return _("The amount is too large.")
    return None


ID_CARD_RE = re.compile(r"[0-9]{17}[0-9X]")
# GB 11643-1999: weights of the first 17 digits and the check character by remainder.
ID_CARD_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CARD_CHECK = "10X98765432"


def check_id_card(value: str) -> object | None:
    """居民身份证号码: 18 characters, the last a digit or X, valid check character."""
    value = (value or "").strip().upper()
    if not ID_CARD_RE.fullmatch(value):
        return _("The ID card number has 17 digits followed by a digit or X.")
    total = sum(int(ch) * w for ch, w in zip(value, ID_CARD_WEIGHTS))
    if ID_CARD_CHECK[total % 11] != value[17]:
        return _("The ID card number's check character is wrong.")
    return None


def mask_phone(value: str | None) -> str:
    """138****1234 for a mobile number; other numbers keep only their last four digits."""
    if not value:
        return ""
    if MOBILE_RE.fullmatch(value):
        return f"{value[:3]}****{value[-4:]}"
    return "*" * max(len(value) - 4, 0) + value[-4:]
