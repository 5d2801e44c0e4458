"""Cross-field rules for ``check_form`` that several casework screens share."""
from __future__ import annotations

from typing import Any, Callable

from flask_babel import lazy_gettext as _

from app.models import Commission

Rule = Callable[[Any], dict[str, object]]


def _commission_id(obj: Any) -> int | None:
    if obj is None:
        return None
    return obj.id if isinstance(obj, Commission) else getattr(obj, "commission_id", None)


def same_commission(owner: str, part: str, message: object) -> Rule:
    """A ``check_form`` rule: the record in field ``part`` belongs to the commission of ``owner``.

    ``owner`` holds a commission or a record with a ``commission_id`` (a notice, a plan).
    A form without either field (an edit form that leaves them out) has nothing to check.
    """

    def check(form: Any) -> dict[str, object]:
        if owner not in form or part not in form:
            return {}
        first = getattr(form, owner).data
        second = getattr(form, part).data
        if first is not None and second is not None:
            if _commission_id(first) != _commission_id(second):
                return {part: message}
        return {}

    return check


def all_rules(*rules: Rule) -> Callable[[Any], dict[str, object]]:
    """Combine ``check_form`` rules; the first message for a field wins."""

    def check(form: Any) -> dict[str, object]:
        errors: dict[str, object] = {}
        for rule in rules:
            for col, message in rule(form).items():
                errors.setdefault(col, message)
        return errors

    return check


def editing_pk(form: Any) -> Any:
    """The primary key of the record an edit form is for (FAB sets it), None on add."""
    return getattr(form, "_id", None)


NOT_THIS_COMMISSION = _("This record belongs to another commission.")
