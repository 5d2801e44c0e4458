"""What a gunicorn worker serving pages holds (issue 16, worker memory ≤ 100 MiB): not
pypinyin's dictionaries (55 MiB: the pinyin keys come from app/pinyin_table.txt), nor the PDF
libraries (with segno, the QR codes') and the Excel ones, which load with the first print or
export; the modules FAB imports for what pages never do (app/lazy_imports.py) are imported but
not run. Then the REST API, which runs some of them (jsonschema for ``q``, PyYAML and apispec's
docstring reader for the OpenAPI document), answers from that same worker.

A fresh interpreter, as a worker is: the app built without migrations nor the ``flask``
commands, what the master preloads (app/ops/preload.py), signed in, then the pages of the
benchmark's mix (the commission list, the dashboard, 督办, a case page) and a form whose select
of people is read by pinyin. Its ``sys.modules`` is then checked, not its memory: the modules hold the gain
where a memory threshold would flicker with the machine.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.extensions import db
from app.states import CommissionState
from tests import factories as f
from tests.accounts import ADMIN_PASSWORD, ADMIN_USER

ROOT = Path(__file__).resolve().parent.parent
#: never in a worker that served only pages
HEAVY = ("pypinyin", "xhtml2pdf", "reportlab", "segno", "openpyxl", "html5lib", "pypdf",
         # jsonschema's own dependencies, never imported while jsonschema is not run
         "referencing", "rpds", "jsonschema_specifications")
#: what the API's answers below run of app/lazy_imports.DEFERRED
RUN_BY_THE_API = {"jsonschema", "yaml", "apispec.yaml_utils"}

PROBE = """
import json, sys
from app import create_app, lazy_imports
from app.config import TestConfig
from app.ops.preload import preload

application = create_app(TestConfig(), {"SQLALCHEMY_DATABASE_URI": sys.argv[1]})
with application.app_context():
    preload()
client = application.test_client()
client.post("/login/", data={"username": sys.argv[2], "password": sys.argv[3]})
pages = {}
for url in sys.argv[4:]:
    response = client.get(url)
    pages[url] = [response.status_code, 'data-pinyin="' in response.get_data(as_text=True)]
modules = sorted({n.split(".")[0] for n in sys.modules})
ran = sorted(lazy_imports.ran())
login = client.post("/api/v1/security/login", json={
    "username": sys.argv[2], "password": sys.argv[3], "provider": "db", "refresh": False})
headers = {"Authorization": "Bearer " + login.get_json()["access_token"]}
api = {url: client.get(url, headers=headers).status_code for url in (
    "/api/v1/_openapi", "/api/v1/commission_item/?q=(filters:!((col:due_on,opr:lt,value:'2026-12-01')))")}
print(json.dumps({"pages": pages, "modules": modules, "ran": ran, "api": api,
                  "ran_by_api": sorted(lazy_imports.ran())}))
"""


def test_a_worker_serving_pages_never_loads_pypinyin_pdf_excel_nor_runs_the_deferred(app, ctx, database_url):
    case = f.case(CommissionState.in_progress, coordinator=f.staff(name="陈晓敏"))
    db.session.commit()
    pages = ["/commissionview/list/", "/commissionview/list/?_flt_0_state=in_progress", "/",
             "/overdue/", f"/commissionview/show/{case.id}", "/coordinationmeetingview/add"]
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("FAB_", "FLASK_"))}
    env.update({"MIGRATIONS_ENABLED": "0", "CLI_COMMANDS_ENABLED": "0", "PYTHONPATH": str(ROOT)})
    done = subprocess.run([sys.executable, "-c", PROBE, database_url, ADMIN_USER, ADMIN_PASSWORD,
                           *pages], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.splitlines()[-1])
    assert {url: status for url, (status, _) in answer["pages"].items()} == \
        dict.fromkeys(pages, 200)
    # the attendees' select: its options carry their pinyin keys (from the table)
    assert answer["pages"]["/coordinationmeetingview/add"][1]
    assert not set(HEAVY) & set(answer["modules"])
    assert answer["ran"] == []
    # what pages never needed still works when the API needs it
    assert set(answer["api"].values()) == {200}, answer["api"]
    assert RUN_BY_THE_API <= set(answer["ran_by_api"])
