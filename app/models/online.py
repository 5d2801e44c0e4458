"""The construction unit online (建设单位自助, R-17): look-up codes, the unit's confirmations,
rating invitations and the contact changes it reports.

The unit has no account: it proves who it is with a one-time code sent to a contact's
registered mobile (``LookupCode``); the rate limits count its requests (``LookupRequest``).
What it does online is kept as the named contact's act, with time and address.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import LookupStep, UnitConfirmationKind, UnitContact
from app.labels import enum_column_type
from app.models.commission import Commission
from app.models.mixins import Timestamped, UTCDateTime, utcnow
from app.models.plan import PlanVersion
from app.models.revisits import Revisit
from app.states import ContactChangeState


class LookupCode(Model):
    """A six-digit one-time code for one application number (R-17.1, R-17.7).

    Only its keyed hash is kept. A number nobody registered gets a row too (no commission,
    no message): the unknown number and the wrong code then take exactly the same path.
    Not audited as a change (bookkeeping of the rate limits); every look-up is audited
    explicitly (app/domain/lookup.py).
    """

    __tablename__ = "lookup_code"
    __audit__ = False
    __table_args__ = (
        sa.CheckConstraint("attempts >= 0", name="ck_lookup_code_attempts"),
        sa.Index("ix_lookup_code_number", "application_no", "requested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_no: Mapped[str] = mapped_column(sa.String(30))
    commission_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), index=True)
    contact: Mapped[UnitContact] = mapped_column(enum_column_type(UnitContact, "lookup_contact"))
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime())
    ip: Mapped[Optional[str]] = mapped_column(sa.String(64))

    commission: Mapped[Optional[Commission]] = relationship()

    def __repr__(self) -> str:
        return f"{self.application_no} {self.requested_at:%Y-%m-%d %H:%M}"


class LookupRequest(Model):
    """One request of the look-up (a code asked for, a code entered), by number and address:
    what the rate limits count (R-17.7). Not audited as a change, like LookupCode."""

    __tablename__ = "lookup_request"
    __audit__ = False
    __table_args__ = (
        sa.Index("ix_lookup_request_ip", "ip", "at"),
        sa.Index("ix_lookup_request_number", "application_no", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ip: Mapped[str] = mapped_column(sa.String(64))
    application_no: Mapped[str] = mapped_column(sa.String(30))
    step: Mapped[LookupStep] = mapped_column(enum_column_type(LookupStep, "lookup_step"))
    succeeded: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.ip} {self.application_no}"


class UnitConfirmation(Model):
    """建设单位在线确认: the unit's contact confirmed the plan or the termination online
    (R-17.2, R-17.3), through the same lifecycle step as at the window; who, when, from where."""

    __tablename__ = "unit_confirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), index=True)
    kind: Mapped[UnitConfirmationKind] = mapped_column(
        enum_column_type(UnitConfirmationKind, "unit_confirmation_kind"))
    plan_version_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("plan_version.id", ondelete="SET NULL"))
    contact: Mapped[UnitContact] = mapped_column(
        enum_column_type(UnitContact, "unit_confirmation_contact"))
    contact_name: Mapped[str] = mapped_column(sa.String(50))
    contact_phone: Mapped[str] = mapped_column(sa.String(30))
    confirmed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ip: Mapped[Optional[str]] = mapped_column(sa.String(64))

    commission: Mapped[Commission] = relationship()
    plan_version: Mapped[Optional[PlanVersion]] = relationship(lazy="selectin")

    def __repr__(self) -> str:
        return f"{self.kind} {self.contact_name}"


class RatingInvitation(Timestamped, Model):
    """The signed single-use link to the 好差评 form sent after completion (R-17.4); the
    answer is a revisit (R-13.2)."""

    __tablename__ = "rating_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), unique=True)
    #: random, in the signed link: a new invitation makes older links worthless
    nonce: Mapped[str] = mapped_column(sa.String(32), unique=True)
    recipient_name: Mapped[str] = mapped_column(sa.String(50))
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime())
    revisit_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("revisit.id", ondelete="SET NULL"))

    commission: Mapped[Commission] = relationship()
    revisit: Mapped[Optional[Revisit]] = relationship()

    def __repr__(self) -> str:
        return f"{self.commission} {self.sent_at:%Y-%m-%d}"


class ContactChange(Timestamped, Model):
    """A change of 项目负责人 or 经办人 the unit reported online (Art.5, R-17.6); accepted by
    the coordinator, it updates the unit's contacts, the old ones kept here."""

    __tablename__ = "contact_change"
    __table_args__ = (
        sa.CheckConstraint("state NOT IN ('accepted', 'rejected') OR decided_at IS NOT NULL",
                           name="ck_contact_change_decided"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), index=True)
    contact: Mapped[UnitContact] = mapped_column(
        enum_column_type(UnitContact, "contact_change_contact"))
    new_name: Mapped[str] = mapped_column(sa.String(50))
    new_title: Mapped[Optional[str]] = mapped_column(sa.String(50))
    new_phone: Mapped[str] = mapped_column(sa.String(30))
    old_name: Mapped[Optional[str]] = mapped_column(sa.String(50))
    old_title: Mapped[Optional[str]] = mapped_column(sa.String(50))
    old_phone: Mapped[Optional[str]] = mapped_column(sa.String(30))
    reported_by: Mapped[str] = mapped_column(sa.String(80))
    reported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ip: Mapped[Optional[str]] = mapped_column(sa.String(64))
    state: Mapped[ContactChangeState] = mapped_column(
        enum_column_type(ContactChangeState, "contact_change_state"),
        default=ContactChangeState.pending, index=True)
    decided_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("ab_user.id"))
    decision_note: Mapped[Optional[str]] = mapped_column(sa.Text)

    commission: Mapped[Commission] = relationship(lazy="selectin")
    decided_by = relationship("User", lazy="selectin")

    def __repr__(self) -> str:
        return f"{self.contact} → {self.new_name}"
