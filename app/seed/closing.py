"""Plan the end of the cases: statutory fees, results, deliveries, completion, terminations
(R-8, R-9, R-10).

Fee notices, results received at the window and deliveries are added (and paid, signed)
on their screens' days; 结果送达, 办结, 终止, 公告, the unit's confirmation and the
materials' return are lifecycle steps, planned on their days and run by the replay
(app/seed/replay.py). A termination announced and not confirmed takes effect by the
replay's daily sweep, 10 working days after the announcement (R-10.4).
"""
from __future__ import annotations

import datetime as dt
import decimal

from app.choices import DeliveryMethod
from app.domain.fees import check_fee
from app.domain.planning import current_items
from app.domain.policy import HANDOVER_WORKING_DAYS
from app.models import Delivery, FeeNotice, ResultReceipt
from app.seed.context import Built, DemoContext
from app.seed.replay import Replay
from app.seed.timeline import Attempt, visible
from app.states import CommissionState as CS
from app.states import ItemState

# Statutory fees (规费) only: the assistance itself is free. Amounts in 元.
FEES = {
    "防空地下室审批": ("防空地下室易地建设费", lambda area, rng: area * decimal.Decimal(12)),
    "水土保持方案审批": ("水土保持补偿费", lambda area, rng: area * decimal.Decimal("0.84")),
    "占用、挖掘城市道路许可": ("城市道路挖掘修复费",
                         lambda area, rng: decimal.Decimal(rng.randrange(30000, 150000, 500))),
}
ANNOUNCEMENT_URL = "https://www.jiangcheng.gov.cn/zwgk/tzgg/content/post_{serial}.html"


def plan_closing(ctx: DemoContext, built: Built) -> None:
    """Fee notices of approved items; results, delivery and completion, or the termination."""
    case = built.case
    _plan_fee_notices(ctx, built)
    if case.reached(CS.delivering):
        _plan_receipts(ctx, built)
        built.step(ctx.replay, case.entered[CS.delivering], "commission", "start_delivery")
        _plan_delivery(ctx, built)
    if case.termination is not None:
        _plan_termination(ctx, built)


def _approved(built: Built) -> list[Attempt]:
    case = built.case
    if case.execution is None:
        return []
    return [a for a in visible(case.execution, case.cut)
            if a.outcome == ItemState.approved and a.decide <= case.cut]


def _plan_fee_notices(ctx: DemoContext, built: Built) -> None:
    """缴费通知书 issued with the approval, for a fee the catalogue lists (R-3.1, R-8.1);
    paid a few days later, unless still due."""
    area = built.case.project.floor_area or decimal.Decimal(5000)
    for attempt in _approved(built):
        fee = FEES.get(attempt.item.name)
        if fee is None:
            continue
        name, amount = fee
        issued = ctx.on(built, attempt.decide)
        paid = ctx.cal.add(issued, ctx.rng.randint(2, 6))
        if not built.case.open:   # a closed commission has settled its fees
            paid = min(paid, built.now)
        notice: list[FeeNotice] = []
        built.plan(ctx.replay, issued, "fee notice",
                   _fee_notice(built, attempt, notice, name, issued,
                               amount(area, ctx.rng).quantize(decimal.Decimal("0.01"))))
        if paid <= built.now:
            built.plan(ctx.replay, paid, "fee paid", _paid(notice, paid))


def _fee_notice(built: Built, attempt: Attempt, notice: list[FeeNotice], name: str,
                issued: dt.date, amount: decimal.Decimal):
    def action(replay: Replay) -> None:
        row = built.row(attempt)
        department = row.approval_item.department
        check_fee(built.commission, row, department, name)   # as the screen checks it
        notice.append(FeeNotice(commission=built.commission, commission_item=row,
                                department=department, fee_name=name, amount=amount,
                                issued_on=issued))
        replay.session.add(notice[0])
    return action


def _paid(notice: list[FeeNotice], day: dt.date):
    def action(replay: Replay) -> None:
        notice[0].paid_on = day
    return action


def _latest(built: Built) -> list[Attempt]:
    """The latest attempt of each item (a refused one re-applied is replaced)."""
    attempts = visible(built.case.execution, built.case.cut)
    replaced = {id(a.previous) for a in attempts if a.previous is not None}
    return [a for a in attempts if id(a) not in replaced]


def _plan_receipts(ctx: DemoContext, built: Built) -> None:
    """Paper results each department delivered to the window (R-8.2)."""
    arrived_by = built.case.entered[CS.delivering]
    by_department: dict[int, list[Attempt]] = {}
    for attempt in _latest(built):
        by_department.setdefault(attempt.item.department_id, []).append(attempt)
    for attempts in by_department.values():
        received = min(ctx.cal.add(ctx.on(built, max(a.decide for a in attempts)), 1),
                       arrived_by)
        built.plan(ctx.replay, received, "result receipt", _receipt(built, attempts, received))


def _receipt(built: Built, attempts: list[Attempt], day: dt.date):
    def action(replay: Replay) -> None:
        rows = [built.row(a) for a in attempts]
        replay.session.add(ResultReceipt(
            commission=built.commission, department=rows[0].approval_item.department,
            received_on=day, documents="；".join(row.result_document for row in rows)))
    return action


def _plan_delivery(ctx: DemoContext, built: Built) -> None:
    """上门领取 or 邮寄送达 with the signed 送达回执 (R-8.4); one parcel still on its way;
    办结 once the receipt is signed (R-9.1)."""
    case, replay = built.case, ctx.replay
    start = case.entered[CS.delivering]
    if case.target == CS.delivering:
        sent = ctx.cal.add(start, 1)
        if sent <= ctx.anchor and ctx.rng.random() >= 0.5:
            built.plan(replay, sent, "delivery posted",
                       _delivery(ctx, built, sent, [], post=True))
        return
    done = case.entered[CS.completed]
    made: list[Delivery] = []
    if ctx.rng.random() < 0.35:
        sent, signed = ctx.cal.add(start, 1), ctx.cal.add(start, 3)
        built.plan(replay, sent, "delivery posted", _delivery(ctx, built, sent, made, post=True))
    else:
        signed = ctx.cal.add(done, -ctx.rng.randint(0, 1)) if done > start else done
        built.plan(replay, signed, "delivery collected",
                   _delivery(ctx, built, signed, made, post=False))
    built.plan(replay, signed, "delivery receipt signed", _signed(built, made, signed))
    built.step(replay, done, "commission", "complete", on=done)


def _delivery(ctx: DemoContext, built: Built, day: dt.date, made: list[Delivery], *,
              post: bool):
    """A delivery as its screen records it (kept in ``made`` for the signature)."""
    tracking = f"1178{ctx.rng.randrange(10 ** 8, 10 ** 9)}" if post else None

    def action(replay: Replay) -> None:
        count = len(current_items(built.commission))
        made.append(Delivery(
            commission=built.commission,
            method=DeliveryMethod.post if post else DeliveryMethod.visit,
            carrier="中国邮政EMS" if post else None, tracking_no=tracking, delivered_on=day,
            documents=f"审批结果物共{count}件（证照及批复文件），详见结果送达清单。"))
        replay.session.add(made[0])

    return action


def _signed(built: Built, made: list[Delivery], day: dt.date):
    """The 送达回执 signed (entered on the delivery's screen)."""
    def action(replay: Replay) -> None:
        row = made[0]
        row.receipt_signed_on = day
        row.signer = built.case.project.unit.handler_name
    return action


def _plan_termination(ctx: DemoContext, built: Built) -> None:
    """《协办委托终止单》 issued, the unit's confirmation or the announcement (the sweep
    applies it 10 working days later), the materials handed back (R-10)."""
    plan, entered, replay = built.case.termination, built.case.entered, ctx.replay
    issued = entered[CS.terminating]
    built.step(replay, issued, "commission", "terminate", reason=plan.reason.value,
               reason_text=plan.text, issued_on=issued)
    if CS.announced in entered:
        published = entered[CS.announced]
        url = ANNOUNCEMENT_URL.format(serial=2800000 + ctx.serial("announcement") * 137)
        built.step(replay, published, "commission", "announce", published_on=published, url=url)
    effective = entered.get(CS.terminated)
    if effective is None:
        return
    if CS.announced not in entered:
        built.step(replay, effective, "commission", "confirm_termination", on=effective)
    handed = ctx.cal.add(effective, ctx.rng.randint(0, HANDOVER_WORKING_DAYS))
    if handed <= ctx.anchor:
        built.step(replay, handed, "commission", "handover", on=handed)
