"""Builders for the document tests: one commission with a record of every kind, and PDF helpers.

``case()`` drives a commission through the real domain functions to result delivery, with
a plan, a one-time notice over two items, a signed delivery receipt, a coordination
meeting and a revisit; ``complete=True`` completes it too.
"""
from __future__ import annotations

import datetime as dt
import decimal
import io
import itertools
from dataclasses import dataclass

from pypdf import PdfReader

from app.choices import (
    ContactMethod,
    DelegationScope,
    DeliveryMethod,
    FundSource,
    KeyProjectLevel,
    LandNature,
    MaterialProblem,
    MeetingKind,
    Rating,
    Stage,
    StaffRole,
    UnitNature,
)
from app.domain import approvals, closing, coordination, intake, planning
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.models import (
    Commission,
    CoordinationMeeting,
    Delivery,
    MaterialNotice,
    MaterialNoticeLine,
    MeetingActionItem,
    Revisit,
)
from app.states import PreReviewOutcome
from tests import factories as f

D = dt.date.fromisoformat
CAL = WorkCalendar()
_codes = itertools.count(1)


@dataclass
class Case:
    """Ids of the records ``case()`` made (the session may be gone when a test uses them)."""

    commission: int
    plan: int
    notice: int
    delivery: int
    meeting: int
    revisit: int
    coordinator: int


def project(name: str = "江城滨海智造产业园一期"):
    unit = f.unit(name=f"阳江市{name}建设有限公司", leader_title="总经理",
                  handler_title="报建专员", email="baojian@example.cn")
    unit.nature = UnitNature.institution
    return f.project(
        owner=unit, name=name, project_code=f"2025-441702-70-03-{next(_codes):06d}",
        total_investment=decimal.Decimal("12000.50"), fund_source=FundSource.hmt,
        floor_area=decimal.Decimal("45000.00"), land_nature=LandNature.collective,
        key_level=KeyProjectLevel.town, brief="新建厂房及配套设施，总建筑面积约4.5万平方米。",
        progress="已完成项目备案，正在开展方案设计。")


def opened(name: str = "江城滨海智造产业园一期", coordinator=None) -> Commission:
    """A commission at work (in progress), two delegated items of two departments."""
    items = [f.approval_item(Stage.s1, 5, name=f"用地预审与选址意见书{name}",
                             dept=f.department(f"市自然资源局{name}")),
             f.approval_item(Stage.s2, 10, name=f"建设工程规划许可证{name}",
                             dept=f.department(f"区住房和城乡建设局{name}"))]
    review = f.pre_review(project(name))
    intake.decide_pre_review(review, PreReviewOutcome.eligible)
    commission = intake.open_commission(db.session, review, scope=DelegationScope.partial,
                                        items=items, intention="全程代办，尽快取得规划许可")
    intake.accept(db.session, commission, applied_on=D("2025-09-30"))
    coordinator = coordinator or f.staff(StaffRole.coordinator, name="张协办",
                                         phone="13600136000")
    coordination.assign(db.session, commission, coordinator, assigned_on=D("2025-09-30"),
                        cal=CAL)
    coordination.record_contact(db.session, commission, method=ContactMethod.phone,
                                contacted_on=D("2025-10-09"))
    plan = planning.draft_plan(db.session, commission, start=D("2025-10-10"),
                               drafted_on=D("2025-10-09"), cal=CAL, note="按承诺时限编排")
    planning.confirm_plan(db.session, commission, plan, confirmed_by="陈经办",
                          confirmed_on=D("2025-10-10"))
    db.session.flush()
    return commission


def case(complete: bool = False) -> Case:
    """The full case, committed; see the module docstring."""
    commission = opened()
    first, second = commission.items
    notice = MaterialNotice(commission=commission, issued_on=D("2025-10-11"),
                            issued_by=commission.coordinator, note="请于5个工作日内补齐。")
    notice.lines = [
        MaterialNoticeLine(commission_item=first, material_name="建设项目用地预审申请表",
                           problem=MaterialProblem.missing),
        MaterialNoticeLine(commission_item=first, material_name="勘测定界图",
                           problem=MaterialProblem.insufficient, note="须加盖测绘单位公章"),
        MaterialNoticeLine(commission_item=second, material_name="建设工程设计方案总平面图",
                           problem=MaterialProblem.missing),
    ]
    db.session.add(notice)
    for item in commission.items:
        approvals.submit(db.session, item, on=D("2025-10-13"))
        approvals.accept(db.session, item, on=D("2025-10-14"), cal=CAL)
        approvals.approve(db.session, item, on=D("2025-10-20"),
                          result_document=f"许可证{item.id:03d}号")
    closing.start_delivery(db.session, commission)
    delivery = Delivery(commission=commission, method=DeliveryMethod.post, carrier="中国邮政EMS",
                        tracking_no="1178402791248", delivered_on=D("2025-10-21"),
                        documents="规划许可证正本1份", receipt_signed_on=D("2025-10-22"),
                        signer="陈经办")
    db.session.add(delivery)
    owner = f.staff(StaffRole.coordinator, name="李协办", phone="13500135000")
    meeting = CoordinationMeeting(
        kind=MeetingKind.coordination, title="滨海智造产业园审批协调会", held_on=D("2025-10-15"),
        place="区政务服务中心三楼会议室", convener=commission.coordinator,
        issues="规划许可证办理进度滞后。", decisions="区住建局三个工作日内出具意见。",
        departments=[first.department, second.department], attendees=[owner],
        commissions=[commission])
    meeting.action_items = [MeetingActionItem(description="出具规划条件书面意见", owner=owner,
                                              due_on=D("2025-10-20"))]
    revisit = Revisit(commission=commission, visited_on=D("2025-10-28"),
                      method=ContactMethod.phone, visitor=owner, person_reached="陈经办",
                      rating=Rating.basically_satisfied, opinions="希望进一步压缩审批时间。",
                      follow_up="已反馈审批部门。")
    db.session.add_all([meeting, revisit])
    if complete:
        closing.complete(db.session, commission, completed_on=D("2025-10-23"))
    db.session.commit()
    return Case(commission.id, planning.latest_plan(db.session, commission).id, notice.id,
                delivery.id, meeting.id, revisit.id, commission.coordinator_id)


# ---- PDFs ----------------------------------------------------------------------------
def pdf_text(data: bytes) -> str:
    """The text of every page, whitespace removed (line breaks fall anywhere in Chinese)."""
    reader = PdfReader(io.BytesIO(data))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def assert_in_order(text: str, parts: list[str]) -> None:
    """Every part appears in ``text``, each after the previous one."""
    position = 0
    for part in parts:
        wanted = "".join(str(part).split())
        found = text.find(wanted, position)
        assert found >= 0, (f"{wanted!r} not found after …{text[max(0, position - 40):position]}"
                            f"｜{text[position:position + 80]}…")
        position = found + len(wanted)


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of every page."""
    return [(float(p.mediabox.width), float(p.mediabox.height))
            for p in PdfReader(io.BytesIO(data)).pages]


def font_files(data: bytes) -> set[str]:
    """The kinds of embedded font program found (/FontFile, /FontFile2, /FontFile3)."""
    found: set[str] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            descriptors = [font.get("/FontDescriptor")]
            descriptors += [d.get_object().get("/FontDescriptor")
                            for d in font.get("/DescendantFonts") or []]
            for descriptor in descriptors:
                if descriptor is None:
                    continue
                found |= {key for key in descriptor.get_object()
                          if key.startswith("/FontFile")}
    return found


def base_fonts(data: bytes) -> set[str]:
    """The /BaseFont names of every font used."""
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        names |= {str(ref.get_object().get("/BaseFont")) for ref in fonts.values()}
    return names
