"""Row scope in every filter and related list (R-14.8): numbers outside it never show."""
from __future__ import annotations

import io

import openpyxl

from app import roles
from app.choices import MeetingKind, StaffRole
from app.extensions import db
from app.models import CoordinationMeeting
from tests import factories as f
from tests.role_clients import role_client


def _world(app) -> dict:
    """Two coordinators with one commission at work each (assigned by the step, which
    records the assignment); a specialist on the first one's item; a meeting about both
    commissions, attended by the first coordinator. Ids, and the two numbers."""
    with app.app_context():
        me, colleague = f.staff(), f.staff()
        department = f.department()
        specialist = f.staff(StaffRole.specialist, department)
        mine = f.case(items=[f.approval_item(dept=department)], coordinator=me)
        theirs = f.case(coordinator=colleague)
        meeting = CoordinationMeeting(
            kind=MeetingKind.coordination, title="两案协调会", held_on=f.D("2026-03-03"),
            place="三楼会议室", convener=colleague, issues="进度", attendees=[me],
            commissions=[mine, theirs])
        db.session.add(meeting)
        db.session.commit()
        return {"me": me.id, "colleague": colleague.id, "specialist": specialist.id,
                "meeting": meeting.id, "mine": mine.application_no,
                "theirs": theirs.application_no}


def test_assignment_search_filter_offers_only_own_commissions(app):
    """R-14.8: the coordinator-assignment list's search filter offered every commission (id
    and number) to a coordinator; it offers only their own."""
    ids = _world(app)
    mine, theirs = ids["mine"], ids["theirs"]
    coordinator = role_client(app, [roles.COORDINATOR], ids["me"])
    html = coordinator.get("/coordinatorassignmentview/list/").get_data(as_text=True)
    assert mine in html
    assert theirs not in html


def test_a_colleagues_page_does_not_list_their_commissions(app, client):
    """R-14.8: on a colleague's staff page a coordinator or a specialist saw the colleague's
    open commissions with links; now only those in the reader's own scope."""
    ids = _world(app)
    theirs = ids["theirs"]
    for role, staff in ((roles.COORDINATOR, ids["me"]), (roles.SPECIALIST, ids["specialist"])):
        reader = role_client(app, [role], staff)
        html = reader.get(f"/staffmemberview/show/{ids['colleague']}").get_data(as_text=True)
        assert theirs not in html, role
    supervisor = client.get(f"/staffmemberview/show/{ids['colleague']}").get_data(as_text=True)
    assert theirs in supervisor


def test_a_meeting_counts_the_commissions_the_reader_does_not_handle(app, client):
    """R-14.8: a coordinator attending a meeting about two commissions sees their own by
    number, the other only as a count, on the meeting's page and in the meeting ledger."""
    ids = _world(app)
    mine, theirs = ids["mine"], ids["theirs"]
    coordinator = role_client(app, [roles.COORDINATOR], ids["me"])
    page = coordinator.get(f"/coordinationmeetingview/show/{ids['meeting']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert mine in html and theirs not in html
    assert "另有 1 件不在本人办理范围内" in html
    export = coordinator.get("/ledger/meetings.xlsx")
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(export.data), read_only=True)
    cells = " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True)
                     for v in row if v is not None)
    assert mine in cells and theirs not in cells
    admin_html = client.get(f"/coordinationmeetingview/show/{ids['meeting']}").get_data(
        as_text=True)
    assert mine in admin_html and theirs in admin_html
