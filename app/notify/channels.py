"""How a queued message leaves the system: one sender per :class:`app.choices.Channel`.

- SMS and WeChat go to the district's own platform through an HTTP gateway
  (:class:`HttpGatewayChannel`): a signed JSON POST, see its docstring for the contract;
- e-mail goes through SMTP (:class:`SmtpChannel`);
- :class:`LogChannel` only logs, the development default when no gateway is configured.

Every sender raises :class:`SendError` when the message did not go out; the dispatcher then
records the error and retries later. Only the standard library is used.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from email.message import EmailMessage
from typing import Any, Mapping, Protocol

from app import choices
from app.domain.validators import mask_phone
from app.models.notification import Notification
from app.notify.templates import SUBJECTS, Template

log = logging.getLogger(__name__)


class SendError(Exception):
    """The message was not delivered; ``str(error)`` is recorded as the row's last error."""


class Channel(Protocol):
    """Anything that can deliver one notification or raise :class:`SendError`."""

    def send(self, notification: Notification) -> None:
        """Deliver ``notification`` or raise :class:`SendError`."""


class LogChannel:
    """Writes the message to the log instead of sending it (development default)."""

    def send(self, notification: Notification) -> None:
        """Log the message (recipient masked: logs travel further than the database)."""
        log.info("notification %s via %s to %s: %s", notification.id,
                 notification.channel.value, _masked(notification.recipient), notification.body)


class HttpGatewayChannel:
    """SMS/WeChat through the district platform's HTTP gateway.

    Contract: ``POST url`` with a UTF-8 JSON body
    ``{"id", "channel", "recipient", "body", "template"}`` and the headers
    ``X-Timestamp`` (Unix seconds) and ``X-Signature`` = hex HMAC-SHA256 with the shared
    secret over ``timestamp + "." + raw body``. Any 2xx means accepted. ``id`` is the outbox
    row's id: a row is re-sent if the dispatcher dies between the gateway's answer and its own
    commit, so the gateway should drop an ``id`` it has already accepted.
    """

    def __init__(self, url: str, secret: str, timeout: float = 10.0) -> None:
        if not secret:
            raise ValueError("NOTIFY_GATEWAY_SECRET is required when NOTIFY_GATEWAY_URL is set")
        self.url = url
        self.secret = secret.encode()
        self.timeout = timeout
        # Straight to the intranet gateway: no environment proxy, and no redirects (a POST
        # that is redirected has not been delivered).
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), _RefuseRedirects()
        )

    def payload(self, notification: Notification) -> bytes:
        """The raw JSON body for ``notification``."""
        return json.dumps({
            "id": notification.id,
            "channel": notification.channel.value,
            "recipient": notification.recipient,
            "body": notification.body,
            "template": notification.template,
        }, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def send(self, notification: Notification) -> None:
        """POST the signed message; raise :class:`SendError` unless the gateway answers 2xx."""
        body = self.payload(notification)
        timestamp = str(int(time.time()))
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Timestamp": timestamp,
            "X-Signature": sign(self.secret, timestamp, body),
        })
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status = response.status
                detail = response.read(200)
        except urllib.error.HTTPError as exc:
            status, detail = exc.code, _read_quietly(exc)
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise SendError(f"gateway unreachable: {reason}") from exc
        if not 200 <= status < 300:
            raise SendError(f"gateway answered HTTP {status}: "
                            f"{detail.decode('utf-8', 'replace').strip()}")


def _read_quietly(error: urllib.error.HTTPError) -> bytes:
    """The start of an error response's body, for the log (empty when unreadable)."""
    try:
        return error.read(200)
    except OSError:
        return b""
    finally:
        error.close()


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """The gateway signature: hex HMAC-SHA256 of ``timestamp + "." + body``."""
    return hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class SmtpChannel:
    """E-mail through an SMTP server (STARTTLS when configured; implicit TLS on port 465)."""

    def __init__(self, host: str, port: int = 25, user: str = "", password: str = "",
                 sender: str = "", starttls: bool = False, timeout: float = 30.0) -> None:
        self.host, self.port = host, port
        self.user, self.password = user, password
        self.sender = sender or user
        self.starttls = starttls
        self.timeout = timeout

    def message(self, notification: Notification) -> EmailMessage:
        """The e-mail for ``notification`` (Chinese subject by template)."""
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = notification.recipient
        msg["Subject"] = _subject(notification.template)
        msg.set_content(notification.body)
        return msg

    def send(self, notification: Notification) -> None:
        """Send the e-mail; any SMTP or network failure becomes :class:`SendError`."""
        try:
            if self.port == 465:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout,
                    context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(self.message(notification))
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"SMTP failed: {exc}") from exc


def _subject(template: str) -> str:
    try:
        return SUBJECTS[Template(template)]
    except ValueError:
        return "江城区工程建设项目协办专窗通知"


def _masked(recipient: str) -> str:
    if "@" in recipient:
        name, _at, domain = recipient.partition("@")
        return f"{name[:1]}***@{domain}"
    return mask_phone(recipient)


def channels_from_config(config: Mapping[str, Any]) -> dict[choices.Channel, Channel]:
    """A sender for every channel from the app config (see the README for the keys).

    Without NOTIFY_GATEWAY_URL, SMS and WeChat are only logged; without SMTP_HOST, e-mail is.
    """
    logger = LogChannel()
    senders: dict[choices.Channel, Channel] = {c: logger for c in choices.Channel}
    url = config.get("NOTIFY_GATEWAY_URL")
    if url:
        gateway = HttpGatewayChannel(
            url,
            config.get("NOTIFY_GATEWAY_SECRET") or "",
            float(config.get("NOTIFY_GATEWAY_TIMEOUT") or 10),
        )
        senders[choices.Channel.sms] = senders[choices.Channel.wechat] = gateway
    host = config.get("SMTP_HOST")
    if host:
        senders[choices.Channel.email] = SmtpChannel(
            host,
            int(config.get("SMTP_PORT") or 25),
            config.get("SMTP_USER") or "",
            config.get("SMTP_PASSWORD") or "",
            config.get("SMTP_FROM") or "",
            _truthy(config.get("SMTP_STARTTLS", False)),
        )
    return senders


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)
