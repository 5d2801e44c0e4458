"""The Chinese message templates sent to construction units (R-11.1, R-8.3, R-10.2).

Bodies are Chinese whatever the UI locale: they go to the unit's phone or mailbox, not to a
screen. Each text is data (``TEXTS``) with ``str.format`` named fields; :func:`render` checks
every field is supplied, so a caller that forgets one fails when it queues the message (in
the request that caused it), not minutes later in the dispatcher.
"""
from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal
from typing import Any, Iterable, Mapping

from flask_babel import force_locale
from flask_babel import lazy_gettext as _

from app.domain.errors import DomainError
from app.labels import LabelledEnum

# The SMS signature the district's platform registers for the window; Chinese carriers
# require it in 【】, and putting it first is the usual form.
SIGNATURE = "【江城区工程建设项目协办专窗】"


class Template(LabelledEnum):
    """The kinds of message the window sends to a unit."""

    coordinator_assigned = ("coordinator_assigned", _("Coordinator assigned"))
    plan_awaiting_confirmation = ("plan_awaiting_confirmation", _("Plan awaiting confirmation"))
    payment_reminder = ("payment_reminder", _("Payment reminder"))
    results_ready = ("results_ready", _("Results ready for collection"))
    item_accepted = ("item_accepted", _("Item accepted by the department"))
    item_supplement = ("item_supplement", _("Item needs supplementary materials"))
    item_approved = ("item_approved", _("Item approved"))
    item_refused = ("item_refused", _("Item refused"))
    termination_notice = ("termination_notice", _("Termination notice"))
    announcement = ("announcement", _("Termination announcement"))
    lookup_code = ("lookup_code", _("Look-up code"))
    rating_invitation = ("rating_invitation", _("Invitation to rate the service"))
    unit_confirmed = ("unit_confirmed", _("Unit confirmed online (to the coordinator)"))
    contact_change_reported = ("contact_change_reported",
                               _("Contact change reported (to the coordinator)"))
    contact_change_decided = ("contact_change_decided", _("Contact change decided"))


#: the messages caused by what the unit does on its own pages (app/public, R-17) — a code
#: asked for, a confirmation online, a contact change reported and its decision — rather
#: than by the window's work on the case
UNIT_ONLINE = frozenset({Template.lookup_code, Template.unit_confirmed,
                         Template.contact_change_reported, Template.contact_change_decided})


TEXTS: dict[Template, str] = {
    # the unit learns who its coordinator is and that contact follows in 1 working day.
    Template.coordinator_assigned: (
        "您单位的委托协办申请（申请编号：{application_no}）已分派协办员{coordinator_name}"
        "（联系电话：{coordinator_phone}）为您服务，协办员将在1个工作日内与您联系。"
    ),
    # the personalised plan waits for the unit's confirmation.
    Template.plan_awaiting_confirmation: (
        "您单位“{project_name}”（申请编号：{application_no}）的审批进度计划已拟定，"
        "请尽快与协办员{coordinator_name}（联系电话：{coordinator_phone}）确认。"
    ),
    # Art.8, R-8.3: pay the statutory fees of the 缴费通知书.
    Template.payment_reminder: (
        "您单位“{project_name}”（申请编号：{application_no}）已完成联合审批，"
        "需缴纳以下费用：{fees}，合计{total}元。请按《缴费通知书》要求及时缴费。"
    ),
    # Art.8, R-8.4, R-8.5: sent once paper results are received at the window; names the
    # statutory fees still to pay (R-3.1: the service itself is free).
    Template.results_ready: (
        "您单位“{project_name}”（申请编号：{application_no}）的审批结果已送达协办专窗，"
        "{fees_due}请到{collection_place}领取并签收《送达回执》；如需邮寄送达，"
        "请联系协办员（联系电话：{coordinator_phone}）。"
    ),
    # Art.5, R-6.8: the unit hears of every item event (及时向建设单位反馈办理情况).
    Template.item_accepted: (
        "您单位“{project_name}”（申请编号：{application_no}）的“{item_name}”已于"
        "{accepted_on}由{department_name}受理，承诺时限{promised_days}个工作日。"
    ),
    Template.item_supplement: (
        "您单位“{project_name}”（申请编号：{application_no}）的“{item_name}”需补正材料，"
        "{department_name}一次性告知如下：{materials}。请补齐后交协办员，补正期间审批时限暂停计算。"
    ),
    Template.item_approved: (
        "您单位“{project_name}”（申请编号：{application_no}）的“{item_name}”已于"
        "{decided_on}由{department_name}准予许可。"
    ),
    Template.item_refused: (
        "您单位“{project_name}”（申请编号：{application_no}）的“{item_name}”经{department_name}"
        "审查不予许可，理由：{reason}。协办员将与您联系说明情况，并协助您按要求重新申办。"
    ),
    # Art.9, R-10.2: the termination form is issued; the unit confirms within N working days.
    Template.termination_notice: (
        "您单位的委托协办（申请编号：{application_no}）因{reason}，协办专窗已办理终止委托手续，"
        "出具《协办委托终止单》。请于{confirm_days}个工作日内到协办专窗签收确认并领回相关资料；"
        "逾期未签收确认的，将通过政务服务网发布公告。"
    ),
    # Art.9, R-10.4: the announcement; 10 working days after it the termination takes effect.
    Template.announcement: (
        "关于您单位委托协办（申请编号：{application_no}）终止委托的公告已于{announced_on}"
        "在政务服务网发布（{link}），自公告之日起满10个工作日即视为您单位确认终止委托手续。"
    ),
    # the one-time code of the unit's look-up, to the contact's registered mobile.
    Template.lookup_code: (
        "您正在查询委托协办（申请编号：{application_no}）的办理进度，验证码：{code}，"
        "{minutes}分钟内有效。如非本单位人员操作，请忽略本短信。"
    ),
    # after completion, the signed single-use link to the 好差评 form.
    Template.rating_invitation: (
        "您单位“{project_name}”（申请编号：{application_no}）的审批协办服务已办结，"
        "诚邀您对本次服务作出评价（好差评）：{link} 链接{days}天内有效，仅可使用一次。"
    ),
    # the coordinator hears of the unit's confirmation online.
    Template.unit_confirmed: (
        "建设单位{unit_name}的{role}{contact_name}已于{at}在线确认{what}（申请编号：{application_no}）。"
    ),
    # the coordinator is asked to accept or reject a reported contact change.
    Template.contact_change_reported: (
        "建设单位{unit_name}（申请编号：{application_no}）在线报告{role}变更为{new_name}，"
        "请在委托协办页面确认或退回。"
    ),
    Template.contact_change_decided: (
        "您单位报告的{role}变更（{new_name}，申请编号：{application_no}）{outcome}。"
    ),
}


# E-mail subjects (the body carries the signature already).
SUBJECTS: dict[Template, str] = {
    Template.coordinator_assigned: "委托协办：已分派协办员",
    Template.plan_awaiting_confirmation: "委托协办：审批进度计划待确认",
    Template.payment_reminder: "委托协办：缴费提醒",
    Template.results_ready: "委托协办：审批结果待领取",
    Template.item_accepted: "委托协办：审批事项已受理",
    Template.item_supplement: "委托协办：审批事项需补正材料",
    Template.item_approved: "委托协办：审批事项已准予许可",
    Template.item_refused: "委托协办：审批事项不予许可",
    Template.termination_notice: "委托协办：协办委托终止通知",
    Template.announcement: "委托协办：终止委托公告",
    Template.lookup_code: "委托协办：进度查询验证码",
    Template.rating_invitation: "委托协办：服务评价邀请",
    Template.unit_confirmed: "委托协办：建设单位在线确认",
    Template.contact_change_reported: "委托协办：建设单位报告联系人变更",
    Template.contact_change_decided: "委托协办：联系人变更结果",
}


class TemplateFieldError(DomainError):
    """A template was rendered without all of its fields (a caller's mistake)."""

    def __init__(self, template: Template, missing: Iterable[str]) -> None:
        self.template = template
        self.missing = sorted(missing)
        super().__init__(_(
            "The message template %(template)s needs the fields: %(fields)s",
            template=template.value, fields=", ".join(self.missing),
        ))


def fields(template: Template) -> frozenset[str]:
    """The names of the fields ``template`` needs."""
    return frozenset(
        name for _text, name, _spec, _conv in string.Formatter().parse(TEXTS[template]) if name
    )


def render(template: Template | str, context: Mapping[str, Any]) -> str:
    """The signed Chinese body of ``template`` with ``context`` filled in.

    Raises :class:`TemplateFieldError` when a field is missing or empty (an empty
    coordinator phone would send a useless message).
    """
    template = Template(template)
    missing = {
        name for name in fields(template)
        if name not in context or context[name] is None or str(context[name]).strip() == ""
    }
    if missing:
        raise TemplateFieldError(template, missing)
    # Labels of enum values (a termination reason, ...) in Chinese even when the user who
    # caused the message browses in English.
    with force_locale("zh"):
        values = {name: _plain(context[name]) for name in fields(template)}
    return SIGNATURE + TEXTS[template].format_map(values)


def fee_fields(fees: Iterable[tuple[str, Decimal | int | float | str]]) -> dict[str, str]:
    """``fees`` and ``total`` for :attr:`Template.payment_reminder` from (fee name, yuan) pairs."""
    pairs = [(name, Decimal(str(amount))) for name, amount in fees]
    listed = "；".join(f"{name}{_yuan(amount)}元" for name, amount in pairs)
    return {"fees": listed, "total": _yuan(sum((a for _n, a in pairs), Decimal(0)))}


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _plain(value: Any) -> str:
    """A context value as message text: dates as 2025年10月9日, enum members by their label."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)
