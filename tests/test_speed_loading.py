"""Leaner loading (issue 16 item 4): a list page spends its statements on its rows only.

The signed-in user is read with the account's session version and the role definitions'
version in one statement (the revocation check, R-14.6); the user's roles and their
permission set are kept per process under those versions, so no statement loads them
again; the relations a list shows are joined into its page query. Changing a role's
permissions or a user's roles raises the definitions' version: the kept sets are dropped
at once, in every worker (R-14.2).
"""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import RoleDefinitions
from tests.role_clients import role_client
from app.states import CommissionState
from tests import factories as f


def make_commission(coordinator=None):
    """An accepted commission (opened by its step), with its own project."""
    return f.case(CommissionState.accepted, coordinator=coordinator)


def make_staff():
    return f.staff()

LIST = "/commissionview/list/"
PAGES = (LIST, f"{LIST}?_flt_0_state=in_progress", f"{LIST}?page_CommissionView=1")
#: the issue's goal; measured: user with both versions (1), count (1), the page with its
#: shown relations joined (1), the deadline lights' working calendar (2), one more
LIST_STATEMENTS = 7
SECURITY_TABLES = ("ab_role", "ab_group", "ab_permission", "ab_view_menu")


def _statements(client, count_queries, url: str) -> list[str]:
    client.get(url)  # the session's first page loads what is kept
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return statements


def test_commission_list_statements_issue16(app, client, count_queries):
    """Issue 16 item 4: the commission list, first page, filtered and paged, spends 3
    statements (5 with deadline lights) whatever the number of rows (goal ≤ 7), none on roles or permissions."""
    counts = []
    for total in (3, 25):
        with app.app_context():
            coordinator = make_staff()
            while len(db.session.scalars(sa.text("select id from commission")).all()) < total:
                make_commission(coordinator=coordinator)
            db.session.commit()
        for url in PAGES:
            statements = _statements(client, count_queries, url)
            assert len(statements) <= LIST_STATEMENTS, (url, statements)
            assert not [s for s in statements if any(t in s for t in SECURITY_TABLES)]
            counts.append(len(statements))
    # page 2 of 3 rows is empty (no page query); the pages with rows cost the same
    assert counts[0] == counts[3], counts


def _definitions_version(app) -> int:
    with app.app_context():
        return db.session.get(RoleDefinitions, 1).version


def test_role_permission_change_drops_kept_sets_r14_2(app):
    """R-14.2: a permission taken from a role is refused on the role's next request, though
    the role's permission set was kept between requests."""
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.add_role("测速角色一")
        sm.add_permission_role(role, sm.find_permission_view_menu("can_list", "CommissionView"))
        sm.add_permission_role(role, sm.find_permission_view_menu("menu_access", "Commissions"))
    client = role_client(app, ["测速角色一"])
    assert client.get(LIST).status_code == 200
    assert client.get(LIST).status_code == 200  # answered from the kept sets
    before = _definitions_version(app)
    with app.app_context():
        sm = app.appbuilder.sm
        sm.del_permission_role(sm.find_role("测速角色一"),
                               sm.find_permission_view_menu("can_list", "CommissionView"))
    assert _definitions_version(app) > before
    assert client.get(LIST).status_code != 200


def test_user_role_change_drops_kept_roles_r14_2(app):
    """R-14.2: a role taken from a user on the user screen's model is refused at once."""
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.add_role("测速角色二")
        sm.add_permission_role(role, sm.find_permission_view_menu("can_list", "CommissionView"))
    client = role_client(app, ["测速角色二"])
    assert client.get(LIST).status_code == 200
    before = _definitions_version(app)
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.find_user(username=next(
            u.username for u in sm.get_all_users() if any(r.name == "测速角色二" for r in u.roles)))
        user.roles = []
        db.session.commit()
    assert _definitions_version(app) > before
    assert client.get(LIST).status_code != 200


def test_login_does_not_raise_definitions_version(app, client):
    """A login writes the user row (last login, count) but no role: the kept sets stay."""
    before = _definitions_version(app)
    client.get(LIST)
    assert _definitions_version(app) == before


def _count_statements(statements: list[str], table: str = "project") -> int:
    """The statements counting ``table``'s rows (not those of a filter's choices)."""
    return sum("count(*)" in s.lower() and f"from {table}" in " ".join(s.lower().split())
               for s in statements)


PROJECTS = "/projectview/list/"


def test_unfiltered_list_keeps_its_count_issue16(app, client, count_queries, monkeypatch):
    """Issue 16 item 4: a long list nobody filtered keeps its row count (no count(*) on
    the next page); a filter of the user's, a page at the end and a new row count exactly.
    (The commission list reads the database's own exact count: tests/test_row_count.py.)"""
    monkeypatch.setitem(app.config, "LIST_COUNT_KEPT_FROM", 5)
    monkeypatch.setitem(app.config, "LIST_COUNT_KEPT_DIALECTS", ("sqlite", "postgresql"))
    with app.app_context():
        owner = f.unit()
        for number in range(45):
            f.project(owner, name=f"项目{number:02d}")
        db.session.commit()
    client.get(PROJECTS)  # counts and keeps
    with count_queries() as first:
        assert client.get(PROJECTS).status_code == 200
    assert _count_statements(first) == 0, first
    with count_queries() as filtered:
        client.get(f"{PROJECTS}?_flt_2_name=项目1")
    assert _count_statements(filtered) == 1
    with count_queries() as last:
        html = client.get(f"{PROJECTS}?page_ProjectView=2").get_data(as_text=True)
    assert _count_statements(last) == 1  # the last page: the exact number
    assert "/projectview/show/" in html
    with app.app_context():
        f.project(owner, name="项目新")
        db.session.commit()
    with count_queries() as after_add:
        client.get(PROJECTS)
    assert _count_statements(after_add) == 1  # a new row dropped the kept count


def test_small_list_counts_exactly_issue16(app, client, count_queries, monkeypatch):
    """Below LIST_COUNT_KEPT_FROM rows the count is exact on every page."""
    monkeypatch.setitem(app.config, "LIST_COUNT_KEPT_DIALECTS", ("sqlite", "postgresql"))
    with app.app_context():
        f.project()
        db.session.commit()
    client.get(PROJECTS)
    with count_queries() as statements:
        client.get(PROJECTS)
    assert _count_statements(statements) == 1


def test_commission_list_loads_only_what_its_cells_read_issue16(app, client, count_queries):
    """Issue 16 item 4 ("nothing loaded that the page does not show"): the page query reads
    the list's columns of the commission, its project, unit, coordinator and termination
    (CommissionView.list_reads), not whole rows; no cell reads anything else (no further
    statement per row), and the cells are those of whole rows."""
    with app.app_context():
        coordinator = make_staff()
        for _ in range(3):
            make_commission(coordinator=coordinator)
        db.session.commit()
    statements = _statements(client, count_queries, LIST)
    page = [s for s in statements if "FROM commission" in s and "count(" not in s.lower()]
    assert len(page) == 1, statements
    for unread in ("commission.remarks", "commission.intention", "project_1.address",
                   "unit_1.credit_code", "staff_member_1.phone", "town"):
        assert unread not in page[0], unread
    lean = client.get(LIST).get_data(as_text=True)
    from app.views.commission import CommissionView
    view = next(v for v in app.appbuilder.baseviews if isinstance(v, CommissionView))
    reads, view.datamodel.list_reads = view.datamodel.list_reads, {}
    try:
        whole = client.get(LIST).get_data(as_text=True)
    finally:
        view.datamodel.list_reads = reads
    def rows(html: str) -> str:
        return html.split('<table class="table table-bordered', 1)[1].split("</table>", 1)[0]

    assert rows(lean) == rows(whole) and "<td>" in rows(lean)
