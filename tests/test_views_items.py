"""Screens of delegated items (协办事项), joint approvals (联合审批) and 补正 (app/views/items.py)."""
from __future__ import annotations

import sqlalchemy as sa

from app.choices import StaffRole
from app.extensions import db
from app.models import CommissionItem, ItemSupplement, JointApproval
from app.states import ItemState
from conftest import form_errors
from tests import factories as f
from tests.factories import D
from tests.helpers import only, page, post

ITEMS = "/commissionitemview"


def _item_fixture(app):
    """A commission at work (with an item of its own), a catalogue item not in it yet and a
    specialist of that item's department; their ids and the commission's number."""
    with app.app_context():
        dept = f.department("区住房和城乡建设局")
        catalogue = f.approval_item(dept=dept, name="建筑工程施工许可证核发")
        specialist = f.staff(StaffRole.specialist, dept, "周专办")
        commission = f.case()
        db.session.commit()
        return {"commission": commission.id, "approval_item": catalogue.id,
                "specialist": specialist.id, "dept": dept.id, "no": commission.application_no}


def _items_of(catalogue_id: int) -> list[CommissionItem]:
    """The delegated items of one catalogue item."""
    return list(db.session.scalars(
        sa.select(CommissionItem).where(CommissionItem.approval_item_id == catalogue_id)))


def test_commission_item_round_trip(app, client):
    """R-6.1: an item is added, listed, shown and edited with Chinese labels; its state is
    shown (待申报) but is not a form field."""
    ids = _item_fixture(app)
    add_form = page(client, f"{ITEMS}/add")
    assert "审批事项" in add_form and "专办员" in add_form
    assert 'name="state"' not in add_form and 'name="previous_attempt"' not in add_form
    # dates belong to the lifecycle steps: posted anyway, they are ignored
    assert 'name="submitted_on"' not in add_form
    response = post(client, f"{ITEMS}/add", {
        "commission": ids["commission"], "approval_item": ids["approval_item"],
        "specialist": ids["specialist"], "submitted_on": "2026-03-05", "state": "approved",
    })
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        [item] = _items_of(ids["approval_item"])
        assert (item.commission_id, item.approval_item_id, item.specialist_id) == (
            ids["commission"], ids["approval_item"], ids["specialist"])
        assert item.state == ItemState.pending and item.attempt == 1
        assert item.submitted_on is None
        pk = item.id

    listing = page(client, f"{ITEMS}/list/")
    for text in ("协办事项", "审批事项", "审批部门", "事项状态", "建筑工程施工许可证核发",
                 "区住房和城乡建设局", "周专办", "待申报", ids["no"]):
        assert text in listing, text
    shown = page(client, f"{ITEMS}/show/{pk}")
    for text in ("申办次数", "上次申办", "受理日期", "不予许可理由", "补正"):
        assert text in shown, text

    response = post(client, f"{ITEMS}/edit/{pk}", {
        "commission": ids["commission"], "approval_item": ids["approval_item"],
        "specialist": "", "accepted_on": "2026-03-06", "decided_on": "2026-03-10",
        "result_document": "施工许可证 440000202603100101",
    })
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        item = db.session.get(CommissionItem, pk)
        assert item.specialist_id is None
        assert item.accepted_on is None and item.decided_on is None
        assert item.result_document is None
        assert item.state == ItemState.pending  # transitions belong to the lifecycle


def test_commission_item_duplicate_is_refused(app, client):
    """R-6.2: the same approval item twice in a commission is refused (a re-application is a
    new attempt of the refused item, not a second first attempt)."""
    ids = _item_fixture(app)
    with app.app_context():
        from app.models import ApprovalItem, Commission

        f.add_item(db.session.get(Commission, ids["commission"]),
                   db.session.get(ApprovalItem, ids["approval_item"]))
        db.session.commit()
    response = post(client, f"{ITEMS}/add", {
        "commission": ids["commission"], "approval_item": ids["approval_item"],
    })
    assert response.status_code == 200
    assert "该审批事项已在本委托中" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert len(_items_of(ids["approval_item"])) == 1


def test_intermediary_service_cannot_be_delegated(app, client):
    """R-1.4: an intermediary technical service is not delegable."""
    ids = _item_fixture(app)
    with app.app_context():
        intermediary = f.approval_item(name="环境影响评价文件编制", is_intermediary=True)
        db.session.commit()
        intermediary_id = intermediary.id
    response = post(client, f"{ITEMS}/add", {
        "commission": ids["commission"], "approval_item": intermediary_id,
    })
    assert response.status_code == 200
    # the domain's rule (app/domain/intake.py), said on the form
    assert "中介服务事项不能委托协办" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert _items_of(intermediary_id) == []


def test_specialist_of_another_department_is_refused(app, client):
    """R-2.2: the item's specialist works for the item's approval department."""
    ids = _item_fixture(app)
    with app.app_context():
        other = f.staff(StaffRole.specialist, f.department("区气象局"), "吴专办")
        db.session.commit()
        other_id = other.id
    response = post(client, f"{ITEMS}/add", {
        "commission": ids["commission"], "approval_item": ids["approval_item"],
        "specialist": other_id,
    })
    assert response.status_code == 200
    assert "专办员必须属于该事项的审批部门" in " ".join(
        form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert _items_of(ids["approval_item"]) == []


def test_refused_item_keeps_reason_and_shows_previous_attempt(app, client):
    """R-6.2: a refusal keeps its reasons (clearing them is refused, nothing changes); the new
    attempt links to the refused one, shown read-only on its page."""
    with app.app_context():
        catalogue = f.approval_item(name="建设工程规划许可证")
        commission = f.case(items=[catalogue], on=D("2026-03-02"))
        refused = f.advance_item(commission.items[0], ItemState.refused,
                                 submitted_on=D("2026-03-02"), decided_on=D("2026-03-09"),
                                 reason="总平面图与规划条件不符")
        retry = f.reapplied(refused)
        db.session.commit()
        refused_id, retry_id, commission_id = refused.id, retry.id, commission.id
        catalogue_id = catalogue.id

    edit_form = page(client, f"{ITEMS}/edit/{retry_id}")
    assert 'name="previous_attempt"' not in edit_form and 'name="attempt"' not in edit_form
    shown = page(client, f"{ITEMS}/show/{retry_id}")
    assert "上次申办" in shown and "建设工程规划许可证" in shown and "（第2次）" not in shown
    assert "不予许可" in page(client, f"{ITEMS}/show/{refused_id}")

    response = post(client, f"{ITEMS}/edit/{refused_id}", {
        "commission": commission_id, "approval_item": catalogue_id,
        "submitted_on": "2026-03-02", "decided_on": "2026-03-09", "refusal_reason": "",
    })
    assert response.status_code == 302  # the refusal fields are not on the form
    with app.app_context():
        assert db.session.get(CommissionItem, refused_id).refusal_reason == "总平面图与规划条件不符"


def test_joint_approval_round_trip_groups_items(app, client):
    """R-6.1: a joint approval is recorded for a commission and groups its items of several
    departments; an item cannot join another commission's joint approval."""
    with app.app_context():
        commission = f.case(items=[
            f.approval_item(dept=f.department("区发展和改革局"), name="企业投资项目备案"),
            f.approval_item(dept=f.department("市自然资源局江城分局"), name="用地预审与选址意见书")])
        other = f.case(items=[f.approval_item(name="节能审查")])
        first, second = commission.items
        [stranger] = other.items
        db.session.commit()
        ids = (commission.id, first.id, second.id, stranger.id, other.id)
        stranger_catalogue = stranger.approval_item_id

    response = post(client, "/jointapprovalview/add", {
        "commission": ids[0], "title": "立项用地联合审批", "held_on": "2026-03-12",
    })
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        joint = only(JointApproval)
        assert (joint.commission_id, joint.title, joint.held_on) == (
            ids[0], "立项用地联合审批", D("2026-03-12"))
        joint_id = joint.id
        for pk in ids[1:3]:
            db.session.get(CommissionItem, pk).joint_approval_id = joint_id
        db.session.commit()

    listing = page(client, "/jointapprovalview/list/")
    assert "联合审批" in listing and "立项用地联合审批" in listing and "召集日期" in listing
    shown = page(client, f"/jointapprovalview/show/{joint_id}")
    assert "企业投资项目备案" in shown and "用地预审与选址意见书" in shown
    assert "节能审查" not in shown

    response = post(client, f"/jointapprovalview/edit/{joint_id}", {
        "commission": ids[0], "title": "立项用地规划联合审批", "held_on": "2026-03-13",
        "note": "四部门到场",
    })
    assert response.status_code == 302
    with app.app_context():
        joint = db.session.get(JointApproval, joint_id)
        assert (joint.title, joint.held_on, joint.note) == (
            "立项用地规划联合审批", D("2026-03-13"), "四部门到场")

    response = post(client, f"{ITEMS}/edit/{ids[3]}", {
        "commission": ids[4], "approval_item": stranger_catalogue, "joint_approval": joint_id,
    })
    assert response.status_code == 200
    assert "该联合审批属于其他委托协办" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert db.session.get(CommissionItem, ids[3]).joint_approval_id is None


def _accepted_item(app) -> int:
    """An item of a commission at work, submitted and accepted through the domain's steps."""
    with app.app_context():
        item = f.advance_item(f.opened().items[0], ItemState.accepted,
                              submitted_on=D("2025-10-13"), accepted_on=D("2025-10-14"))
        db.session.commit()
        return item.id


def test_supplement_round_trip(app, client):
    """R-6.1, R-16.1: 补正 (clock suspended) is recorded by the item's steps — requested and
    received — and listed and shown on its screen, which writes nothing."""
    item_id = _accepted_item(app)
    response = post(client, f"/workflow/item/{item_id}/supplement",
                    {"on": "2025-10-15", "note": "补充消防设计说明"})
    assert response.status_code == 302
    with app.app_context():
        supplement = only(ItemSupplement)
        assert (supplement.commission_item_id, supplement.requested_on, supplement.note) == (
            item_id, D("2025-10-15"), "补充消防设计说明")
        pk = supplement.id
        due_before = db.session.get(CommissionItem, item_id).due_on
    listing = page(client, "/itemsupplementview/list/")
    assert "补正通知日期" in listing and "补充消防设计说明" in listing
    assert "/itemsupplementview/add" not in listing
    assert post(client, f"/itemsupplementview/edit/{pk}", {
        "commission_item": item_id, "requested_on": "2025-10-15", "received_on": "2025-10-16",
    }).status_code in (403, 404, 405)
    response = post(client, f"/workflow/item/{item_id}/supplement_in", {"on": "2025-10-21"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(ItemSupplement, pk).received_on == D("2025-10-21")
        # the paused working days move the deadline (what the old form never did)
        assert db.session.get(CommissionItem, item_id).due_on > due_before
    assert "补正材料收到日期" in page(client, f"/itemsupplementview/show/{pk}")
    # The item's page lists its supplements.
    assert "2025-10-21" in page(client, f"{ITEMS}/show/{item_id}")


def test_supplement_received_before_requested_is_refused(app, client):
    """R-6.1: the supplement cannot arrive before it was requested (the domain's rule)."""
    item_id = _accepted_item(app)
    assert post(client, f"/workflow/item/{item_id}/supplement",
                {"on": "2025-10-15"}).status_code == 302
    response = post(client, f"/workflow/item/{item_id}/supplement_in", {"on": "2025-10-14"})
    assert response.status_code == 200
    assert "补正材料的收到日期不能早于要求补正日期" in response.get_data(as_text=True)
    with app.app_context():
        assert only(ItemSupplement).received_on is None
        assert db.session.get(CommissionItem, item_id).state == ItemState.supplementing


def _items(app, n: int) -> None:
    with app.app_context():
        dept = f.department()
        specialist = f.staff(StaffRole.specialist, dept)
        for _ in range(n):
            commission = f.case(items=[f.approval_item(dept=dept)])
            joint = JointApproval(commission=commission, title="联合审批")
            db.session.add(joint)
            item = commission.items[0]  # its specialist and joint approval: the screen's
            item.specialist, item.joint_approval = specialist, joint
        db.session.commit()


def test_item_list_queries_do_not_grow_with_rows(app, client, count_queries):
    """The item list issues the same number of SQL statements for 3 rows and for 20."""
    client.get(f"{ITEMS}/list/")  # warm up caches of the first request
    _items(app, 3)
    with count_queries() as few:
        html = client.get(f"{ITEMS}/list/").get_data(as_text=True)
    assert html.count(f"{ITEMS}/show/") == 3
    _items(app, 22)
    with count_queries() as many:
        client.get(f"{ITEMS}/list/")
    assert len(many) == len(few), (len(few), len(many))
