"""Screens of 委托终止 and its 公告 (app/views/termination.py): read-only, written by the steps.

They once had add and edit forms that saved a termination while the commission stayed
`accepted` (and the real 终止 step then answered 500); those forms are gone (R-16.1).
"""
from __future__ import annotations

import datetime as dt

from tests.helpers import count, page, post

from app.choices import TerminationReason
from app.domain import closing
from app.domain.workdays import load_calendar
from app.extensions import db
from app.models import Announcement, Commission, IssuedDocument, Termination
from app.states import CommissionState
from tests import factories as f

TERMS = "/terminationview"
NOTICES = "/announcementview"
D = dt.date.fromisoformat


def _opened(app) -> int:
    with app.app_context():
        commission = f.opened()
        db.session.commit()
        return commission.id


def _terminated(app, announce: bool = False) -> tuple[int, int]:
    """A commission terminated through the domain's steps; (commission id, termination id)."""
    with app.app_context():
        commission = f.opened()
        cal = load_calendar(db.session)
        termination = closing.terminate(
            db.session, commission, reason=TerminationReason.unit_request, reason_text=None,
            issued_on=D("2025-10-20"), confirm_days=5, cal=cal)
        if announce:
            closing.announce(db.session, commission, published_on=D("2025-11-03"),
                             url="https://www.jiangcheng.gov.cn/gg/1", cal=cal)
        db.session.commit()
        return commission.id, termination.id


def _state(app, pk: int) -> CommissionState:
    with app.app_context():
        return db.session.get(Commission, pk).state


def test_termination_screen_shows_what_the_step_recorded(app, client):
    """R-10.1, R-16.1: the terminate step's termination is listed and shown, with the dates
    the lifecycle computed; the screen offers no form."""
    _commission_id, pk = _terminated(app)
    listing = page(client, f"{TERMS}/list/")
    for text in ("委托终止", "终止原因", "建设单位要求终止协办委托", "确认期限"):
        assert text in listing, text
    assert f"{TERMS}/add" not in listing and f"{TERMS}/edit/" not in listing
    shown = page(client, f"{TERMS}/show/{pk}")
    for text in ("终止单出具日期", "资料移交期限", "终止生效日期", "公告"):
        assert text in shown, text


def test_adding_a_termination_on_its_screen_is_refused(app, client):
    """R-16.1: the old bypass — a 委托终止 added on its menu screen while the commission stays
    accepted — is refused, nothing is saved, and the real 终止 step then works (no 500)."""
    pk = _opened(app)
    data = {"commission": pk, "reason": TerminationReason.unit_request.value,
            "issued_on": "2025-10-20", "unit_notified_on": "2025-10-20"}
    assert post(client, f"{TERMS}/add", data).status_code in (403, 404, 405)
    with app.app_context():
        assert count(Termination) == 0
    response = post(client, f"/workflow/commission/{pk}/terminate",
                    {"reason": TerminationReason.unit_request.value, "issued_on": "2025-10-20"})
    assert response.status_code == 302
    assert _state(app, pk) == CommissionState.terminating
    with app.app_context():
        assert count(Termination) == 1 and count(IssuedDocument) == 1


def test_editing_a_termination_on_its_screen_is_refused(app, client):
    """R-16.1: a termination's dates change only by the steps (confirm, handover)."""
    _commission_id, pk = _terminated(app)
    data = {"reason": TerminationReason.other.value, "unit_confirmed_on": "2025-10-21"}
    assert post(client, f"{TERMS}/edit/{pk}", data).status_code in (403, 404, 405)
    with app.app_context():
        row = db.session.get(Termination, pk)
        assert (row.reason, row.unit_confirmed_on) == (TerminationReason.unit_request, None)


def test_the_other_reason_needs_words_at_the_step(app, client):
    """R-10.1: "other" is explained — the domain's rule, said on the step's form."""
    pk = _opened(app)
    response = post(client, f"/workflow/commission/{pk}/terminate",
                    {"reason": TerminationReason.other.value, "issued_on": "2025-10-20"})
    assert response.status_code == 200
    assert "须说明具体原因" in response.get_data(as_text=True)
    assert _state(app, pk) == CommissionState.in_progress
    with app.app_context():
        assert count(Termination) == 0


def test_announcement_screen_shows_what_the_step_published(app, client):
    """R-10.4, R-16.1: the announce step's 公告 is listed with its effective date."""
    _commission_id, _termination = _terminated(app, announce=True)
    with app.app_context():
        row = db.session.query(Announcement).one()
        pk, effective = row.id, row.effective_on
    listing = page(client, f"{NOTICES}/list/")
    assert "https://www.jiangcheng.gov.cn/gg/1" in listing and effective.isoformat() in listing
    assert f"{NOTICES}/add" not in listing
    assert "公告" in page(client, f"{NOTICES}/show/{pk}")


def test_adding_an_announcement_on_its_screen_is_refused(app, client):
    """R-16.1: a 公告 typed on its screen was never applied by the sweep; it is refused now."""
    _commission_id, termination = _terminated(app)
    data = {"termination": termination, "published_on": "2025-11-03",
            "url": "https://www.jiangcheng.gov.cn/gg/2"}
    assert post(client, f"{NOTICES}/add", data).status_code in (403, 404, 405)
    with app.app_context():
        assert count(Announcement) == 0


def test_announcement_address_is_the_domains_rule(app, client):
    """R-10.4: the announce step refuses an address that is not a web address."""
    pk, _termination = _terminated(app)
    response = post(client, f"/workflow/commission/{pk}/announce",
                    {"published_on": "2025-11-03", "url": "www.jiangcheng.gov.cn/gg"})
    assert response.status_code == 200 and "请填写公告网址" in response.get_data(as_text=True)
    assert _state(app, pk) == CommissionState.terminating
    with app.app_context():
        assert count(Announcement) == 0
