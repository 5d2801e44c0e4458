"""The notification outbox: templates, enqueue, recipients, dispatch, retry (R-11, R-8.3, R-10.2).

Senders here are in-process fakes; tests/test_notify_gateway.py drives a real HTTP gateway.
"""
from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.choices import Channel as ChannelKind
from app.choices import TerminationReason
from app.clock import as_utc
from app.domain.errors import DomainError
from app.extensions import db
from app.models.notification import Notification
from app.notify import RecipientError, Template, TemplateFieldError, enqueue, render
from app.notify.channels import (HttpGatewayChannel, LogChannel, SendError, SmtpChannel,
                                 channels_from_config)
from app.notify.commands import dispatch_command
from app.notify.dispatch import backoff, dispatch_pending, retry
from app.notify.templates import SIGNATURE, fee_fields, fields
from app.states import NotificationStatus

T0 = dt.datetime(2025, 10, 9, 1, 0, tzinfo=dt.timezone.utc)
MOBILE = "13800138000"

# One complete context per template, with the values each message must show.
CONTEXTS = {
    Template.coordinator_assigned: {
        "application_no": "XB-2025-0001", "coordinator_name": "李协办",
        "coordinator_phone": "0662-3312345"},
    Template.plan_awaiting_confirmation: {
        "application_no": "XB-2025-0001", "project_name": "江城区第一小学扩建工程",
        "coordinator_name": "李协办", "coordinator_phone": "13900139000"},
    Template.payment_reminder: {
        "application_no": "XB-2025-0001", "project_name": "江城区第一小学扩建工程",
        **fee_fields([("城市基础设施配套费", Decimal("12000")), ("防空地下室易地建设费", 3500.5)])},
    Template.results_ready: {
        "application_no": "XB-2025-0001", "project_name": "江城区第一小学扩建工程",
        "collection_place": "江城区政务服务中心协办专窗", "coordinator_phone": "13900139000",
        "fees_due": "尚需缴纳法定费用：城市基础设施配套费12,000.00元，缴费后"},
    Template.item_accepted: {
        "application_no": "XB-2025-0001", "project_name": "江城区第一小学扩建工程",
        "item_name": "建设工程规划许可证核发", "department_name": "市自然资源局",
        "accepted_on": dt.date(2025, 10, 13), "promised_days": 5},
    Template.item_supplement: {
        "application_no": "XB-2025-0001", "project_name": "江城区第一小学扩建工程",
        "item_name": "建设工程规划许可证核发", "department_name": "市自然资源局",
        "materials": "建设工程设计方案总平面图（缺少）"},
    Template.item_approved: {
        "application_no": "XB-2025-0001", "project_name": "江城区第一小学扩建工程",
        "item_name": "建设工程规划许可证核发", "department_name": "市自然资源局",
        "decided_on": dt.date(2025, 10, 20)},
    Template.item_refused: {
        "application_no": "XB-2025-0001", "project_name": "江城区第一小学扩建工程",
        "item_name": "建设工程规划许可证核发", "department_name": "市自然资源局",
        "reason": "不符合控制性详细规划"},
    Template.termination_notice: {
        "application_no": "XB-2025-0001", "reason": "建设单位要求终止协办委托",
        "confirm_days": 3},
    Template.announcement: {
        "application_no": "XB-2025-0001", "announced_on": dt.date(2025, 10, 9),
        "link": "https://www.jiangcheng.gov.cn/gg/1"},
    # the unit online
    Template.lookup_code: {"application_no": "XB-2025-0001", "code": "042917", "minutes": 10},
    Template.rating_invitation: {
        "application_no": "XB-2025-0001", "project_name": "江城区第一小学扩建工程",
        "link": "https://xieban.jiangcheng.gov.cn/unit/rate/abc", "days": 15},
    Template.unit_confirmed: {
        "application_no": "XB-2025-0001", "unit_name": "阳江市江城区教育局", "role": "项目经办人",
        "contact_name": "陈经办", "at": "2025-10-09 10:00", "what": "审批进度计划（第1版）"},
    Template.contact_change_reported: {
        "application_no": "XB-2025-0001", "unit_name": "阳江市江城区教育局", "role": "项目经办人",
        "new_name": "李新经办"},
    Template.contact_change_decided: {
        "application_no": "XB-2025-0001", "role": "项目经办人", "new_name": "李新经办",
        "outcome": "协办员已确认，自即日起生效"},
}


class Recorder:
    """A sender that records what it sent and fails as told."""

    def __init__(self, fail: int = 0, error: type[BaseException] = SendError) -> None:
        self.sent: list[int] = []
        self.fail = fail
        self.error = error

    def send(self, notification: Notification) -> None:
        if self.fail:
            self.fail -= 1
            raise self.error("gateway answered HTTP 503: busy")
        self.sent.append(notification.id)


def _channels(sender) -> dict:
    return {kind: sender for kind in ChannelKind}


def _queue(n: int = 1, **overrides) -> list[Notification]:
    args = dict(template=Template.coordinator_assigned, channel=ChannelKind.sms,
                recipient=MOBILE, context=CONTEXTS[Template.coordinator_assigned], now=T0)
    args.update(overrides)
    rows = [enqueue(db.session, **args) for _ in range(n)]
    db.session.commit()
    return rows


def _rows() -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Notification).order_by(Notification.id)))


# --- templates -----------------------------------------------------------------------------

@pytest.mark.parametrize("template", list(Template))
def test_every_template_renders_chinese_with_its_fields(template):
    """R-11.1, R-8.3, R-10.2: each template is a signed Chinese text showing every field."""
    body = render(template, CONTEXTS[template])
    assert body.startswith(SIGNATURE)
    for name in fields(template):
        value = CONTEXTS[template][name]
        shown = (f"{value.year}年{value.month}月{value.day}日" if isinstance(value, dt.date)
                 else str(value))
        assert shown in body, name
    assert "{" not in body and "}" not in body


def test_coordinator_assigned_names_coordinator_phone_and_application_no():
    """R-11.1: 协办员姓名、电话、申请编号 in the assignment message."""
    body = render(Template.coordinator_assigned, CONTEXTS[Template.coordinator_assigned])
    assert body == (SIGNATURE + "您单位的委托协办申请（申请编号：XB-2025-0001）已分派协办员李协办"
                    "（联系电话：0662-3312345）为您服务，协办员将在1个工作日内与您联系。")


def test_payment_reminder_lists_fees_and_total():
    """R-8.3: the payment reminder lists each fee with its amount and the total in 元."""
    body = render(Template.payment_reminder, CONTEXTS[Template.payment_reminder])
    assert "城市基础设施配套费12,000.00元；防空地下室易地建设费3,500.50元" in body
    assert "合计15,500.50元" in body
    assert "《缴费通知书》" in body


def test_termination_notice_and_announcement_follow_art9():
    """R-10.2: reason and confirmation days; the announcement's date, link and 10 working days."""
    notice = render(Template.termination_notice, CONTEXTS[Template.termination_notice])
    assert "因建设单位要求终止协办委托" in notice and "请于3个工作日内" in notice
    assert "《协办委托终止单》" in notice
    ann = render(Template.announcement, CONTEXTS[Template.announcement])
    assert "2025年10月9日" in ann and "https://www.jiangcheng.gov.cn/gg/1" in ann
    assert "满10个工作日" in ann


def test_body_is_chinese_even_when_the_user_browses_in_english(app):
    """R-11.1: enum values in the context render with their Chinese label in any UI locale."""
    context = dict(CONTEXTS[Template.termination_notice], reason=TerminationReason.force_majeure)
    with app.test_request_context(), force_locale("en"):
        assert str(TerminationReason.force_majeure) == "Force majeure"
        body = render(Template.termination_notice, context)
    assert "因不可抗力" in body


def test_missing_or_empty_field_is_a_clear_error():
    """R-11.1: a missing field is named in the error, raised when rendering."""
    context = dict(CONTEXTS[Template.coordinator_assigned])
    del context["coordinator_phone"]
    context["coordinator_name"] = "  "
    with pytest.raises(TemplateFieldError) as err:
        render(Template.coordinator_assigned, context)
    assert err.value.missing == ["coordinator_name", "coordinator_phone"]
    assert "coordinator_assigned" in str(err.value)
    assert "coordinator_name, coordinator_phone" in str(err.value)


def test_template_labels_are_translated(app):
    """R-11.1: the template kinds have Chinese labels for the screens."""
    with app.test_request_context():
        assert str(Template.coordinator_assigned) == "已分派协办员"
        assert str(Template.announcement) == "终止委托公告"


# --- enqueue: the transactional outbox -----------------------------------------------------

def test_enqueue_writes_a_pending_row_only_when_the_caller_commits(ctx):
    """R-11.1: the row belongs to the caller's transaction: rollback leaves nothing."""
    row = enqueue(db.session, template=Template.coordinator_assigned, channel=ChannelKind.sms,
                  recipient=MOBILE, context=CONTEXTS[Template.coordinator_assigned], now=T0)
    assert row in db.session.new
    db.session.rollback()
    assert _rows() == []

    enqueue(db.session, template="results_ready", channel="wechat", recipient=MOBILE,
            context=CONTEXTS[Template.results_ready], now=T0)
    db.session.commit()
    [saved] = _rows()
    assert saved.template == "results_ready" and saved.channel == ChannelKind.wechat
    assert saved.status == NotificationStatus.pending and saved.attempts == 0
    assert as_utc(saved.next_attempt_at) == T0 and as_utc(saved.created_at) == T0
    assert saved.body.startswith(SIGNATURE) and "江城区政务服务中心协办专窗" in saved.body
    assert saved.sent_at is None and saved.last_error is None


def test_enqueue_missing_field_fails_before_anything_is_added(ctx):
    """R-11.1: the error comes at enqueue time, and no row is queued."""
    with pytest.raises(TemplateFieldError):
        enqueue(db.session, template=Template.payment_reminder, channel=ChannelKind.sms,
                recipient=MOBILE, context={"application_no": "XB-2025-0001"}, now=T0)
    assert not db.session.new
    db.session.commit()
    assert _rows() == []


@pytest.mark.parametrize("channel,recipient", [
    (ChannelKind.sms, "0662-3312345"),   # a landline cannot receive an SMS
    (ChannelKind.sms, "1380013800"),     # ten digits
    (ChannelKind.wechat, "23800138000"),
    (ChannelKind.email, "13800138000"),
    (ChannelKind.email, "unit@example"),
    (ChannelKind.log, " "),
])
def test_recipient_is_validated_for_the_channel(ctx, channel, recipient):
    """R-11.1: mobile numbers for SMS/WeChat, an address for e-mail; nothing queued otherwise."""
    with pytest.raises(RecipientError):
        enqueue(db.session, template=Template.coordinator_assigned, channel=channel,
                recipient=recipient, context=CONTEXTS[Template.coordinator_assigned], now=T0)
    assert not db.session.new


def test_recipient_error_is_chinese(app):
    """R-11.1: the refusal reads in Chinese."""
    with app.test_request_context():
        with pytest.raises(RecipientError) as err:
            enqueue(db.session, template=Template.coordinator_assigned,
                    channel=ChannelKind.sms, recipient="0662-3312345",
                    context=CONTEXTS[Template.coordinator_assigned])
        assert str(err.value) == "短信和微信消息须填写11位手机号码。"


def test_valid_recipients_are_normalised(ctx):
    """R-11.1: spaces and dashes in a mobile number are dropped; e-mail accepted as given."""
    sms = enqueue(db.session, template=Template.coordinator_assigned, channel=ChannelKind.sms,
                  recipient=" 138-0013 8000 ", context=CONTEXTS[Template.coordinator_assigned])
    mail = enqueue(db.session, template=Template.coordinator_assigned, channel=ChannelKind.email,
                   recipient="jianshe@example.cn",
                   context=CONTEXTS[Template.coordinator_assigned])
    db.session.commit()
    assert sms.recipient == MOBILE and mail.recipient == "jianshe@example.cn"


# --- dispatch ------------------------------------------------------------------------------

def test_dispatch_marks_sent(ctx):
    """R-11.1: a due row is sent once and marked sent with the time and one attempt."""
    rows = _queue(3)
    sender = Recorder()
    result = dispatch_pending(db.session, _channels(sender), now=T0)
    assert (result.sent, result.retried, result.failed) == (3, 0, 0)
    assert sender.sent == [r.id for r in rows]
    for row in _rows():
        assert row.status == NotificationStatus.sent
        assert row.attempts == 1 and as_utc(row.sent_at) == T0
    again = dispatch_pending(db.session, _channels(sender), now=T0 + dt.timedelta(days=1))
    assert again.sent == 0 and len(sender.sent) == 3


def test_dispatch_waits_for_rows_not_yet_due_and_honours_batch(ctx):
    """R-11.1: only rows due by ``now``, at most ``batch`` per run, oldest first."""
    _queue(1, now=T0 + dt.timedelta(minutes=5))
    early = _queue(3)
    sender = Recorder()
    assert dispatch_pending(db.session, _channels(sender), now=T0, batch=2).sent == 2
    assert sender.sent == [early[0].id, early[1].id]
    assert dispatch_pending(db.session, _channels(sender), now=T0).sent == 1
    later = T0 + dt.timedelta(minutes=5)
    assert dispatch_pending(db.session, _channels(sender), now=later).sent == 1


def test_backoff_doubles_from_one_minute_up_to_an_hour():
    """R-11.1: 1, 2, 4, ... minutes between attempts, capped at one hour."""
    assert [backoff(n).total_seconds() / 60 for n in range(1, 10)] == [
        1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_failure_is_retried_with_backoff_and_last_error(ctx):
    """R-11.1: a failed send is recorded and retried later, not lost."""
    [row] = _queue(1)
    sender = Recorder(fail=2)
    first = dispatch_pending(db.session, _channels(sender), now=T0)
    assert (first.sent, first.retried, first.failed) == (0, 1, 0)
    [row] = _rows()
    assert row.status == NotificationStatus.pending and row.attempts == 1
    assert "HTTP 503" in row.last_error
    assert as_utc(row.next_attempt_at) == T0 + dt.timedelta(minutes=1)

    # Not due again before the backoff has passed.
    assert dispatch_pending(db.session, _channels(sender), now=T0 + dt.timedelta(seconds=59)) \
        == type(first)()
    t1 = T0 + dt.timedelta(minutes=1)
    assert dispatch_pending(db.session, _channels(sender), now=t1).retried == 1
    [row] = _rows()
    assert row.attempts == 2 and as_utc(row.next_attempt_at) == t1 + dt.timedelta(minutes=2)

    t2 = t1 + dt.timedelta(minutes=2)
    assert dispatch_pending(db.session, _channels(sender), now=t2).sent == 1
    [row] = _rows()
    assert row.status == NotificationStatus.sent and row.attempts == 3
    assert as_utc(row.sent_at) == t2 and sender.sent == [row.id]


def test_gives_up_after_max_attempts(ctx):
    """R-11.1: after max_attempts failures the row is marked failed and left alone."""
    _queue(1)
    sender = Recorder(fail=100)
    now, outcomes = T0, []
    for _ in range(4):
        result = dispatch_pending(db.session, _channels(sender), now=now, max_attempts=4)
        outcomes.append((result.retried, result.failed))
        now += dt.timedelta(hours=1)
    assert outcomes == [(1, 0), (1, 0), (1, 0), (0, 1)]
    [row] = _rows()
    assert row.status == NotificationStatus.failed and row.attempts == 4
    assert "HTTP 503" in row.last_error
    assert dispatch_pending(db.session, _channels(sender), now=now + dt.timedelta(days=9)) \
        == type(result)()


def test_retry_puts_a_failed_row_back(ctx):
    """R-11.1: retry() resets a failed row to pending with a fresh attempt count."""
    [row] = _queue(1)
    dispatch_pending(db.session, _channels(Recorder(fail=1)), now=T0, max_attempts=1)
    assert _rows()[0].status == NotificationStatus.failed
    retry(db.session, row.id, now=T0 + dt.timedelta(days=1))
    db.session.commit()
    [row] = _rows()
    assert row.status == NotificationStatus.pending and row.attempts == 0
    assert as_utc(row.next_attempt_at) == T0 + dt.timedelta(days=1)
    sender = Recorder()
    assert dispatch_pending(db.session, _channels(sender), now=T0 + dt.timedelta(days=1)).sent == 1
    with pytest.raises(DomainError):
        retry(db.session, row.id)  # already sent
    with pytest.raises(DomainError):
        retry(db.session, row.id + 1000)


def test_a_crash_mid_run_loses_nothing_and_sends_nothing_twice(ctx):
    """R-11.1: each row is committed before the next; a crash leaves the rest pending."""
    first, second, third = _queue(3)

    class CrashOnSecond(Recorder):
        def send(self, notification):
            if notification.id == second.id:
                raise KeyboardInterrupt  # the process dies mid-send
            super().send(notification)

    sender = CrashOnSecond()
    with pytest.raises(KeyboardInterrupt):
        dispatch_pending(db.session, _channels(sender), now=T0)
    db.session.rollback()
    states = {r.id: (r.status, r.attempts) for r in _rows()}
    assert states[first.id] == (NotificationStatus.sent, 1)
    assert states[second.id] == (NotificationStatus.pending, 0)

    survivor = Recorder()
    assert dispatch_pending(db.session, _channels(survivor), now=T0).sent == 2
    assert survivor.sent == [second.id, third.id]


def test_unexpected_sender_error_and_missing_channel_are_retried(ctx):
    """R-11.1: a sender bug or an unconfigured channel counts as a failed attempt."""
    _queue(1)
    _queue(1, channel=ChannelKind.email, recipient="jianshe@example.cn")
    sms_only = {ChannelKind.sms: Recorder(fail=1, error=RuntimeError)}
    result = dispatch_pending(db.session, sms_only, now=T0)
    assert result.retried == 2
    errors = [r.last_error for r in _rows()]
    assert errors[0].startswith("RuntimeError") and "no sender configured" in errors[1]


def test_dispatch_command_prints_counts(app, ctx, caplog, monkeypatch):
    """R-11.1: `flask dispatch` sends due rows through the configured (log) channel."""
    # app/migrations/env.py's fileConfig() disabled the loggers that existed when it ran.
    monkeypatch.setattr(logging.getLogger("app.notify.channels"), "disabled", False)
    _queue(2, now=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
    with caplog.at_level(logging.INFO, logger="app.notify.channels"):
        result = app.test_cli_runner().invoke(dispatch_command, ["--batch", "10"])
    assert result.exit_code == 0, result.output
    assert "已发送 sent: 2" in result.output and "已失败 failed: 0" in result.output
    assert all(r.status == NotificationStatus.sent for r in _rows())
    # The development log channel masks the number.
    assert "138****8000" in caplog.text and MOBILE not in caplog.text


# --- channels ------------------------------------------------------------------------------

def test_channels_default_to_the_log_channel():
    """R-11.1: without a gateway or SMTP host every channel only logs (development)."""
    senders = channels_from_config({})
    assert all(isinstance(senders[k], LogChannel) for k in ChannelKind)


def test_channels_from_config_use_gateway_and_smtp():
    """R-11.1: SMS/WeChat go to the HTTP gateway, e-mail to SMTP, as configured."""
    senders = channels_from_config({
        "NOTIFY_GATEWAY_URL": "http://10.0.0.5/notify", "NOTIFY_GATEWAY_SECRET": "s3cret",
        "NOTIFY_GATEWAY_TIMEOUT": "3", "SMTP_HOST": "mail.example.cn", "SMTP_PORT": "587",
        "SMTP_USER": "xieban", "SMTP_PASSWORD": "pw", "SMTP_FROM": "xieban@example.cn",
        "SMTP_STARTTLS": "true",
    })
    gateway = senders[ChannelKind.sms]
    assert isinstance(gateway, HttpGatewayChannel) and senders[ChannelKind.wechat] is gateway
    assert gateway.url == "http://10.0.0.5/notify" and gateway.timeout == 3.0
    smtp = senders[ChannelKind.email]
    assert isinstance(smtp, SmtpChannel)
    assert (smtp.host, smtp.port, smtp.user, smtp.sender, smtp.starttls) == (
        "mail.example.cn", 587, "xieban", "xieban@example.cn", True)
    assert isinstance(senders[ChannelKind.log], LogChannel)
    with pytest.raises(ValueError, match="NOTIFY_GATEWAY_SECRET"):
        channels_from_config({"NOTIFY_GATEWAY_URL": "http://10.0.0.5/notify"})


def test_smtp_channel_sends_a_chinese_mail(ctx, monkeypatch):
    """R-11.1: e-mail via SMTP with STARTTLS and login; Chinese subject and body."""
    calls = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            calls.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            calls.append(("quit",))

        def starttls(self, context):
            calls.append(("starttls",))

        def login(self, user, password):
            calls.append(("login", user, password))

        def send_message(self, msg):
            calls.append(("send", msg["To"], msg["Subject"], msg.get_content()))

    monkeypatch.setattr("app.notify.channels.smtplib.SMTP", FakeSMTP)
    [row] = _queue(1, channel=ChannelKind.email, recipient="jianshe@example.cn")
    SmtpChannel("mail.example.cn", 587, "xieban", "pw", "xieban@example.cn",
                starttls=True).send(row)
    assert calls[:3] == [("connect", "mail.example.cn", 587), ("starttls",),
                         ("login", "xieban", "pw")]
    _send, to, subject, content = calls[3]
    assert to == "jianshe@example.cn" and subject == "委托协办：已分派协办员"
    assert content.strip() == row.body


def test_smtp_channel_unreachable_is_a_send_error(ctx):
    """R-11.1: a mail server that refuses the connection gives SendError (so: retry)."""
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    [row] = _queue(1, channel=ChannelKind.email, recipient="jianshe@example.cn")
    with pytest.raises(SendError, match="SMTP failed"):
        SmtpChannel("127.0.0.1", port, timeout=2).send(row)
