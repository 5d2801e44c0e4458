"""变更记录 on every record page (issue 14, item 7): the audit rows of the record shown.

Under the details of a record (FAB's show page), readers of the audit trail (those who may
list ``AuditLogView``: the inspector, the auditor, the administrator, R-14.4) see its newest
audit rows — when, who, what happened and, for an update, each changed field from → to —
and a link to all of them on the audit screen, filtered to the record. The values read as
the audit screen shows them to that reader (masked phones, hidden confidential names:
app/audit/display.py, R-14.7); the others see no panel (the trail is not theirs to read).
One query on the (object_type, object_id) index, whatever the trail's size.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, url_for
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _

from app.audit.display import recorded_model, shown_detail
from app.extensions import db
from app.labels import LabelledEnum
from app.models import AuditAction, AuditLog
from app.timefmt import show_time

AUDIT_VIEW = "AuditLogView"
#: rows shown on the page (the link leads to the rest)
SHOWN = 10
NOTHING = "—"


@dataclass
class Change:
    """One audit row as the panel reads it."""

    at: str
    user: str
    action: str
    lines: list[str] = field(default_factory=list)


def may_read() -> bool:
    """The signed-in user may read the audit trail."""
    return current_app.appbuilder.sm.has_access("can_list", AUDIT_VIEW)


def _readable(model: type | None, key: str, value: Any) -> str:
    """A recorded value as the screens print it: an enum's label, 是/否, — for none."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    column = getattr(getattr(model, "__table__", None), "c", {}).get(key) \
        if model is not None else None
    enum_cls = getattr(getattr(column, "type", None), "enum_class", None)
    if enum_cls is not None and issubclass(enum_cls, LabelledEnum):
        try:
            return str(enum_cls(value))
        except ValueError:
            pass
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _label(labels: dict[str, Any], key: str) -> str:
    """A column's label on the record's screen (``coordinator_id`` reads as 协办员)."""
    name = labels.get(key) or (labels.get(key[:-3]) if key.endswith("_id") else None)
    return str(name) if name else key


def _lines(row: AuditLog, model: type | None, labels: dict[str, Any]) -> list[str]:
    detail = shown_detail(g.user, row.object_type, row.object_id, row.detail)
    if not isinstance(detail, dict):
        return []
    if row.action == AuditAction.update:
        before = detail.get("before") if isinstance(detail.get("before"), dict) else {}
        after = detail.get("after") if isinstance(detail.get("after"), dict) else {}
        return [f"{_label(labels, key)}：{_readable(model, key, before.get(key))} → "
                f"{_readable(model, key, after.get(key))}" for key in sorted(after)]
    if row.action == AuditAction.transition and "to" in detail:
        states = _readable(model, "state", detail.get("from")), \
            _readable(model, "state", detail.get("to"))
        note = f"（{detail['note']}）" if detail.get("note") else ""
        return [f"{states[0]} → {states[1]}{note}"]
    return []


def changes(view: Any, pk: Any) -> dict[str, Any] | None:
    """The panel of record ``pk`` of ``view``'s model: its newest rows, whether there are
    more, the link to all; None when the reader may not read the audit trail."""
    model = view.datamodel.obj
    if model is AuditLog or not may_read():
        return None
    object_type = model.__name__
    rows = list(db.session.scalars(
        sa.select(AuditLog).where(AuditLog.object_type == object_type,
                                  AuditLog.object_id == str(pk))
        .order_by(AuditLog.id.desc()).limit(SHOWN + 1)))
    shown_model = recorded_model(object_type)
    labels = dict(view.label_columns or {})
    return {
        "rows": [Change(at=show_time(row.at), user=row.username or str(_("(system)")),
                        action=str(row.action), lines=_lines(row, shown_model, labels))
                 for row in rows[:SHOWN]],
        "more": len(rows) > SHOWN,
        "link": all_changes_url(object_type, pk),
    }


def _equal_index(audit_view: Any, column: str) -> int:
    """The number FAB's URL gives the "equal to" filter of ``column`` on the audit screen."""
    flts = audit_view._filters._all_filters.get(column, [])
    return next(i for i, flt in enumerate(flts) if isinstance(flt, FilterEqual))


def all_changes_url(object_type: str, pk: Any) -> str:
    """The audit screen filtered to one record."""
    audit_view = next(v for v in current_app.appbuilder.baseviews
                      if type(v).__name__ == AUDIT_VIEW)
    args = {f"_flt_{_equal_index(audit_view, 'object_type')}_object_type": object_type,
            f"_flt_{_equal_index(audit_view, 'object_id')}_object_id": str(pk)}
    return url_for(f"{AUDIT_VIEW}.list", **args)
