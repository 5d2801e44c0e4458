"""申报材料: files uploaded to a commission or one of its items (R-14.3, Art.5).

The file itself lives outside the static folder under a random name (app/storage.py);
the row keeps the original name for downloads, the checked type, the size and a SHA-256.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import Confidentiality
from app.labels import enum_column_type
from app.models.commission import Commission
from app.models.items import CommissionItem
from app.models.mixins import UTCDateTime, utcnow


class Material(Model):
    """One uploaded file; confidential ones open only to those who handle the case."""

    __tablename__ = "material"
    __table_args__ = (sa.CheckConstraint("size > 0", name="ck_material_size"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # No ON DELETE: a commission with materials is kept (协办资料的保管和移交, Art.5).
    commission_id: Mapped[int] = mapped_column(sa.ForeignKey("commission.id"), index=True)
    commission_item_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("commission_item.id"), index=True
    )
    title: Mapped[Optional[str]] = mapped_column(sa.String(200))
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    content_type: Mapped[str] = mapped_column(sa.String(120))
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    confidentiality: Mapped[Confidentiality] = mapped_column(
        enum_column_type(Confidentiality, "confidentiality"), default=Confidentiality.none
    )
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("ab_user.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, index=True
    )

    commission: Mapped[Commission] = relationship()
    commission_item: Mapped[Optional[CommissionItem]] = relationship(lazy="selectin")
    uploaded_by = relationship("User", lazy="selectin")

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality not in (None, Confidentiality.none)

    def __repr__(self) -> str:
        return self.title or self.original_name
