"""The 消息通知 outbox screen: read-only, filterable by status and channel (R-11.1)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app.choices import Channel
from app.extensions import db
from app.models import Commission, Notification
from app.states import CommissionState, NotificationStatus
from tests import factories as f


def _commission(n: int) -> Commission:
    """A commission accepted (numbered JCXB-2026-0001, … in the order made; the accept step
    sends the unit nothing), on its own project."""
    return f.case(CommissionState.accepted, on=dt.date(2026, 3, 2),
                  project=f.project(name=f"通知测试项目{n}"))


def _notification(n: int, status: NotificationStatus = NotificationStatus.pending,
                  channel: Channel = Channel.sms, commission: Commission | None = None,
                  **extra) -> Notification:
    row = Notification(template="payment_reminder", channel=channel,
                       recipient=f"1380013{n:04d}", body=f"请缴费，编号{n}", status=status,
                       commission=commission, **extra)
    db.session.add(row)
    return row


def test_outbox_list_and_show_in_chinese(client, ctx):
    """R-11.1: the outbox shows template, recipient, body, channel, status, attempts and
    the last error, in Chinese."""
    row = _notification(
        1, NotificationStatus.failed, Channel.wechat, _commission(1), attempts=3,
        last_error="网关超时", sent_at=None,
        next_attempt_at=dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.timezone.utc))
    db.session.commit()
    html = client.get("/notificationview/list/").get_data(as_text=True)
    for text in ("消息通知", "消息模板", "发送渠道", "接收人", "发送状态", "发送次数",
                 "发送失败", "微信", "13800130001", "JCXB-2026-0001"):
        assert text in html
    html = client.get(f"/notificationview/show/{row.id}").get_data(as_text=True)
    for text in ("消息内容", "最近一次错误", "下次发送时间", "网关超时", "请缴费，编号1"):
        assert text in html


def test_outbox_is_read_only(client, ctx):
    """R-11.1: outbox rows are written by the system only: no add, edit or delete."""
    row = _notification(1)
    db.session.commit()
    html = client.get("/notificationview/list/").get_data(as_text=True)
    assert "/notificationview/add" not in html
    assert f"/notificationview/edit/{row.id}" not in html
    assert f"/notificationview/delete/{row.id}" not in html
    for response in (
        client.get("/notificationview/add"),
        client.post("/notificationview/add", data={"template": "x", "channel": "sms",
                                                   "recipient": "1", "body": "x"}),
        client.post(f"/notificationview/edit/{row.id}", data={"body": "changed"}),
        client.post(f"/notificationview/delete/{row.id}"),
    ):
        assert response.status_code in (302, 403, 404, 405)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 1
    assert db.session.get(Notification, row.id).body == "请缴费，编号1"


def test_outbox_filters_by_status_and_channel(client, ctx):
    """R-11.1: a supervisor finds the failed messages, or those of one channel."""
    _notification(1, NotificationStatus.failed, Channel.sms)
    _notification(2, NotificationStatus.sent, Channel.sms)
    _notification(3, NotificationStatus.pending, Channel.email)
    db.session.commit()

    html = client.get("/notificationview/list/?_flt_0_status=failed").get_data(as_text=True)
    assert "13800130001" in html and "13800130002" not in html and "13800130003" not in html

    html = client.get("/notificationview/list/?_flt_0_channel=email").get_data(as_text=True)
    assert "13800130003" in html and "13800130001" not in html and "13800130002" not in html


def test_outbox_list_query_count_is_independent_of_rows(client, ctx, count_queries):
    """R-11.1: the outbox list costs the same number of SQL statements for 3 and 25 rows."""

    def render() -> int:
        client.get("/notificationview/list/?psize_NotificationView=25")  # the session's first page keeps its roles and permissions
        with count_queries() as statements:
            response = client.get("/notificationview/list/?psize_NotificationView=25")
        assert response.status_code == 200
        return len(statements)

    def add_rows(numbers: range) -> None:
        for n in numbers:
            _notification(n, commission=_commission(n))
        db.session.commit()

    add_rows(range(3))
    few = render()
    add_rows(range(3, 25))
    assert render() == few


def test_outbox_filters_offer_chinese_choices(client, ctx):
    """R-11.1: the status and channel filters list the Chinese labels, with the codes as values."""
    html = client.get("/notificationview/list/").get_data(as_text=True)
    html = html.encode().decode("unicode_escape")  # the filter widgets sit in a JS string
    for value, label in (("failed", "发送失败"), ("pending", "待发送"), ("sms", "短信"),
                         ("wechat", "微信"), ("email", "电子邮件")):
        assert f'<option value="{value}">{label}</option>' in html
