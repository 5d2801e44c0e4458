"""Production shape: structured logs. With LOG_FORMAT=json every line on stderr is one JSON
object with time, level, logger, message, request id, user and path; each request has an id
(the caller's X-Request-ID when plausible), echoed in the response."""
from __future__ import annotations

import datetime as dt
import json
import logging

import pytest

from app import create_app
from app import config as app_config
from app.extensions import db
from app.ops.logs import init_logging, remove_handler
from tests.accounts import ADMIN_PASSWORD, ADMIN_USER

PROBE_LOGGER = "app.test_probe"


def _app(database_url: str, log_format: str):
    """An app with the chosen format and a route that logs (and one that fails)."""
    application = create_app(app_config.TestConfig(),
                             {"SQLALCHEMY_DATABASE_URI": database_url, "LOG_FORMAT": log_format})
    init_logging(application)  # idempotent: a no-op once create_app calls it itself

    @application.get("/_log_probe")
    def probe():
        logging.getLogger(PROBE_LOGGER).warning("probe %s", "fired", extra={"case": 7})
        return "ok"

    @application.get("/_log_failure")
    def failure():
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger(PROBE_LOGGER).exception("it failed")
        return "handled"

    return application


@pytest.fixture
def json_app(database_url):
    application = _app(database_url, "json")
    yield application
    remove_handler()
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def text_app(database_url):
    application = _app(database_url, "text")
    yield application
    remove_handler()
    with application.app_context():
        db.engine.dispose()


def _json_lines(err: str) -> list[dict]:
    """Every non-empty stderr line, each of which must parse as a JSON object."""
    lines = [line for line in err.splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]
    assert all(isinstance(entry, dict) for entry in parsed)
    return parsed


def test_json_lines_carry_request_id_user_and_path(json_app, capsys):
    """Each line parses as JSON; the probe's line names the request id, user, path."""
    client = json_app.test_client()
    capsys.readouterr()
    client.post("/login/", data={"username": ADMIN_USER, "password": ADMIN_PASSWORD})
    response = client.get("/_log_probe", headers={"X-Request-ID": "lb-1234.abc"})
    assert response.headers["X-Request-ID"] == "lb-1234.abc"
    entries = _json_lines(capsys.readouterr().err)
    probe = [e for e in entries if e["logger"] == PROBE_LOGGER]
    assert len(probe) == 1
    entry = probe[0]
    assert entry["message"] == "probe fired" and entry["level"] == "WARNING"
    assert entry["request_id"] == "lb-1234.abc"
    assert entry["user"] == ADMIN_USER
    assert entry["path"] == "/_log_probe" and entry["method"] == "GET"
    assert entry["case"] == 7  # extra= fields are kept
    assert dt.datetime.fromisoformat(entry["time"].replace("Z", "+00:00")).tzinfo is not None


def test_request_id_is_made_when_missing_or_implausible(json_app):
    """Without an id, or with one that could forge a log line, a fresh id is made."""
    client = json_app.test_client()
    first = client.get("/health").headers["X-Request-ID"]
    second = client.get("/health").headers["X-Request-ID"]
    assert first and second and first != second
    forged = client.get("/health", headers={"X-Request-ID": "x\" evil=1"})
    assert forged.headers["X-Request-ID"] not in ("x\" evil=1", "")
    too_long = client.get("/health", headers={"X-Request-ID": "a" * 200})
    assert len(too_long.headers["X-Request-ID"]) <= 128


def test_exceptions_are_one_json_line(json_app, capsys):
    """A logged exception stays one line, its traceback in the "exception" field."""
    client = json_app.test_client()
    capsys.readouterr()
    assert client.get("/_log_failure").status_code == 200
    entries = [e for e in _json_lines(capsys.readouterr().err) if e["logger"] == PROBE_LOGGER]
    assert len(entries) == 1
    assert "ValueError: boom" in entries[0]["exception"]
    assert entries[0]["user"] is None  # not signed in


def test_text_format_by_default(text_app, capsys):
    """Without LOG_FORMAT=json the lines are plain text with the request id."""
    client = text_app.test_client()
    capsys.readouterr()
    client.get("/_log_probe", headers={"X-Request-ID": "plain-42"})
    err = capsys.readouterr().err
    line = next(line for line in err.splitlines() if PROBE_LOGGER in line)
    assert "[plain-42]" in line and "WARNING" in line and "probe fired" in line
    with pytest.raises(ValueError):
        json.loads(line)


def test_one_handler_however_many_apps(database_url):
    """Building several apps (tests, reloads) never stacks handlers."""
    apps = [_app(database_url, "json") for _ in range(2)]
    try:
        ours = [h for h in logging.getLogger().handlers if getattr(h, "_xieban_handler", False)]
        assert len(ours) == 1
    finally:
        remove_handler()
        for application in apps:
            with application.app_context():
                db.engine.dispose()
