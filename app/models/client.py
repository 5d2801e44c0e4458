"""The client side: construction units (建设单位) and their projects (attached form 1, R-1, R-4)."""
from __future__ import annotations

import decimal
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import (
    ConstructionKind,
    FundSource,
    InvestmentKind,
    KeyProjectLevel,
    LandNature,
    Stage,
    UnitNature,
)
from app.labels import enum_column_type
from app.models.mixins import Timestamped, money
from app.models.reference import Town
from app.pinyin import PinyinNamed


class Unit(PinyinNamed, Timestamped, Model):
    """建设单位: the 项目单位信息 block of the application form; reused across projects."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    credit_code: Mapped[Optional[str]] = mapped_column(sa.String(18), unique=True)
    address: Mapped[str] = mapped_column(sa.String(200))
    nature: Mapped[UnitNature] = mapped_column(enum_column_type(UnitNature, "unit_nature"))
    leader_name: Mapped[str] = mapped_column(sa.String(50))
    leader_title: Mapped[Optional[str]] = mapped_column(sa.String(50))
    leader_phone: Mapped[str] = mapped_column(sa.String(30))
    handler_name: Mapped[str] = mapped_column(sa.String(50))
    handler_title: Mapped[Optional[str]] = mapped_column(sa.String(50))
    handler_phone: Mapped[str] = mapped_column(sa.String(30))
    email: Mapped[Optional[str]] = mapped_column(sa.String(120))

    projects: Mapped[list["Project"]] = relationship(back_populates="unit")

    def __repr__(self) -> str:
        return self.name


class Project(PinyinNamed, Timestamped, Model):
    """工程建设项目: the 项目基本信息 block of the form, plus scope facts (R-1.1, R-1.3, R-4.3)."""

    __tablename__ = "project"
    __table_args__ = (
        sa.CheckConstraint(
            "total_investment IS NULL OR total_investment >= 0",
            name="ck_project_total_investment",
        ),
        sa.CheckConstraint(
            "floor_area IS NULL OR floor_area >= 0", name="ck_project_floor_area"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    address: Mapped[str] = mapped_column(sa.String(200))
    town_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("town.id"), index=True)
    project_code: Mapped[Optional[str]] = mapped_column(sa.String(28), unique=True)
    total_investment: Mapped[Optional[decimal.Decimal]] = mapped_column(money())
    fund_source: Mapped[Optional[FundSource]] = mapped_column(
        enum_column_type(FundSource, "fund_source")
    )
    floor_area: Mapped[Optional[decimal.Decimal]] = mapped_column(money())
    land_nature: Mapped[Optional[LandNature]] = mapped_column(
        enum_column_type(LandNature, "land_nature")
    )
    key_level: Mapped[Optional[KeyProjectLevel]] = mapped_column(
        enum_column_type(KeyProjectLevel, "key_project_level")
    )
    brief: Mapped[Optional[str]] = mapped_column(sa.Text)
    progress: Mapped[Optional[str]] = mapped_column(sa.Text)
    construction_kind: Mapped[ConstructionKind] = mapped_column(
        enum_column_type(ConstructionKind, "construction_kind")
    )
    investment_kind: Mapped[InvestmentKind] = mapped_column(
        enum_column_type(InvestmentKind, "investment_kind"), index=True
    )
    is_special_project: Mapped[bool] = mapped_column(default=False)
    is_major_infrastructure: Mapped[bool] = mapped_column(default=False)
    # The approval stage the project has reached (None: not started, stage 1): a full
    # delegation's default items are those of this stage onward.
    current_stage: Mapped[Optional[Stage]] = mapped_column(
        enum_column_type(Stage, "project_current_stage")
    )

    unit: Mapped[Unit] = relationship(back_populates="projects", lazy="selectin")
    town: Mapped[Optional[Town]] = relationship(lazy="selectin")

    @property
    def is_excluded(self) -> bool:
        """Art.2 excludes 特殊工程 and major 交通/水利/能源 projects."""
        return bool(self.is_special_project or self.is_major_infrastructure)

    def __repr__(self) -> str:
        return self.name
