"""Screens of the approval plan (审批进度计划): versions and steps (app/views/plan.py).

A plan is drafted (numbered and scheduled by the domain) and confirmed by the steps on the
commission's page; these screens list and show it and write nothing (R-16.1).
"""
from __future__ import annotations

import datetime as dt

from tests.helpers import count, page, post

from app.domain import planning
from app.domain.workdays import load_calendar
from app.extensions import db
from app.models import Commission, PlanStep, PlanVersion
from app.states import CommissionState
from tests import factories as f

PLANS = "/planversionview"
STEPS = "/planstepview"
D = dt.date.fromisoformat


def _opened(app) -> int:
    with app.app_context():
        commission = f.opened()  # plan v1 drafted and confirmed by the steps
        db.session.commit()
        return commission.id


def test_plan_versions_are_shown_as_the_steps_wrote_them(app, client):
    """R-5.3: a re-plan is a new version (numbered by the domain), the earlier one stays;
    both are listed and shown with their steps."""
    pk = _opened(app)
    response = post(client, f"/workflow/commission/{pk}/draft_plan",
                    {"start": "2025-10-20", "note": "调整计划"})
    assert response.status_code == 302
    with app.app_context():
        versions = db.session.query(PlanVersion).order_by(PlanVersion.version).all()
        assert [(v.version, v.confirmed_by) for v in versions] == [(1, "陈经办"), (2, None)]
        second = versions[1].id
        step = db.session.query(PlanStep).filter_by(plan_version_id=second).first().id
    listing = page(client, f"{PLANS}/list/")
    for text in ("审批进度计划", "版本", "拟定日期", "建设单位确认日期", "确认人", "陈经办"):
        assert text in listing, text
    assert f"{PLANS}/add" not in listing and f"{PLANS}/edit/" not in listing
    shown = page(client, f"{PLANS}/show/{second}")
    assert "调整计划" in shown and "计划事项" in shown
    assert "江城滨海智造产业园一期" in page(client, f"{STEPS}/show/{step}")


def test_plan_confirmation_only_by_its_step(app, client):
    """R-16.1: the old plan form that confirmed a plan is gone; the confirm step does it."""
    pk = _opened(app)
    assert post(client, f"/workflow/commission/{pk}/draft_plan",
                {"start": "2025-10-20"}).status_code == 302
    with app.app_context():
        plan = planning.latest_plan(db.session.get(Commission, pk))
        second, drafted = plan.id, plan.drafted_on.isoformat()  # drafted "today"
    refused = post(client, f"{PLANS}/edit/{second}",
                   {"confirmed_on": drafted, "confirmed_by": "陈经办"})
    assert refused.status_code in (403, 404, 405)
    assert post(client, f"{PLANS}/add", {"commission": pk, "drafted_on": "2025-10-20"}
                ).status_code in (403, 404, 405)
    with app.app_context():
        assert count(PlanVersion) == 2
        assert db.session.get(PlanVersion, second).confirmed_on is None
    response = post(client, f"/workflow/commission/{pk}/confirm_plan",
                    {"confirmed_by": "陈经办", "confirmed_on": drafted})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(PlanVersion, second).confirmed_by == "陈经办"


def test_confirming_before_drafting_is_refused_by_the_step(app, client):
    """R-5.3: the unit cannot confirm a plan before it was drafted (the domain's rule)."""
    pk = _opened(app)
    assert post(client, f"/workflow/commission/{pk}/draft_plan",
                {"start": "2025-10-20"}).status_code == 302
    with app.app_context():
        plan = planning.latest_plan(db.session.get(Commission, pk))
        drafted = plan.drafted_on
    day_before = (drafted - dt.timedelta(days=1)).isoformat()
    response = post(client, f"/workflow/commission/{pk}/confirm_plan",
                    {"confirmed_by": "陈经办", "confirmed_on": day_before})
    assert response.status_code == 200 and "拟定" in response.get_data(as_text=True)
    with app.app_context():
        assert planning.latest_plan(db.session.get(Commission, pk)).confirmed_on is None


def test_plan_steps_are_not_edited_on_their_screen(app, client):
    """R-16.1: a plan's lines are the domain's schedule: no add, edit or delete here."""
    pk = _opened(app)
    with app.app_context():
        step = db.session.query(PlanStep).first()
        step_id, planned = step.id, step.planned_done_on
        cal = load_calendar(db.session)
        assert db.session.get(Commission, pk).state == CommissionState.in_progress
    for url in (f"{STEPS}/edit/{step_id}", f"{STEPS}/delete/{step_id}", f"{STEPS}/add"):
        assert post(client, url, {"planned_done_on": cal.add(planned, 3).isoformat()}
                    ).status_code in (403, 404, 405), url
    with app.app_context():
        assert db.session.get(PlanStep, step_id).planned_done_on == planned
