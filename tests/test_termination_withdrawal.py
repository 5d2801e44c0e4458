"""Terminating a commission withdraws its undecided items (R-10.5) and the 终止单 states
when the termination took effect, awaiting confirmation until then (R-10.6, R-15.3)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.choices import TerminationReason
from app.documents import archive, steps
from app.domain import approvals, assessment, closing, corrections, dashboard
from app.domain import definitions as defs
from app.domain.errors import DomainError
from app.domain.overdue import late_items
from app.domain.sweep import sweep
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.lifecycle import ITEM
from app.models import CommissionItem, CommissionStateChange, DocumentKind
from app.states import ItemState
from tests.factories import D, opened
from tests.pdf_helpers import assert_in_order, pdf_text
from tests.test_migrations import fresh_app  # noqa: F401  (the fresh-database fixture)

CAL = WorkCalendar()

URL = "https://www.gdzwfw.gov.cn/notice/77"


@pytest.fixture(autouse=True)
def documents_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENTS_DIR", str(tmp_path / "documents"))


def _running_and_pending():
    """A commission at work: its first item accepted (due 2025-10-17), its second pending."""
    commission = opened()
    first, second = commission.items
    approvals.submit(db.session, first, on=D("2025-10-10"))
    approvals.accept(db.session, first, on=D("2025-10-10"), cal=CAL)
    db.session.commit()
    return commission, first, second


def _terminate(commission, on="2025-10-20", reason=TerminationReason.force_majeure):
    document = steps.terminate(db.session, commission, reason=reason, reason_text=None,
                               issued_on=D(on), confirm_days=5, cal=CAL)
    db.session.commit()
    return document


def test_terminating_withdraws_every_undecided_item_R_10_5(ctx):
    """R-10.5: the terminate step withdraws each undecided item: its own state, the day,
    the reason in its record and in the commission's history; a decided item stays."""
    commission, first, second = _running_and_pending()
    approvals.approve(db.session, first, on=D("2025-10-15"))
    db.session.commit()
    _terminate(commission)
    assert first.state == ItemState.approved and first.withdrawn_on is None
    assert second.state == ItemState.withdrawn
    assert second.withdrawn_on == D("2025-10-20")
    assert "2025-10-20" in second.withdrawal_reason
    assert second.deadline is None
    note = db.session.scalars(
        sa.select(CommissionStateChange.note).where(
            CommissionStateChange.commission_id == commission.id)
        .order_by(CommissionStateChange.id.desc())).first()
    assert str(second) in note


def test_no_step_moves_a_withdrawn_item_R_10_5(ctx):
    """R-10.5: no step of the item lifecycle is offered or accepted afterwards."""
    commission, first, second = _running_and_pending()
    _terminate(commission)
    for item in (first, second):
        assert item.state == ItemState.withdrawn
        assert ITEM.open_steps(db.session, item) == []
    with pytest.raises(DomainError):
        approvals.approve(db.session, first, on=D("2025-10-21"))
    db.session.rollback()
    with pytest.raises(DomainError):
        approvals.submit(db.session, second, on=D("2025-10-21"))
    db.session.rollback()
    with pytest.raises(DomainError):
        corrections.correct_date(db.session, first, field="accepted_on", value=D("2025-10-13"),
                                 reason="录入错误", today=D("2025-10-21"), cal=CAL)
    db.session.rollback()
    closing.confirm_termination(db.session, commission, confirmed_on=D("2025-10-22"), cal=CAL)
    db.session.commit()
    assert {first.state, second.state} == {ItemState.withdrawn}


def test_withdrawn_item_leaves_supervision_dashboard_sweep_and_assessment_R_10_5(ctx):
    """R-10.5: the item's clock stops on the withdrawal day: not overdue on 督办, on the
    dashboard, for the sweep, or in the assessment, also while confirmation is awaited."""
    commission, first, _second = _running_and_pending()
    _terminate(commission, on="2025-10-16")  # before the first item's promised date
    today = D("2025-12-01")  # termination still awaiting confirmation: commission open
    assert sweep(db.session, today=today, cal=CAL).items_marked == 0
    assert first.overdue_on is None
    rows, total = late_items(db.session, today=today, cal=CAL)
    assert total == 0 and rows == []
    assert dashboard.overdue_by_department(db.session, today) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CommissionItem)
                             .join(CommissionItem.commission)
                             .where(defs.overdue_item_as_of(today))) == 0
    figures = assessment.compute(db.session, D("2025-10-01"), D("2025-11-30"))
    assert sum(f.items_overdue for f in figures) == 0
    assert sum(f.items_decided for f in figures) == 0


def test_overdue_before_the_withdrawal_still_counts_R_10_5(ctx):
    """R-10.5, R-13.7: an item already overdue before termination keeps that record."""
    commission, first, _second = _running_and_pending()
    sweep(db.session, today=D("2025-10-20"), cal=CAL)
    assert first.overdue_on == D("2025-10-20")
    _terminate(commission, on="2025-10-21")
    assert first.overdue_on == D("2025-10-20")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CommissionItem)
                             .join(CommissionItem.commission)
                             .where(defs.overdue_item_as_of(D("2025-10-20")))) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CommissionItem)
                             .join(CommissionItem.commission)
                             .where(defs.overdue_item_as_of(D("2025-10-21")))) == 0


def _text(document) -> str:
    return pdf_text(archive.file_of(document).read_bytes())


def test_termination_form_awaits_confirmation_then_states_the_effective_day_R_10_6(ctx):
    """R-10.6, R-15.3: the form issued when termination starts is marked 待建设单位确认 and
    claims no agreement or handover; the unit's confirmation issues the final version, a
    new archived version stating the day it took effect; the first stays."""
    commission, _first, _second = _running_and_pending()
    draft = _terminate(commission, on="2025-10-16")
    text = _text(draft)
    assert "待建设单位确认" in text
    assert "经双方认可" not in text and "移交完毕" not in text
    assert "现因不可抗力致使项目不能继续审批" in text and "因项目因" not in text
    final = steps.confirm_termination(db.session, commission, confirmed_on=D("2025-10-23"),
                                      cal=CAL)
    db.session.commit()
    assert final.version == draft.version + 1
    assert archive.intact(draft)
    text = _text(final)
    assert "待建设单位确认" not in text
    assert_in_order(text, ["经双方认可，于", "2025", "年", "10", "月", "23", "日终止协办委托",
                           "有关资料于2025年10月24日前向建设单位移交",
                           "建设单位（盖章）", "“项目协办”窗口（盖章）",
                           "2025年10月23日", "2025年10月23日"])
    # once the materials are back, a reprint says so (a further version)
    closing.record_handover(commission.termination, on=D("2025-10-24"))
    again, created = archive.issue(db.session, DocumentKind.termination, commission)
    db.session.commit()
    assert created and "有关资料已向建设单位移交完毕" in _text(again)


def test_deemed_confirmation_issues_the_final_form_naming_the_announcement_R_10_6(ctx):
    """R-10.6, R-10.4: deemed confirmed 10 working days after the announcement, the sweep
    issues the final 终止单 with the effective day and the announcement's date and link."""
    commission, _first, _second = _running_and_pending()
    draft = _terminate(commission, on="2025-10-20")
    closing.announce(db.session, commission, published_on=D("2025-10-28"), url=URL, cal=CAL)
    db.session.commit()
    assert sweep(db.session, today=D("2025-11-11"), cal=CAL).terminated == 1
    versions = archive.versions(db.session, DocumentKind.termination, commission.id, None)
    assert [v.version for v in versions] == [draft.version + 1, draft.version]
    text = _text(versions[0])
    assert "待建设单位确认" not in text and "经双方认可" not in text
    assert_in_order(text, ["经公告视为建设单位确认，于", "2025", "年", "11", "月", "11",
                           "日终止协办委托", "2025年10月28日", "政务服务网发布公告", URL,
                           "满10个工作日视为建设单位确认"])


def test_migration_withdraws_undecided_items_of_terminated_commissions_R_10_5(fresh_app):  # noqa: F811
    """R-10.5, existing data: upgrading withdraws the undecided items of a commission whose
    termination had started (on the form's issue day) and drops an overdue stamp the sweep
    left on them from that day on; a commission at work keeps its items."""
    from flask_migrate import downgrade, upgrade

    upgrade()
    ended, _first, _second = _running_and_pending()
    closing.terminate(db.session, ended, reason=TerminationReason.unit_request,
                      reason_text=None, issued_on=D("2025-10-20"), confirm_days=5, cal=CAL)
    at_work = opened("江城二期")
    db.session.commit()
    ended_id, at_work_id = ended.id, at_work.id
    db.session.remove()
    downgrade(revision="ec15cce8de6a")  # the schema before this change: items still open
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE commission_item SET overdue_on = '2025-10-21' "
                             "WHERE accepted_on IS NOT NULL"))
    upgrade()
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT commission_id, state, withdrawn_on, overdue_on, withdrawal_reason "
            "FROM commission_item ORDER BY id")).all()
    ended_rows = [r for r in rows if r[0] == ended_id]
    assert [(r[1], str(r[2]), r[3]) for r in ended_rows] == [
        ("withdrawn", "2025-10-20", None), ("withdrawn", "2025-10-20", None)]
    assert all(r[4] for r in ended_rows)
    assert {r[1] for r in rows if r[0] == at_work_id} == {"pending"}

