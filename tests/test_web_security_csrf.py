"""R-14.1, 等保 level 3 (访问控制): the CSRF-on test profile (``CsrfTestConfig``). A POST without
a token is refused with 400 — on the login form, a ModelView add, a delete, a bulk action
and a workflow step — and nothing changes; with the token the same POST works.
"""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app import config as app_config
from app import create_app
from app.extensions import db
from app.models import AuditLog, PreReview, Unit
from app.states import PreReviewOutcome
from tests import factories as f
from tests.accounts import ADMIN_PASSWORD, ADMIN_USER


@pytest.fixture(scope="module")
def csrf_app(app, database_url):
    """A second app on the session's database, with CSRF protection on (as in production)."""
    application = create_app(app_config.CsrfTestConfig(),
                             {"SQLALCHEMY_DATABASE_URI": database_url})
    assert application.config["WTF_CSRF_ENABLED"] is True
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _token(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


@pytest.fixture
def signed_in(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/login/", data={"username": ADMIN_USER, "password": ADMIN_PASSWORD,
                                            "csrf_token": _token(client, "/login/")})
    assert response.status_code == 302 and "/login/" not in response.location
    return client


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_login_form_needs_the_token(csrf_app):
    """R-14.1: the login POST without a token is 400 and signs nobody in (no audit row)."""
    client = csrf_app.test_client()
    audit_rows = _count(csrf_app, AuditLog)
    response = client.post("/login/", data={"username": ADMIN_USER, "password": ADMIN_PASSWORD})
    assert response.status_code == 400
    assert client.get("/commissionview/list/").status_code == 302
    assert _count(csrf_app, AuditLog) == audit_rows


def test_model_view_add_without_token_is_400(csrf_app, signed_in):
    """R-14.1: a ModelView add without the token: 400, no unit saved, no audit row."""
    data = {"name": "阳江市江城区跨站公司", "address": "阳江市江城区东风路1号",
            "nature": "enterprise", "leader_name": "王总", "leader_phone": "13900139000",
            "handler_name": "陈经办", "handler_phone": "13700137000"}
    audit_rows = _count(csrf_app, AuditLog)
    response = signed_in.post("/unitview/add", data=data)
    assert response.status_code == 400
    assert _count(csrf_app, Unit) == 0
    assert _count(csrf_app, AuditLog) == audit_rows
    # With the form's token the same POST goes through (the 400 was the token's doing).
    data["csrf_token"] = _token(signed_in, "/unitview/add")
    assert signed_in.post("/unitview/add", data=data).status_code == 302
    assert _count(csrf_app, Unit) == 1


def test_delete_and_actions_without_token_are_400(csrf_app, signed_in):
    """R-14.1: FAB's delete and bulk action POSTs need the token too (CSRFProtect before
    AppBuilder); the unit stays."""
    with csrf_app.app_context():
        unit_id = f.unit().id
        db.session.commit()
    audit_rows = _count(csrf_app, AuditLog)
    assert signed_in.post(f"/unitview/delete/{unit_id}").status_code == 400
    response = signed_in.post("/unitview/action_post", data={"action": "muldelete",
                                                             "rowid": [unit_id]})
    assert response.status_code == 400
    assert _count(csrf_app, Unit) == 1
    assert _count(csrf_app, AuditLog) == audit_rows


def test_workflow_step_without_token_is_400(csrf_app, signed_in):
    """R-14.1: a lifecycle step POST without the token: 400, the pre-review is unchanged."""
    with csrf_app.app_context():
        review_id = f.pre_review().id
        db.session.commit()
    url = f"/workflow/pre_review/{review_id}/decide"
    audit_rows = _count(csrf_app, AuditLog)
    response = signed_in.post(url, data={"outcome": "eligible"})
    assert response.status_code == 400
    with csrf_app.app_context():
        assert db.session.get(PreReview, review_id).outcome == PreReviewOutcome.pending
    assert _count(csrf_app, AuditLog) == audit_rows
    response = signed_in.post(url, data={"outcome": "eligible",
                                         "csrf_token": _token(signed_in, url)})
    assert response.status_code == 302
    with csrf_app.app_context():
        assert db.session.get(PreReview, review_id).outcome == PreReviewOutcome.eligible
