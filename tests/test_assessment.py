"""考核评价 figures, the 通报 flag rule and saving a period (R-13.3)."""
from __future__ import annotations

import datetime as dt
import decimal

import pytest
import sqlalchemy as sa

from app.choices import AssessmentSubject, ContactMethod, Rating
from app.domain.assessment import check_period, compute
from app.domain.assessment_period import (
    ROW_COLUMNS,
    Entry,
    FlagRule,
    assessment_rows,
    parse_score,
    period_rows,
    save_period,
)
from app.domain.errors import DomainError
from app.extensions import db
from app.models import Assessment, Revisit
from app.states import ItemState
from tests import assessment_dataset as data
from tests import factories as f

Dec = decimal.Decimal
TODAY = dt.date(2025, 7, 15)


def _by_name(figures, district):
    names = {key: row.name for key, row in district.subjects.items()}
    return {key: next(x for x in figures if x.name == name) for key, name in names.items()}


def _summary(x):
    return (x.commissions_handled, x.on_time_rate, x.overdue_count, x.refusals,
            x.average_rating, x.open_escalations)


def test_figures_match_the_hand_computed_district(ctx):
    """R-13.3: commissions handled, on-time rate of items and contacts, overdue count,
    refusals, average rating and open escalations per department and coordinator, against
    the hand-computed figures of tests/assessment_dataset.py (period boundaries included,
    reassignment splits a commission's events, 补正 and closed commissions not overdue)."""
    district = data.build()
    figures = compute(db.session, data.START, data.END)
    rows = _by_name(figures, district)
    for key, expected in data.EXPECTED.items():
        assert _summary(rows[key]) == expected, key
    for key, expected in data.BREAKDOWN.items():
        x = rows[key]
        assert (x.items_decided, x.items_on_time, x.contacts_made, x.contacts_on_time,
                x.items_overdue, x.contacts_overdue) == expected, key
    assert rows["C1"].item_on_time_rate == Dec("75.00")
    assert rows["C1"].contact_on_time_rate == Dec("50.00")
    assert rows["D1"].contact_on_time_rate is None
    # Listed: active departments and coordinators on the roster in the period, in order.
    assert [(x.subject, x.name) for x in figures] == [
        (AssessmentSubject.department, "区住房和城乡建设局"),
        (AssessmentSubject.department, "区自然资源局"),
        (AssessmentSubject.department, "区交通运输局"),
        (AssessmentSubject.coordinator, "张协办"),
        (AssessmentSubject.coordinator, "李协办"),
    ]


def test_figures_cost_a_fixed_number_of_queries(ctx, count_queries):
    """R-13.3: the figures are aggregate SQL: the same number of statements for any size."""
    data.build()
    db.session.commit()
    with count_queries() as statements:
        compute(db.session, data.START, data.END)
    assert len(statements) <= 16, len(statements)


@pytest.mark.parametrize("start, end", [
    (dt.date(2025, 6, 30), dt.date(2025, 4, 1)),
    (None, dt.date(2025, 4, 1)),
])
def test_period_is_checked(ctx, start, end):
    """R-13.3: a period ending before it starts, or without a date, is refused in Chinese."""
    with pytest.raises(DomainError) as refused:
        check_period(start, end)
    assert "考核期" in str(refused.value)
    with pytest.raises(DomainError):
        save_period(db.session, start, end, {}, today=TODAY)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == 0


def test_unfinished_period_cannot_be_saved(ctx):
    """R-13.3: figures of a period still running would change: saving waits for its end."""
    data.build()
    with pytest.raises(DomainError) as refused:
        save_period(db.session, data.START, data.END, {}, today=data.END)
    assert "考核期尚未结束" in str(refused.value)


def test_flag_rule_and_reasons(ctx):
    """R-13.3: flagged for the 通报 when the on-time rate, average rating or score is below
    its configured threshold; the reasons say which; empty figures cross nothing."""
    rule = FlagRule()  # 80 %, 3.0, 60
    assert rule.reasons(Dec("80.00"), Dec("3.00"), Dec("60")) == []
    assert rule.reasons(None, None, None) == []
    reasons = rule.reasons(Dec("79.99"), Dec("2.99"), Dec("59.5"))
    assert reasons == ["按时办结率 79.99% 低于 80%", "平均满意度 2.99 低于 3.0",
                       "考核得分 59.5 低于 60"]
    custom = FlagRule.from_config({"ASSESSMENT_FLAG_ON_TIME_BELOW": "90",
                                   "ASSESSMENT_FLAG_AVG_RATING_BELOW": "",
                                   "ASSESSMENT_FLAG_SCORE_BELOW": None})
    assert custom == FlagRule(Dec("90"), None, None)
    assert custom.reasons(Dec("85"), Dec("1"), Dec("0")) == ["按时办结率 85% 低于 90%"]
    assert FlagRule.from_config({}) == FlagRule()


def test_saving_freezes_the_figures(ctx):
    """R-13.3: saving stores the figures with score and remarks; later records change the
    computed figures but not the saved ones, which the period's table keeps showing."""
    district = data.build()
    c1, d2 = district.subjects["C1"], district.subjects["D2"]
    entries = {(AssessmentSubject.coordinator, c1.id): Entry(Dec("55"), " 联系不及时 "),
               (AssessmentSubject.department, d2.id): Entry(Dec("92.5"), None)}
    saved = save_period(db.session, data.START, data.END, entries, today=TODAY)
    db.session.commit()
    assert len(saved) == 5
    row = db.session.scalars(sa.select(Assessment).where(Assessment.staff_id == c1.id)).one()
    frozen = _summary(row)
    assert frozen == data.EXPECTED["C1"]
    assert (row.score, row.remarks, row.flagged) == (Dec("55.00"), "联系不及时", True)
    dept = db.session.scalars(sa.select(Assessment).where(Assessment.department_id == d2.id)).one()
    assert (dept.score, dept.flagged) == (Dec("92.50"), False)

    # Later records of the period: another late decision and a bad revisit for 张.
    k1 = district.commissions["K1"]
    again = f.reapplied(district.items["i3"])  # 张's refused item, applied for again
    f.advance_item(again, ItemState.approved, submitted_on=dt.date(2025, 5, 6),
                   decided_on=dt.date(2025, 6, 30))
    assert again.decided_on > again.due_on
    db.session.add(Revisit(commission=k1, visited_on=dt.date(2025, 5, 1),
                           method=ContactMethod.phone, person_reached="陈经办",
                           rating=Rating.very_dissatisfied))
    db.session.commit()
    live = _by_name(compute(db.session, data.START, data.END), district)["C1"]
    assert _summary(live) != frozen
    db.session.expire_all()
    assert _summary(db.session.get(Assessment, row.id)) == frozen
    table = {r.name: r for r in period_rows(db.session, data.START, data.END)}
    assert tuple(table["张协办"].values.values()) == frozen
    assert table["张协办"].saved is not None and table["张协办"].figures is None


def test_saving_twice_updates_score_and_remarks_only(ctx):
    """R-13.3: saving a saved period again keeps the frozen figures, changes score and
    remarks and recomputes the flag; no second row per subject."""
    district = data.build()
    d2 = district.subjects["D2"]
    key = (AssessmentSubject.department, d2.id)
    save_period(db.session, data.START, data.END, {key: Entry(Dec("90"), "良好")}, today=TODAY)
    db.session.commit()
    first = db.session.scalars(sa.select(Assessment).where(Assessment.department_id == d2.id)).one()
    before = _summary(first)
    # deciding i5 would change D2's figures
    f.advance_item(district.items["i5"], ItemState.approved, decided_on=dt.date(2025, 6, 25))
    save_period(db.session, data.START, data.END, {key: Entry(Dec("50"), "复核后下调")},
                today=TODAY)
    db.session.commit()
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Assessment).where(Assessment.department_id == d2.id)).all()
    assert len(rows) == 1 and rows[0].id == first.id
    assert _summary(rows[0]) == before
    assert (rows[0].score, rows[0].remarks, rows[0].flagged) == (Dec("50.00"), "复核后下调", True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == 5
    # A subject not in the entries keeps what it had.
    save_period(db.session, data.START, data.END, {}, today=TODAY)
    assert db.session.get(Assessment, first.id).score == Dec("50.00")


def test_assessment_rows_for_the_ledger(ctx):
    """R-13.3: assessment_rows gives the period's table as dicts under ROW_COLUMNS' keys,
    with Chinese subject labels, flags and reasons (the ledger exports them)."""
    data.build()
    rows = assessment_rows(db.session, data.START, data.END)
    assert [set(r) for r in rows] == [{key for key, _ in ROW_COLUMNS}] * 5
    first = rows[0]
    assert (first["subject"], first["name"], first["on_time_rate"], first["flagged"]) == (
        "审批部门", "区住房和城乡建设局", Dec("50.00"), True)
    assert first["flag_reasons"] == "按时办结率 50.00% 低于 80%；平均满意度 2.67 低于 3.0"
    assert first["frozen_at"] is None and first["score"] is None


@pytest.mark.parametrize("text, value", [("", None), ("  ", None), ("0", Dec("0.00")),
                                         ("100", Dec("100.00")), ("88.456", Dec("88.46"))])
def test_score_parsing(text, value):
    """R-13.3: a score is empty or a number from 0 to 100."""
    assert parse_score(text) == value


@pytest.mark.parametrize("text, message", [("abc", "考核得分应为数字"), ("101", "0 至 100"),
                                           ("-1", "0 至 100"), ("NaN", "0 至 100")])
def test_bad_scores_are_refused(ctx, text, message):
    """R-13.3: a score that is not a number in 0–100 is refused with a Chinese message."""
    with pytest.raises(DomainError) as refused:
        parse_score(text)
    assert message in str(refused.value)


def test_flag_rule_comes_from_config_and_saved_flag_stands(app, ctx, monkeypatch):
    """R-13.3: the thresholds are read from the app's config when saving; a saved flag
    stands when the thresholds change later, until the period is saved again."""
    district = data.build()
    d2 = district.subjects["D2"]
    key = (AssessmentSubject.department, d2.id)
    monkeypatch.setitem(app.config, "ASSESSMENT_FLAG_SCORE_BELOW", "95")
    save_period(db.session, data.START, data.END, {key: Entry(Dec("90"), None)}, today=TODAY)
    db.session.commit()
    row = db.session.scalars(sa.select(Assessment).where(Assessment.department_id == d2.id)).one()
    assert row.flagged is True
    monkeypatch.setitem(app.config, "ASSESSMENT_FLAG_SCORE_BELOW", "60")
    table = {r.name: r for r in period_rows(db.session, data.START, data.END)}
    assert table["区自然资源局"].flagged is True
    assert table["区自然资源局"].reasons == ["按保存时的通报标准列入通报"]
    save_period(db.session, data.START, data.END, {}, today=TODAY)
    assert row.flagged is False
