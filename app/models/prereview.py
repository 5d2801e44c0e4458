"""咨询预审: every enquiry at the window and its eligibility outcome (Art.6, R-1.2)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.labels import enum_column_type
from app.models.client import Project
from app.models.mixins import Timestamped
from app.models.organisation import StaffMember
from app.states import PreReviewOutcome


class PreReview(Timestamped, Model):
    """An enquiry: who received it (首问负责人), which project, and the outcome."""

    __tablename__ = "pre_review"
    __table_args__ = (
        sa.CheckConstraint(
            "outcome <> 'ineligible' OR (ineligible_reason IS NOT NULL "
            "AND other_channel IS NOT NULL)",
            name="ck_pre_review_ineligible_reason",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    received_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    receiver_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_member.id"), index=True)
    project_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("project.id"), index=True)
    enquirer_name: Mapped[str] = mapped_column(sa.String(50))
    enquirer_phone: Mapped[str] = mapped_column(sa.String(30))
    enquiry: Mapped[str] = mapped_column(sa.Text)
    outcome: Mapped[PreReviewOutcome] = mapped_column(
        enum_column_type(PreReviewOutcome, "pre_review_outcome"),
        default=PreReviewOutcome.pending,
        index=True,
    )
    ineligible_reason: Mapped[Optional[str]] = mapped_column(sa.Text)
    other_channel: Mapped[Optional[str]] = mapped_column(sa.Text)

    receiver: Mapped[StaffMember] = relationship(lazy="selectin")
    project: Mapped[Optional[Project]] = relationship(lazy="selectin")

    def __repr__(self) -> str:
        return f"{self.received_on} {self.enquirer_name}"
