"""Screens of app/views/organisation.py: departments, staff roster and roster filings (R-2)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app.choices import RosterChangeKind, Stage, StaffRole
from app.extensions import db
from app.models import ApprovalItem, Department, RosterChange, StaffMember
from tests import factories as f
from tests.conftest import ADMIN_USER, form_errors
from tests.helpers import count


def make_department(name: str = "区住房和城乡建设局", **kw) -> Department:
    """A department (tests/factories.py), committed for the screens."""
    kw.setdefault("contact_name", "陈专人")
    dept = f.department(name, **kw)
    db.session.commit()
    return dept


def make_staff(name: str = "李协办", role: StaffRole = StaffRole.coordinator,
               department: Department | None = None, **kw) -> StaffMember:
    """A roster entry (tests/factories.py) joined on 2026-01-05, committed for the screens."""
    kw.setdefault("admitted_on", dt.date(2026, 1, 5))
    staff = f.staff(role, department, name, **kw)
    db.session.commit()
    return staff


def department_form(**overrides) -> dict:
    data = {
        "name": "区发展和改革局", "short_name": "区发改局", "contact_name": "王专人",
        "contact_phone": "13912345678", "address": "江城区东风一路1号", "active": "y",
        "sort_order": "2",
    }
    data.update(overrides)
    return data


def staff_form(**overrides) -> dict:
    data = {
        "name": "张专办", "role": "specialist", "title": "科员", "phone": "13712345678",
        "email": "zhang@example.cn", "status": "active", "admitted_on": "2026-02-02",
    }
    data.update(overrides)
    return data


def roster_form(staff: StaffMember, **overrides) -> dict:
    data = {
        "staff": str(staff.id), "kind": "join", "filed_on": "2026-03-02",
        "effective_on": "2026-03-09", "reason": "新任协办员", "approved_by": "窗口负责人",
        "approved_on": "2026-03-03",
    }
    data.update(overrides)
    return data


# ---- departments -------------------------------------------------------------------------

def test_department_round_trip(client, ctx):
    """R-2.1, R-2.4: a department with its responsible contact is added, listed, shown, edited."""
    response = client.post("/departmentview/add", data=department_form())
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    dept = db.session.scalars(sa.select(Department)).one()
    assert (dept.name, dept.contact_name, dept.contact_phone) == (
        "区发展和改革局", "王专人", "13912345678")
    assert dept.active and not dept.runs_window

    html = client.get("/departmentview/list/").get_data(as_text=True)
    assert "审批部门" in html and "部门名称" in html and "专人" in html
    assert "区发展和改革局" in html and "王专人" in html

    html = client.get(f"/departmentview/show/{dept.id}").get_data(as_text=True)
    assert "联系电话" in html and "13912345678" in html and "协办专窗所在部门" in html

    response = client.post(f"/departmentview/edit/{dept.id}", data=department_form(
        name="区政务服务数据管理局", contact_phone="0662-3388888", runs_window="y"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    dept = db.session.scalars(sa.select(Department)).one()
    assert (dept.name, dept.contact_phone, dept.runs_window) == (
        "区政务服务数据管理局", "0662-3388888", True)


def test_department_add_form_is_chinese(client):
    """R-2.4: the form asks for the department's responsible contact (专人)."""
    html = client.get("/departmentview/add").get_data(as_text=True)
    assert "新增审批部门" in html and "专人" in html and "联系电话" in html


def test_department_bad_phone_saves_nothing(client, ctx):
    """R-2.4: a malformed contact phone is refused with a Chinese message."""
    response = client.post("/departmentview/add", data=department_form(contact_phone="12345"))
    assert response.status_code == 200
    assert any("请输入11位手机号码" in e for e in form_errors(response.get_data(as_text=True)))
    assert count(Department) == 0


def test_department_duplicate_name_saves_nothing(client, ctx):
    """R-2.1: the department name is a unique business key."""
    make_department("区发展和改革局")
    response = client.post("/departmentview/add", data=department_form())
    assert response.status_code == 200
    assert "已经存在" in " ".join(form_errors(response.get_data(as_text=True)))
    assert count(Department) == 1


def test_department_missing_contact_saves_nothing(client, ctx):
    """R-2.4: every department names its responsible contact."""
    response = client.post("/departmentview/add", data=department_form(contact_name=""))
    assert response.status_code == 200
    assert form_errors(response.get_data(as_text=True))
    assert count(Department) == 0


def test_department_page_lists_specialists_and_catalogue_items(client, ctx):
    """R-2.1, R-2.2: a department's page shows its specialists and its catalogue items."""
    dept = make_department()
    other = make_department("区气象局")
    make_staff("周专办", StaffRole.specialist, dept)
    make_staff("吴专办", StaffRole.specialist, other)
    db.session.add(ApprovalItem(name="施工图联合审查", stage=Stage.s3, department=dept,
                                promised_days=15))
    db.session.commit()
    html = client.get(f"/departmentview/show/{dept.id}").get_data(as_text=True)
    assert "人员名册" in html and "审批事项目录" in html
    assert "周专办" in html and "施工图联合审查" in html
    assert "吴专办" not in html


def test_department_list_query_count_is_independent_of_rows(app, client, count_queries):
    """The department list issues the same number of SQL statements for 3 and 25 rows."""
    assert_list_queries_constant(
        app, client, count_queries, "/departmentview/list/",
        lambda i: db.session.add(Department(name=f"部门{i:02d}", contact_name="专人",
                                            contact_phone="13800138000")))


# ---- staff ---------------------------------------------------------------------------------

def test_staff_round_trip(client, ctx):
    """R-2.2: a specialist with department, phone, status and dates is kept and edited."""
    dept = make_department()
    response = client.post("/staffmemberview/add", data=staff_form(department=str(dept.id)))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    staff = db.session.scalars(sa.select(StaffMember)).one()
    assert (staff.name, staff.role, staff.department_id, staff.admitted_on) == (
        "张专办", StaffRole.specialist, dept.id, dt.date(2026, 2, 2))

    html = client.get("/staffmemberview/list/").get_data(as_text=True)
    assert "人员名册" in html and "姓名" in html and "身份" in html
    assert "张专办" in html and "区住房和城乡建设局" in html

    html = client.get(f"/staffmemberview/show/{staff.id}").get_data(as_text=True)
    assert "入职日期" in html and "2026-02-02" in html and "zhang@example.cn" in html

    html = client.get(f"/staffmemberview/edit/{staff.id}").get_data(as_text=True)
    assert "编辑人员" in html and "专办员" in html and "协办员" in html and "在岗" in html

    response = client.post(f"/staffmemberview/edit/{staff.id}", data=staff_form(
        department=str(dept.id), status="transferred", exited_on="2026-06-30"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    staff = db.session.scalars(sa.select(StaffMember)).one()
    assert staff.status.value == "transferred" and staff.exited_on == dt.date(2026, 6, 30)


def test_coordinator_needs_no_department(client, ctx):
    """R-2.2: a coordinator (协办员) may be saved without a department."""
    response = client.post("/staffmemberview/add", data=staff_form(role="coordinator"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    assert db.session.scalars(sa.select(StaffMember)).one().role == StaffRole.coordinator


def test_specialist_without_department_saves_nothing(client, ctx):
    """R-2.2: a specialist (专办员) must belong to one department."""
    response = client.post("/staffmemberview/add", data=staff_form(role="specialist"))
    assert response.status_code == 200
    assert "专办员必须属于一个审批部门" in " ".join(
        form_errors(response.get_data(as_text=True)))
    assert count(StaffMember) == 0


def test_staff_bad_phone_saves_nothing(client, ctx):
    """R-2.2: a malformed phone number is refused."""
    response = client.post("/staffmemberview/add",
                           data=staff_form(role="coordinator", phone="1381234"))
    assert response.status_code == 200
    assert "请输入11位手机号码" in " ".join(form_errors(response.get_data(as_text=True)))
    assert count(StaffMember) == 0


def test_staff_bad_email_saves_nothing(client, ctx):
    """R-2.2: a malformed e-mail address is refused."""
    response = client.post("/staffmemberview/add",
                           data=staff_form(role="coordinator", email="zhang@"))
    assert response.status_code == 200
    assert "请输入有效的电子邮箱地址" in " ".join(form_errors(response.get_data(as_text=True)))
    assert count(StaffMember) == 0


def test_staff_exit_before_admission_saves_nothing(client, ctx):
    """R-2.2: the exit date is not before the admission date."""
    response = client.post("/staffmemberview/add", data=staff_form(
        role="coordinator", admitted_on="2026-02-02", exited_on="2026-01-31"))
    assert response.status_code == 200
    assert "离职日期不得早于入职日期" in " ".join(form_errors(response.get_data(as_text=True)))
    assert count(StaffMember) == 0


def test_staff_edit_keeps_record_on_bad_dates(client, ctx):
    """R-2.2: an edit with dates out of order changes nothing."""
    staff = make_staff()
    response = client.post(f"/staffmemberview/edit/{staff.id}", data=staff_form(
        name="改名", role="coordinator", admitted_on="2026-01-05", exited_on="2025-12-31"))
    assert response.status_code == 200
    assert "离职日期不得早于入职日期" in " ".join(form_errors(response.get_data(as_text=True)))
    db.session.expire_all()
    assert db.session.get(StaffMember, staff.id).name == "李协办"


def test_login_account_belongs_to_one_staff_member(client, app, ctx):
    """R-2.2: the optional login account links to at most one staff member."""
    admin = app.appbuilder.sm.find_user(username=ADMIN_USER)
    make_staff("甲", user_id=admin.id)
    response = client.post("/staffmemberview/add",
                           data=staff_form(role="coordinator", user=str(admin.id)))
    assert response.status_code == 200
    assert "该登录账号已关联其他人员" in " ".join(form_errors(response.get_data(as_text=True)))
    assert count(StaffMember) == 1


def test_staff_list_query_count_is_independent_of_rows(app, client, count_queries):
    """The staff list issues the same number of SQL statements for 3 and 25 rows."""
    with app.app_context():
        dept_ids = [make_department(f"部门{i}").id for i in range(3)]

    def add(i: int) -> None:
        db.session.add(StaffMember(
            name=f"专办{i:02d}", role=StaffRole.specialist, department_id=dept_ids[i % 3],
            phone="13800138000", admitted_on=dt.date(2026, 1, 5)))

    assert_list_queries_constant(app, client, count_queries, "/staffmemberview/list/", add)


# ---- roster changes ------------------------------------------------------------------------

def test_roster_change_round_trip(client, ctx):
    """R-2.3: a roster filing keeps filed date, effective date, reason and approver."""
    staff = make_staff()
    response = client.post("/rosterchangeview/add", data=roster_form(staff))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    change = db.session.scalars(sa.select(RosterChange)).one()
    assert (change.staff_id, change.kind, change.filed_on, change.effective_on,
            change.approved_by) == (staff.id, RosterChangeKind.join, dt.date(2026, 3, 2),
                                    dt.date(2026, 3, 9), "窗口负责人")

    html = client.get("/rosterchangeview/list/").get_data(as_text=True)
    assert "人员报备" in html and "报备日期" in html and "生效日期" in html
    assert "李协办" in html and "2026-03-09" in html

    html = client.get(f"/rosterchangeview/show/{change.id}").get_data(as_text=True)
    assert "批准人" in html and "新任协办员" in html

    dept = make_department()
    response = client.post(f"/rosterchangeview/edit/{change.id}", data=roster_form(
        staff, kind="transfer", to_department=str(dept.id), reason="调往住建局"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    change = db.session.scalars(sa.select(RosterChange)).one()
    assert (change.kind, change.to_department_id, change.reason) == (
        RosterChangeKind.transfer, dept.id, "调往住建局")


def test_roster_change_effective_before_filed_saves_nothing(client, ctx):
    """R-2.3: a change is filed before it takes effect."""
    staff = make_staff()
    response = client.post("/rosterchangeview/add", data=roster_form(
        staff, filed_on="2026-03-10", effective_on="2026-03-09"))
    assert response.status_code == 200
    assert "生效日期不得早于报备日期" in " ".join(form_errors(response.get_data(as_text=True)))
    assert count(RosterChange) == 0


def test_transfer_and_replacement_name_their_target(client, ctx):
    """R-2.3: a transfer names the new department; a replacement names the successor."""
    staff = make_staff()
    response = client.post("/rosterchangeview/add", data=roster_form(staff, kind="transfer"))
    assert "人员调动须填写调入部门" in " ".join(form_errors(response.get_data(as_text=True)))
    response = client.post("/rosterchangeview/add", data=roster_form(staff, kind="replace"))
    assert "人员替换须填写接替人员" in " ".join(form_errors(response.get_data(as_text=True)))
    assert count(RosterChange) == 0


def test_staff_page_shows_roster_history(client, ctx):
    """R-2.3: a staff member's page lists the roster changes filed for them."""
    staff = make_staff()
    db.session.add(RosterChange(staff=staff, kind=RosterChangeKind.join,
                                filed_on=dt.date(2026, 1, 2), effective_on=dt.date(2026, 1, 5),
                                reason="首批协办员"))
    db.session.commit()
    html = client.get(f"/staffmemberview/show/{staff.id}").get_data(as_text=True)
    assert "人员报备" in html and "2026-01-05" in html


def test_roster_history_is_never_deleted(client, ctx):
    """R-2.3: the roster keeps its history: staff and roster filings cannot be deleted."""
    staff = make_staff()
    change = RosterChange(staff=staff, kind=RosterChangeKind.join, filed_on=dt.date(2026, 1, 2),
                          effective_on=dt.date(2026, 1, 5), reason="首批协办员")
    db.session.add(change)
    db.session.commit()
    for url in (f"/rosterchangeview/delete/{change.id}", f"/staffmemberview/delete/{staff.id}",
                f"/departmentview/delete/{make_department().id}"):
        assert client.post(url).status_code in (302, 403, 404, 405)
    assert (count(RosterChange), count(StaffMember), count(Department)) == (1, 1, 1)
    html = client.get("/rosterchangeview/list/").get_data(as_text=True)
    assert "/rosterchangeview/delete/" not in html


def test_list_and_show_print_enum_labels(client, ctx):
    """R-2.2: role and status read 专办员 / 在岗 on the list and show pages, empty cells blank."""
    staff = make_staff("周专办", StaffRole.specialist, make_department())
    for url in ("/staffmemberview/list/", f"/staffmemberview/show/{staff.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "专办员" in html and "在岗" in html
        assert ">specialist<" not in html and "<td>None</td>" not in html


# ---- shared --------------------------------------------------------------------------------

def assert_list_queries_constant(app, client, count_queries, url: str, add_row) -> None:
    """Render ``url`` with 3 and with 25 rows; the SQL statement counts must be equal.

    Rows are written in an app context of their own, so that each request starts as in
    production: a fresh session with an empty identity map.
    """
    counts = []
    made = 0
    for total in (3, 25):
        with app.app_context():
            while made < total:
                add_row(made)
                made += 1
            db.session.commit()
        client.get(url)  # warm caches (templates, permissions) outside the measurement
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        assert response.get_data(as_text=True).count("/show/") >= min(total, 20)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
