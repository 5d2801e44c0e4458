"""Reference data: the district's towns/streets and the approval-item catalogue (R-1.3, R-6.6)."""
from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import InvestmentKind, Stage
from app.labels import enum_column_type
from app.models.mixins import Timestamped
from app.models.organisation import Department


class Town(Model):
    """A town (镇) or street (街道) of Jiangcheng District, code 441702xxx (R-1.3)."""

    __tablename__ = "town"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(9), unique=True)
    name: Mapped[str] = mapped_column(sa.String(30), unique=True)
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return self.name


#: 前置事项: an item (item_id) is planned after its prerequisites are decided (R-5.5).
approval_item_prerequisite = sa.Table(
    "approval_item_prerequisite",
    Model.metadata,
    sa.Column("item_id", sa.ForeignKey("approval_item.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("prerequisite_id", sa.ForeignKey("approval_item.id", ondelete="CASCADE"),
              primary_key=True, index=True),
    sa.CheckConstraint("item_id <> prerequisite_id", name="ck_approval_item_prerequisite_self"),
)


class ApprovalItem(Timestamped, Model):
    """审批事项 in the catalogue: stage, department and time limits in working days."""

    __tablename__ = "approval_item"
    __table_args__ = (
        sa.CheckConstraint("promised_days >= 0", name="ck_approval_item_promised_days"),
        sa.CheckConstraint(
            "legal_days IS NULL OR legal_days >= 0", name="ck_approval_item_legal_days"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The catalogue's item code (事项编码), the natural key of a catalogue import.
    code: Mapped[Optional[str]] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    stage: Mapped[Stage] = mapped_column(enum_column_type(Stage, "stage"), index=True)
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("department.id"), index=True)
    promised_days: Mapped[int] = mapped_column()
    legal_days: Mapped[Optional[int]] = mapped_column()
    limit_is_default: Mapped[bool] = mapped_column(default=True)
    is_intermediary: Mapped[bool] = mapped_column(default=False, index=True)
    description: Mapped[Optional[str]] = mapped_column(sa.Text)
    active: Mapped[bool] = mapped_column(default=True, index=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    # Items sharing a group are alternatives that exclude each other (备案/核准; 环评报告书/
    # 报告表/登记表): a commission holds at most one of them.
    alternative_group: Mapped[Optional[str]] = mapped_column(sa.String(40))
    # The one investment kind the item applies to (政府投资项目建议书 only to government
    # investment, 企业投资项目备案 only to social investment); None: every project.
    investment_kind: Mapped[Optional[InvestmentKind]] = mapped_column(
        enum_column_type(InvestmentKind, "approval_item_investment_kind")
    )
    # The statutory fees (规费) the item's department may ask the unit to pay, one per line
    # (防空地下室易地建设费, ...): a fee notice names one of these and nothing else; the
    # assistance itself is free (无偿协办, R-3.1). Empty: the item carries no fee.
    statutory_fees: Mapped[Optional[str]] = mapped_column(sa.Text)

    department: Mapped[Department] = relationship(lazy="selectin")
    # The items that must be decided before this one is submitted, e.g. 施工图联合审查
    # before 建筑工程施工许可证核发; within or across stages.
    prerequisites: Mapped[list["ApprovalItem"]] = relationship(
        secondary=approval_item_prerequisite,
        primaryjoin=lambda: ApprovalItem.id == approval_item_prerequisite.c.item_id,
        secondaryjoin=lambda: ApprovalItem.id == approval_item_prerequisite.c.prerequisite_id,
        order_by=lambda: ApprovalItem.sort_order, lazy="selectin",
    )
    materials: Mapped[list["ItemMaterial"]] = relationship(
        back_populates="approval_item", order_by="ItemMaterial.sort_order",
        cascade="all, delete-orphan",
    )

    @property
    def fee_types(self) -> list[str]:
        """The item's statutory fees (R-3.1), in the catalogue's order."""
        return [line.strip() for line in (self.statutory_fees or "").splitlines()
                if line.strip()]

    def __repr__(self) -> str:
        return self.name


class ItemMaterial(Model):
    """One entry of an approval item's material checklist (申报材料清单), R-6.5."""

    __tablename__ = "item_material"
    __table_args__ = (
        sa.UniqueConstraint("approval_item_id", "name", name="uq_item_material_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    approval_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("approval_item.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    required: Mapped[bool] = mapped_column(default=True)
    copies: Mapped[Optional[str]] = mapped_column(sa.String(50))
    sort_order: Mapped[int] = mapped_column(default=0)

    approval_item: Mapped[ApprovalItem] = relationship(
        back_populates="materials", lazy="selectin"
    )

    def __repr__(self) -> str:
        return self.name
