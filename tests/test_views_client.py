"""Screens of app/views/client.py: construction units and projects (R-1.1, R-1.3, R-4)."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from app.choices import (
    ConstructionKind,
    FundSource,
    InvestmentKind,
    KeyProjectLevel,
    LandNature,
    UnitNature,
)
from app.domain.validators import credit_code_check_char
from app.extensions import db
from app.models import Project, Town, Unit
from app.states import CommissionState
from tests import factories as f
from tests.conftest import form_errors
from tests.test_views_organisation import assert_list_queries_constant, count


def credit_code(serial: str = "MA4W1234X") -> str:
    """A valid 统一社会信用代码 for a Yangjiang Jiangcheng enterprise."""
    first17 = "91441702" + serial
    return first17 + credit_code_check_char(first17)


def errors_of(response) -> str:
    """All form messages of a re-rendered form, as one string."""
    assert response.status_code == 200
    return " ".join(form_errors(response.get_data(as_text=True)))


def make_unit(name: str = "阳江市江城建设投资有限公司", **kw) -> Unit:
    """A unit (tests/factories.py) whose handler has a landline, committed for the screens."""
    kw = {"address": "江城区二环路8号", "leader_name": "黄总", "leader_phone": "13800138000",
          "handler_name": "梁经办", "handler_phone": "0662-3210000", **kw}
    unit = f.unit(name, **kw)
    db.session.commit()
    return unit


def make_project(unit: Unit, name: str = "江城区智慧物流园", **kw) -> Project:
    """A project of ``unit`` (tests/factories.py), no town unless given, committed."""
    kw = {"address": "埠场镇工业大道", "town": None, **kw}
    project = f.project(unit, name=name, **kw)
    db.session.commit()
    return project


def unit_form(**overrides) -> dict:
    data = {
        "name": "阳江市海陵湾实业有限公司", "credit_code": credit_code(),
        "address": "江城区东风三路18号", "nature": "enterprise", "email": "office@hlw.cn",
        "leader_name": "陈负责", "leader_title": "总经理", "leader_phone": "13612345678",
        "handler_name": "林经办", "handler_title": "项目专员", "handler_phone": "0662-3123456",
    }
    data.update(overrides)
    return data


def project_form(unit: Unit, town: Town | None = None, **overrides) -> dict:
    data = {
        "unit": str(unit.id), "name": "江城区滨海商业综合体", "address": "城南街道漠阳路9号",
        "project_code": "2026-441702-70-03-012345", "total_investment": "25000.50",
        "fund_source": "private", "floor_area": "86000", "land_nature": "transferred",
        "key_level": "municipal", "brief": "商业、办公及配套", "progress": "已完成立项",
        "construction_kind": "new", "investment_kind": "social",
    }
    if town is not None:
        data["town"] = str(town.id)
    data.update(overrides)
    return data


# ---- units ---------------------------------------------------------------------------------

def test_unit_round_trip_holds_every_field_of_form_1(client, ctx):
    """R-4.1: the unit screen holds every field of form 1's 项目单位信息 block."""
    html = client.get("/unitview/add").get_data(as_text=True)
    for label in ("新增建设单位", "单位名称", "统一社会信用代码", "单位地址", "单位性质",
                  "项目负责人", "项目负责人职务", "项目负责人联络方式", "项目经办人",
                  "项目经办人职务", "项目经办人联络方式", "电子邮箱"):
        assert label in html, label
    for option in ("企业", "政府", "事业", "社团", "其它"):
        assert option in html, option

    response = client.post("/unitview/add", data=unit_form())
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    unit = db.session.scalars(sa.select(Unit)).one()
    assert (unit.name, unit.credit_code, unit.nature, unit.leader_name, unit.leader_title,
            unit.leader_phone, unit.handler_name, unit.handler_title, unit.handler_phone,
            unit.email) == ("阳江市海陵湾实业有限公司", credit_code(), UnitNature.enterprise,
                            "陈负责", "总经理", "13612345678", "林经办", "项目专员",
                            "0662-3123456", "office@hlw.cn")

    html = client.get("/unitview/list/").get_data(as_text=True)
    assert "建设单位" in html and "单位名称" in html and "阳江市海陵湾实业有限公司" in html
    html = client.get(f"/unitview/show/{unit.id}").get_data(as_text=True)
    assert "项目经办人联络方式" in html and "0662-3123456" in html and "office@hlw.cn" in html

    response = client.post(f"/unitview/edit/{unit.id}", data=unit_form(
        nature="government", email="", handler_phone="13900001111"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    unit = db.session.scalars(sa.select(Unit)).one()
    assert (unit.nature, unit.email, unit.handler_phone) == (
        UnitNature.government, None, "13900001111")


def test_unit_credit_code_is_optional_and_stored_upper_case(client, ctx):
    """R-4.1: the credit code is optional; a lower-case entry is stored upper-case."""
    response = client.post("/unitview/add", data=unit_form(name="甲", credit_code=""))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    response = client.post("/unitview/add", data=unit_form(
        name="乙", credit_code=credit_code("MA4WXY12K").lower()))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    codes = dict(db.session.execute(sa.select(Unit.name, Unit.credit_code)).all())
    assert codes == {"甲": None, "乙": credit_code("MA4WXY12K")}


def test_unit_bad_credit_code_saves_nothing(client, ctx):
    """R-4.1: the credit code's format and GB 32100 check character are validated."""
    good = credit_code()
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    message = errors_of(client.post("/unitview/add", data=unit_form(credit_code=wrong_check)))
    assert "统一社会信用代码的校验码不正确" in message
    message = errors_of(client.post("/unitview/add",
                                    data=unit_form(credit_code="91441702MA4W1234I")))
    assert "统一社会信用代码由18位数字或大写字母组成" in message
    assert count(Unit) == 0


def test_unit_duplicate_keys_save_nothing(client, ctx):
    """R-4.4: a unit is entered once and reused: name and credit code are unique."""
    make_unit("阳江市海陵湾实业有限公司")
    assert "已经存在" in errors_of(client.post("/unitview/add", data=unit_form()))
    make_unit("另一家公司", credit_code=credit_code("MA4W5678Y"))
    message = errors_of(client.post("/unitview/add", data=unit_form(
        name="新公司", credit_code=credit_code("MA4W5678Y").lower())))
    assert "该统一社会信用代码已被其他建设单位使用" in message
    assert count(Unit) == 2


def test_unit_bad_phones_and_email_save_nothing(client, ctx):
    """R-4.1: the leader's and handler's contacts and the e-mail are validated."""
    for field, value, expected in (
        ("leader_phone", "12345", "请输入11位手机号码"),
        ("handler_phone", "138001380000", "请输入11位手机号码"),
        ("email", "office.hlw.cn", "请输入有效的电子邮箱地址"),
    ):
        assert expected in errors_of(client.post("/unitview/add",
                                                 data=unit_form(**{field: value}))), field
    assert count(Unit) == 0


def test_unit_page_lists_its_projects(client, ctx):
    """R-4.4: a unit is reused across projects; its page lists them."""
    unit = make_unit()
    other = make_unit("别家公司")
    make_project(unit, "一期厂房")
    make_project(unit, "二期仓库")
    make_project(other, "别家项目")
    html = client.get(f"/unitview/show/{unit.id}").get_data(as_text=True)
    assert "工程建设项目" in html and "一期厂房" in html and "二期仓库" in html
    assert "别家项目" not in html


def test_unit_list_query_count_is_independent_of_rows(app, client, count_queries):
    """The unit list issues the same number of SQL statements for 3 and 25 rows."""
    assert_list_queries_constant(
        app, client, count_queries, "/unitview/list/",
        lambda i: db.session.add(Unit(
            name=f"单位{i:02d}", address="江城区", nature=UnitNature.enterprise,
            leader_name="甲", leader_phone="13800138000", handler_name="乙",
            handler_phone="13800138001")))


# ---- projects ------------------------------------------------------------------------------

def test_project_round_trip_holds_form_1_and_scope_fields(client, ctx):
    """R-1.1, R-1.3, R-4.1, R-4.3: a project keeps form 1's fields, its town and its scope facts."""
    unit = make_unit()
    town = Town(code="441702002", name="城南街道")
    db.session.add(town)
    db.session.commit()
    html = client.get("/projectview/add").get_data(as_text=True)
    for label in ("新增工程建设项目", "建设单位", "项目名称", "项目地址", "所在镇街", "项目代码",
                  "投资总额（万元）", "资金来源", "总建筑面积（平方米）", "土地性质",
                  "重点项目级别", "项目简介", "项目当前进度", "建设性质", "投资类型",
                  "特殊工程", "重大交通、水利、能源项目", "新建", "改建", "扩建", "政府投资",
                  "社会投资", "民资", "港澳台", "划拨", "出让", "省级", "镇（街）"):
        assert label in html, label

    response = client.post("/projectview/add", data=project_form(unit, town))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    project = db.session.scalars(sa.select(Project)).one()
    assert (project.unit_id, project.town_id, project.project_code, project.total_investment,
            project.fund_source, project.floor_area, project.land_nature, project.key_level,
            project.construction_kind, project.investment_kind, project.is_special_project,
            project.is_major_infrastructure) == (
        unit.id, town.id, "2026-441702-70-03-012345", Decimal("25000.50"), FundSource.private,
        Decimal("86000"), LandNature.transferred, KeyProjectLevel.municipal,
        ConstructionKind.new, InvestmentKind.social, False, False)

    html = client.get("/projectview/list/").get_data(as_text=True)
    assert "工程建设项目" in html and "项目代码" in html and "江城区滨海商业综合体" in html
    assert "阳江市江城建设投资有限公司" in html and "城南街道" in html
    html = client.get(f"/projectview/show/{project.id}").get_data(as_text=True)
    assert "项目当前进度" in html and "已完成立项" in html and "委托协办" in html

    response = client.post(f"/projectview/edit/{project.id}", data=project_form(
        unit, town, construction_kind="expansion", investment_kind="government",
        is_special_project="y", project_code="2026-441702-70-03-012345-001"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    project = db.session.scalars(sa.select(Project)).one()
    assert (project.construction_kind, project.investment_kind, project.is_special_project,
            project.is_excluded, project.project_code) == (
        ConstructionKind.expansion, InvestmentKind.government, True, True,
        "2026-441702-70-03-012345-001")


def test_project_form_picks_the_unit_by_search(client, ctx):
    """A project's unit is a search field: the form never lists the (large) unit table."""
    make_unit("不应出现在表单里的公司")
    html = client.get("/projectview/add").get_data(as_text=True)
    assert 'class="form-control xb-lookup"' in html and "/lookup/unit" in html
    assert "不应出现在表单里的公司" not in html


def test_project_without_unit_saves_nothing(client, ctx):
    """R-4.4: a project belongs to one unit."""
    unit = make_unit()
    for value, expected in (("", "该字段是必填字段"), ("99999", "所选记录不存在")):
        data = project_form(unit)
        data["unit"] = value
        assert expected in errors_of(client.post("/projectview/add", data=data)), value
    assert count(Project) == 0


def test_project_bad_code_saves_nothing(client, ctx):
    """R-4.3: the national project code is YYYY-XXXXXX-NN-NN-NNNNNN (optionally -NNN)."""
    unit = make_unit()
    for code in ("2026-441702-70-03-01234", "2026441702700301234 5", "2026-441702-70-03-012345-01",
                 "26-441702-70-03-012345"):
        message = errors_of(client.post("/projectview/add",
                                        data=project_form(unit, project_code=code)))
        assert "项目代码格式应为YYYY-XXXXXX-NN-NN-NNNNNN" in message, code
    assert count(Project) == 0


def test_project_duplicate_code_saves_nothing(client, ctx):
    """R-4.3: a project code identifies one project."""
    unit = make_unit()
    make_project(unit, project_code="2026-441702-70-03-012345")
    assert "已经存在" in errors_of(client.post("/projectview/add", data=project_form(unit)))
    assert count(Project) == 1


def test_project_negative_amounts_save_nothing(client, ctx):
    """R-4.1: total investment and floor area are not negative."""
    unit = make_unit()
    for field in ("total_investment", "floor_area"):
        message = errors_of(client.post("/projectview/add",
                                        data=project_form(unit, **{field: "-1"})))
        assert "数额不能为负数" in message, field
    message = errors_of(client.post("/projectview/add",
                                    data=project_form(unit, total_investment="1000000000000")))
    assert "数额过大" in message
    assert count(Project) == 0


def test_project_edit_with_bad_input_changes_nothing(client, ctx):
    """R-4.3: an edit with a malformed code leaves the project as it was."""
    unit = make_unit()
    project = make_project(unit, project_code="2026-441702-70-03-000001")
    message = errors_of(client.post(f"/projectview/edit/{project.id}", data=project_form(
        unit, name="改名", project_code="2026-441702-70-03")))
    assert "项目代码格式应为" in message
    db.session.expire_all()
    assert db.session.get(Project, project.id).name == "江城区智慧物流园"


def test_project_page_lists_its_commissions(client, ctx):
    """R-4.4: a project may have several commissions over time; its page lists them."""
    unit = make_unit()
    project = make_project(unit)
    other = make_project(unit, "别的项目")
    project.town = other.town = f.town()  # in the district: the enquiries are eligible
    first = f.case(CommissionState.completed, project=project).application_no
    again = f.case(CommissionState.accepted, project=project).application_no
    elsewhere = f.case(CommissionState.accepted, project=other).application_no
    db.session.commit()
    html = client.get(f"/projectview/show/{project.id}").get_data(as_text=True)
    assert first in html and again in html and elsewhere not in html


def test_project_list_query_count_is_independent_of_rows(app, client, count_queries):
    """The project list (unit and town shown) issues the same SQL count for 3 and 25 rows."""
    with app.app_context():
        unit_ids = [make_unit(f"单位{i}").id for i in range(5)]
        towns = [Town(code=f"44170200{i}", name=f"街道{i}") for i in range(1, 4)]
        db.session.add_all(towns)
        db.session.commit()
        town_ids = [t.id for t in towns]

    def add(i: int) -> None:
        db.session.add(Project(
            unit_id=unit_ids[i % 5], town_id=town_ids[i % 3], name=f"项目{i:02d}",
            address="江城区", construction_kind=ConstructionKind.new,
            investment_kind=InvestmentKind.social, total_investment=Decimal(i)))

    assert_list_queries_constant(app, client, count_queries, "/projectview/list/", add)
