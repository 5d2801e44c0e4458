"""Write the end of the cases: statutory fees, results, deliveries, terminations (R-8, R-10)."""
from __future__ import annotations

import decimal

from app.choices import DeliveryMethod
from app.domain.deadlines import announcement_effective_on, confirmation_due_on, handover_due_on
from app.domain.policy import HANDOVER_WORKING_DAYS
from app.models import Announcement, Delivery, FeeNotice, ResultReceipt, Termination
from app.seed.context import Built, DemoContext
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


def write_closing(ctx: DemoContext) -> None:
    """Fee notices of approved items; results, deliveries and terminations by state."""
    for built in ctx.built:
        _fee_notices(ctx, built)
        if built.case.reached(CS.delivering):
            _result_receipts(ctx, built)
            _delivery(ctx, built)
        if built.case.termination is not None:
            _termination(ctx, built)


def _fee_notices(ctx: DemoContext, built: Built) -> None:
    """缴费通知书 issued with the approval; paid a few days later unless still due (R-8.1)."""
    area = built.case.project.floor_area or decimal.Decimal(5000)
    for _, row in built.worked():
        fee = FEES.get(row.approval_item.name)
        if fee is None or row.state != ItemState.approved:
            continue
        name, amount = fee
        paid = ctx.cal.add(row.decided_on, ctx.rng.randint(2, 6))
        if not built.case.open:   # a closed commission has settled its fees
            paid = min(paid, built.now)
        ctx.session.add(FeeNotice(
            commission=built.commission, commission_item=row,
            department=row.approval_item.department, fee_name=name,
            amount=amount(area, ctx.rng).quantize(decimal.Decimal("0.01")),
            issued_on=row.decided_on, paid_on=paid if paid <= built.now else None,
        ))


def _current_rows(built: Built):
    replaced = {id(row.previous_attempt) for _, row in built.items if row.previous_attempt}
    return [row for _, row in built.items if id(row) not in replaced]


def _result_receipts(ctx: DemoContext, built: Built) -> None:
    """Paper results each department delivered to the window (R-8.2)."""
    arrived_by = built.case.entered[CS.delivering]
    by_department: dict[str, list] = {}
    for row in _current_rows(built):
        by_department.setdefault(row.approval_item.department.name, []).append(row)
    for rows in by_department.values():
        last = max(row.decided_on for row in rows)
        ctx.session.add(ResultReceipt(
            commission=built.commission, department=rows[0].approval_item.department,
            received_on=min(ctx.cal.add(last, 1), arrived_by),
            documents="；".join(row.result_document for row in rows),
        ))


def _delivery(ctx: DemoContext, built: Built) -> None:
    """上门领取 or 邮寄送达 with the signed 送达回执 (R-8.4); one parcel still on its way."""
    case, unit = built.case, built.case.project.unit
    start = case.entered[CS.delivering]
    count = len(_current_rows(built))
    documents = f"审批结果物共{count}件（证照及批复文件），详见结果送达清单。"
    if case.target == CS.delivering:
        sent = ctx.cal.add(start, 1)
        if sent > ctx.anchor or ctx.rng.random() < 0.5:
            return
        ctx.session.add(_post(ctx, built, sent, None, documents))
        return
    done = case.entered[CS.completed]
    if ctx.rng.random() < 0.35:
        ctx.session.add(_post(ctx, built, ctx.cal.add(start, 1), ctx.cal.add(start, 3), documents))
        return
    day = ctx.cal.add(done, -ctx.rng.randint(0, 1)) if done > start else done
    ctx.session.add(Delivery(
        commission=built.commission, method=DeliveryMethod.visit, delivered_on=day,
        documents=documents, receipt_signed_on=day, signer=unit.handler_name,
    ))


def _post(ctx: DemoContext, built: Built, sent, signed, documents: str) -> Delivery:
    return Delivery(
        commission=built.commission, method=DeliveryMethod.post, carrier="中国邮政EMS",
        tracking_no=f"1178{ctx.rng.randrange(10 ** 8, 10 ** 9)}", delivered_on=sent,
        documents=documents, receipt_signed_on=signed,
        signer=built.case.project.unit.handler_name if signed else None,
    )


def _termination(ctx: DemoContext, built: Built) -> None:
    """《协办委托终止单》, the unit's confirmation or the announcement, the handover (R-10)."""
    plan, entered = built.case.termination, built.case.entered
    issued = entered[CS.terminating]
    termination = Termination(
        commission=built.commission, reason=plan.reason, reason_text=plan.text, issued_on=issued,
        unit_notified_on=issued,
        confirm_due_on=confirmation_due_on(issued, ctx.confirm_days, ctx.cal),
    )
    ctx.session.add(termination)
    if CS.announced in entered:
        published = entered[CS.announced]
        ctx.session.add(Announcement(
            termination=termination, published_on=published,
            url=ANNOUNCEMENT_URL.format(serial=2800000 + ctx.serial("announcement") * 137),
            effective_on=announcement_effective_on(published, ctx.cal),
        ))
    effective = entered.get(CS.terminated)
    if effective is None:
        return
    termination.effective_on = effective
    termination.handover_due_on = handover_due_on(effective, ctx.cal)
    if CS.announced not in entered:
        termination.unit_confirmed_on = effective
    handed = ctx.cal.add(effective, ctx.rng.randint(0, HANDOVER_WORKING_DAYS))
    termination.handed_over_on = handed if handed <= ctx.anchor else None
