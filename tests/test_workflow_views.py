"""The lifecycle through the screens: step forms, refusals with reasons, nothing half-done."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app import clock
from app.choices import Stage
from app.extensions import db
from app.models import Commission, CommissionItem, Delivery, Notification, PreReview, ResultReceipt
from app.states import CommissionState, ItemState, PreReviewOutcome
from tests import factories as f

D = dt.date.fromisoformat


def _step(client, target, pk, key, **data):
    return client.post(f"/workflow/{target}/{pk}/{key}", data=data, follow_redirects=False)


def _prepared(app):
    with app.app_context():
        items = [f.approval_item(Stage.s1, 5, name="用地预审与选址意见书"),
                 f.approval_item(Stage.s2, 3, name="建设工程规划许可证")]
        coordinator = f.staff(name="张协办")
        review = f.pre_review()
        db.session.commit()
        return review.id, [i.id for i in items], coordinator.id


def _commission(app, pk):
    with app.app_context():
        commission = db.session.get(Commission, pk)
        return commission.state, commission.application_no


def test_drive_a_commission_from_enquiry_to_completion(app, client):
    """R-1.2, R-4.2, R-5.1, R-5.2, R-5.3, R-6.1, R-8.4, R-9.1: every step through the UI."""
    clock.freeze("2025-10-10")  # "today" of this case: the plan is drafted and confirmed then
    review_id, item_ids, coordinator_id = _prepared(app)
    r = _step(client, "pre_review", review_id, "decide", outcome="eligible")
    assert r.status_code == 302
    r = _step(client, "pre_review", review_id, "open_commission", scope="partial",
              items=[str(i) for i in item_ids], intention="全程代办")
    assert r.status_code == 302 and "/commissionview/show/" in r.location
    pk = int(r.location.rstrip("/").split("/")[-1])
    assert _step(client, "commission", pk, "accept", applied_on="2025-09-30").status_code == 302
    assert _commission(app, pk) == (CommissionState.accepted, "JCXB-2025-0001")
    assert _step(client, "commission", pk, "assign", coordinator=str(coordinator_id),
                 on="2025-09-30").status_code == 302
    with app.app_context():
        assert db.session.get(Commission, pk).contact_due_on == D("2025-10-09")
    assert _step(client, "commission", pk, "contact", method="phone",
                 contacted_on="2025-10-09", note="约定下周提交材料").status_code == 302
    assert _step(client, "commission", pk, "draft_plan", start="2025-10-10").status_code == 302
    assert _step(client, "commission", pk, "confirm_plan", confirmed_by="陈经办",
                 confirmed_on="2025-10-10").status_code == 302
    assert _commission(app, pk)[0] == CommissionState.in_progress
    with app.app_context():
        item_pks = [i.id for i in db.session.scalars(sa.select(CommissionItem))]
    for item_pk in item_pks:
        for key, data in (("submit", {"on": "2025-10-10"}), ("accept", {"on": "2025-10-13"}),
                          ("approve", {"on": "2025-10-15", "result_document": "许可证001"})):
            assert _step(client, "item", item_pk, key, **data).status_code == 302
    with app.app_context():  # results-ready waits for the paper results
        db.session.add(ResultReceipt(commission_id=pk, department_id=db.session.get(
            CommissionItem, item_pks[0]).approval_item.department_id,
            received_on=D("2025-10-16"), documents="许可证001"))
        db.session.commit()
    assert _step(client, "commission", pk, "start_delivery").status_code == 302
    r = _step(client, "commission", pk, "complete", on="2025-10-20")
    # refused by the domain's own precondition before any form, with its reason
    assert r.status_code == 302 and "送达回执" in client.get(r.location).get_data(as_text=True)
    assert _commission(app, pk)[0] == CommissionState.delivering
    with app.app_context():
        db.session.add(Delivery(commission_id=pk, method="visit", delivered_on=D("2025-10-17"),
                                receipt_signed_on=D("2025-10-17"), signer="陈经办"))
        db.session.commit()
    assert _step(client, "commission", pk, "complete", on="2025-10-20").status_code == 302
    assert _commission(app, pk)[0] == CommissionState.completed
    with app.app_context():
        templates = db.session.scalars(sa.select(Notification.template)).all()
    assert "coordinator_assigned" in templates and "results_ready" in templates


def test_a_step_not_open_in_this_state_is_refused_and_changes_nothing(app, client):
    """R-9.1: completion of a commission still in pre-review is refused with a reason."""
    review_id, item_ids, _ = _prepared(app)
    _step(client, "pre_review", review_id, "decide", outcome="eligible")
    r = _step(client, "pre_review", review_id, "open_commission", scope="full")
    pk = int(r.location.rstrip("/").split("/")[-1])
    r = client.post(f"/workflow/commission/{pk}/complete", data={"on": "2025-10-20"},
                    follow_redirects=True)
    assert "不能" in r.get_data(as_text=True) or "not possible" in r.get_data(as_text=True)
    assert _commission(app, pk) == (CommissionState.pre_review, None)


def test_domain_refusal_shows_reason_on_the_form(app, client):
    """R-5.2: assigning before the application date is refused on the form, nothing saved."""
    review_id, item_ids, coordinator_id = _prepared(app)
    _step(client, "pre_review", review_id, "decide", outcome="eligible")
    pk = int(_step(client, "pre_review", review_id, "open_commission",
                   scope="full").location.rstrip("/").split("/")[-1])
    _step(client, "commission", pk, "accept", applied_on="2025-09-30")
    r = _step(client, "commission", pk, "assign", coordinator=str(coordinator_id), on="2025-09-01")
    assert r.status_code == 200
    assert "workflow-error" in r.get_data(as_text=True)
    assert _commission(app, pk)[0] == CommissionState.accepted


def test_ineligible_enquiry_keeps_reason_and_channel(app, client):
    """R-1.2: an ineligible outcome needs the reason and the other channel."""
    review_id, _, _ = _prepared(app)
    r = _step(client, "pre_review", review_id, "decide", outcome="ineligible", reason="特殊工程")
    assert r.status_code == 200 and "workflow-error" in r.get_data(as_text=True)
    r = _step(client, "pre_review", review_id, "decide", outcome="ineligible", reason="特殊工程",
              other_channel="市住建局窗口")
    assert r.status_code == 302
    with app.app_context():
        review = db.session.get(PreReview, review_id)
        assert review.outcome == PreReviewOutcome.ineligible
        assert review.other_channel == "市住建局窗口"


def test_refusal_and_reapplication_through_the_item_page(app, client):
    """R-6.2: refuse with reasons, tell the unit, re-apply as a linked attempt."""
    review_id, item_ids, coordinator_id = _prepared(app)
    _step(client, "pre_review", review_id, "decide", outcome="eligible")
    pk = int(_step(client, "pre_review", review_id, "open_commission", scope="partial",
                   items=[str(item_ids[0])]).location.rstrip("/").split("/")[-1])
    with app.app_context():
        item_pk = db.session.scalars(sa.select(CommissionItem.id)).one()
    _step(client, "item", item_pk, "submit", on="2025-10-10")
    assert _step(client, "item", item_pk, "refuse", on="2025-10-15", reason="").status_code == 200
    assert _step(client, "item", item_pk, "refuse", on="2025-10-15",
                 reason="选址与规划不符").status_code == 302
    assert _step(client, "item", item_pk, "informed", on="2025-10-16").status_code == 302
    assert _step(client, "item", item_pk, "reapply").status_code == 302
    with app.app_context():
        rows = db.session.scalars(sa.select(CommissionItem).order_by(CommissionItem.id)).all()
        assert [(r.attempt, r.state) for r in rows] == [(1, ItemState.refused), (2, ItemState.pending)]
        assert rows[1].previous_attempt_id == rows[0].id
    assert pk


def test_unknown_target_step_or_record_is_404(client):
    """Step URLs answer 404 for anything that does not exist."""
    assert client.get("/workflow/nosuch/1/accept").status_code == 404
    assert client.get("/workflow/commission/999999/accept").status_code == 404


def _in_progress_via_ui(app, client):
    review_id, item_ids, coordinator_id = _prepared(app)
    _step(client, "pre_review", review_id, "decide", outcome="eligible")
    pk = int(_step(client, "pre_review", review_id, "open_commission",
                   scope="full").location.rstrip("/").split("/")[-1])
    _step(client, "commission", pk, "accept", applied_on="2025-10-20")
    _step(client, "commission", pk, "assign", coordinator=str(coordinator_id), on="2025-10-20")
    _step(client, "commission", pk, "contact", method="phone", contacted_on="2025-10-21")
    return pk


def test_termination_confirmed_through_the_ui(app, client):
    """R-10.1, R-10.2, R-10.3: terminate with a reason, the unit confirms, materials back."""
    pk = _in_progress_via_ui(app, client)
    r = _step(client, "commission", pk, "terminate", reason="other", reason_text="",
              issued_on="2025-10-22")
    assert r.status_code == 200 and "workflow-error" in r.get_data(as_text=True)
    assert _step(client, "commission", pk, "terminate", reason="unit_request",
                 issued_on="2025-10-22").status_code == 302
    assert _commission(app, pk)[0] == CommissionState.terminating
    assert _step(client, "commission", pk, "confirm_termination", on="2025-10-23").status_code == 302
    assert _step(client, "commission", pk, "handover", on="2025-10-24").status_code == 302
    with app.app_context():
        commission = db.session.get(Commission, pk)
        assert commission.state == CommissionState.terminated
        assert commission.termination.handover_due_on == D("2025-10-24")
        assert commission.termination.handed_over_on == D("2025-10-24")
        assert "termination_notice" in db.session.scalars(sa.select(Notification.template)).all()


def test_termination_by_announcement_through_the_ui(app, client):
    """R-10.4: announce after the confirmation period; the sweep ends it 10 working days on."""
    from app.domain.sweep import sweep
    from app.domain.workdays import WorkCalendar

    pk = _in_progress_via_ui(app, client)
    _step(client, "commission", pk, "terminate", reason="force_majeure", issued_on="2025-10-22")
    r = _step(client, "commission", pk, "announce", published_on="2025-10-24",
              url="https://www.gdzwfw.gov.cn/a/1")
    assert r.status_code == 200 and "workflow-error" in r.get_data(as_text=True)  # too early
    assert _step(client, "commission", pk, "announce", published_on="2025-10-30",
                 url="https://www.gdzwfw.gov.cn/a/1").status_code == 302
    assert _commission(app, pk)[0] == CommissionState.announced
    with app.app_context():
        assert sweep(db.session, today=D("2025-11-13"), cal=WorkCalendar()).terminated == 1
    assert _commission(app, pk)[0] == CommissionState.terminated


def test_commission_page_offers_only_the_allowed_steps(app, client):
    """The buttons on the commission page are the steps its state allows."""
    pk = _in_progress_via_ui(app, client)
    html = client.get(f"/commissionview/show/{pk}").get_data(as_text=True)
    assert f"/workflow/commission/{pk}/draft_plan" in html
    assert f"/workflow/commission/{pk}/terminate" in html
    assert f"/workflow/commission/{pk}/complete" not in html
    assert f"/workflow/commission/{pk}/accept" not in html
