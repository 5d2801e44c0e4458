"""协调会议 and 联席会议 with their action items (Art.5, Art.10, R-7.1)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import MeetingKind
from app.labels import enum_column_type
from app.models.client import Project
from app.models.commission import Commission
from app.models.mixins import Timestamped
from app.models.organisation import Department, StaffMember

meeting_department = sa.Table(
    "meeting_department",
    Model.metadata,
    sa.Column("meeting_id", sa.ForeignKey("coordination_meeting.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("department_id", sa.ForeignKey("department.id"), primary_key=True),
)
meeting_attendee = sa.Table(
    "meeting_attendee",
    Model.metadata,
    sa.Column("meeting_id", sa.ForeignKey("coordination_meeting.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("staff_id", sa.ForeignKey("staff_member.id"), primary_key=True),
)
meeting_commission = sa.Table(
    "meeting_commission",
    Model.metadata,
    sa.Column("meeting_id", sa.ForeignKey("coordination_meeting.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("commission_id", sa.ForeignKey("commission.id"), primary_key=True, index=True),
)
meeting_project = sa.Table(
    "meeting_project",
    Model.metadata,
    sa.Column("meeting_id", sa.ForeignKey("coordination_meeting.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("project_id", sa.ForeignKey("project.id"), primary_key=True, index=True),
)


class CoordinationMeeting(Timestamped, Model):
    """A meeting: who came, what was discussed, what was decided."""

    __tablename__ = "coordination_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MeetingKind] = mapped_column(
        enum_column_type(MeetingKind, "meeting_kind"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    held_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    place: Mapped[str] = mapped_column(sa.String(100))
    convener_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_member.id"), index=True)
    issues: Mapped[str] = mapped_column(sa.Text)
    decisions: Mapped[Optional[str]] = mapped_column(sa.Text)

    convener: Mapped[StaffMember] = relationship(lazy="selectin")
    departments: Mapped[list[Department]] = relationship(secondary=meeting_department)
    attendees: Mapped[list[StaffMember]] = relationship(secondary=meeting_attendee)
    commissions: Mapped[list[Commission]] = relationship(secondary=meeting_commission)
    projects: Mapped[list[Project]] = relationship(secondary=meeting_project)
    action_items: Mapped[list["MeetingActionItem"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingActionItem.due_on"
    )

    def __repr__(self) -> str:
        return f"{self.held_on} {self.title}"


class MeetingActionItem(Timestamped, Model):
    """A decision's follow-up: owner, due date and whether it is done."""

    __tablename__ = "meeting_action_item"
    __table_args__ = (
        sa.CheckConstraint(
            "done = false OR done_on IS NOT NULL", name="ck_meeting_action_item_done_on"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("coordination_meeting.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(sa.Text)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_member.id"), index=True)
    due_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    done: Mapped[bool] = mapped_column(default=False, index=True)
    done_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)

    meeting: Mapped[CoordinationMeeting] = relationship(
        back_populates="action_items", lazy="selectin"
    )
    owner: Mapped[StaffMember] = relationship(lazy="selectin")

    def __repr__(self) -> str:
        return self.description[:30]
