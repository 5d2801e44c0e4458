"""R-19.1: the REST API keeps its contract, tried as the city platform's client would.

The served document is validated with ``openapi-spec-validator``; schemathesis then sends
generated requests (valid and invalid, a bounded number, derandomized) to every operation of
the document, once with a valid token and once without, and applies all its checks: status
codes and bodies as documented, JSON everywhere, no 500, invalid input refused, valid input
accepted, authentication enforced. The data: two commissions (one without a coordinator),
their items, state changes with date-times (R-16.4: ISO 8601 with the offset).
"""
from __future__ import annotations

import datetime as dt
import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.config import SchemathesisConfig

from app import clock
from app.extensions import db
from app.models import Commission
from app.states import CommissionState
from tests import factories as f
from tests.test_access_rows import PASSWORD, accounts, world  # noqa: F401 (fixtures)

DOCUMENT = "/api/v1/_openapi"
#: fuzzed examples per operation, after schemathesis' coverage phase (its boundary and
#: invalid cases, ~1,000 requests in all): together about a minute per database
EXAMPLES = 10


def _login(client, username: str) -> dict[str, str]:
    response = client.post("/api/v1/security/login", json={
        "username": username, "password": PASSWORD, "provider": "db", "refresh": True})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()


@pytest.fixture
def contract_world(app, world):  # noqa: F811
    """The access world, plus a commission accepted but without coordinator, and one whose
    steps were taken at known moments (the injected clock, Beijing time): opened and
    accepted at 09:30 on 2021-03-02, assigned to 林协办 at 17:46:05 on 2021-03-03."""
    with app.app_context():
        orphan = f.case(CommissionState.accepted)
        with clock.frozen("2021-03-02T09:30:00+08:00"):
            dated = f.case(CommissionState.accepted, on=dt.date(2021, 3, 2))
        with clock.frozen("2021-03-03T17:46:05+08:00"):
            f.advance(dated, CommissionState.assigned, coordinator=f.staff(name="林协办"),
                      on=dt.date(2021, 3, 3))
        db.session.commit()
        assert db.session.get(Commission, orphan.id).coordinator_id is None
        db.session.remove()
    return world


@pytest.fixture
def tokens(app, accounts, contract_world):  # noqa: F811
    """A supervisor's access and refresh tokens (the supervisor reads every row)."""
    return _login(app.test_client(), accounts["supervisor"].username)


def _document_app():
    """An app that serves the document (the same code as the tested app; no database).

    schemathesis' pytest integration makes one test per operation at collection time, before
    the session's ``app`` fixture exists (its fixture-based loader does not run on pytest 9);
    the requests go to the session's app (``app=``), whose document must be the same.
    """
    from app import create_app
    from app.config import TestConfig

    return create_app(TestConfig(), {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


schema = schemathesis.openapi.from_wsgi(DOCUMENT, _document_app(), config=SchemathesisConfig
                                        .from_dict({
                                            "seed": 19,
                                            "generation": {"max-examples": EXAMPLES,
                                                           "database": "none",
                                                           "with-security-parameters": False},
                                        }))


def test_document_is_valid_openapi_3(app):
    """R-19.1: the served document validates as OpenAPI 3, without a token."""
    response = app.test_client().get(DOCUMENT)
    assert response.status_code == 200 and response.is_json
    document = response.get_json()
    validate(document)
    assert document["openapi"].startswith("3.")
    login = document["paths"]["/api/v1/security/login"]["post"]
    assert {"200", "400", "401"} <= set(login["responses"])


@schema.parametrize()
@settings(derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_the_contract(case, app, tokens):
    """R-19.1, R-16.4: every operation, with a valid token and without one, passes all of
    schemathesis' checks (schemas, date-times with offset, JSON errors, 401 not 422)."""
    token = tokens["refresh_token" if case.path.endswith("/refresh") else "access_token"]
    case.headers = {key: value for key, value in (case.headers or {}).items()
                    if key.lower() != "authorization"}
    case.call_and_validate(app=app, headers={"Authorization": f"Bearer {token}"})
    case.call_and_validate(app=app)


def test_the_tested_document_is_the_served_one(app):
    """R-19.1: the document schemathesis generated from is the one the tested app serves."""
    served = app.test_client().get(DOCUMENT).get_json()
    assert served["paths"] == schema.raw_schema["paths"]
    assert served["components"] == schema.raw_schema["components"]


def _paths(document: dict) -> list[str]:
    """Every read operation's URL (``{pk}`` as 1, ``{version}`` as v1)."""
    return [path.replace("{pk}", "1").replace("{version}", "v1")
            for path, operations in document["paths"].items() if "get" in operations]


@pytest.mark.parametrize("authorization", [
    None, "Bearer", "Bearer abc", "Bearer a.b.c", "Token xyz", "Bearer " + "e30." * 2 + "x",
])
def test_token_problems_answer_401_json(app, authorization):
    """R-19.1: a missing, malformed or foreign token answers 401 with a JSON body, never 422,
    on every operation that needs a token."""
    client = app.test_client()
    document = client.get(DOCUMENT).get_json()
    headers = {"Authorization": authorization} if authorization else {}
    for path in _paths(document):
        response = client.get(path, headers=headers)
        if path.endswith("_openapi"):
            assert response.status_code == 200
            continue
        assert response.status_code == 401, (path, response.status_code)
        assert set(response.get_json()) == {"message"}


def test_expired_and_refresh_tokens_answer_401(app, accounts):  # noqa: F811
    """R-19.1: an expired access token, and a refresh token used as an access token (or the
    reverse), answer 401 JSON."""
    from flask_jwt_extended import create_access_token

    client = app.test_client()
    tokens = _login(client, accounts["supervisor"].username)
    access = {"Authorization": f"Bearer {tokens['access_token']}"}
    refresh = {"Authorization": f"Bearer {tokens['refresh_token']}"}
    assert client.get("/api/v1/commission/", headers=access).status_code == 200
    assert client.get("/api/v1/commission/", headers=refresh).status_code == 401
    assert client.post("/api/v1/security/refresh", headers=access).status_code == 401
    assert client.post("/api/v1/security/refresh", headers=refresh).status_code == 200
    # PyJWT checks the expiry against the real time: a token born expired
    with app.app_context():
        stale = create_access_token(identity=str(accounts["supervisor"].id),
                                    expires_delta=dt.timedelta(seconds=-60))
    expired = client.get("/api/v1/commission/", headers={"Authorization": f"Bearer {stale}"})
    assert expired.status_code == 401 and expired.get_json() == {"message": "Token has expired"}


@pytest.mark.parametrize("method,path,status", [
    ("get", "/api/v1/commission/-1", 404), ("get", "/api/v1/commission/abc", 404),
    ("get", "/api/v1/nothing", 404),
    ("get", "/api/v2/_openapi", 404), ("get", "/api/v1/commission/1/more", 404),
    ("post", "/api/v1/commission/", 405), ("delete", "/api/v1/commission/1", 405),
    ("get", "/api/v1/security/login", 405), ("put", "/api/v1/_openapi", 405),
])
def test_errors_on_api_paths_are_json(app, tokens, method, path, status):
    """R-19.1: unknown ids, URLs and versions, and methods not allowed, answer JSON bodies
    (405 with its Allow header), with a token or without."""
    client = app.test_client()
    for headers in ({"Authorization": f"Bearer {tokens['access_token']}"}, {}):
        response = getattr(client, method)(path, headers=headers)
        assert response.status_code == status, (path, response.status_code)
        assert response.is_json and set(response.get_json()) == {"message"}
        if status == 405:
            assert "GET" in response.headers["Allow"] or "POST" in response.headers["Allow"]


def test_ids_past_the_database_range_are_not_found(app, tokens):
    """R-19.1: an id past PostgreSQL's integer (SQLite cannot even bind it) is a JSON 404."""
    response = app.test_client().get("/api/v1/commission/99999999999999999999", headers={
        "Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 404 and response.get_json() == {"message": "Not found"}


def test_date_times_carry_their_offset(app, tokens, contract_world):
    """R-16.4, R-19.1: a state change's time is ISO 8601 in UTC with +00:00 (stored in UTC,
    read back naive from SQLite); a filter with another offset compares instants (17:00+08:00
    is 09:00 UTC, before the 09:46:05 change)."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}

    def history(*filters: tuple[str, str]) -> list[dict]:
        query = {"filters": [{"col": "changed_at", "opr": opr, "value": value}
                             for opr, value in filters],
                 "order_column": "changed_at", "order_direction": "asc"}
        return client.get("/api/v1/commission_history/", query_string={"q": json.dumps(query)},
                          headers=headers).get_json()["result"]

    rows = history(("gt", "2021-03-01T00:00:00+08:00"), ("lt", "2021-03-04T00:00:00+08:00"))
    assert [row["changed_at"] for row in rows] == [
        "2021-03-02T01:30:00+00:00", "2021-03-02T01:30:00+00:00", "2021-03-03T09:46:05+00:00"]
    assert rows[0]["from_state"] is None  # opened: the first row of its history
    later = history(("gt", "2021-03-03T17:00:00+08:00"), ("lt", "2021-03-04T00:00:00+08:00"))
    assert [row["note"] for row in later] == ["林协办"]
