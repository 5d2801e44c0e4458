"""What a commission may delegate (Art.2, R-1.4, R-1.5): the catalogue's scope rules.

A full delegation (全部委托) is every item the project still needs, chosen with the clerk; it
is never the whole catalogue. The default choice is the applicable catalogue items of the
project's remaining stages (its current stage onward, utility connections always): not
intermediary services, not items of another investment kind, and of each group of
alternatives only the first in catalogue order. Whatever is chosen, a selection holding two
alternatives of one group (备案 and 核准; 环评报告书 and 报告表), an item of the other
investment kind or an intermediary service is refused, with the items named.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.choices import InvestmentKind, Stage
from app.domain.errors import DomainError
from app.models.client import Project
from app.models.reference import ApprovalItem

SEQUENTIAL = (Stage.s1, Stage.s2, Stage.s3, Stage.s4)
#: the investment kinds as the refusals name them (refusals are written in Chinese)
KIND_TEXT = {InvestmentKind.government: "政府投资", InvestmentKind.social: "社会投资"}


def delegable_items(session: Session) -> list[ApprovalItem]:
    """Active catalogue items that may be delegated (intermediary services may not, R-1.4)."""
    return list(session.scalars(
        sa.select(ApprovalItem)
        .where(ApprovalItem.active.is_(True), ApprovalItem.is_intermediary.is_(False))
        .order_by(ApprovalItem.stage, ApprovalItem.sort_order, ApprovalItem.id)
    ))


def remaining_stages(project: Project) -> set[Stage]:
    """The stages a project still has ahead: its current one onward, and parallel work."""
    current = project.current_stage or Stage.s1
    if current == Stage.parallel:
        return {Stage.parallel}
    return set(SEQUENTIAL[SEQUENTIAL.index(current):]) | {Stage.parallel}


def applies_to(item: ApprovalItem, project: Project) -> bool:
    """Whether the item's investment-kind restriction lets it apply to ``project``."""
    return item.investment_kind is None or item.investment_kind == project.investment_kind


def default_items(session: Session, project: Project) -> list[ApprovalItem]:
    """A full delegation's default choice for ``project`` (module docstring), in plan order."""
    stages = remaining_stages(project)
    chosen: list[ApprovalItem] = []
    groups: set[str] = set()
    for item in sorted(delegable_items(session), key=lambda i: (i.sort_order, i.id)):
        if item.stage not in stages or not applies_to(item, project):
            continue
        if item.alternative_group:
            if item.alternative_group in groups:
                continue
            groups.add(item.alternative_group)
        chosen.append(item)
    return chosen


def scope_problems(items: Iterable[ApprovalItem], project: Project | None) -> list[str]:
    """Why a selection of items cannot be delegated together for ``project`` ([] if none):
    two alternatives of one group, or an item of the other investment kind. (Intermediary
    services are refused by intake.check_delegable, R-1.4.)"""
    items = list(dict.fromkeys(items))
    problems: list[str] = []
    grouped: dict[str, list[str]] = defaultdict(list)
    for item in items:
        if item.alternative_group:
            grouped[item.alternative_group].append(item.name)
    for group, names in grouped.items():
        if len(names) > 1:
            problems.append(f"{'、'.join(names)}互相排斥（{group}），只能选择其一")
    if project is not None and project.investment_kind is not None:
        for kind in InvestmentKind:
            foreign = [i.name for i in items
                       if i.investment_kind == kind and not applies_to(i, project)]
            if foreign:
                problems.append(f"{'、'.join(foreign)}仅适用于{KIND_TEXT[kind]}项目，"
                                f"本项目为{KIND_TEXT[project.investment_kind]}项目")
    return problems


def check_scope(items: Sequence[ApprovalItem], project: Project | None) -> None:
    """Refuse a selection that breaks the catalogue's scope rules, naming the items."""
    problems = scope_problems(items, project)
    if problems:
        raise DomainError("；".join(problems) + "。")
