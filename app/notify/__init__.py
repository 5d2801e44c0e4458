"""消息通知: the transactional outbox of messages to construction units (R-11, R-8.3, R-10.2).

- :mod:`app.notify.templates` — the Chinese message texts, keyed by :class:`Template`;
- :mod:`app.notify.outbox` — :func:`enqueue` writes a pending row in the caller's transaction;
- :mod:`app.notify.channels` — how a message leaves (HTTP gateway for SMS/WeChat, SMTP, log);
- :mod:`app.notify.dispatch` — sends due rows, records attempts, retries with backoff;
- :mod:`app.notify.commands` — ``flask --app app dispatch [--loop SECONDS]``.
"""
from __future__ import annotations

from app.notify.outbox import RecipientError, enqueue
from app.notify.templates import Template, TemplateFieldError, render

__all__ = ["RecipientError", "Template", "TemplateFieldError", "enqueue", "render"]
