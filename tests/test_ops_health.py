"""Production shape: ``GET /health`` answers without a login, 200 when the database answers,
503 naming the failing part when it does not, and never an error text or a secret."""
from __future__ import annotations

import pytest

from app import create_app
from app import config as app_config
from app.extensions import db

UNREACHABLE = "postgresql+psycopg://nobody:s3cret-pw@127.0.0.1:1/nowhere"


def test_health_ok_without_login(app):
    """/health needs no session: 200 {"status": "ok", "database": "ok"}, not cached."""
    response = app.test_client().get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture(scope="module")
def unreachable_app():
    """An app whose database cannot be reached (nothing listens on port 1)."""
    application = create_app(app_config.TestConfig(),
                             {"SQLALCHEMY_DATABASE_URI": UNREACHABLE})
    yield application
    with application.app_context():
        db.engine.dispose()


def test_health_503_when_the_database_is_unreachable(unreachable_app):
    """503 with the failing part; the answer holds no host, user, password or error text."""
    response = unreachable_app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unavailable"}
    body = response.get_data(as_text=True)
    for secret in ("s3cret", "nobody", "127.0.0.1", "nowhere", "refused"):
        assert secret not in body


def test_health_with_csrf_on_is_get_only(app, database_url):
    """With CSRF protection on (production), GET needs no token; other methods are 405."""
    application = create_app(app_config.CsrfTestConfig(),
                             {"SQLALCHEMY_DATABASE_URI": database_url})
    try:
        client = application.test_client()
        assert client.get("/health").status_code == 200
        assert client.post("/health").status_code == 405
    finally:
        with application.app_context():
            db.engine.dispose()
