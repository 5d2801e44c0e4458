"""The navbar's quick search (issue 14, item 4): 申请编号, project code or name, unit name or
credit code, coordinator, with pinyin; one match opens it, several list them (R-14.8: only
what the user may see)."""
from __future__ import annotations

from app import roles
from app.extensions import db
from app.models import Project
from tests.role_clients import role_client
from tests.helpers import numbered_case as make_commission
from tests import factories as _f


def _world():
    wang = make_staff(name="王晓明")
    li = make_staff(name="李建国")
    first = make_commission("JCXB-2026-0001", coordinator=wang)
    second = make_commission("JCXB-2026-0002", coordinator=li)
    first.project.name = "江城区东部新城道路工程"
    first.project.project_code = "2026-441702-48-03-000001"
    first.project.unit.name = "江城区住房和城乡建设局"
    first.project.unit.credit_code = "11441702MB2C12345X"
    second.project.name = "海陵岛码头改造工程"
    second.project.unit.name = "海陵区交通运输局"
    db.session.commit()
    return {"wang": wang.id, "li": li.id, "first": first.id, "second": second.id,
            "project": first.project_id, "unit": first.project.unit_id}


def _go(client, term: str):
    return client.get("/search/", query_string={"q": term})


def test_an_application_number_opens_the_case(app, client, ctx):
    """Typed in full (any case), the number opens the commission at once."""
    w = _world()
    response = _go(client, "jcxb-2026-0001")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/commissionview/show/{w['first']}")


def test_one_match_by_code_name_or_pinyin_opens_the_record(app, client, ctx):
    """Issue 14: a project code, a credit code, a unit name, pinyin initials of a project,
    a coordinator's name: exactly one match opens it."""
    w = _world()
    for term, expected in (
        ("2026-441702-48-03-000001", f"/projectview/show/{w['project']}"),
        ("11441702MB2C12345X", f"/unitview/show/{w['unit']}"),
        ("hldmt", None),  # 海陵岛码头改造工程 (its initials)
        ("李建国", f"/commissionview/list/?_flt_0_coordinator={w['li']}"),
        ("ljg", f"/commissionview/list/?_flt_0_coordinator={w['li']}"),
    ):
        response = _go(client, term)
        assert response.status_code == 302, term
        if expected:
            assert response.headers["Location"].endswith(expected), term
        else:
            project = db.session.query(Project).filter_by(name="海陵岛码头改造工程").one()
            assert response.headers["Location"].endswith(f"/projectview/show/{project.id}")


def test_several_matches_are_listed_by_group_with_their_cases(app, client, ctx):
    """"jcq" matches the unit and the project of 江城区: a page lists both, each with a link to
    the commission list filtered by it."""
    w = _world()
    response = _go(client, "jcq")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "江城区东部新城道路工程" in html and "江城区住房和城乡建设局" in html
    assert f"/commissionview/list/?_flt_0_project={w['project']}" in html
    assert f"/commissionview/list/?_flt_0_unit={w['unit']}" in html
    nothing = _go(client, "zzzzqqq").get_data(as_text=True)
    assert "xb-search-none" in nothing


def test_the_search_box_is_in_the_navbar_for_those_who_may_search(app, client):
    """(No app context held across the requests: flask-login keeps the user on ``g``.)"""
    assert 'id="xb-quick-search"' in client.get("/").get_data(as_text=True)
    auditor = role_client(app, [roles.AUDITOR])
    assert 'id="xb-quick-search"' not in auditor.get("/").get_data(as_text=True)
    assert auditor.get("/search/?q=jcq").status_code in (302, 403)


def test_search_shows_nothing_outside_the_users_scope(app):
    """R-14.8: a coordinator finds their own case and unit, never another's, by number,
    name or pinyin."""
    with app.app_context():
        w = _world()
    wang = role_client(app, [roles.COORDINATOR], staff_id=w["wang"])
    response = wang.get("/search/", query_string={"q": "JCXB-2026-0002"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "xb-search-none" in html
    assert f"/commissionview/show/{w['second']}" not in html
    html = wang.get("/search/", query_string={"q": "hl"}).get_data(as_text=True)
    assert "海陵" not in html
    response = wang.get("/search/", query_string={"q": "jcqzf"})
    assert response.status_code == 302  # their own unit, found by pinyin
    assert response.headers["Location"].endswith(f"/unitview/show/{w['unit']}")


def test_quick_search_costs_a_fixed_number_of_statements(app, client, ctx, count_queries):
    """A few rows per group, whatever the table sizes."""
    _world()

    def statements() -> int:
        with count_queries() as seen:
            assert _go(client, "gc").status_code in (200, 302)
        return len(seen)

    before = statements()
    for n in range(12):
        commission = make_commission(f"JCXB-2026-01{n:02d}")
        commission.project.name = f"江城工程{n}"
    db.session.commit()
    assert statements() <= before + 2


def make_staff(name=None, **kw):
    return _f.staff(name=name, **kw)
