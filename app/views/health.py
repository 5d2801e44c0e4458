"""``GET /health``: the load balancer's and the monitor's probe (no login, no menu).

200 ``{"status": "ok", "database": "ok"}`` when the database answers, else 503 with the
failing part (``"database": "unavailable"``); the check itself is app/ops/health.py. A plain
Flask blueprint, not a FAB view: it must answer without a session, a permission or a CSRF
token, and it creates no permission for sync-perms to manage.
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from app.extensions import csrf, db
from app.ops.health import check

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def health():
    """The health report as JSON: 200 when healthy, 503 otherwise."""
    report = check(db.engine)
    response = jsonify(report.as_json())
    response.status_code = 200 if report.healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def register(appbuilder) -> None:
    """Attach the blueprint (called from app/views/__init__.py inside the app context)."""
    csrf.exempt(blueprint)  # GET only anyway; exempt so that no probe ever meets a 400
    current_app.register_blueprint(blueprint)
