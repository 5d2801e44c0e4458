"""Screens of app/views/prereview.py: 咨询预审, the enquiry and its eligibility outcome (R-1.2)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app.choices import StaffRole
from app.extensions import db
from app.models import PreReview, Project, StaffMember
from app.states import PreReviewOutcome
from tests import factories as f
from tests.conftest import form_errors
from tests.test_views_client import make_project, make_unit
from tests.role_clients import link_account
from tests.test_views_organisation import assert_list_queries_constant, count, make_staff


def errors_of(response) -> str:
    """All form messages of a re-rendered form, as one string."""
    assert response.status_code == 200
    return " ".join(form_errors(response.get_data(as_text=True)))


def pre_review_form(receiver, project: Project | None = None, **overrides) -> dict:
    data = {
        "received_on": "2026-04-07", "receiver": str(receiver.id), "enquirer_name": "梁经办",
        "enquirer_phone": "13600001234", "enquiry": "新建厂房能否委托协办？",
    }
    if project is not None:
        data["project"] = str(project.id)
    data.update(overrides)
    return data


def _enquiry(client, receiver, project: Project | None = None) -> PreReview:
    """An enquiry recorded through the screen by ``receiver`` (the admin client is linked to
    that roster entry: the first-asked person is whoever records it, R-16.2)."""
    link_account(receiver)
    response = client.post("/prereviewview/add", data=pre_review_form(receiver, project))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    return db.session.scalars(sa.select(PreReview)).one()


def _decide(client, review: PreReview, **data):
    return client.post(f"/workflow/pre_review/{review.id}/decide", data=data)


def test_pre_review_round_trip(client, ctx):
    """R-1.2, R-16.1: date, first-asked responsible person, project and enquiry are kept;
    the outcome is the decide step's (its form, not the enquiry's), with reason and channel;
    the first-asked person is whoever records the enquiry (R-16.2)."""
    receiver = link_account(make_staff("首问员"))
    project = make_project(make_unit())
    html = client.get("/prereviewview/add").get_data(as_text=True)
    for label in ("新增咨询预审", "咨询日期", "首问负责人", "项目", "咨询人", "咨询内容"):
        assert label in html, label
    for field in ("outcome", "ineligible_reason", "other_channel"):
        assert f'name="{field}"' not in html, field

    response = client.post("/prereviewview/add",
                           data=pre_review_form(receiver, project, outcome="eligible"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    review = db.session.scalars(sa.select(PreReview)).one()
    assert (review.received_on, review.receiver_id, review.project_id, review.enquirer_name,
            review.outcome) == (
        dt.date(2026, 4, 7), receiver.id, project.id, "梁经办", PreReviewOutcome.pending)

    html = client.get("/prereviewview/list/").get_data(as_text=True)
    assert "咨询预审" in html and "首问负责人" in html and "首问员" in html
    assert "江城区智慧物流园" in html and "2026-04-07" in html
    html = client.get(f"/prereviewview/show/{review.id}").get_data(as_text=True)
    assert "咨询内容" in html and "新建厂房能否委托协办？" in html
    assert "阳江市江城建设投资有限公司" in html  # the project's unit
    assert f"/workflow/pre_review/{review.id}/decide" in html

    response = _decide(client, review, outcome="ineligible", reason="项目不在江城区",
                       other_channel="指引至阳东区政务服务中心办理")
    assert response.status_code == 302
    db.session.expire_all()
    review = db.session.scalars(sa.select(PreReview)).one()
    assert (review.outcome, review.ineligible_reason, review.other_channel) == (
        PreReviewOutcome.ineligible, "项目不在江城区", "指引至阳东区政务服务中心办理")


def test_pre_review_without_project_is_kept(client, ctx):
    """R-1.2: every enquiry is recorded, even before a project exists in the system."""
    receiver = make_staff("首问员", StaffRole.coordinator)
    assert _enquiry(client, receiver).project_id is None


def test_ineligible_needs_reason_and_other_channel(client, ctx):
    """R-1.2: an ineligible outcome keeps the reason and the other channel pointed to (the
    domain's rule, said on the decide step's form)."""
    review = _enquiry(client, make_staff())
    response = _decide(client, review, outcome="ineligible")
    assert response.status_code == 200
    assert "请填写项目不符合条件的原因" in response.get_data(as_text=True)
    response = _decide(client, review, outcome="ineligible", reason="属于重大水利项目",
                       other_channel=" ")
    assert "请填写指引建设单位的其他办理途径" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PreReview, review.id).outcome == PreReviewOutcome.pending


def test_excluded_project_cannot_be_eligible(client, ctx):
    """R-1.1, R-1.2: special and major transport/water/energy projects are ineligible."""
    receiver = make_staff()
    unit = make_unit()
    for flags, reason in (({"is_special_project": True}, "特殊工程不纳入协办范围"),
                          ({"is_major_infrastructure": True}, "重大工程不纳入协办范围")):
        project = make_project(unit, f"排除项目-{next(iter(flags))}", **flags)
        review = f.pre_review(project, receiver, on=dt.date(2026, 4, 7), enquirer_name="梁经办",
                              enquirer_phone="13600001234", enquiry="能否委托协办？")
        db.session.commit()
        response = _decide(client, review, outcome="eligible")
        assert response.status_code == 200 and reason in response.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.get(PreReview, review.id).outcome == PreReviewOutcome.pending


def test_pre_review_bad_phone_and_unlinked_account_save_nothing(client, ctx):
    """R-1.2, R-16.2: the enquirer's phone is validated; an account with no roster entry
    cannot be the first-asked person, and is told why."""
    receiver = make_staff()
    message = errors_of(client.post("/prereviewview/add", data=pre_review_form(
        receiver, enquirer_phone="0662")))
    assert "请输入11位手机号码" in message
    assert "您的账号未关联人员名册" in message
    assert count(PreReview) == 0


def test_pre_review_form_picks_the_project_by_search(client, ctx):
    """The project field searches; the form never lists the (large) project table."""
    make_project(make_unit(), "不应出现在表单里的项目")
    html = client.get("/prereviewview/add").get_data(as_text=True)
    assert "/lookup/project" in html and "不应出现在表单里的项目" not in html
    html = client.get("/prereviewview/list/").get_data(as_text=True)
    assert "不应出现在表单里的项目" not in html  # no project filter <select> either


def test_pre_review_is_first_in_casework_menu(client):
    """Every case starts at the pre-review: it is the first entry under 业务办理."""
    html = client.get("/prereviewview/list/").get_data(as_text=True)
    menu = html[html.index("业务办理"):]
    assert menu.index("/prereviewview/list/") < menu.index("/commissionview/list/")
    assert menu.index("/prereviewview/list/") < menu.index("/unitview/list/")


def test_pre_review_list_query_count_is_independent_of_rows(app, client, count_queries):
    """The pre-review list (receiver and project shown) keeps one SQL count for 3 and 25 rows."""
    with app.app_context():
        staff_ids = [make_staff(f"首问{i}").id for i in range(3)]
        unit = make_unit()
        project_ids = [make_project(unit, f"项目{i}").id for i in range(4)]

    def add(i: int) -> None:
        f.pre_review(db.session.get(Project, project_ids[i % 4]),
                     db.session.get(StaffMember, staff_ids[i % 3]),
                     on=dt.date(2026, 1, 1) + dt.timedelta(days=i), enquirer_name=f"咨询人{i}",
                     enquirer_phone="13800138000", enquiry="咨询")

    assert_list_queries_constant(app, client, count_queries, "/prereviewview/list/", add)
