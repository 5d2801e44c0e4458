"""A busy button learns that its download started (issue 14, item 6; static/js/busy.js):
a file answering a request that carries ``xb_dl`` comes with a cookie naming the token."""
from __future__ import annotations

from app.extensions import db
from tests.helpers import numbered_case as make_commission


def test_a_file_answer_names_the_busy_token(app, client):
    with app.app_context():
        make_commission("JCXB-2026-0001")
        db.session.commit()
    response = client.get("/ledger/commissions.xlsx?xb_dl=abc123")
    assert response.status_code == 200
    assert "xb_dl=abc123" in response.headers.get("Set-Cookie", "")
    # a page (not a file) or a malformed token: no cookie
    assert "xb_dl" not in client.get("/commissionview/list/?xb_dl=abc123").headers.get(
        "Set-Cookie", "")
    assert "xb_dl" not in client.get("/ledger/commissions.xlsx?xb_dl=a;b").headers.get(
        "Set-Cookie", "")


def test_busy_marks_are_on_the_print_and_export_controls(app, client):
    with app.app_context():
        pk = make_commission("JCXB-2026-0001").id
        db.session.commit()
    listing = client.get("/commissionview/list/").get_data(as_text=True)
    assert 'id="xb-ledger-export" data-xb-busy' in listing and "js/busy.js" in listing
    page = client.get(f"/documents/commission/{pk}").get_data(as_text=True)
    assert page.count("data-xb-busy") >= 2
