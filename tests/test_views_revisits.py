"""回访 screens with the five-level 好差评 rating, and 整改 of bad ratings (R-13.2)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from conftest import form_errors

from app.choices import ContactMethod, Rating
from app.extensions import db
from app.models import Commission, Rectification, Revisit, StaffMember
from app.states import CommissionState
from tests import factories as f
from tests.role_clients import link_account


def _commission(n: int) -> Commission:
    """A commission completed (by the steps, numbered JCXB-2026-0001, … in the order made)
    on its own project 回访测试项目<n>."""
    return f.case(CommissionState.completed, on=dt.date(2026, 3, 2),
                  project=f.project(name=f"回访测试项目{n}"))


def _visitor(name: str = "赵协办") -> StaffMember:
    return f.staff(name=name)


def _revisit(commission: Commission, rating: Rating = Rating.dissatisfied,
             visitor: StaffMember | None = None) -> Revisit:
    revisit = Revisit(commission=commission, visited_on=dt.date(2026, 4, 1),
                      method=ContactMethod.phone, person_reached="陈经理", rating=rating,
                      visitor=visitor)
    db.session.add(revisit)
    return revisit


def _revisit_form(commission_id: int, visitor_id: int, **changes) -> dict:
    data = {"commission": str(commission_id), "visited_on": "2026-04-01", "method": "phone",
            "visitor": str(visitor_id), "person_reached": "陈经理", "rating": "satisfied",
            "opinions": "办理及时", "follow_up": "无"}
    data.update(changes)
    return data


def test_revisit_round_trip(client, ctx):
    """R-13.2: a revisit records date, method, person reached, the five-level rating,
    opinions and follow-up; list, show and edit in Chinese. Who made the call is the
    signed-in user (R-16.2)."""
    commission, visitor = _commission(1), link_account(_visitor())
    db.session.commit()
    response = client.post("/revisitview/add", data=_revisit_form(commission.id, visitor.id))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    revisit = db.session.scalars(sa.select(Revisit)).one()
    assert (revisit.commission_id, revisit.method, revisit.rating, revisit.person_reached,
            revisit.visitor_id) == (
        commission.id, ContactMethod.phone, Rating.satisfied, "陈经理", visitor.id)

    html = client.get("/revisitview/list/").get_data(as_text=True)
    for text in ("回访", "回访日期", "回访方式", "受访人", "满意度评价", "满意", "电话",
                 "JCXB-2026-0001", "回访测试项目1", "赵协办"):
        assert text in html
    html = client.get(f"/revisitview/show/{revisit.id}").get_data(as_text=True)
    for text in ("意见建议", "后续处理", "办理及时", "整改"):
        assert text in html

    # Every level of the national scale can be chosen, in Chinese.
    html = client.get(f"/revisitview/edit/{revisit.id}").get_data(as_text=True)
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert f">{label}</option>" in html
    assert "回访测试项目2" not in html  # commissions are searched, not listed

    response = client.post(f"/revisitview/edit/{revisit.id}", data=_revisit_form(
        commission.id, visitor.id, rating="very_dissatisfied", method="visit",
        follow_up="转整改"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    db.session.expire_all()
    revisit = db.session.get(Revisit, revisit.id)
    assert (revisit.rating, revisit.method, revisit.follow_up) == (
        Rating.very_dissatisfied, ContactMethod.visit, "转整改")


def test_revisit_bad_input_saves_nothing(client, ctx):
    """R-13.2: an unknown commission or a rating outside the five levels is refused."""
    commission, visitor = _commission(1), _visitor()
    db.session.commit()
    response = client.post("/revisitview/add",
                           data=_revisit_form(999999, visitor.id))
    assert response.status_code == 200
    assert any("所选记录不存在" in e for e in form_errors(response.get_data(as_text=True)))

    response = client.post("/revisitview/add",
                           data=_revisit_form(commission.id, visitor.id, rating="excellent"))
    assert response.status_code == 200
    assert form_errors(response.get_data(as_text=True))
    assert db.session.scalars(sa.select(Revisit)).all() == []


def test_rectification_round_trip_from_the_revisit(client, ctx):
    """R-13.2: a bad rating is rectified from the revisit's page (the revisit comes from
    the related view's filter), then closed with who verified it and the feedback date."""
    commission = _commission(1)
    revisit = _revisit(commission)
    db.session.commit()
    response = client.post(f"/rectificationview/add?_flt_0_revisit={revisit.id}",
                           data={"measures": "专办员上门说明并加快办理"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    rect = db.session.scalars(sa.select(Rectification)).one()
    assert (rect.revisit_id, rect.closed) == (revisit.id, False)

    html = client.get("/rectificationview/list/").get_data(as_text=True)
    for text in ("整改", "核实人", "反馈日期", "已办结", "JCXB-2026-0001", "不满意"):
        assert text in html
    html = client.get(f"/revisitview/show/{revisit.id}").get_data(as_text=True)
    assert f"/rectificationview/show/{rect.id}" in html  # listed under its revisit
    html = client.get(f"/rectificationview/show/{rect.id}").get_data(as_text=True)
    assert "整改措施" in html and "专办员上门说明并加快办理" in html
    html = client.get(f"/rectificationview/edit/{rect.id}").get_data(as_text=True)
    assert f'<option value="{revisit.id}" selected>JCXB-2026-0001 2026-04-01 不满意</option>' \
        in html

    response = client.post(f"/rectificationview/edit/{rect.id}", data={
        "revisit": str(revisit.id), "measures": "专办员上门说明并加快办理",
        "verified_by": "区政数局刘科长", "feedback_on": "2026-04-10", "closed": "y"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    db.session.expire_all()
    rect = db.session.get(Rectification, rect.id)
    assert (rect.closed, rect.verified_by, rect.feedback_on) == (
        True, "区政数局刘科长", dt.date(2026, 4, 10))


def test_rectification_closing_needs_verifier_and_feedback(client, ctx):
    """R-13.2: closing a rectification without who verified it and the feedback date is
    refused in Chinese, and nothing is saved."""
    revisit = _revisit(_commission(1))
    db.session.commit()
    response = client.post("/rectificationview/add", data={
        "revisit": str(revisit.id), "measures": "整改", "closed": "y"})
    assert response.status_code == 200
    errors = " ".join(form_errors(response.get_data(as_text=True)))
    assert "整改办结须填写核实人" in errors and "整改办结须填写反馈日期" in errors
    assert db.session.scalars(sa.select(Rectification)).all() == []


def test_rectification_only_for_bad_ratings_and_once(client, ctx):
    """R-13.2: only a 不满意/非常不满意 revisit is rectified, and only once."""
    good = _revisit(_commission(1), Rating.basically_satisfied)
    bad = _revisit(_commission(2), Rating.very_dissatisfied)
    db.session.commit()
    response = client.post("/rectificationview/add", data={"revisit": str(good.id)})
    assert response.status_code == 200
    assert any("只有评价为“不满意”或“非常不满意”的回访才需整改" in e
               for e in form_errors(response.get_data(as_text=True)))

    assert client.post("/rectificationview/add",
                       data={"revisit": str(bad.id)}).status_code == 302
    response = client.post("/rectificationview/add", data={"revisit": str(bad.id)})
    assert response.status_code == 200
    assert any("该回访已有整改记录" in e for e in form_errors(response.get_data(as_text=True)))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Rectification)) == 1


def test_revisit_lookup_finds_by_application_number(client, ctx):
    """The rectification form searches revisits by application number or person reached."""
    revisit = _revisit(_commission(7))
    _revisit(_commission(8))
    db.session.commit()
    number = revisit.commission.application_no
    found = client.get(f"/lookup/revisit?q={number[-4:]}").get_json()
    assert found == {"results": [{"id": revisit.id, "text": f"{number} 2026-04-01 不满意"}],
                     "more": False}
    assert len(client.get("/lookup/revisit?q=陈经理").get_json()["results"]) == 2


def test_revisit_list_query_count_is_independent_of_rows(client, ctx, count_queries):
    """R-13.2: the revisit list costs the same number of SQL statements for 3 and 25 rows
    (commission, project and visitor are loaded per page, not per row)."""

    def render() -> int:
        client.get("/revisitview/list/?psize_RevisitView=25")  # the session's first page keeps its roles and permissions
        with count_queries() as statements:
            response = client.get("/revisitview/list/?psize_RevisitView=25")
        assert response.status_code == 200
        return len(statements)

    def add_rows(numbers: range) -> None:
        for n in numbers:
            _revisit(_commission(n), Rating.satisfied, _visitor(f"协办员{n}"))
        db.session.commit()

    add_rows(range(3))
    few = render()
    add_rows(range(3, 25))
    assert render() == few
    assert client.get("/revisitview/list/?psize_RevisitView=25").get_data(
        as_text=True).count("回访测试项目") == 25
