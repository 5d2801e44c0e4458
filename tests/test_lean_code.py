"""gunicorn's processes load modules without their docstrings (app/lean_code.py, issue 16: a
worker's memory), but for the REST API's, whose docstrings are its OpenAPI document.

Each probe is a fresh interpreter, as gunicorn's master is: the finder changes how every
later import of the process loads, so it is never installed in the test process itself.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.lean_code import _lean_cache, kept

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
if sys.argv[1] == "sqlalchemy first":
    import sqlalchemy.event  # imported before the app asks for lean modules
from app import create_app
from app.config import TestConfig
import flask_appbuilder.api, sqlalchemy.orm
from app.api import commission as commission_api
from app.domain import overdue

application = create_app(TestConfig(), {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
document = application.test_client().get("/api/v1/_openapi")
print(json.dumps({
    "status": document.status_code, "document": document.get_json(),
    "sqlalchemy": sqlalchemy.orm.Session.__doc__ is not None,
    "domain": overdue.late_items.__doc__ is not None,
    "fab_api": "get:" in (flask_appbuilder.api.ModelRestApi.get_list.__doc__ or ""),
    "app_api": commission_api.__doc__ is not None,
}))
"""


def _probe(lean: str, *, first: str = "") -> dict:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("FAB_", "FLASK_", "PYTHONDONTWRITEBYTECODE"))}
    env.update({"LEAN_CODE": lean, "MIGRATIONS_ENABLED": "0", "CLI_COMMANDS_ENABLED": "0",
                "PYTHONPATH": str(ROOT)})
    done = subprocess.run([sys.executable, "-c", PROBE, first], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_served_modules_go_without_docstrings_but_the_api_keeps_its_document():
    """Under LEAN_CODE=1 (gunicorn.conf.py) SQLAlchemy's and the app's modules load without
    docstrings; FAB's REST API and the app's keep theirs, and the OpenAPI document served is
    the one a usual process serves, operation for operation."""
    lean, usual = _probe("1"), _probe("0")
    assert lean["status"] == usual["status"] == 200
    assert usual["sqlalchemy"] and usual["domain"]
    assert not lean["sqlalchemy"] and not lean["domain"]
    assert lean["fab_api"] and lean["app_api"]
    assert lean["document"] == usual["document"]
    assert lean["document"]["paths"]["/api/v1/commission/"]["get"]["responses"]
    # compiled once, kept where `python -OO` keeps its code
    cached = ROOT / "app" / "domain" / "__pycache__"
    assert list(cached.glob("overdue.*.opt-2.pyc"))


def test_a_package_imported_before_stays_whole():
    """A package imported before the finder stays as it was, submodules too: SQLAlchemy's
    events assert on their own docstrings, so lean events under a usual ``sqlalchemy.event``
    would fail to import."""
    answer = _probe("1", first="sqlalchemy first")
    assert answer["status"] == 200
    assert answer["sqlalchemy"]  # all of SQLAlchemy loaded as usual
    assert not answer["domain"]  # the app's modules still lean


def test_kept_names_whole_modules_and_their_submodules():
    assert kept("flask_appbuilder.api") and kept("flask_appbuilder.api.convert")
    assert kept("app.api") and kept("app.api.commission")
    assert kept("flask_appbuilder.security.sqla.apis.role.api")
    assert not kept("flask_appbuilder.apis") and not kept("app.apiary")
    assert not kept("flask_appbuilder") and not kept("sqlalchemy.orm") and not kept("app.views")


def test_lean_code_is_cached_beside_the_usual():
    assert _lean_cache("/x/__pycache__/m.cpython-311.pyc") == "/x/__pycache__/m.cpython-311.opt-2.pyc"
    assert _lean_cache("/x/__pycache__/m.cpython-311.opt-1.pyc") == \
        "/x/__pycache__/m.cpython-311.opt-2.pyc"
    assert _lean_cache("/x/m.py") == "/x/m.py"
