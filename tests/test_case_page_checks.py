"""The case page's buttons are the steps whose preconditions hold (R-16.1); a few of those
checks read the commission's items or its termination form. They answer alike whether the
items are loaded or not (issue 16: the page asks one statement, not every item and its
relations), and the form is read once however many steps ask."""
from __future__ import annotations

import sqlalchemy as sa

from app.choices import TerminationReason
from app.domain import approvals, closing, planning
from app.domain.errors import DomainError
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.lifecycle import LIFECYCLES
from app.models import Commission, CommissionItem
from app.models.items import attempt_label
from app.states import CommissionState
from tests import factories as f
from tests.factories import D
from tests.helpers import page

CAL = WorkCalendar()


def _refusal(commission: Commission) -> str | None:
    try:
        closing.check_start_delivery(commission)
    except DomainError as refused:
        return str(refused)
    return None


def _answers(pk: int) -> tuple:
    db.session.expire_all()
    commission = db.session.get(Commission, pk)
    assert "items" in sa.inspect(commission).unloaded
    unloaded = (planning.has_items(commission), closing.open_item_labels(commission),
                _refusal(commission))
    assert "items" in sa.inspect(commission).unloaded  # asked, not loaded
    assert commission.items
    loaded = (planning.has_items(commission), closing.open_item_labels(commission),
              _refusal(commission))
    assert loaded == unloaded
    return loaded


def test_item_checks_answer_alike_with_items_loaded_or_not_R_16_1(ctx):
    commission = f.opened()
    first, second = commission.items
    for item in (first, second):
        approvals.submit(db.session, item, on=D("2025-10-10"))
        approvals.accept(db.session, item, on=D("2025-10-10"), cal=CAL)
    db.session.commit()
    has, labels, refusal = _answers(commission.id)
    assert has and labels == [str(first), str(second)] and labels[0] in refusal

    approvals.approve(db.session, first, on=D("2025-10-13"))
    approvals.refuse(db.session, second, on=D("2025-10-13"), reason="材料不全")
    approvals.record_unit_informed(second, on=D("2025-10-14"))
    again = approvals.reapply(db.session, second)
    db.session.commit()
    has, labels, refusal = _answers(commission.id)
    assert labels == [attempt_label(second.approval_item.name, 2)] == [str(again)]
    assert labels[0].endswith("（第2次）") and labels[0] in refusal

    approvals.submit(db.session, again, on=D("2025-10-15"))
    approvals.accept(db.session, again, on=D("2025-10-15"), cal=CAL)
    approvals.approve(db.session, again, on=D("2025-10-16"))
    db.session.commit()
    assert _answers(commission.id) == (True, [], None)


def test_a_commission_without_items_offers_no_plan_R_16_1(ctx):
    """No step opens one without items; an imported record may come without (R-18)."""
    commission = f.case(CommissionState.planning)
    db.session.commit()
    db.session.execute(sa.delete(CommissionItem).where(
        CommissionItem.commission_id == commission.id))
    db.session.commit()
    db.session.expire_all()
    commission = db.session.get(Commission, commission.id)
    assert not planning.has_items(commission)
    assert not LIFECYCLES["commission"].step("draft_plan").allowed(db.session, commission)


def test_case_page_reads_the_termination_form_once_R_10_2(app, client, count_queries):
    with app.app_context():
        commission = f.case(CommissionState.terminating, reason=TerminationReason.unit_request)
        db.session.commit()
        pk = commission.id
    url = f"/commissionview/show/{pk}"
    page(client, url)
    with count_queries() as seen:
        html = page(client, url)
    reads = [s for s in seen if " FROM termination " in " ".join(f"{s} ".split())]
    assert len(reads) <= 1, reads
    assert "confirm_termination" in html  # the unit's confirmation is offered
