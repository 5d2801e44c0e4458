"""R-14.1: the REST API's JWT login is rate limited (429) on an app with RATELIMIT_ENABLED."""
from __future__ import annotations

from tests.test_login_limits import limited_app  # noqa: F401 (fixture)


def test_api_login_is_rate_limited(limited_app):  # noqa: F811
    """R-14.1: past 3 tries a minute from one address, /api/v1/security/login answers 429,
    even with the right password; another address is not affected."""
    from tests.accounts import ADMIN_PASSWORD, ADMIN_USER

    client = limited_app.test_client()
    environ = {"REMOTE_ADDR": "10.7.7.7"}
    wrong = {"username": "nobody_api_rest", "password": "x", "provider": "db"}
    for _ in range(3):
        assert client.post("/api/v1/security/login", json=wrong,
                           environ_base=environ).status_code == 401
    right = {"username": ADMIN_USER, "password": ADMIN_PASSWORD, "provider": "db"}
    assert client.post("/api/v1/security/login", json=right,
                       environ_base=environ).status_code == 429
    other = client.post("/api/v1/security/login", json=right,
                        environ_base={"REMOTE_ADDR": "10.7.7.8"})
    assert other.status_code == 200 and "access_token" in other.get_json()
