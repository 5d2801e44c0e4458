"""审计日志: the append-only audit trail (R-14.4).

Rows are only ever inserted (app/audit writes them). The database refuses UPDATE and DELETE
with triggers (see the migration); only the retention purge (app/audit/retention.py) lifts
that, deliberately, for rows older than the retention period.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column

from app.labels import LabelledEnum, _
from app.models.mixins import UTCDateTime, utcnow


class AuditAction(LabelledEnum):
    """What happened. New members need no migration (the column has no CHECK constraint)."""

    create = ("create", _("Create"))
    update = ("update", _("Update"))
    delete = ("delete", _("Delete"))
    transition = ("transition", _("State transition"))
    login = ("login", _("Login"))
    login_failed = ("login_failed", _("Failed login"))
    lock = ("lock", _("Account locked"))
    unlock = ("unlock", _("Account unlocked"))
    export = ("export", _("Export"))
    document_issued = ("document_issued", _("Document issued"))
    confidential_view = ("confidential_view", _("Confidential material viewed"))
    confidential_download = ("confidential_download", _("Confidential material downloaded"))
    purge = ("purge", _("Audit trail purged"))
    data_import = ("import", _("Excel import"))
    unit_lookup = ("unit_lookup", _("Construction unit look-up"))


class AuditResult(LabelledEnum):
    """How it ended."""

    ok = ("ok", _("Succeeded"))
    denied = ("denied", _("Denied"))
    failed = ("failed", _("Failure"))


def _open_enum(enum_cls: type[LabelledEnum], name: str) -> sa.Enum:
    """A VARCHAR enum without a CHECK constraint: adding an action needs no migration,
    and an append-only table could not be rebuilt by a batch migration anyway."""
    return sa.Enum(
        enum_cls, name=name, native_enum=False, create_constraint=False,
        validate_strings=True, values_callable=lambda e: [m.value for m in e], length=40,
    )


class AuditLog(Model):
    """One audited event: when, who, from where, on what, what happened, how it ended."""

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_object", "object_type", "object_id"),)

    # BIGINT on PostgreSQL (the table only grows); SQLite's rowid needs INTEGER.
    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True
    )
    at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, index=True
    )
    # No foreign key: a row outlives the account, and ON DELETE would have to update it.
    user_id: Mapped[Optional[int]] = mapped_column(index=True)
    username: Mapped[Optional[str]] = mapped_column(sa.String(256), index=True)
    ip: Mapped[Optional[str]] = mapped_column(sa.String(64))
    action: Mapped[AuditAction] = mapped_column(_open_enum(AuditAction, "audit_action"),
                                                index=True)
    object_type: Mapped[Optional[str]] = mapped_column(sa.String(64))
    object_id: Mapped[Optional[str]] = mapped_column(sa.String(64))
    result: Mapped[AuditResult] = mapped_column(
        _open_enum(AuditResult, "audit_result"), default=AuditResult.ok
    )
    #: before/after of the changed fields, or what else describes the event
    detail: Mapped[Optional[Any]] = mapped_column(sa.JSON)

    @property
    def changed_fields(self) -> str:
        """The names of the fields an update changed (for the list page)."""
        after = self.detail.get("after") if isinstance(self.detail, dict) else None
        if self.action != AuditAction.update or not isinstance(after, dict):
            return ""
        return ", ".join(sorted(after))

    def __repr__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action}"
