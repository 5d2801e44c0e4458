"""协调会议 / 联席会议 screens and their action items (R-7.1), including the search-as-you-type
multi-select used for the commissions and projects a meeting discusses."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from conftest import form_errors

from app.choices import MeetingKind, StaffRole
from app.extensions import db
from app.models import (
    Commission,
    CoordinationMeeting,
    Department,
    MeetingActionItem,
    StaffMember,
)
from app.states import CommissionState
from tests import factories as f

DAY = dt.date(2026, 3, 2)


def _staff(name: str, department: Department | None = None) -> StaffMember:
    """A specialist of ``department``, or a coordinator."""
    role = StaffRole.specialist if department else StaffRole.coordinator
    return f.staff(role, department, name)


def _commission(n: int) -> Commission:
    """A commission accepted on DAY (numbered JCXB-2026-0001, … in the order made), on its
    own project 测试项目<n>."""
    return f.case(CommissionState.accepted, on=DAY, project=f.project(name=f"测试项目{n}"))


def _setup() -> dict[str, int]:
    """Two departments, a convener, a specialist, three commissions; returns their ids."""
    d1, d2 = f.department("区住房和城乡建设局"), f.department("区自然资源局")
    convener = _staff("王协办")
    specialist = _staff("李专办", d1)
    c1, c2, c3 = (_commission(n) for n in (1, 2, 3))
    db.session.commit()
    return {"d1": d1.id, "d2": d2.id, "convener": convener.id, "specialist": specialist.id,
            "c1": c1.id, "c2": c2.id, "c3": c3.id, "p1": c1.project_id, "p3": c3.project_id}


def _meeting_form(ids: dict[str, int], **changes) -> dict:
    data = {
        "kind": "joint", "title": "第一季度联席会议", "held_on": "2026-03-02",
        "place": "区政务服务中心三楼会议室", "convener": str(ids["convener"]),
        "departments": [str(ids["d1"]), str(ids["d2"])],
        "attendees": [str(ids["convener"]), str(ids["specialist"])],
        "commissions": [str(ids["c1"]), str(ids["c2"])],
        "projects": [str(ids["p1"])],
        "issues": "消防审验与规划核实并联办理", "decisions": "两部门同日现场踏勘",
    }
    data.update(changes)
    return data


def _meetings() -> list[CoordinationMeeting]:
    return db.session.scalars(sa.select(CoordinationMeeting)).all()


def test_meeting_round_trip(client, ctx):
    """R-7.1: a joint meeting with date, place, convener, departments and staff attending,
    the commissions and projects discussed, issues and decisions; list, show and edit."""
    ids = _setup()
    response = client.post("/coordinationmeetingview/add", data=_meeting_form(ids))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))

    meeting = _meetings()[0]
    assert meeting.kind == MeetingKind.joint
    assert meeting.held_on == DAY
    assert meeting.convener_id == ids["convener"]
    assert {d.id for d in meeting.departments} == {ids["d1"], ids["d2"]}
    assert {s.id for s in meeting.attendees} == {ids["convener"], ids["specialist"]}
    assert {c.id for c in meeting.commissions} == {ids["c1"], ids["c2"]}
    assert [p.id for p in meeting.projects] == [ids["p1"]]

    html = client.get("/coordinationmeetingview/list/").get_data(as_text=True)
    for text in ("协调会议", "会议日期", "会议类型", "召集人", "第一季度联席会议", "联席会议", "王协办"):
        assert text in html

    html = client.get(f"/coordinationmeetingview/show/{meeting.id}").get_data(as_text=True)
    for text in ("参会部门", "参会人员", "讨论的委托协办", "讨论的工程建设项目", "协调事项",
                 "会议决定", "区自然资源局", "李专办", "JCXB-2026-0001", "测试项目1",
                 "会议督办事项"):
        assert text in html

    response = client.post(
        f"/coordinationmeetingview/edit/{meeting.id}",
        data=_meeting_form(ids, kind="coordination", commissions=[str(ids["c3"])],
                           projects=[], departments=[str(ids["d2"])],
                           decisions="规划核实先行"),
    )
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    db.session.expire_all()
    meeting = _meetings()[0]
    assert meeting.kind == MeetingKind.coordination
    assert [c.id for c in meeting.commissions] == [ids["c3"]]
    assert meeting.projects == []
    assert [d.id for d in meeting.departments] == [ids["d2"]]
    assert meeting.decisions == "规划核实先行"


def test_meeting_form_renders_only_chosen_commissions(client, ctx):
    """R-7.1: the commissions and projects discussed are searched as the user types; the
    edit form renders only the chosen rows, never the whole table."""
    ids = _setup()
    client.post("/coordinationmeetingview/add", data=_meeting_form(ids))
    meeting = _meetings()[0]

    html = client.get("/coordinationmeetingview/add").get_data(as_text=True)
    assert 'name="commissions"' in html and "JCXB-2026-" not in html
    assert "测试项目" not in html

    html = client.get(f"/coordinationmeetingview/edit/{meeting.id}").get_data(as_text=True)
    tag = re.search(r'<select[^>]*name="commissions"[^>]*>', html).group(0)
    assert "xb-lookup" in tag and "multiple" in tag and "/lookup/commission" in tag
    assert f'<option value="{ids["c1"]}" selected>JCXB-2026-0001</option>' in html
    assert "JCXB-2026-0003" not in html  # not chosen, not rendered
    assert f'<option value="{ids["p1"]}" selected>测试项目1</option>' in html
    assert "测试项目3" not in html

    found = client.get("/lookup/commission?q=0003").get_json()
    assert found == {"results": [{"id": ids["c3"], "text": "JCXB-2026-0003"}], "more": False}


def test_meeting_with_unknown_commission_is_refused(client, ctx):
    """R-7.1: a discussed commission that does not exist gets a Chinese message and the
    meeting is not saved."""
    ids = _setup()
    response = client.post("/coordinationmeetingview/add",
                           data=_meeting_form(ids, commissions=[str(ids["c1"]), "999999"]))
    assert response.status_code == 200
    assert any("所选记录不存在" in e for e in form_errors(response.get_data(as_text=True)))
    assert _meetings() == []

    response = client.post("/coordinationmeetingview/add",
                           data=_meeting_form(ids, projects=["abc"]))
    assert response.status_code == 200
    assert any("所选记录不存在" in e for e in form_errors(response.get_data(as_text=True)))
    assert _meetings() == []


def test_meeting_added_from_a_commission_page_discusses_it(client, ctx):
    """R-7.1: a meeting added under a commission (a related view filtered on the
    many-to-many relation) discusses that commission."""
    ids = _setup()
    data = _meeting_form(ids)
    del data["commissions"]
    response = client.post(f"/coordinationmeetingview/add?_flt_0_commissions={ids['c2']}",
                           data=data)
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    assert [c.id for c in _meetings()[0].commissions] == [ids["c2"]]


def _meeting(ids: dict[str, int], n: int = 1, convener: StaffMember | None = None
             ) -> CoordinationMeeting:
    meeting = CoordinationMeeting(
        kind=MeetingKind.coordination, title=f"协调会议{n}", held_on=DAY, place="会议室",
        convener=convener or db.session.get(StaffMember, ids["convener"]), issues="议题",
    )
    db.session.add(meeting)
    db.session.commit()
    return meeting


def test_action_item_round_trip(client, ctx):
    """R-7.1: an action item with owner, due date and done flag, added from the meeting's
    page (the meeting comes from the related view's filter), listed, shown and closed."""
    ids = _setup()
    meeting = _meeting(ids)
    response = client.post(
        f"/meetingactionitemview/add?_flt_0_meeting={meeting.id}",
        data={"description": "住建局出具消防审验意见", "owner": str(ids["specialist"]),
              "due_on": "2026-03-09"},
    )
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    item = db.session.scalars(sa.select(MeetingActionItem)).one()
    assert (item.meeting_id, item.owner_id, item.due_on, item.done) == (
        meeting.id, ids["specialist"], dt.date(2026, 3, 9), False)

    html = client.get("/meetingactionitemview/list/").get_data(as_text=True)
    for text in ("会议督办事项", "责任人", "完成期限", "已完成", "住建局出具消防审验意见", "李专办"):
        assert text in html
    html = client.get(f"/coordinationmeetingview/show/{meeting.id}").get_data(as_text=True)
    assert "住建局出具消防审验意见" in html
    html = client.get(f"/meetingactionitemview/show/{item.id}").get_data(as_text=True)
    assert "完成日期" in html and "协调会议1" in html

    response = client.post(
        f"/meetingactionitemview/edit/{item.id}",
        data={"meeting": str(meeting.id), "description": "住建局出具消防审验意见",
              "owner": str(ids["specialist"]), "due_on": "2026-03-09", "done": "y",
              "done_on": "2026-03-06"},
    )
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    db.session.expire_all()
    item = db.session.get(MeetingActionItem, item.id)
    assert item.done and item.done_on == dt.date(2026, 3, 6)


def test_action_item_done_needs_done_date(client, ctx):
    """R-7.1: an item marked done without the date it was done is refused in Chinese."""
    ids = _setup()
    meeting = _meeting(ids)
    response = client.post(
        "/meetingactionitemview/add",
        data={"meeting": str(meeting.id), "description": "补充材料",
              "owner": str(ids["convener"]), "due_on": "2026-03-09", "done": "y"},
    )
    assert response.status_code == 200
    assert any("已完成的督办事项须填写完成日期" in e
               for e in form_errors(response.get_data(as_text=True)))
    assert db.session.scalars(sa.select(MeetingActionItem)).all() == []


def test_meeting_list_query_count_is_independent_of_rows(client, ctx, count_queries):
    """R-7.1: the meeting list costs the same number of SQL statements for 3 and 25 rows."""
    ids = _setup()

    def render() -> int:
        with count_queries() as statements:
            response = client.get("/coordinationmeetingview/list/?psize_CoordinationMeetingView=25")
        assert response.status_code == 200
        return len(statements)

    # A convener per row, so a per-row load would show in the count.
    for n in range(3):
        _meeting(ids, n, _staff(f"召集人{n}"))
    few = render()
    for n in range(3, 25):
        _meeting(ids, n, _staff(f"召集人{n}"))
    assert render() == few


@pytest.mark.browser
def test_commissions_discussed_are_searched_in_the_browser(page, ctx):
    """R-7.1: in a real browser, typing part of an application number in 讨论的委托协办
    finds the commission through /lookup, several can be chosen, and they are saved."""
    ids = _setup()
    page.goto("/coordinationmeetingview/add")
    page.fill("input[name=title]", "浏览器测试会议")
    page.fill("input[name=place]", "会议室")
    page.fill("textarea[name=issues]", "议题")
    # FAB's own widgets (date picker, Select2 selects) are set as a script would.
    page.evaluate(
        """([convener]) => {
            $("input[name=held_on]").val("2026-03-02");
            $("select[name=kind]").val("coordination").trigger("change");
            $("select[name=convener]").val(convener).trigger("change");
        }""",
        [str(ids["convener"])],
    )
    field = page.locator("select[name=commissions] + .select2")
    for term, number in (("0002", "JCXB-2026-0002"), ("0003", "JCXB-2026-0003")):
        field.click()
        page.keyboard.type(term)
        option = page.locator(".select2-results__option", has_text=number)
        option.wait_for()
        option.click()
        page.keyboard.press("Escape")
    chosen = page.locator("select[name=commissions] + .select2 .select2-selection__choice")
    assert chosen.count() == 2
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_load_state()
    assert "/coordinationmeetingview/add" not in page.url, page.inner_text("body")[:2000]

    meeting = db.session.scalars(sa.select(CoordinationMeeting)).one()
    assert {c.id for c in meeting.commissions} == {ids["c2"], ids["c3"]}
