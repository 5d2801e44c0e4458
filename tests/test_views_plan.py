"""Screens of the approval plan (审批进度计划): versions and steps (app/views/plan.py)."""
from __future__ import annotations

from conftest import form_errors
from test_views_commission_rows import (
    D,
    count,
    make_approval_item,
    make_commission,
    make_department,
    make_item,
    only,
    page,
    post,
)

from app.extensions import db
from app.models import PlanStep, PlanVersion

PLANS = "/planversionview"
STEPS = "/planstepview"


def _commission(app, no: str = "JC2026-0201") -> int:
    with app.app_context():
        commission = make_commission(no)
        db.session.commit()
        return commission.id


def test_plan_version_round_trip_keeps_earlier_versions(app, client):
    """R-5.3: a plan is drafted and confirmed by the unit (date, by whom); a changed plan is
    a new version and the earlier one stays."""
    commission_id = _commission(app)
    response = post(client, f"{PLANS}/add", {"commission": commission_id,
                                             "drafted_on": "2026-03-03"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        first = only(PlanVersion)
        assert (first.commission_id, first.version, first.drafted_on) == (
            commission_id, 1, D("2026-03-03"))
        first_id = first.id

    response = post(client, f"{PLANS}/edit/{first_id}", {
        "commission": commission_id, "drafted_on": "2026-03-03",
        "confirmed_on": "2026-03-04", "confirmed_by": "陈经办",
    })
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        first = db.session.get(PlanVersion, first_id)
        assert (first.confirmed_on, first.confirmed_by) == (D("2026-03-04"), "陈经办")

    response = post(client, f"{PLANS}/add", {"commission": commission_id,
                                             "drafted_on": "2026-04-01", "note": "调整计划"})
    assert response.status_code == 302
    with app.app_context():
        versions = db.session.query(PlanVersion).order_by(PlanVersion.version).all()
        assert [(v.version, v.drafted_on) for v in versions] == [
            (1, D("2026-03-03")), (2, D("2026-04-01"))]
        second_id = versions[1].id

    listing = page(client, f"{PLANS}/list/")
    for text in ("审批进度计划", "版本", "拟定日期", "建设单位确认日期", "确认人", "陈经办",
                 "JC2026-0201"):
        assert text in listing, text
    shown = page(client, f"{PLANS}/show/{second_id}")
    assert "调整计划" in shown and "计划事项" in shown
    assert 'name="version"' not in page(client, f"{PLANS}/add")


def test_plan_confirmed_before_drafted_is_refused(app, client):
    """R-5.3: the unit cannot confirm a plan before it was drafted."""
    commission_id = _commission(app)
    response = post(client, f"{PLANS}/add", {
        "commission": commission_id, "drafted_on": "2026-03-03",
        "confirmed_on": "2026-03-02", "confirmed_by": "陈经办",
    })
    assert response.status_code == 200
    assert "确认日期不得早于拟定日期" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(PlanVersion) == 0


def test_plan_confirmation_names_who_confirmed(app, client):
    """R-5.3: a confirmation records both its date and who confirmed for the unit."""
    commission_id = _commission(app)
    response = post(client, f"{PLANS}/add", {
        "commission": commission_id, "drafted_on": "2026-03-03", "confirmed_on": "2026-03-04",
    })
    assert response.status_code == 200
    assert "请填写建设单位的确认人" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(PlanVersion) == 0


def _plan(app):
    with app.app_context():
        commission = make_commission("JC2026-0202")
        dept = make_department("区住房和城乡建设局")
        catalogue = make_approval_item(dept, "施工图联合审查")
        item = make_item(commission, catalogue)
        plan = PlanVersion(commission=commission, version=1, drafted_on=D("2026-03-03"))
        db.session.add(plan)
        db.session.commit()
        return {"plan": plan.id, "catalogue": catalogue.id, "item": item.id}


def test_plan_step_round_trip(app, client):
    """R-5.3: each step lists the item, its department, planned submission and completion;
    the plan's page lists its steps."""
    ids = _plan(app)
    response = post(client, f"{STEPS}/add", {
        "plan_version": ids["plan"], "sequence": "1", "approval_item": ids["catalogue"],
        "commission_item": ids["item"], "planned_submit_on": "2026-03-05",
        "planned_done_on": "2026-03-26",
    })
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        step = only(PlanStep)
        assert (step.plan_version_id, step.approval_item_id, step.commission_item_id) == (
            ids["plan"], ids["catalogue"], ids["item"])
        assert (step.planned_submit_on, step.planned_done_on) == (
            D("2026-03-05"), D("2026-03-26"))
        pk = step.id
    listing = page(client, f"{STEPS}/list/")
    for text in ("计划事项", "序号", "审批部门", "计划申报日期", "计划办结日期", "施工图联合审查",
                 "区住房和城乡建设局"):
        assert text in listing, text
    assert "协办事项" in page(client, f"{STEPS}/show/{pk}")
    response = post(client, f"{STEPS}/edit/{pk}", {
        "plan_version": ids["plan"], "sequence": "2", "approval_item": ids["catalogue"],
        "planned_submit_on": "2026-03-06", "planned_done_on": "2026-03-27", "note": "顺延一天",
    })
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        step = db.session.get(PlanStep, pk)
        assert (step.sequence, step.planned_done_on, step.note) == (2, D("2026-03-27"), "顺延一天")
        assert step.commission_item_id is None
    assert "施工图联合审查" in page(client, f"{PLANS}/show/{ids['plan']}")


def test_plan_step_completion_before_submission_is_refused(app, client):
    """R-5.3: the planned completion cannot be before the planned submission."""
    ids = _plan(app)
    response = post(client, f"{STEPS}/add", {
        "plan_version": ids["plan"], "sequence": "1", "approval_item": ids["catalogue"],
        "planned_submit_on": "2026-03-05", "planned_done_on": "2026-03-04",
    })
    assert response.status_code == 200
    assert "计划办结日期不得早于计划申报日期" in " ".join(
        form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(PlanStep) == 0


def test_plan_step_item_of_another_commission_is_refused(app, client):
    """R-5.3: a plan's step refers only to items of the plan's own commission."""
    ids = _plan(app)
    with app.app_context():
        stranger = make_item(make_commission("JC2026-0203"))
        db.session.commit()
        stranger_id = stranger.id
    response = post(client, f"{STEPS}/add", {
        "plan_version": ids["plan"], "sequence": "1", "approval_item": ids["catalogue"],
        "commission_item": stranger_id, "planned_submit_on": "2026-03-05",
        "planned_done_on": "2026-03-06",
    })
    assert response.status_code == 200
    assert "该记录属于其他委托协办" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(PlanStep) == 0
