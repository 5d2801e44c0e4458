"""The read-only REST API (app/api) by HTTP with JWT logins (R-14.1, R-14.2, R-13.1).

Reuses test_access_rows' world: coordinators A and B each have a commission; specialist X
works in the department of A's item, Y in that of B's.
"""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Commission, CommissionStateChange
from app.states import CommissionState
from tests.test_access_rows import PASSWORD, LATE, accounts, world  # noqa: F401 (fixtures)

API = "/api/v1"


def token(client, username: str, password: str = PASSWORD) -> dict[str, str]:
    """The Authorization header of a JWT login."""
    response = client.post(f"{API}/security/login", json={
        "username": username, "password": password, "provider": "db", "refresh": False})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


@pytest.fixture
def api(app, accounts):  # noqa: F811
    """``api(key)``: (client, headers) for the account ``key`` of test_access_rows."""
    def signed_in(key: str):
        client = app.test_client()
        return client, token(client, accounts[key].username)
    return signed_in


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return set(response.get_json()["ids"])


def test_coordinator_lists_only_own_commissions(api, world):  # noqa: F811
    """R-14.2: a coordinator's JWT lists their own commission only; a supervisor's and an
    inspector's list both; another coordinator's commission by id answers 404."""
    client, headers = api("coord_a")
    assert _ids(client.get(f"{API}/commission/", headers=headers)) == {world.ca}
    assert client.get(f"{API}/commission/{world.ca}", headers=headers).status_code == 200
    assert client.get(f"{API}/commission/{world.cb}", headers=headers).status_code == 404
    for key in ("supervisor", "inspector"):
        client, headers = api(key)
        assert {world.ca, world.cb} <= _ids(client.get(f"{API}/commission/", headers=headers))
        assert client.get(f"{API}/commission/{world.cb}", headers=headers).status_code == 200


def test_auditor_and_anonymous_are_refused(app, api, world):  # noqa: F811
    """R-14.1: the auditor holds no API permission (403); no token answers 401."""
    client, headers = api("auditor")
    assert client.get(f"{API}/commission/", headers=headers).status_code == 403
    assert app.test_client().get(f"{API}/commission/").status_code == 401


def test_commission_fields_serialise_codes_and_deadlines(api, world):  # noqa: F811
    """R-13.1: a commission carries its state as a code and its deadline dates."""
    client, headers = api("supervisor")
    result = client.get(f"{API}/commission/{world.ca}", headers=headers).get_json()["result"]
    assert result["state"] == CommissionState.in_progress.value
    assert result["application_no"] == world.ca_no
    assert {"contact_due_on", "contact_overdue_on", "completed_on"} <= set(result)


def test_specialist_sees_only_department_items(api, world):  # noqa: F811
    """R-14.2, R-13.1: a specialist lists the items of their department only, with the
    promised date (due_on); another department's item is 404."""
    client, headers = api("spec_x")
    response = client.get(f"{API}/commission_item/", headers=headers)
    assert _ids(response) == {world.item_ax}
    row = response.get_json()["result"][0]
    assert row["due_on"] == world.due_ax.isoformat() and row["state"] == "accepted"
    assert client.get(f"{API}/commission_item/{world.item_by}",
                      headers=headers).status_code == 404
    assert _ids(client.get(f"{API}/commission/", headers=headers)) == {world.ca}
    # The specialist reads no history, as on the screens.
    assert client.get(f"{API}/commission_history/", headers=headers).status_code == 403


def test_history_is_row_filtered(app, api, world):  # noqa: F811
    """R-14.2: the state history (the steps wrote it) lists the coordinator's own
    commissions' changes only."""
    with app.app_context():
        history = {pk: set(db.session.scalars(sa.select(CommissionStateChange.id).where(
            CommissionStateChange.commission_id == pk))) for pk in (world.ca, world.cb)}
        db.session.remove()
    client, headers = api("coord_a")
    response = client.get(f"{API}/commission_history/", headers=headers)
    assert _ids(response) == history[world.ca]
    assert "in_progress" in {row["to_state"] for row in response.get_json()["result"]}
    client, headers = api("supervisor")
    assert _ids(client.get(f"{API}/commission_history/", headers=headers)) >= (
        history[world.ca] | history[world.cb])


@pytest.mark.parametrize("method,path", [
    ("post", "commission/"), ("put", "commission/{ca}"), ("delete", "commission/{ca}"),
    ("post", "commission_item/"), ("delete", "commission_item/{item}"),
    ("put", "commission_history/1"),
])
def test_api_is_read_only(app, api, world, method, path):  # noqa: F811
    """R-14.1: nothing writes through the API, not even for a supervisor (405/404)."""
    client, headers = api("supervisor")
    url = f"{API}/" + path.format(ca=world.ca, item=world.item_ax)
    response = getattr(client, method)(url, headers=headers, json={"remarks": "x"})
    assert response.status_code in (404, 405)
    with app.app_context():
        assert db.session.get(Commission, world.ca).remarks is None
        db.session.remove()


def test_info_has_no_catalogue_header(api, world):  # noqa: F811
    """R-14.1: _info answers in Chinese without the zh catalogue's header as descriptions."""
    client, headers = api("supervisor")
    for resource in ("commission", "commission_item", "commission_history"):
        response = client.get(f"{API}/{resource}/_info", headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        text = response.get_data(as_text=True)
        assert "Project-Id-Version" not in text and "Content-Type" not in text


def test_openapi_spec_is_served(api, world):  # noqa: F811
    """R-14.1: the OpenAPI spec lists the three resources and no write method."""
    client, headers = api("inspector")
    response = client.get(f"{API}/_openapi", headers=headers)
    assert response.status_code == 200
    paths = response.get_json()["paths"]
    assert {f"{API}/commission/", f"{API}/commission_item/",
            f"{API}/commission_history/"} <= set(paths)
    for path, operations in paths.items():
        if path.startswith(f"{API}/commission"):
            assert not {"post", "put", "delete"} & set(operations), path


def test_swagger_page_loads_only_local_assets(app, accounts, world):  # noqa: F811
    """R-14.1: the Swagger page (FAB's bundled swagger-ui) references no external URL."""
    from tests.conftest import login

    client = app.test_client()
    login(client, accounts["supervisor"].username, PASSWORD)
    response = client.get("/swagger/v1")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "swagger-ui-bundle.js" in html
    refs = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', html)
    external = [ref for ref in refs if re.match(r"(?i)(https?:)?//", ref)]
    assert not external, external
    assert client.get(re.search(r'src="([^"]*swagger-ui-bundle\.js[^"]*)"', html)
                      .group(1)).status_code == 200


def test_list_filters_by_due_date(api, world):  # noqa: F811
    """R-13.1: items due before a date, with FAB's Rison filter (as in app/api/README.md)."""
    client, headers = api("supervisor")
    query = "(filters:!((col:due_on,opr:lt,value:'2026-12-01')))"
    ids = _ids(client.get(f"{API}/commission_item/?q={query}", headers=headers))
    assert {world.item_ax, world.item_by} <= ids
    query = "(filters:!((col:due_on,opr:gt,value:'2026-12-01')))"
    assert not {world.item_ax, world.item_by} & _ids(
        client.get(f"{API}/commission_item/?q={query}", headers=headers))
