"""Screens of app/views/reference.py: towns/streets and the approval-item catalogue (R-1.3)."""
from __future__ import annotations

import sqlalchemy as sa

from app.choices import Stage
from app.extensions import db
from app.models import ApprovalItem, ItemMaterial, Town
from tests import factories as f
from tests.conftest import form_errors
from tests.test_views_organisation import assert_list_queries_constant, count, make_department


def errors_of(response) -> str:
    """All form messages of a re-rendered form, as one string."""
    assert response.status_code == 200
    return " ".join(form_errors(response.get_data(as_text=True)))


def make_item(name: str = "施工图联合审查", department=None, **kw) -> ApprovalItem:
    """A catalogue item (tests/factories.py) of stage 3 promising 15 days, committed."""
    item = f.approval_item(kw.pop("stage", Stage.s3), kw.pop("promised_days", 15),
                           department or make_department(), name, **kw)
    db.session.commit()
    return item


def item_form(department, **overrides) -> dict:
    data = {
        "name": "建设工程规划许可证", "stage": "s2", "department": str(department.id),
        "promised_days": "5", "legal_days": "20", "limit_is_default": "y",
        "description": "市自然资源局江城分局核发", "active": "y", "sort_order": "13",
    }
    data.update(overrides)
    return data


# ---- towns -----------------------------------------------------------------------------------

def test_town_round_trip(client, ctx):
    """R-1.3: the district's towns and streets are reference data kept on their own screen."""
    response = client.post("/townview/add",
                           data={"code": "441702105", "name": "闸坡镇", "active": "y"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    town = db.session.scalars(sa.select(Town)).one()
    assert (town.code, town.name, town.active) == ("441702105", "闸坡镇", True)

    html = client.get("/townview/list/").get_data(as_text=True)
    assert "镇街" in html and "区划代码" in html and "镇街名称" in html and "闸坡镇" in html
    html = client.get(f"/townview/show/{town.id}").get_data(as_text=True)
    assert "441702105" in html and "启用" in html

    response = client.post(f"/townview/edit/{town.id}", data={"code": "441702105",
                                                             "name": "闸坡镇（旅游区）"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    town = db.session.scalars(sa.select(Town)).one()
    assert (town.name, town.active) == ("闸坡镇（旅游区）", False)


def test_town_code_outside_district_saves_nothing(client, ctx):
    """R-1.3: a town code is 9 digits beginning with Jiangcheng's 441702."""
    for code in ("441703001", "44170200", "44170200A"):
        message = errors_of(client.post("/townview/add", data={"code": code, "name": "某镇"}))
        assert "镇街代码为9位数字，且以441702（江城区）开头" in message, code
    message = errors_of(client.post("/townview/add", data={"code": "4417020011", "name": "某镇"}))
    assert "字段长度不能超过 9 个字符" in message
    assert count(Town) == 0


def test_town_duplicate_code_saves_nothing(client, ctx):
    """R-1.3: town codes and names are unique."""
    db.session.add(Town(code="441702001", name="南恩街道"))
    db.session.commit()
    message = errors_of(client.post("/townview/add", data={"code": "441702001", "name": "别名"}))
    assert "已经存在" in message
    message = errors_of(client.post("/townview/add", data={"code": "441702002", "name": "南恩街道"}))
    assert "已经存在" in message
    assert count(Town) == 1


# ---- approval items ------------------------------------------------------------------------

def test_approval_item_round_trip(client, ctx):
    """R-1.4, R-6.6: a catalogue item keeps stage, department, limits and the default flag."""
    dept = make_department("市自然资源局江城分局")
    response = client.post("/approvalitemview/add", data=item_form(dept))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    item = db.session.scalars(sa.select(ApprovalItem)).one()
    assert (item.name, item.stage, item.department_id, item.promised_days, item.legal_days,
            item.limit_is_default, item.is_intermediary) == (
        "建设工程规划许可证", Stage.s2, dept.id, 5, 20, True, False)

    html = client.get("/approvalitemview/list/").get_data(as_text=True)
    assert "审批事项目录" in html and "承诺时限（工作日）" in html and "审批阶段" in html
    assert "建设工程规划许可证" in html and "市自然资源局江城分局" in html
    html = client.get(f"/approvalitemview/show/{item.id}").get_data(as_text=True)
    assert "法定时限（工作日）" in html and "中介服务（不可委托）" in html
    assert "材料清单" in html  # the related checklist tab

    response = client.post(f"/approvalitemview/edit/{item.id}", data=item_form(
        dept, promised_days="3", limit_is_default="", name="建设工程规划许可证核发"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    item = db.session.scalars(sa.select(ApprovalItem)).one()
    assert (item.name, item.promised_days, item.limit_is_default) == (
        "建设工程规划许可证核发", 3, False)


def test_intermediary_service_is_flagged(client, ctx):
    """R-1.4: intermediary technical services are marked in the catalogue."""
    dept = make_department()
    response = client.post("/approvalitemview/add", data=item_form(
        dept, name="环境影响评价文件编制", stage="s1", is_intermediary="y"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    assert db.session.scalars(sa.select(ApprovalItem)).one().is_intermediary is True
    html = client.get("/approvalitemview/add").get_data(as_text=True)
    assert "中介技术服务不纳入委托协办" in html


def test_negative_working_days_save_nothing(client, ctx):
    """R-6.6: promised and legal limits are whole working days, never negative."""
    dept = make_department()
    message = errors_of(client.post("/approvalitemview/add",
                                    data=item_form(dept, promised_days="-1")))
    assert "工作日数不能为负数" in message
    message = errors_of(client.post("/approvalitemview/add",
                                    data=item_form(dept, legal_days="-20")))
    assert "工作日数不能为负数" in message
    assert count(ApprovalItem) == 0


def test_approval_item_duplicate_name_saves_nothing(client, ctx):
    """The item name is the catalogue's business key."""
    item = make_item("建设工程规划许可证")
    message = errors_of(client.post("/approvalitemview/add", data=item_form(item.department)))
    assert "已经存在" in message
    assert count(ApprovalItem) == 1


def test_approval_item_list_query_count_is_independent_of_rows(app, client, count_queries):
    """The catalogue list issues the same number of SQL statements for 3 and 25 rows."""
    with app.app_context():
        dept_ids = [make_department(f"部门{i}").id for i in range(3)]

    def add(i: int) -> None:
        db.session.add(ApprovalItem(name=f"事项{i:02d}", stage=Stage.s1,
                                    department_id=dept_ids[i % 3], promised_days=i))

    assert_list_queries_constant(app, client, count_queries, "/approvalitemview/list/", add)


# ---- material checklist --------------------------------------------------------------------

def test_item_material_round_trip(client, ctx):
    """R-6.5: an item's material checklist is kept and shown on the item's page."""
    item = make_item()
    response = client.post("/itemmaterialview/add", data={
        "approval_item": str(item.id), "name": "施工图设计文件", "required": "y",
        "copies": "纸质2份", "sort_order": "1"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    material = db.session.scalars(sa.select(ItemMaterial)).one()
    assert (material.approval_item_id, material.name, material.required, material.copies) == (
        item.id, "施工图设计文件", True, "纸质2份")

    html = client.get("/itemmaterialview/list/").get_data(as_text=True)
    assert "材料清单" in html and "材料名称" in html and "施工图设计文件" in html
    html = client.get(f"/approvalitemview/show/{item.id}").get_data(as_text=True)
    assert "施工图设计文件" in html
    html = client.get(f"/itemmaterialview/show/{material.id}").get_data(as_text=True)
    assert "份数" in html and "纸质2份" in html

    response = client.post(f"/itemmaterialview/edit/{material.id}", data={
        "approval_item": str(item.id), "name": "施工图设计文件（含消防专篇）", "copies": "电子版",
        "sort_order": "1"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    material = db.session.scalars(sa.select(ItemMaterial)).one()
    assert (material.name, material.required, material.copies) == (
        "施工图设计文件（含消防专篇）", False, "电子版")


def test_item_material_listed_once_per_item(client, ctx):
    """R-6.5: a material appears once on an item's checklist; other items may list it too."""
    item = make_item()
    other = make_item("特殊建设工程消防设计审查", item.department)
    db.session.add(ItemMaterial(approval_item=item, name="施工图设计文件"))
    db.session.commit()
    message = errors_of(client.post("/itemmaterialview/add", data={
        "approval_item": str(item.id), "name": "施工图设计文件", "sort_order": "0"}))
    assert "该材料已在此事项的材料清单中" in message
    assert count(ItemMaterial) == 1
    response = client.post("/itemmaterialview/add", data={
        "approval_item": str(other.id), "name": "施工图设计文件", "sort_order": "0"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    assert count(ItemMaterial) == 2


def test_item_material_edit_keeps_its_own_name(client, ctx):
    """Saving a material unchanged is not reported as a duplicate of itself."""
    material = ItemMaterial(approval_item=make_item(), name="申请表")
    db.session.add(material)
    db.session.commit()
    response = client.post(f"/itemmaterialview/edit/{material.id}", data={
        "approval_item": str(material.approval_item_id), "name": "申请表", "required": "y",
        "sort_order": "0"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
