"""The policy's three attached forms: what each prints, gathered from the records (R-15.1).

The words of the forms (option names, the sentences of the completion and termination
forms) are the policy's own Chinese text, printed as they stand whatever the UI language:
they live in the templates and here, not in the translation catalogue. Options print as
○ (not chosen) / ● (chosen): the embedded font has no ☐.
"""
from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from typing import Any, Iterable

from app.choices import FundSource, KeyProjectLevel, LandNature, TerminationReason, UnitNature
from app.documents.qr import lookup_qr
from app.models import Commission, Project, Unit

CHOSEN, NOT_CHOSEN = "●", "○"

#: the options of attached form 1 in the form's order, with the form's own words
UNIT_NATURE_OPTIONS = (
    (UnitNature.enterprise, "企业"), (UnitNature.government, "政府"),
    (UnitNature.institution, "事业"), (UnitNature.association, "社团"),
    (UnitNature.other, "其它"),
)
FUND_SOURCE_OPTIONS = (
    (FundSource.government, "政府"), (FundSource.private, "民资"), (FundSource.hmt, "港澳台"),
    (FundSource.foreign, "外资"), (FundSource.other, "其它"),
)
LAND_NATURE_OPTIONS = (
    (LandNature.allocated, "划拨"), (LandNature.transferred, "出让"),
    (LandNature.collective, "集体"), (LandNature.own, "自由"), (LandNature.other, "其它"),
)
KEY_LEVEL_OPTIONS = (
    (KeyProjectLevel.provincial, "省级"), (KeyProjectLevel.municipal, "市级"),
    (KeyProjectLevel.district, "区级"), (KeyProjectLevel.town, "镇（街）"),
    (KeyProjectLevel.other, "其他"),
)

#: Art.9's own words for each termination reason (the form's "现因……")
TERMINATION_WORDS = {
    TerminationReason.force_majeure: "不可抗力致使项目不能继续审批",
    TerminationReason.false_declaration: "建设单位虚假申报不能继续审批",
    TerminationReason.missing_prerequisites: "建设单位前置要件（材料）不全不能继续审批",
    TerminationReason.violation: "建设单位违法违规操作不能继续审批",
    TerminationReason.unit_request: "建设单位要求终止协办委托",
    TerminationReason.not_permitted: "法律法规不允许审批",
    TerminationReason.other: "其他原因",
}


@dataclass(frozen=True)
class Option:
    """One printed option: its mark (○/●) and the form's word."""

    mark: str
    word: str

    @property
    def printed(self) -> str:
        """The mark and the word, as the form prints them (templates join them)."""
        return f"{self.mark}{self.word}"


def options(choices: Iterable[tuple[Any, str]], chosen: Any) -> list[Option]:
    """The options of one field with ``chosen`` marked ● (None marks nothing: a blank form)."""
    return [Option(CHOSEN if value == chosen else NOT_CHOSEN, word) for value, word in choices]


@dataclass(frozen=True)
class DateParts:
    """A date as the forms print it: "2025 年 10 月 23 日", blank when unknown."""

    year: str = ""
    month: str = ""
    day: str = ""

    @classmethod
    def of(cls, day: dt.date | None) -> "DateParts":
        if day is None:
            return cls()
        return cls(str(day.year), str(day.month), str(day.day))


def cn_date(day: dt.date | None) -> str:
    """2025年10月23日 (empty for None), for the working papers' date cells."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def amount(value: decimal.Decimal | None) -> str:
    """A decimal as written by hand: 1200, 1200.5 (no trailing zeros, no exponent)."""
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def text(value: Any) -> str:
    """A value as printed: '' for None, the label for an enum."""
    return "" if value is None else str(value)


def delegated_items(commission: Commission) -> str:
    """具体委托事项: as written on the application, else the delegated items' names."""
    if commission.delegated_items_text:
        return commission.delegated_items_text
    names: list[str] = []
    for item in commission.items:
        name = str(item.approval_item)
        if name not in names:
            names.append(name)
    return "、".join(names)


def intention(commission: Commission) -> str:
    """委托协办意向: the scope (全部/部分委托) and what the unit wrote."""
    parts = [text(commission.scope), commission.intention or ""]
    return "；".join(p for p in parts if p)


def application_form(commission: Commission | None) -> dict[str, Any]:
    """Attached form 1 (委托协办申请表); ``None`` gives the blank form for walk-in units."""
    project: Project | None = commission.project if commission is not None else None
    unit: Unit | None = project.unit if project is not None else None
    return {
        "application_no": (commission.application_no or "") if commission else "",
        "unit": unit,
        "project": project,
        "unit_nature": options(UNIT_NATURE_OPTIONS, unit.nature if unit else None),
        "fund_source": options(FUND_SOURCE_OPTIONS, project.fund_source if project else None),
        "land_nature": options(LAND_NATURE_OPTIONS, project.land_nature if project else None),
        "key_level": options(KEY_LEVEL_OPTIONS, project.key_level if project else None),
        "investment": amount(project.total_investment) if project else "",
        "floor_area": amount(project.floor_area) if project else "",
        "intention": intention(commission) if commission else "",
        "delegated_items": delegated_items(commission) if commission else "",
        # the unit's look-up page, number filled in (none on the blank form)
        "qr": lookup_qr(commission.application_no) if commission else None,
    }


def completion_form(commission: Commission) -> dict[str, Any]:
    """Attached form 2 (协办办结单): completed on ``completed_on``, both stamps that day."""
    done = DateParts.of(commission.completed_on)
    return {"project_name": commission.project.name,
            "application_no": commission.application_no or "",
            "done": done, "unit_stamp": done, "window_stamp": done,
            "qr": lookup_qr(commission.application_no)}


def termination_reason(reason: TerminationReason, reason_text: str | None) -> str:
    """现因……: Art.9's words for the reason, with the clerk's text."""
    if reason == TerminationReason.other and reason_text:
        return reason_text
    words = TERMINATION_WORDS[reason]
    return f"{words}（{reason_text}）" if reason_text else words


def termination_form(commission: Commission) -> dict[str, Any]:
    """Attached form 3 (协办委托终止单), R-10.6.

    Before the termination takes effect the form is a copy awaiting the unit's
    confirmation: it says so and does not claim an agreement or a handover. Once it has
    taken effect (confirmed by the unit, or deemed confirmed 10 working days after the
    announcement) it states that day, how it was confirmed, the announcement if there was
    one, and whether the materials are back with the unit yet; the window stamps on that
    day and the unit's stamp carries the day it confirmed.
    """
    termination = commission.termination
    announcement = termination.announcement
    effective = termination.effective_on
    deemed = effective is not None and termination.unit_confirmed_on is None
    return {"project_name": commission.project.name,
            "application_no": commission.application_no or "",
            "reason": termination_reason(termination.reason, termination.reason_text),
            "final": effective is not None, "deemed": deemed,
            "on": DateParts.of(effective), "issued": DateParts.of(termination.issued_on),
            "handed_over": termination.handed_over_on is not None,
            "handover_due": cn_date(termination.handover_due_on),
            "announced_on": cn_date(announcement.published_on) if announcement else "",
            "announcement_url": announcement.url if announcement else "",
            "window_stamp": DateParts.of(effective or termination.issued_on),
            "unit_stamp": DateParts.of(termination.unit_confirmed_on)}
