"""Recorded values as a reader may see them (R-14.7): the screens' rules on the audit trail.

The trail keeps what was written, in full; whoever reads it sees it through the same rules
as the record's own screen (app/access.py, app/domain/materials.py), never more:

- personal phone numbers (``access.PHONE_COLUMNS`` of the recorded model) are masked
  (138****1234) for readers who do not handle cases — inspectors and auditors alike;
- the title and file name of a confidential material are hidden from readers who may not
  open it (they get a 404 for the material itself). The material's present marking
  decides, as on its screen; for a deleted one, the marking the trail recorded.

Auditors and inspectors both handle no case, so the auditor's screen never shows more
than the inspector's.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _

from app import access, inputs, models
from app.extensions import db
from app.models import Commission, Material

#: the recorded fields of a Material that name its content
MATERIAL_NAMING = frozenset({"title", "original_name", "name", "stored_name"})
HIDDEN = _("(confidential, hidden)")


def recorded_model(name: str | None) -> type | None:
    """The model class an audit row's ``object_type`` names, if it is one of ours."""
    cls = getattr(models, name, None) if name else None
    return cls if isinstance(cls, type) and hasattr(cls, "__table__") else None


def _parts(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """The detail and its before/after halves: where recorded column values sit."""
    return [detail] + [detail[k] for k in ("before", "after") if isinstance(detail.get(k), dict)]


def _recorded(detail: dict[str, Any], key: str) -> list[Any]:
    return [part[key] for part in _parts(detail) if part.get(key) is not None]


def material_closed(user: Any, object_id: Any, detail: dict[str, Any]) -> bool:
    """Whether ``user`` may not see the naming fields of the material the row is about."""
    from app.domain import (
        materials,  # the domain records audit rows itself: import late
    )

    pk = inputs.valid_id(object_id)
    material = db.session.get(Material, pk) if pk is not None else None
    if material is not None:
        return not materials.may_open(user, material)
    marked = [value for value in _recorded(detail, "confidentiality") if value != "none"]
    if not marked:
        return False
    commission_ids = [inputs.valid_id(v) for v in _recorded(detail, "commission_id")]
    commission = next((db.session.get(Commission, pk) for pk in commission_ids
                       if pk is not None), None)
    return not access.can_open_confidential(user, commission)


def _rewritten(value: Any, rewrite: Callable[[str, Any], Any]) -> Any:
    if not isinstance(value, dict):
        return value
    return {key: _rewritten(item, rewrite) if isinstance(item, dict) else rewrite(key, item)
            for key, item in value.items()}


def shown_detail(user: Any, object_type: str | None, object_id: Any, detail: Any) -> Any:
    """An audit row's ``detail`` as ``user`` may see it (a copy; the stored row is kept)."""
    if not isinstance(detail, dict):
        return detail
    model = recorded_model(object_type)
    phones = frozenset(access.PHONE_COLUMNS.get(model, ())) if model else frozenset()
    hidden = MATERIAL_NAMING if model is Material and \
        material_closed(user, object_id, detail) else frozenset()
    if not phones and not hidden:
        return detail

    def rewrite(key: str, value: Any) -> Any:
        if key in hidden and value is not None:
            return str(HIDDEN)
        if key in phones and isinstance(value, str):
            return access.display_phone(user, value)
        return value

    return _rewritten(detail, rewrite)
