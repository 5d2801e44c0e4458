"""R-15.4: minutes print for any meeting, from the meeting's own page, whether or not it
discussed commissions."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app.choices import MeetingKind, StaffRole
from app.extensions import db
from app.models import CoordinationMeeting, IssuedDocument, MeetingActionItem
from app.roles import COORDINATOR
from tests import factories as f
from tests.pdf_helpers import assert_in_order, pdf_text
from tests.role_clients import role_client

D = dt.date.fromisoformat


def _joint_meeting() -> int:
    convener = f.staff(StaffRole.coordinator, name="王主任")
    owner = f.staff(StaffRole.coordinator, name="赵协办")
    meeting = CoordinationMeeting(
        kind=MeetingKind.joint, title="第四季度联席会议", held_on=D("2026-11-20"),
        place="区政务服务中心五楼会议室", convener=convener,
        issues="研究全区工程建设项目审批协办服务工作机制。", decisions="各部门明确专人对接。",
        departments=[f.department("区住房和城乡建设局")], attendees=[owner])
    meeting.action_items = [MeetingActionItem(description="报送专人名单", owner=owner,
                                              due_on=D("2026-11-27"))]
    db.session.add(meeting)
    db.session.commit()
    return meeting.id


def test_joint_meeting_about_no_case_prints_its_minutes(app, client, ctx):
    """R-15.4, R-15.3: a 联席会议 that discussed no commission prints 联席会议纪要 from its own
    page; the PDF is archived (no commission), a second print with nothing changed is the
    same version, and it downloads from the archive."""
    pk = _joint_meeting()
    response = client.post(f"/coordinationmeetingview/action/print_minutes/{pk}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert_in_order(text, ["联席会议纪要", "第四季度联席会议", "区政务服务中心五楼会议室",
                             "王主任", "涉及项目", "无", "各部门明确专人对接", "报送专人名单",
                             "赵协办"])
    again = client.post(f"/coordinationmeetingview/action/print_minutes/{pk}")
    assert again.status_code == 200
    documents = db.session.scalars(sa.select(IssuedDocument)).all()
    assert len(documents) == 1
    assert documents[0].commission_id is None and documents[0].record_id == pk
    download = client.get(f"/documents/{documents[0].id}")
    assert download.status_code == 200 and download.data == response.data


def test_meeting_minutes_from_a_meeting_with_a_case_and_row_scope(app, client):
    """R-15.4, R-14.8: a coordination meeting about a commission prints from its page too;
    a coordinator outside a meeting cannot print or download its minutes."""
    with app.app_context():
        case = f.full_case()
        joint = _joint_meeting()
        stranger = f.staff(name="钱协办")
        db.session.commit()
        stranger_id = stranger.id
    response = client.post(f"/coordinationmeetingview/action/print_minutes/{case.meeting}")
    assert response.status_code == 200
    assert "滨海智造产业园审批协调会" in pdf_text(response.data)
    assert client.post(f"/coordinationmeetingview/action/print_minutes/{joint}").status_code == 200
    with app.app_context():
        document_id = db.session.scalar(sa.select(IssuedDocument.id).where(
            IssuedDocument.record_id == joint, IssuedDocument.commission_id.is_(None)))
    outsider = role_client(app, [COORDINATOR], stranger_id)
    refused = outsider.post(f"/coordinationmeetingview/action/print_minutes/{joint}")
    assert refused.status_code in (302, 403, 404)
    assert outsider.get(f"/documents/{document_id}").status_code in (403, 404)
