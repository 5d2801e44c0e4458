"""Screens of the coordinator's casework: work log, consultations, escalations and one-time
notices (app/views/casework.py)."""
from __future__ import annotations

from conftest import form_errors

from app.choices import EscalationTarget, MaterialProblem, StaffRole, WorkLogType
from app.extensions import db
from app.models import (
    Consultation,
    Escalation,
    ItemMaterial,
    MaterialNotice,
    MaterialNoticeLine,
    WorkLogEntry,
)
from app.states import CommissionState, EscalationStatus
from tests import factories as f
from tests.factories import D
from tests.helpers import count, only, page, post
from tests.role_clients import link_account

LOG = "/worklogentryview"


def _case(app, dept_name: str = "市自然资源局江城分局", signed_in: str | None = "coordinator"):
    """A commission assigned to its coordinator (no contact logged yet) with an item, and the
    item's specialist; their ids and the commission's number.

    The admin client is linked to the ``signed_in`` one of them: what it records is recorded
    as done by that person (R-16.2)."""
    with app.app_context():
        dept = f.department(dept_name)
        coordinator = f.staff(StaffRole.coordinator, name="林协办")
        specialist = f.staff(StaffRole.specialist, dept, "黄专办")
        if signed_in is not None:
            link_account({"coordinator": coordinator, "specialist": specialist}[signed_in])
        commission = f.case(CommissionState.assigned, coordinator=coordinator, items=[
            f.approval_item(dept=dept, name=f"建设用地规划许可证（{dept_name}）")])
        item = commission.items[0]
        db.session.commit()
        return {"commission": commission.id, "item": item.id, "coordinator": coordinator.id,
                "specialist": specialist.id, "catalogue": item.approval_item_id,
                "no": commission.application_no}


def _stranger_item(app) -> int:
    with app.app_context():
        item = f.case(CommissionState.assigned).items[0]
        db.session.commit()
        return item.id


# ---- work log (R-6.4) ----------------------------------------------------------------------

def test_work_log_round_trip(app, client):
    """R-6.4: a dated entry by the coordinator with type, content and related item is added,
    listed and shown in Chinese."""
    ids = _case(app)
    add_form = page(client, f"{LOG}/add")
    assert 'name="recorded_at"' not in add_form and "更正的日志" in add_form
    response = post(client, f"{LOG}/add", {
        "commission": ids["commission"], "logged_on": "2026-03-03",
        "author": ids["coordinator"], "entry_type": WorkLogType.contact.value,
        "content": "电话联系建设单位，了解项目情况", "commission_item": ids["item"],
    })
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        entry = only(WorkLogEntry)
        assert (entry.commission_id, entry.logged_on, entry.author_id, entry.entry_type,
                entry.commission_item_id) == (ids["commission"], D("2026-03-03"),
                                              ids["coordinator"], WorkLogType.contact, ids["item"])
        assert entry.content == "电话联系建设单位，了解项目情况" and entry.recorded_at is not None
        pk = entry.id
    listing = page(client, f"{LOG}/list/")
    for text in ("工作日志", "工作日期", "记录人", "日志类型", "工作内容", "相关协办事项",
                 "联系建设单位", "林协办", "建设用地规划许可证", ids["no"]):
        assert text in listing, text
    shown = page(client, f"{LOG}/show/{pk}")
    assert "录入时间" in shown and "电话联系建设单位" in shown


def test_work_log_has_no_edit_or_delete(app, client):
    """R-6.4: entries are never changed or deleted, not even by the admin: the edit and delete
    URLs do not exist (404), nothing changes, and the pages offer neither."""
    ids = _case(app)
    with app.app_context():
        entry = WorkLogEntry(commission_id=ids["commission"], logged_on=D("2026-03-03"),
                             author_id=ids["coordinator"], entry_type=WorkLogType.guidance,
                             content="指导填写申请表")
        db.session.add(entry)
        db.session.commit()
        pk = entry.id
    for response in (
        client.get(f"{LOG}/edit/{pk}"),
        client.post(f"{LOG}/edit/{pk}", data={
            "commission": ids["commission"], "logged_on": "2026-03-04",
            "author": ids["coordinator"], "entry_type": WorkLogType.other.value,
            "content": "改写"}),
        client.get(f"{LOG}/delete/{pk}"),
        client.post(f"{LOG}/delete/{pk}"),
    ):
        assert response.status_code == 404, response.status_code
    with app.app_context():
        entry = db.session.get(WorkLogEntry, pk)
        assert entry is not None
        assert (entry.logged_on, entry.entry_type, entry.content) == (
            D("2026-03-03"), WorkLogType.guidance, "指导填写申请表")
    listing = page(client, f"{LOG}/list/")
    assert f"{LOG}/edit/{pk}" not in listing and f"{LOG}/delete/{pk}" not in listing
    assert f"{LOG}/edit/" not in page(client, f"/commissionview/show/{ids['commission']}")


def test_work_log_correction_is_a_new_entry(app, client):
    """R-6.4: a correction is a new entry naming the entry it corrects; the original stays."""
    ids = _case(app)
    with app.app_context():
        original = WorkLogEntry(commission_id=ids["commission"], logged_on=D("2026-03-03"),
                                author_id=ids["coordinator"], entry_type=WorkLogType.submission,
                                content="已向部门申报（日期记错）")
        db.session.add(original)
        db.session.commit()
        original_id = original.id
    response = post(client, f"{LOG}/add", {
        "commission": ids["commission"], "logged_on": "2026-03-04",
        "author": ids["coordinator"], "entry_type": WorkLogType.correction.value,
        "content": "更正：申报日期为3月4日", "corrects": original_id,
    })
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        entries = db.session.query(WorkLogEntry).order_by(WorkLogEntry.id).all()
        assert [e.content for e in entries] == ["已向部门申报（日期记错）", "更正：申报日期为3月4日"]
        assert entries[1].corrects_id == original_id and entries[0].corrects_id is None
        correction_id = entries[1].id
    shown = page(client, f"{LOG}/show/{correction_id}")
    assert "更正的日志" in shown and "2026-03-03" in shown


def test_work_log_correction_of_another_commission_is_refused(app, client):
    """R-6.4: a correction corrects an entry of the same commission; nothing is saved."""
    ids = _case(app)
    other = _case(app, "区气象局", signed_in=None)
    with app.app_context():
        foreign = WorkLogEntry(commission_id=other["commission"], logged_on=D("2026-03-03"),
                               author_id=other["coordinator"], entry_type=WorkLogType.other,
                               content="其他委托的日志")
        db.session.add(foreign)
        db.session.commit()
        foreign_id = foreign.id
    response = post(client, f"{LOG}/add", {
        "commission": ids["commission"], "logged_on": "2026-03-04",
        "author": ids["coordinator"], "entry_type": WorkLogType.correction.value,
        "content": "更正", "corrects": foreign_id,
    })
    assert response.status_code == 200
    assert "被更正的日志属于其他委托协办" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(WorkLogEntry) == 1


def test_work_log_related_item_of_another_commission_is_refused(app, client):
    """R-6.4: the related item of an entry is an item of the entry's commission."""
    ids = _case(app)
    stranger = _stranger_item(app)
    response = post(client, f"{LOG}/add", {
        "commission": ids["commission"], "logged_on": "2026-03-04",
        "author": ids["coordinator"], "entry_type": WorkLogType.follow_up.value,
        "content": "跟进", "commission_item": stranger,
    })
    assert response.status_code == 200
    assert "该记录属于其他委托协办" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(WorkLogEntry) == 0


def _log_entries(app, n: int) -> None:
    with app.app_context():
        for _ in range(n):
            coordinator = f.staff()
            commission = f.case(CommissionState.assigned, coordinator=coordinator)
            item = commission.items[0]
            first = WorkLogEntry(commission=commission, logged_on=D("2026-03-03"),
                                 author=coordinator, entry_type=WorkLogType.contact,
                                 content="联系", commission_item=item)
            db.session.add(first)
            db.session.add(WorkLogEntry(commission=commission, logged_on=D("2026-03-04"),
                                        author=coordinator, entry_type=WorkLogType.correction,
                                        content="更正", commission_item=item, corrects=first))
        db.session.commit()


def test_work_log_list_queries_do_not_grow_with_rows(app, client, count_queries):
    """The work-log list issues the same number of SQL statements for 6 rows and for 20."""
    client.get(f"{LOG}/list/")
    _log_entries(app, 3)
    with count_queries() as few:
        html = client.get(f"{LOG}/list/").get_data(as_text=True)
    assert html.count(f"{LOG}/show/") == 6
    _log_entries(app, 10)
    with count_queries() as many:
        client.get(f"{LOG}/list/")
    assert len(many) == len(few), (len(few), len(many))


# ---- consultations (R-6.3) -----------------------------------------------------------------

def test_consultation_round_trip(app, client):
    """R-6.3: question, answer, who and when are recorded between coordinator and specialist."""
    ids = _case(app)
    add_form = page(client, "/consultationview/add")
    assert "林协办" in add_form and "黄专办" in add_form
    response = post(client, "/consultationview/add", {
        "commission": ids["commission"], "commission_item": ids["item"],
        "coordinator": ids["coordinator"], "specialist": ids["specialist"],
        "asked_on": "2026-03-05", "question": "用地红线图是否需要盖章？",
    })
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        row = only(Consultation)
        assert (row.coordinator_id, row.specialist_id, row.asked_on, row.question) == (
            ids["coordinator"], ids["specialist"], D("2026-03-05"), "用地红线图是否需要盖章？")
        pk = row.id
    listing = page(client, "/consultationview/list/")
    for text in ("沟通记录", "沟通日期", "沟通事项", "协办员", "专办员", "黄专办", "用地红线图"):
        assert text in listing, text
    assert "答复内容" in page(client, f"/consultationview/show/{pk}")
    response = post(client, f"/consultationview/edit/{pk}", {
        "commission": ids["commission"], "commission_item": ids["item"],
        "coordinator": ids["coordinator"], "specialist": ids["specialist"],
        "asked_on": "2026-03-05", "question": "用地红线图是否需要盖章？",
        "answer": "需要加盖建设单位公章", "answered_on": "2026-03-06",
    })
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        row = db.session.get(Consultation, pk)
        assert (row.answer, row.answered_on) == ("需要加盖建设单位公章", D("2026-03-06"))


def test_consultation_answered_before_asked_is_refused(app, client):
    """R-6.3: an answer cannot be dated before its question."""
    ids = _case(app)
    response = post(client, "/consultationview/add", {
        "commission": ids["commission"], "coordinator": ids["coordinator"],
        "specialist": ids["specialist"], "asked_on": "2026-03-05", "question": "问题",
        "answer": "答复", "answered_on": "2026-03-04",
    })
    assert response.status_code == 200
    assert "答复日期不得早于沟通日期" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(Consultation) == 0


# ---- escalations (R-6.7) -------------------------------------------------------------------

def _escalation_form(ids, **changes):
    data = {
        "commission": ids["commission"], "commission_item": ids["item"],
        "raised_by": ids["specialist"], "target": EscalationTarget.department_head.value,
        "raised_on": "2026-03-07", "problem": "规划条件与设计方案冲突，需协调会商",
        "status": EscalationStatus.open.value,
    }
    data.update(changes)
    return data


def test_escalation_round_trip_until_resolved(app, client):
    """R-6.7: a specialist escalates a problem to the department head; it stays open until it
    is resolved with a resolution and a date."""
    ids = _case(app, signed_in="specialist")
    response = post(client, "/escalationview/add", _escalation_form(ids))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        row = only(Escalation)
        assert (row.raised_by_id, row.target, row.status) == (
            ids["specialist"], EscalationTarget.department_head, EscalationStatus.open)
        pk = row.id
    listing = page(client, "/escalationview/list/")
    for text in ("问题上报", "上报对象", "部门负责人", "处理状态", "未解决", "规划条件与设计方案冲突"):
        assert text in listing, text
    assert "处理结果" in page(client, f"/escalationview/show/{pk}")
    response = post(client, f"/escalationview/edit/{pk}", _escalation_form(
        ids, status=EscalationStatus.resolved.value, resolution="协调会议确定按规划条件调整",
        resolved_on="2026-03-12"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        row = db.session.get(Escalation, pk)
        assert (row.status, row.resolved_on) == (EscalationStatus.resolved, D("2026-03-12"))
    assert "已解决" in page(client, "/escalationview/list/")


def test_resolved_escalation_needs_resolution_and_date(app, client):
    """R-6.7: "resolved" without the resolution text and date is refused; nothing saved."""
    ids = _case(app)
    response = post(client, "/escalationview/add", _escalation_form(
        ids, status=EscalationStatus.resolved.value))
    assert response.status_code == 200
    errors = " ".join(form_errors(response.get_data(as_text=True)))
    assert "已解决的问题上报须填写处理结果" in errors
    assert "已解决的问题上报须填写解决日期" in errors
    with app.app_context():
        assert count(Escalation) == 0


def test_escalation_resolved_before_raised_is_refused(app, client):
    """R-6.7: an escalation cannot be resolved before it was raised."""
    ids = _case(app)
    response = post(client, "/escalationview/add", _escalation_form(
        ids, status=EscalationStatus.resolved.value, resolution="已处理",
        resolved_on="2026-03-06"))
    assert response.status_code == 200
    assert "解决日期不得早于上报日期" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(Escalation) == 0


# ---- one-time notices (R-6.5) --------------------------------------------------------------

def test_material_notice_with_lines_round_trip(app, client):
    """R-6.5: a one-time notice lists every missing or insufficient material at once, from
    the item's checklist, on one form (issue 14); the notice's page shows its lines."""
    ids = _case(app)
    with app.app_context():
        material = ItemMaterial(approval_item_id=ids["catalogue"], name="建设用地规划许可申请表")
        db.session.add(material)
        db.session.commit()
        material_id = material.id
    response = post(client, "/materialnoticeview/add", {
        "commission": ids["commission"], "issued_on": "2026-03-08",
        "issued_by": ids["coordinator"],
        "lines-0-commission_item": ids["item"], "lines-0-material": material_id,
        "lines-0-problem": MaterialProblem.insufficient.value,
        "lines-0-note": "缺法定代表人签字",
        "lines-1-commission_item": ids["item"], "lines-1-material_name": "宗地图",
        "lines-1-problem": MaterialProblem.missing.value,
    })
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        notice = only(MaterialNotice)
        assert (notice.commission_id, notice.issued_on, notice.issued_by_id) == (
            ids["commission"], D("2026-03-08"), ids["coordinator"])
        notice_id = notice.id
        lines = db.session.query(MaterialNoticeLine).order_by(MaterialNoticeLine.id).all()
        assert [(x.material_name, x.problem, x.material_id) for x in lines] == [
            ("建设用地规划许可申请表", MaterialProblem.insufficient, material_id),
            ("宗地图", MaterialProblem.missing, None)]
        first_id, line_id = lines[0].id, lines[1].id

    listing = page(client, "/materialnoticeview/list/")
    for text in ("一次性告知书", "出具日期", "出具人", "林协办", ids["no"]):
        assert text in listing, text
    shown = page(client, f"/materialnoticeview/show/{notice_id}")
    for text in ("宗地图", "缺少", "不符合要求", "缺法定代表人签字"):
        assert text in shown, text
    assert "补正要求" in page(client, "/materialnoticelineview/list/")

    response = post(client, f"/materialnoticeview/edit/{notice_id}", {
        "commission": ids["commission"], "issued_on": "2026-03-09",
        "issued_by": ids["coordinator"], "note": "已当面送达",
        "lines-0-id": first_id, "lines-0-commission_item": ids["item"],
        "lines-0-material": material_id, "lines-0-problem": MaterialProblem.insufficient.value,
        "lines-0-note": "缺法定代表人签字",
        "lines-1-id": line_id, "lines-1-commission_item": ids["item"],
        "lines-1-material_name": "宗地图（红线图）", "lines-1-problem":
            MaterialProblem.missing.value, "lines-1-note": "须加盖公章",
    })
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        notice = db.session.get(MaterialNotice, notice_id)
        assert (notice.issued_on, notice.note) == (D("2026-03-09"), "已当面送达")
        line = db.session.get(MaterialNoticeLine, line_id)
        assert (line.material_name, line.note) == ("宗地图（红线图）", "须加盖公章")


def _notice_form(ids: dict, **line) -> dict:
    """The notice's form with one line."""
    return {"commission": ids["commission"], "issued_on": "2026-03-08",
            **{f"lines-0-{key}": value for key, value in line.items()}}


def test_notice_line_of_another_commission_item_is_refused(app, client):
    """R-6.5: a notice lists materials of its own commission's items only."""
    ids = _case(app)
    stranger = _stranger_item(app)
    response = post(client, "/materialnoticeview/add", _notice_form(
        ids, commission_item=stranger, material_name="宗地图",
        problem=MaterialProblem.missing.value))
    assert response.status_code == 200
    assert "该协办事项不属于本告知书所涉委托协办" in response.get_data(as_text=True)
    with app.app_context():
        assert count(MaterialNoticeLine) == 0


def test_notice_line_material_from_another_checklist_is_refused(app, client):
    """R-6.5: a checklist material is taken from the checklist of the line's item."""
    ids = _case(app)
    with app.app_context():
        other = f.approval_item(name="节能审查")
        material = ItemMaterial(approval_item=other, name="节能报告")
        db.session.add(material)
        db.session.commit()
        material_id = material.id
    response = post(client, "/materialnoticeview/add", _notice_form(
        ids, commission_item=ids["item"], material=material_id, material_name="节能报告",
        problem=MaterialProblem.missing.value))
    assert response.status_code == 200
    assert "该材料不在此审批事项的申报材料清单中" in response.get_data(as_text=True)
    with app.app_context():
        assert count(MaterialNoticeLine) == 0
