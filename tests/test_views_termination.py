"""Screens of 委托终止 and its 公告 (app/views/termination.py)."""
from __future__ import annotations

from conftest import form_errors
from test_views_commission_rows import D, count, make_commission, only, page, post

from app.choices import TerminationReason
from app.extensions import db
from app.models import Announcement, Termination

TERMS = "/terminationview"
NOTICES = "/announcementview"


def _commission(app, no: str = "JC2026-0501") -> int:
    with app.app_context():
        commission = make_commission(no)
        db.session.commit()
        return commission.id


def _termination_form(commission_id, **changes):
    data = {"commission": commission_id, "reason": TerminationReason.unit_request.value,
            "issued_on": "2026-05-06", "unit_notified_on": "2026-05-06"}
    data.update(changes)
    return data


def test_termination_round_trip(app, client):
    """R-10.1: a termination records its reason (the five reasons of Art.9) and dates; the
    due dates and the effective date set by the lifecycle are shown, not edited."""
    commission_id = _commission(app)
    add_form = page(client, f"{TERMS}/add")
    for reason in ("不可抗力", "建设单位原因：虚假申报", "建设单位原因：前置要件（材料）不全",
                   "建设单位原因：违法违规操作", "建设单位要求终止协办委托", "法律法规不允许审批", "其他"):
        assert reason in add_form, reason
    for field in ("confirm_due_on", "handover_due_on", "effective_on"):
        assert f'name="{field}"' not in add_form
    response = post(client, f"{TERMS}/add", _termination_form(commission_id))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        row = only(Termination)
        assert (row.commission_id, row.reason, row.issued_on, row.unit_notified_on) == (
            commission_id, TerminationReason.unit_request, D("2026-05-06"), D("2026-05-06"))
        # What the lifecycle sets is shown on the pages below.
        row.confirm_due_on = D("2026-05-13")
        db.session.commit()
        pk = row.id
    listing = page(client, f"{TERMS}/list/")
    for text in ("委托终止", "终止原因", "建设单位要求终止协办委托", "确认期限", "2026-05-13",
                 "JC2026-0501"):
        assert text in listing, text
    shown = page(client, f"{TERMS}/show/{pk}")
    for text in ("终止单出具日期", "资料移交期限", "终止生效日期", "公告"):
        assert text in shown, text
    response = post(client, f"{TERMS}/edit/{pk}", _termination_form(
        commission_id, unit_confirmed_on="2026-05-08", handed_over_on="2026-05-09"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        row = db.session.get(Termination, pk)
        assert (row.unit_confirmed_on, row.handed_over_on, row.confirm_due_on) == (
            D("2026-05-08"), D("2026-05-09"), D("2026-05-13"))


def test_termination_other_reason_needs_text(app, client):
    """R-10.1: the reason 其他 needs its text; a Chinese message and nothing saved."""
    commission_id = _commission(app)
    response = post(client, f"{TERMS}/add", _termination_form(
        commission_id, reason=TerminationReason.other.value))
    assert response.status_code == 200
    assert "终止原因为“其他”时，须填写具体原因" in " ".join(
        form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(Termination) == 0
    response = post(client, f"{TERMS}/add", _termination_form(
        commission_id, reason=TerminationReason.other.value, reason_text="项目合并至其他项目"))
    assert response.status_code == 302
    with app.app_context():
        assert only(Termination).reason_text == "项目合并至其他项目"


def test_termination_confirmation_before_issue_is_refused(app, client):
    """R-10.3: the unit cannot confirm before the termination form was issued."""
    commission_id = _commission(app)
    response = post(client, f"{TERMS}/add", _termination_form(
        commission_id, unit_confirmed_on="2026-05-05"))
    assert response.status_code == 200
    assert "确认日期不得早于终止单出具日期" in " ".join(
        form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(Termination) == 0


def test_second_termination_of_a_commission_is_refused(app, client):
    """R-10.2: a commission has one termination; a duplicate gets a Chinese message."""
    commission_id = _commission(app)
    with app.app_context():
        db.session.add(Termination(commission_id=commission_id,
                                   reason=TerminationReason.force_majeure,
                                   issued_on=D("2026-05-01")))
        db.session.commit()
    response = post(client, f"{TERMS}/add", _termination_form(commission_id))
    assert response.status_code == 200
    assert "该委托协办已有终止记录" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(Termination) == 1


def _termination(app, no: str = "JC2026-0502") -> int:
    commission_id = _commission(app, no)
    with app.app_context():
        row = Termination(commission_id=commission_id, reason=TerminationReason.violation,
                          issued_on=D("2026-05-06"), confirm_due_on=D("2026-05-13"))
        db.session.add(row)
        db.session.commit()
        return row.id


def test_announcement_round_trip(app, client):
    """R-10.4: the announcement records its date and link; the date the termination counts
    as confirmed is set by the lifecycle and shown, not edited."""
    termination_id = _termination(app)
    add_form = page(client, f"{NOTICES}/add")
    assert "公告链接" in add_form and 'name="effective_on"' not in add_form
    url = "https://www.gdzwfw.gov.cn/portal/affairs-public/notice/12345"
    response = post(client, f"{NOTICES}/add", {"termination": termination_id,
                                               "published_on": "2026-05-14", "url": url})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        row = only(Announcement)
        assert (row.termination_id, row.published_on, row.url) == (
            termination_id, D("2026-05-14"), url)
        row.effective_on = D("2026-05-28")
        db.session.commit()
        pk = row.id
    listing = page(client, f"{NOTICES}/list/")
    for text in ("公告", "公告日期", "公告链接", "视为确认终止日期", "2026-05-28", url):
        assert text in listing, text
    assert url in page(client, f"{TERMS}/show/{termination_id}")
    assert "JC2026-0502" in page(client, f"{NOTICES}/show/{pk}")
    response = post(client, f"{NOTICES}/edit/{pk}", {"termination": termination_id,
                                                     "published_on": "2026-05-15", "url": url})
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(Announcement, pk)
        assert (row.published_on, row.effective_on) == (D("2026-05-15"), D("2026-05-28"))


def test_announcement_url_must_be_http(app, client):
    """R-10.4: the link is a web address (http or https); anything else gets a Chinese
    message and nothing is saved."""
    termination_id = _termination(app)
    for bad in ("javascript:alert(1)", "www.gdzwfw.gov.cn/notice", "ftp://example.org/x"):
        response = post(client, f"{NOTICES}/add", {"termination": termination_id,
                                                   "published_on": "2026-05-14", "url": bad})
        assert response.status_code == 200, bad
        assert "请输入公告的网址" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(Announcement) == 0


def test_second_announcement_of_a_termination_is_refused(app, client):
    """R-10.4: a termination has one announcement; a duplicate gets a Chinese message."""
    termination_id = _termination(app)
    with app.app_context():
        db.session.add(Announcement(termination_id=termination_id, published_on=D("2026-05-14"),
                                    url="https://www.gdzwfw.gov.cn/a"))
        db.session.commit()
    response = post(client, f"{NOTICES}/add", {"termination": termination_id,
                                               "published_on": "2026-05-15",
                                               "url": "https://www.gdzwfw.gov.cn/b"})
    assert response.status_code == 200
    assert "该委托终止已有公告" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(Announcement) == 1


def test_announcement_before_termination_is_refused(app, client):
    """R-10.4: an announcement is published after the termination form was issued."""
    termination_id = _termination(app)
    response = post(client, f"{NOTICES}/add", {"termination": termination_id,
                                               "published_on": "2026-05-05",
                                               "url": "https://www.gdzwfw.gov.cn/a"})
    assert response.status_code == 200
    assert "公告日期不得早于终止单出具日期" in " ".join(
        form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(Announcement) == 0
