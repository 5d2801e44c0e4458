"""The outbox against a REAL HTTP gateway on 127.0.0.1 (R-11.1, R-8.3, R-10.2).

The gateway (http.server in a thread, ephemeral port) checks every request's HMAC signature,
counts deliveries per notification id, and can be told to answer 503, to answer slowly, or
be stopped outright (connection refused). Time for the backoff is passed as ``now``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.choices import Channel as ChannelKind
from app.extensions import db
from app.models.notification import Notification
from app.notify import Template, enqueue
from app.notify.channels import HttpGatewayChannel, SendError, channels_from_config
from app.notify.dispatch import DispatchResult, dispatch_pending
from app.notify.templates import fee_fields
from app.states import NotificationStatus

SECRET = "gateway-shared-secret"
T0 = dt.datetime(2025, 10, 9, 1, 0, tzinfo=dt.timezone.utc)
MINUTE = dt.timedelta(minutes=1)

MESSAGES = [
    (Template.coordinator_assigned, ChannelKind.sms, {
        "application_no": "XB-2025-0001", "coordinator_name": "李协办",
        "coordinator_phone": "13900139000"}),
    (Template.plan_awaiting_confirmation, ChannelKind.wechat, {
        "application_no": "XB-2025-0001", "project_name": "江城区第一小学扩建工程",
        "coordinator_name": "李协办", "coordinator_phone": "13900139000"}),
    (Template.payment_reminder, ChannelKind.sms, {
        "application_no": "XB-2025-0002", "project_name": "江城区污水处理厂提标改造工程",
        **fee_fields([("城市基础设施配套费", 12000)])}),
    (Template.results_ready, ChannelKind.wechat, {
        "application_no": "XB-2025-0002", "project_name": "江城区污水处理厂提标改造工程",
        "collection_place": "江城区政务服务中心协办专窗", "coordinator_phone": "13900139000",
        "fees_due": "无需缴纳费用，"}),
    (Template.termination_notice, ChannelKind.sms, {
        "application_no": "XB-2025-0003", "reason": "建设单位要求终止协办委托",
        "confirm_days": 3}),
    (Template.announcement, ChannelKind.sms, {
        "application_no": "XB-2025-0003", "announced_on": dt.date(2025, 10, 20),
        "link": "https://www.jiangcheng.gov.cn/gg/1"}),
]


class Gateway:
    """A stand-in for the district's SMS/WeChat platform, verifying signatures."""

    def __init__(self, secret: str = SECRET) -> None:
        self.secret = secret.encode()
        self.lock = threading.Lock()
        self.deliveries: Counter[int] = Counter()
        self.received: dict[int, dict] = {}
        self.fail_next = 0          # answer 503 to this many requests
        self.delay = 0.0            # seconds to wait before answering
        self.bad_signatures = 0
        self.port = 0
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/notify"

    def start(self) -> "Gateway":
        """Listen (again) on the same port."""
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        """Go down: connections are refused until start()."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join()
            self.server = None

    def _verify(self, headers, body: bytes) -> bool:
        stamp = headers.get("X-Timestamp", "")
        expected = hmac.new(self.secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        fresh = stamp.isdigit() and abs(time.time() - int(stamp)) < 300
        return fresh and hmac.compare_digest(expected, headers.get("X-Signature", ""))

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if gateway.delay:
                    time.sleep(gateway.delay)
                with gateway.lock:
                    if not gateway._verify(self.headers, body):
                        gateway.bad_signatures += 1
                        return self._answer(401, b"bad signature")
                    if gateway.fail_next:
                        gateway.fail_next -= 1
                        return self._answer(503, b"busy")
                    message = json.loads(body)
                    gateway.deliveries[message["id"]] += 1
                    gateway.received[message["id"]] = message
                return self._answer(200, b'{"ok":true}')

            def _answer(self, status: int, text: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(text)))
                    self.end_headers()
                    self.wfile.write(text)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, *args):  # keep the test output quiet
                pass

        return Handler


@pytest.fixture
def gateway():
    gw = Gateway().start()
    yield gw
    gw.stop()


def _channels(gw: Gateway, secret: str = SECRET, timeout: float = 2) -> dict:
    return channels_from_config({"NOTIFY_GATEWAY_URL": gw.url, "NOTIFY_GATEWAY_SECRET": secret,
                                 "NOTIFY_GATEWAY_TIMEOUT": timeout})


def _queue(messages, now=T0) -> list[int]:
    rows = [enqueue(db.session, template=t, channel=c, recipient="13800138000", context=ctx,
                    now=now) for t, c, ctx in messages]
    db.session.commit()
    return [r.id for r in rows]


def _rows() -> dict[int, Notification]:
    db.session.expire_all()
    return {r.id: r for r in db.session.scalars(sa.select(Notification))}


def _drain(channels, start: dt.datetime, step: dt.timedelta = dt.timedelta(hours=1),
           rounds: int = 20) -> None:
    """Dispatch at ``start``, ``start + step``, ... until nothing is pending."""
    now = start
    for _ in range(rounds):
        dispatch_pending(db.session, channels, now=now)
        if not any(r.status == NotificationStatus.pending for r in _rows().values()):
            return
        now += step
    raise AssertionError("messages still pending")


def test_gateway_failures_and_outage_lose_nothing_and_deliver_once(ctx, gateway):
    """R-11.1, R-8.3, R-10.2: 503s and a gateway outage: in the end every message arrives once."""
    channels = _channels(gateway)
    gateway.fail_next = 2
    ids = _queue(MESSAGES)

    first = dispatch_pending(db.session, channels, now=T0)
    assert (first.sent, first.retried, first.failed) == (4, 2, 0)
    rows = _rows()
    busy = "SendError: gateway answered HTTP 503: busy"
    assert [rows[i].last_error for i in ids[:2]] == [busy, busy]
    assert all(rows[i].status == NotificationStatus.sent for i in ids[2:])

    gateway.stop()  # the gateway goes down; new messages keep being queued
    late = _queue(MESSAGES[:2], now=T0 + 30 * dt.timedelta(seconds=1))
    for now in (T0 + MINUTE, T0 + 3 * MINUTE):
        down = dispatch_pending(db.session, channels, now=now)
        assert (down.sent, down.retried, down.failed) == (0, 4, 0)
    rows = _rows()
    for i in ids[:2] + late:
        assert rows[i].status == NotificationStatus.pending
        assert "gateway unreachable" in rows[i].last_error
    assert rows[ids[0]].attempts == 3

    gateway.start()  # back on the same address
    _drain(channels, T0 + 3 * MINUTE)

    rows = _rows()
    assert gateway.deliveries == Counter({i: 1 for i in ids + late})
    assert gateway.bad_signatures == 0
    for i in ids + late:
        row = rows[i]
        assert row.status == NotificationStatus.sent
        assert gateway.received[i] == {"id": i, "channel": row.channel.value,
                                       "recipient": "13800138000", "body": row.body,
                                       "template": row.template}
    assert "【江城区工程建设项目协办专窗】" in gateway.received[ids[2]]["body"]
    assert "合计12,000.00元" in gateway.received[ids[2]]["body"]

    # Nothing more to send, nothing sent twice.
    assert dispatch_pending(db.session, channels, now=T0 + dt.timedelta(days=2)) == DispatchResult()
    assert sum(gateway.deliveries.values()) == len(ids + late)


def test_gateway_refuses_a_wrong_signature(ctx, gateway):
    """R-11.1: the HMAC is checked; a wrongly signed message is not delivered and is retried."""
    _queue(MESSAGES[:1])
    result = dispatch_pending(db.session, _channels(gateway, secret="wrong"), now=T0)
    assert result.retried == 1
    assert gateway.bad_signatures == 1 and not gateway.deliveries
    [row] = _rows().values()
    assert "HTTP 401" in row.last_error
    _drain(_channels(gateway), T0 + MINUTE)
    assert gateway.deliveries == Counter({row.id: 1})


def test_gateway_timeout_is_a_failed_attempt(ctx, gateway):
    """R-11.1: a gateway that does not answer within the timeout is a failed attempt."""
    [nid] = _queue(MESSAGES[:1])
    gateway.delay = 1.0
    channel = HttpGatewayChannel(gateway.url, SECRET, timeout=0.2)
    with pytest.raises(SendError, match="unreachable"):
        channel.send(db.session.get(Notification, nid))


def test_two_dispatchers_deliver_each_message_exactly_once(app, ctx, gateway):
    """R-11.1: two dispatchers at once (own sessions, like two servers) never send a row twice.

    On PostgreSQL rows are locked FOR UPDATE SKIP LOCKED and both dispatchers send side by
    side; on SQLite the claim UPDATE takes the database's write lock, so the second
    dispatcher waits and then finds the row already taken.
    """
    ids = _queue(MESSAGES * 10)
    gateway.delay = 0.005   # long enough for the two to interleave
    gateway.fail_next = 5   # and some retries in the mix
    channels = _channels(gateway)
    engine = db.engine
    barrier = threading.Barrier(2)
    sent: list[int] = [0, 0]
    errors: list[BaseException] = []

    def dispatcher(k: int) -> None:
        try:
            with Session(engine) as session:
                barrier.wait()
                for now in (T0, T0 + dt.timedelta(hours=1)):
                    while True:
                        result = dispatch_pending(session, channels, now=now, batch=7)
                        sent[k] += result.sent
                        if result == DispatchResult():
                            break
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=dispatcher, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert gateway.deliveries == Counter({i: 1 for i in ids})
    assert sum(sent) == len(ids), sent
    if engine.dialect.name == "postgresql":
        # Row locks let both work side by side; SQLite's single write lock may let one
        # dispatcher take every row while the other waits, which is still correct.
        assert min(sent) > 0, sent
    assert all(r.status == NotificationStatus.sent for r in _rows().values())
