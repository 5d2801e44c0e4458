"""委托协办: the case, its state history and its coordinator assignments (Art.6–7, R-4, R-5)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import ContactMethod, DelegationScope
from app.labels import enum_column_type
from app.models.client import Project
from app.models.mixins import Timestamped, UTCDateTime, utcnow
from app.models.organisation import StaffMember
from app.models.prereview import PreReview
from app.states import COMMISSION_AWAITING_CONTACT, COMMISSION_OPEN, CommissionState

_OPEN_SQL = "state IN ({})".format(", ".join(f"'{s.value}'" for s in sorted(COMMISSION_OPEN)))
_AWAITING_CONTACT_SQL = "state IN ({}) AND contacted_on IS NULL".format(
    ", ".join(f"'{s.value}'" for s in sorted(COMMISSION_AWAITING_CONTACT)))


class Commission(Timestamped, Model):
    """A commission: the unit's delegation of (some or all) approval items to the window."""

    __tablename__ = "commission"
    __table_args__ = (
        # a project has at most one active commission.
        sa.Index(
            "uq_commission_active_project",
            "project_id",
            unique=True,
            sqlite_where=sa.text(_OPEN_SQL),
            postgresql_where=sa.text(_OPEN_SQL),
        ),
        sa.CheckConstraint(
            "completed_on IS NULL OR applied_on IS NULL OR completed_on >= applied_on",
            name="ck_commission_completed_after_applied",
        ),
        # Commissions waiting for the first contact, by its deadline (late contacts on the
        # overdue screen): a small index of exactly those rows.
        sa.Index(
            "ix_commission_awaiting_contact",
            "contact_due_on",
            sqlite_where=sa.text(_AWAITING_CONTACT_SQL),
            postgresql_where=sa.text(_AWAITING_CONTACT_SQL),
        ),
        # The commissions of one state, newest first (the list filtered by a state): read on
        # the index alone, where an index of the state only leaves them in heap order and
        # the planner walks the newest commissions of every state instead.
        sa.Index("ix_commission_state_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_no: Mapped[Optional[str]] = mapped_column(sa.String(30), unique=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("project.id"), index=True)
    pre_review_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("pre_review.id"), index=True
    )
    scope: Mapped[DelegationScope] = mapped_column(
        enum_column_type(DelegationScope, "delegation_scope"), default=DelegationScope.full
    )
    intention: Mapped[Optional[str]] = mapped_column(sa.Text)
    delegated_items_text: Mapped[Optional[str]] = mapped_column(sa.Text)
    # Service modes of Art.4.
    mode_special_handling: Mapped[bool] = mapped_column(default=False)
    mode_priority: Mapped[bool] = mapped_column(default=False)
    mode_proactive: Mapped[bool] = mapped_column(default=False)
    mode_supervised: Mapped[bool] = mapped_column(default=False)
    mode_accompanied: Mapped[bool] = mapped_column(default=False)

    state: Mapped[CommissionState] = mapped_column(
        enum_column_type(CommissionState, "commission_state"),
        default=CommissionState.pre_review,
    )
    coordinator_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("staff_member.id"), index=True
    )
    applied_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date, index=True)
    contact_method: Mapped[Optional[ContactMethod]] = mapped_column(
        enum_column_type(ContactMethod, "contact_method")
    )
    assigned_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    contact_due_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date, index=True)
    contacted_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    # Set by the deadline sweep when the 1-working-day contact deadline passed.
    contact_overdue_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date, index=True)
    plan_confirmed_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    completed_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date, index=True)
    terminated_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date, index=True)
    remarks: Mapped[Optional[str]] = mapped_column(sa.Text)

    project: Mapped[Project] = relationship(lazy="selectin")
    pre_review: Mapped[Optional[PreReview]] = relationship()
    coordinator: Mapped[Optional[StaffMember]] = relationship(lazy="selectin")
    items: Mapped[list["CommissionItem"]] = relationship(  # noqa: F821
        back_populates="commission", order_by="CommissionItem.id"
    )
    # Oldest first; the newest and the newest confirmed are read from it (app/domain/planning).
    plan_versions: Mapped[list["PlanVersion"]] = relationship(  # noqa: F821
        back_populates="commission", order_by="PlanVersion.version", passive_deletes=True
    )
    state_changes: Mapped[list["CommissionStateChange"]] = relationship(
        back_populates="commission", order_by="CommissionStateChange.changed_at"
    )

    # At most one (unique commission_id); set by the terminate step's Termination(commission=).
    termination = relationship(
        "Termination", uselist=False, back_populates="commission", lazy="selectin",
        passive_deletes=True,
    )

    @property
    def is_open(self) -> bool:
        return self.state in COMMISSION_OPEN

    @property
    def deadline(self) -> dt.date | None:
        """The commission-level deadline running now (contact, or the unit's confirmation)."""
        if self.state in COMMISSION_AWAITING_CONTACT and self.contacted_on is None:
            return self.contact_due_on
        if self.state == CommissionState.terminating and self.termination is not None:
            return self.termination.confirm_due_on
        return None

    def __repr__(self) -> str:
        return self.application_no or f"#{self.id} {self.project}"


class CommissionStateChange(Model):
    """One step of a commission's lifecycle: who moved it, when, from where to where."""

    __tablename__ = "commission_state_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), index=True
    )
    from_state: Mapped[Optional[CommissionState]] = mapped_column(
        enum_column_type(CommissionState, "commission_state_from")
    )
    to_state: Mapped[CommissionState] = mapped_column(
        enum_column_type(CommissionState, "commission_state_to")
    )
    changed_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, index=True
    )
    changed_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("ab_user.id"))
    note: Mapped[Optional[str]] = mapped_column(sa.Text)

    commission: Mapped[Commission] = relationship(back_populates="state_changes")
    changed_by = relationship("User", lazy="selectin")

    def __repr__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class CoordinatorAssignment(Model):
    """Who coordinated a commission over which period; a reassignment closes one (R-5.1)."""

    __tablename__ = "coordinator_assignment"
    __table_args__ = (
        sa.CheckConstraint(
            "ended_on IS NULL OR ended_on >= assigned_on", name="ck_coordinator_assignment_dates"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_member.id"), index=True)
    assigned_on: Mapped[dt.date] = mapped_column(sa.Date)
    ended_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    reason: Mapped[Optional[str]] = mapped_column(sa.Text)

    commission: Mapped[Commission] = relationship()
    staff: Mapped[StaffMember] = relationship(lazy="selectin")

    def __repr__(self) -> str:
        return f"{self.staff} {self.assigned_on}"
