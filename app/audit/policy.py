"""What the audit trail records of business changes, and what it leaves out (R-14.4).

Every table of app/models is audited, plus FAB's accounts and roles (who may do what is
itself a record the 等保 assessment asks about), except what is listed here. A model may
also opt out with ``__audit__ = False`` or leave out columns with ``__audit_ignore__``.
"""
from __future__ import annotations

from typing import Any

#: tables whose changes are not recorded: the audit trail itself, and the per-year counter
#: behind application numbers (bookkeeping: the number appears on the commission's update)
EXCLUDED_TABLES = frozenset({"audit_log", "application_counter"})

#: FAB's tables that are audited (the rest are permissions bookkeeping, synced at deploy)
FAB_TABLES = frozenset({"ab_user", "ab_role"})

#: columns never recorded, on every table: they change with every save
IGNORED_EVERYWHERE = frozenset({"created_at", "updated_at"})

#: columns not recorded per table: the outbox's dispatch bookkeeping, login statistics
IGNORED_COLUMNS: dict[str, frozenset[str]] = {
    "notification": frozenset({"status", "attempts", "last_error", "next_attempt_at",
                               "sent_at"}),
    "ab_user": frozenset({"last_login", "login_count", "fail_login_count", "created_on",
                          "changed_on", "created_by_fk", "changed_by_fk"}),
    "ab_role": frozenset(),
}

#: columns recorded as changed without their value
REDACTED_COLUMNS: dict[str, frozenset[str]] = {"ab_user": frozenset({"password"})}
REDACTED = "******"

#: history tables whose inserts are the state transitions of another model:
#: table → (the audited object's type, the column holding its id)
TRANSITION_HISTORY: dict[str, tuple[str, str]] = {
    "commission_state_change": ("Commission", "commission_id"),
}

#: models whose state column is covered by such a history (not recorded twice)
STATE_WITH_HISTORY = frozenset({"commission"})
STATE_COLUMN = "state"

#: longest text kept per value (a long remark is cut, with a mark)
MAX_TEXT = 2000


def is_audited(mapper: Any) -> bool:
    """Whether changes to rows of ``mapper``'s class are recorded."""
    cls = mapper.class_
    table = mapper.local_table.name
    if table in EXCLUDED_TABLES or getattr(cls, "__audit__", True) is False:
        return False
    return cls.__module__.startswith("app.models") or table in FAB_TABLES


def ignored_columns(mapper: Any) -> frozenset[str]:
    """Attribute keys of ``mapper`` that are never recorded."""
    own = getattr(mapper.class_, "__audit_ignore__", ())
    return IGNORED_EVERYWHERE | IGNORED_COLUMNS.get(mapper.local_table.name, frozenset()) | \
        frozenset(own)


def redacted_columns(mapper: Any) -> frozenset[str]:
    """Attribute keys whose values are replaced by a mark."""
    return REDACTED_COLUMNS.get(mapper.local_table.name, frozenset())
