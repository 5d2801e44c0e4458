"""消息通知: the outbox of messages to units (R-11.1)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import Channel
from app.labels import enum_column_type
from app.models.commission import Commission
from app.models.mixins import UTCDateTime, utcnow
from app.states import NotificationStatus


class Notification(Model):
    """One message, written in the transaction of the event that causes it."""

    __tablename__ = "notification"
    __table_args__ = (
        sa.CheckConstraint("attempts >= 0", name="ck_notification_attempts"),
        sa.Index("ix_notification_dispatch", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="SET NULL"), index=True
    )
    template: Mapped[str] = mapped_column(sa.String(50))
    channel: Mapped[Channel] = mapped_column(enum_column_type(Channel, "channel"))
    recipient: Mapped[str] = mapped_column(sa.String(120))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[NotificationStatus] = mapped_column(
        enum_column_type(NotificationStatus, "notification_status"),
        default=NotificationStatus.pending,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[Optional[str]] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow
    )
    sent_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime())

    commission: Mapped[Optional[Commission]] = relationship()

    def __repr__(self) -> str:
        return f"{self.template} → {self.recipient}"
