"""Production shape: with RATELIMIT_STORAGE_URI=redis://... the login rate limit is counted
in Redis, so several workers (here two apps, as two gunicorn workers) share one count.
R-14.1: the limit holds across workers. Needs Redis on 127.0.0.1:6379 (skipped locally
without it, failing in CI, whose machines run it)."""
from __future__ import annotations

import os
import socket
import uuid

import pytest

from app import config as app_config
from app import create_app
from app.extensions import db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own; its keys are removed afterwards."""
    if not _redis_reachable():
        if os.environ.get("CI"):
            pytest.fail("Redis is required in CI but 127.0.0.1:6379 is unreachable")
        pytest.skip("Redis not reachable at 127.0.0.1:6379: skipped locally")
    import redis

    prefix = f"xieban-test-{uuid.uuid4().hex[:8]}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


def test_login_limit_is_shared_through_redis(database_url, redis_prefix):
    """R-14.1: 3 logins per minute from one address, counted across two workers: the 4th
    POST is refused whichever worker gets it; the counters live in Redis."""
    import redis

    apps = [create_app(app_config.TestConfig(), {
        "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
        "AUTH_RATE_LIMIT": "3 per minute", "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": redis_prefix}) for _ in range(2)]
    try:
        address = {"REMOTE_ADDR": "10.77.0.1"}
        body = {"username": "nobody_redis", "password": "x"}
        clients = [application.test_client() for application in apps]
        for number in range(3):
            response = clients[number % 2].post("/login/", data=body, environ_base=address)
            assert response.status_code == 302
        for client in clients:
            assert client.post("/login/", data=body, environ_base=address).status_code == 429
        assert list(redis.Redis.from_url(REDIS_URL).scan_iter(f"*{redis_prefix}*"))
    finally:
        for application in apps:
            with application.app_context():
                db.engine.dispose()


def test_dashboard_figures_are_shared_by_every_server_through_redis(app, database_url,
                                                                   redis_prefix, monkeypatch):
    """R-13.5, R-14.2 (production shape): with REDIS_URL set, the dashboard's kept figures
    live in Redis: a second server (another app on the same database) shows the figures the
    first computed, with the same computing time, instead of computing its own."""
    from app.domain import dashboard
    from app.extensions import cache
    from app.views import index
    from tests.conftest import ADMIN_USER

    apps = [create_app(app_config.TestConfig(), {
        "SQLALCHEMY_DATABASE_URI": database_url, "DASHBOARD_CACHE_SECONDS": 60,
        "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"{redis_prefix}:"}) for _ in range(2)]
    built = []
    real_build = dashboard.build
    monkeypatch.setattr(dashboard, "build",
                        lambda *a, **k: built.append(a) or real_build(*a, **k))
    try:
        seen = []
        for application in apps:
            with application.test_request_context("/"):
                user = application.appbuilder.sm.find_user(username=ADMIN_USER)
                seen.append(index.current_board(user))
        assert len(built) == 1
        assert seen[0][1] == seen[1][1] and seen[0][0] == seen[1][0]
        with apps[0].app_context():
            assert cache.cache.__class__.__name__ == "RedisCache"
    finally:
        for application in apps:
            with application.app_context():
                cache.clear()
                db.engine.dispose()
