"""Structured logs and request ids.

``init_logging(app)`` installs one handler on the root logger, writing to stderr:
- LOG_FORMAT=json: one JSON object per line with ``time`` (UTC, ISO 8601), ``level``,
  ``logger``, ``message``, ``request_id``, ``user``, ``path`` (and ``method``, ``exception``
  and any ``extra=`` fields when present), for a log collector to parse;
- otherwise plain text with the same facts.

Each request gets an id: the caller's ``X-Request-ID`` when it is a plausible id (so that a
reverse proxy's id follows the request), else a new one. It is echoed in the response's
``X-Request-ID`` and put into the WSGI environ (``xieban.request_id``, ``xieban.user``) so
that gunicorn's access log (gunicorn.conf.py) can print it.

Calling ``init_logging`` again (tests build many apps) replaces the handler it installed,
never stacks a second one; other handlers on the root logger (a test runner's) are left.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import sys
import uuid
from collections.abc import Mapping
from typing import Any

from flask import Flask, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
#: an id we accept from the caller: short, and nothing that could forge a log line
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
ENVIRON_REQUEST_ID = "xieban.request_id"
ENVIRON_USER = "xieban.user"
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(user)s %(name)s: %(message)s"

#: attributes every LogRecord has; anything else on a record came from ``extra=``
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message", "asctime", "request_id", "user", "path", "method"}
_MARK = "_xieban_handler"


def log_format(app: Flask) -> str:
    """``json`` or ``text``: LOG_FORMAT from the app's config, else from the environment."""
    value = app.config.get("LOG_FORMAT") or os.environ.get("LOG_FORMAT") or "text"
    return "json" if str(value).strip().lower() == "json" else "text"


def init_logging(app: Flask) -> None:
    """Install the root handler (format from LOG_FORMAT, level from LOG_LEVEL) and the
    request-id hooks on ``app``."""
    level = app.config.get("LOG_LEVEL") or os.environ.get("LOG_LEVEL") or "INFO"
    install_handler(log_format(app), level)
    # FAB narrates at INFO ("Added Permission …": some 560 lines per permission sync, two per
    # start): its INFO lines show only with LOG_LEVEL=DEBUG; its warnings always.
    quiet = str(level).upper() != "DEBUG" and level != logging.DEBUG
    logging.getLogger("flask_appbuilder").setLevel(logging.WARNING if quiet else logging.NOTSET)
    if not app.extensions.get("xieban_request_ids"):
        app.extensions["xieban_request_ids"] = True
        app.before_request(_assign_request_id)
        app.after_request(_echo_request_id)


def install_handler(fmt: str, level: str | int = "INFO") -> logging.Handler:
    """Put our one stderr handler on the root logger (replacing a previous one of ours)."""
    root = logging.getLogger()
    remove_handler()
    handler = make_handler(fmt)
    root.addHandler(handler)
    root.setLevel(level if isinstance(level, int) else str(level).upper())
    return handler


def remove_handler() -> None:
    """Take our handler off the root logger (tests restore the logging they found)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _MARK, False):
            root.removeHandler(handler)


def make_handler(fmt: str = "text") -> logging.Handler:
    """A stderr handler in ``fmt`` (``json`` or ``text``) with the request fields.

    gunicorn.conf.py builds its handlers with this too (``logconfig_dict``), so that the
    server's own lines and the app's share one format, and ``init_logging`` in a worker
    replaces the root one instead of adding a second.
    """
    handler = StderrHandler()
    setattr(handler, _MARK, True)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    return handler


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it per test)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def current_request_id() -> str | None:
    """This request's id (None outside a request)."""
    if not has_request_context():
        return None
    return g.get("request_id")


def _assign_request_id() -> None:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if REQUEST_ID_PATTERN.fullmatch(given) else uuid.uuid4().hex
    request.environ[ENVIRON_REQUEST_ID] = g.request_id


def _echo_request_id(response):
    request_id = g.get("request_id")
    if request_id:
        response.headers[REQUEST_ID_HEADER] = request_id
    user = _user_name()
    if user:
        request.environ[ENVIRON_USER] = user
    return response


def _user_name() -> str | None:
    """The signed-in user's name, without touching the database.

    Read from the user Flask-Login already loaded for this request; an attribute expired by
    a commit is not reloaded (a log call must never run SQL), so the name is kept in ``g``
    the first time it is seen.
    """
    cached = g.get("_xieban_log_user")
    if cached:
        return cached
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        import sqlalchemy as sa

        name = sa.inspect(user).dict.get("username")
    except Exception:  # not a mapped object (a test double): read it plainly
        name = getattr(user, "username", None)
    if name:
        g._xieban_log_user = name
    return name


class RequestContextFilter(logging.Filter):
    """Adds ``request_id``, ``user``, ``path`` and ``method`` to every record ("-" outside a
    request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id") or "-"
            record.user = _user_name() or "-"
            record.path = request.path
            record.method = request.method
        else:
            record.request_id = record.user = record.path = record.method = "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc)
            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _dash_to_none(getattr(record, "request_id", None)),
            "user": _dash_to_none(getattr(record, "user", None)),
            "path": _dash_to_none(getattr(record, "path", None)),
            "method": _dash_to_none(getattr(record, "method", None)),
            "pid": record.process,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            entry.update(_access_fields(record.args))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in entry:
                entry[key] = value
        return json.dumps(entry, ensure_ascii=False, default=str)


def _dash_to_none(value: Any) -> Any:
    return None if value in (None, "-") else value


def _access_fields(atoms: Mapping) -> dict[str, Any]:
    """The useful parts of a gunicorn access-log record (never its headers or cookies)."""

    def atom(key: str) -> Any:
        value = atoms.get(key)
        return None if value in (None, "-") else value

    return {
        "remote_addr": atom("h"),
        "method": atom("m"),
        "path": atom("U"),
        "status": int(atoms["s"]) if str(atoms.get("s", "")).isdigit() else atom("s"),
        "bytes": atom("B"),
        "duration_ms": atom("M"),
        "request_id": atom("{x-request-id}o"),
        "user": atom("{%s}e" % ENVIRON_USER),
    }
