"""The floor: the commission list's first page from a minimal Flask + SQLAlchemy handler.

The same 20 rows as the app's list (newest first: number, project, unit, coordinator,
state, application date, deadline), one query with the same joins, rendered by Jinja into
a bare table: no login form, no permissions, no menus, no filters, no row count. As a real
minimal app would, it compiles its template once and reads its signed session cookie (the
signed-in user's id) on every request. What the app spends above this is the price of the
framework and of its features; bench_city.py prints every page as a ratio to it.

Under load, ``serve()`` is the floor as gunicorn serves it (scripts/bench/load.py,
``run_floor``): the same workers and clients as the app's concurrent runs, so each of those
is printed as a share of the floor's throughput on the same machine in the same hour.
"""
from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa
from flask import Flask, abort, session

from bench.pages import Page, StatementCounter, measure

#: the floor's name in the benchmark's tables, in-process and under load
NAME = "floor: minimal Flask + SQLAlchemy, same 20 rows"

ROWS = sa.text("""
    SELECT c.application_no, p.name AS project, u.name AS unit, s.name AS coordinator,
           c.state, c.applied_on, c.contact_due_on, c.contacted_on
    FROM commission c
    JOIN project p ON p.id = c.project_id
    JOIN unit u ON u.id = p.unit_id
    LEFT JOIN staff_member s ON s.id = c.coordinator_id
    ORDER BY c.id DESC
    LIMIT 20
""")

TEMPLATE = """<!doctype html><html lang="zh"><meta charset="utf-8"><title>委托协办</title>
<p>{{ user }}</p><table>
<tr><th>申请编号</th><th>项目</th><th>建设单位</th><th>协办员</th><th>状态</th><th>确认申请日期</th><th>期限</th></tr>
{% for row in rows %}<tr><td>{{ row.application_no or "" }}</td><td>{{ row.project }}</td>
<td>{{ row.unit }}</td><td>{{ row.coordinator or "" }}</td><td>{{ row.state }}</td>
<td>{{ row.applied_on or "" }}</td>
<td>{{ row.contact_due_on if row.state == "assigned" and not row.contacted_on else "" }}</td></tr>
{% endfor %}</table></html>"""


def minimal_app(url: str) -> tuple[Flask, sa.Engine]:
    engine = sa.create_engine(url)
    app = Flask("floor")
    app.secret_key = "floor-secret-key-of-32-bytes-or-more"
    template = app.jinja_env.from_string(TEMPLATE)  # compiled once, as a real app's are

    @app.get("/")
    def commissions() -> str:
        user = session.get("_user_id")  # the signed cookie, checked on every request
        if user is None:
            abort(403)
        with engine.connect() as conn:
            rows = conn.execute(ROWS).all()
        return template.render(rows=rows, user=user)

    @app.get("/health")
    def health() -> str:
        return "ok"

    return app, engine


def serve() -> Flask:
    """The floor app for gunicorn (``bench.floor:serve()``), on DATABASE_URL."""
    return minimal_app(os.environ["DATABASE_URL"])[0]


def session_cookie(app: Flask) -> str:
    """A Cookie header with the floor app's signed session of user 1 (what ``signed_in``
    gives its test client)."""
    value = app.session_interface.get_signing_serializer(app).dumps({"_user_id": "1"})
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def signed_in(app: Flask):
    """A test client carrying the floor app's signed session cookie."""
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = "1"
    return client


def run(url: str, runs: int) -> Any:
    app, engine = minimal_app(url)
    try:
        return measure(signed_in(app),
                       Page(NAME, "/", runs),
                       StatementCounter(engine))
    finally:
        engine.dispose()
