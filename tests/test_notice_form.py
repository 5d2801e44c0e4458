"""The one-time notice on one screen (issue 14, item 5; R-6.5): the notice and all its lines
in one form, materials picked from the item's checklist or typed, one writer of the lines
(app/domain/one_time_notice.py), saved and printed at once."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app import roles
from app.choices import MaterialProblem
from app.extensions import db
from app.models import (
    Commission,
    IssuedDocument,
    ItemMaterial,
    MaterialNotice,
    MaterialNoticeLine,
)
from tests.factories import D, opened
from tests.role_clients import link_account, role_client


@pytest.fixture(autouse=True)
def documents_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENTS_DIR", str(tmp_path / "documents"))


def _case(app, link: bool = True) -> dict:
    """A commission with two items; the first item's checklist has two materials."""
    with app.app_context():
        commission = opened()
        first, second = commission.items
        for n, name in enumerate(("建设项目用地预审申请表", "勘测定界图")):
            db.session.add(ItemMaterial(approval_item=first.approval_item, name=name,
                                        sort_order=n))
        if link:
            link_account(commission.coordinator)
        db.session.commit()
        materials = {m.name: m.id for m in first.approval_item.materials}
        return {"commission": commission.id, "first": first.id, "second": second.id,
                "materials": materials, "staff": commission.coordinator_id}


def _form(case: dict, lines: list[dict], **extra) -> dict:
    data = {"commission": str(case["commission"]), "issued_on": "2025-10-11",
            "note": "请于5个工作日内补齐。", **extra}
    for index, line in enumerate(lines):
        for key, value in line.items():
            data[f"lines-{index}-{key}"] = str(value)
    return data


def _lines(app) -> list[tuple[str, str, bool]]:
    with app.app_context():
        rows = db.session.scalars(sa.select(MaterialNoticeLine).order_by(
            MaterialNoticeLine.id)).all()
        return [(r.material_name, r.problem.value, r.material_id is not None) for r in rows]


def test_the_notice_and_all_its_lines_are_saved_from_one_form(app, client):
    """R-6.5: three lines at once — two from the first item's checklist (the name comes from
    the checklist), one typed for the second item."""
    c = _case(app)
    response = client.post("/materialnoticeview/add", data=_form(c, [
        {"commission_item": c["first"], "material": c["materials"]["建设项目用地预审申请表"],
         "problem": "missing"},
        {"commission_item": c["first"], "material": c["materials"]["勘测定界图"],
         "problem": "insufficient", "note": "须加盖测绘单位公章"},
        {"commission_item": c["second"], "material_name": "建设工程设计方案总平面图",
         "problem": "missing"},
    ]))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert _lines(app) == [("建设项目用地预审申请表", "missing", True),
                           ("勘测定界图", "insufficient", True),
                           ("建设工程设计方案总平面图", "missing", False)]
    with app.app_context():
        notice = db.session.scalars(sa.select(MaterialNotice)).one()
        assert notice.issued_by_id == c["staff"]  # the signed-in user


def test_the_form_offers_the_items_and_their_checklists(app, client):
    """Opened from the case's page (the related view's filter), the form lists the case's
    items and each item's checklist, and one empty line to start with."""
    c = _case(app)
    html = client.get(f"/materialnoticeview/add?_flt_0_commission={c['commission']}").get_data(
        as_text=True)
    assert 'class="xb-notice-lines"' in html
    assert f'<optgroup label="用地预审与选址意见书江城滨海智造产业园一期" data-item="{c["first"]}">' \
        in html
    assert "勘测定界图" in html and 'name="lines-0-commission_item"' in html
    assert 'name="_save_and_print"' in html
    checklist = client.get(f"/lookup/checklist/{c['commission']}").get_json()
    assert [len(item["materials"]) for item in checklist["items"]] == [2, 0]


def test_wrong_lines_are_refused_on_their_rows_and_nothing_is_saved(app, client):
    """A material of another item's checklist, an item of another commission, no name,
    the same material twice, no line at all: refused in Chinese, nothing written."""
    c = _case(app)
    with app.app_context():
        other = opened("海陵岛码头工程")
        db.session.commit()
        other_item = other.items[0].id
    material = c["materials"]["勘测定界图"]
    for lines, message in (
        ([{"commission_item": c["second"], "material": material, "problem": "missing"}],
         "不在此审批事项的申报材料清单"),
        ([{"commission_item": other_item, "material_name": "图纸", "problem": "missing"}],
         "不属于本告知书"),
        ([{"commission_item": c["first"], "problem": "missing", "note": "x"}], "材料"),
        ([{"commission_item": c["first"], "material": material, "problem": "missing"},
          {"commission_item": c["first"], "material_name": "勘测定界图", "problem": "missing"}],
         "重复"),
        ([], "至少列出一项"),
    ):
        response = client.post("/materialnoticeview/add", data=_form(c, lines))
        assert response.status_code == 200, lines
        assert message in response.get_data(as_text=True), (lines, message)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MaterialNotice)) == 0


def test_editing_changes_adds_and_removes_lines(app, client):
    c = _case(app)
    client.post("/materialnoticeview/add", data=_form(c, [
        {"commission_item": c["first"], "material_name": "甲", "problem": "missing"},
        {"commission_item": c["first"], "material_name": "乙", "problem": "missing"},
    ]))
    with app.app_context():
        notice = db.session.scalars(sa.select(MaterialNotice)).one()
        first_line = notice.lines[0].id
        pk = notice.id
    edit = client.get(f"/materialnoticeview/edit/{pk}").get_data(as_text=True)
    assert 'value="甲"' in edit and 'value="乙"' in edit
    response = client.post(f"/materialnoticeview/edit/{pk}", data=_form(c, [
        {"id": first_line, "commission_item": c["first"], "material_name": "甲（修改）",
         "problem": "insufficient"},
        {"commission_item": c["second"], "material_name": "丙", "problem": "missing"},
    ]))
    assert response.status_code == 302
    assert _lines(app) == [("甲（修改）", "insufficient", False), ("丙", "missing", False)]
    with app.app_context():
        assert db.session.scalars(sa.select(MaterialNoticeLine.id).order_by(
            MaterialNoticeLine.id)).first() == first_line  # updated in place


def test_save_and_print_opens_the_notice_which_prints_it(app, client):
    """Issue 14: "save and print" leads to the notice's page with its print form set to go;
    the form issues the 一次性告知书 (R-15.3) with every line."""
    c = _case(app)
    response = client.post("/materialnoticeview/add", data=_form(
        c, [{"commission_item": c["first"], "material_name": "勘测定界图", "problem": "missing"}],
        _save_and_print="1"))
    assert response.status_code == 302
    assert "print=1" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "data-xb-auto-submit" in page and 'id="xb-notice-print"' in page
    assert "勘测定界图" in page
    with app.app_context():
        notice = db.session.scalars(sa.select(MaterialNotice)).one()
        target = f"/documents/commission/{c['commission']}/print/material_notice/{notice.id}"
    assert target in page
    pdf = client.post(target)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument)) == 1


def test_lines_are_written_only_with_their_notice(app):
    """One writer: the line screen lists and shows; it has no add, edit or delete route and
    no role holds such a permission (R-16.1's rule for facts with one writer)."""
    c = _case(app, link=False)
    with app.app_context():
        sm = app.appbuilder.sm
        for role in (roles.SUPERVISOR, roles.COORDINATOR):
            names = {str(p) for p in sm.find_role(role).permissions}
            assert "can list on MaterialNoticeLineView" in names
            assert not {"can add on MaterialNoticeLineView", "can edit on MaterialNoticeLineView",
                        "can delete on MaterialNoticeLineView"} & names
        commission = db.session.get(Commission, c["commission"])
        staff_id = commission.coordinator_id
    mine = role_client(app, [roles.COORDINATOR], staff_id=staff_id)
    assert mine.get("/materialnoticelineview/add").status_code == 404


def test_the_demo_seed_writes_lines_through_the_one_writer(app):
    """app/seed/casework.py calls one_time_notice.set_lines: a checklist line is named as
    the checklist names it."""
    from app.domain.one_time_notice import Line, set_lines

    c = _case(app, link=False)
    with app.app_context():
        commission = db.session.get(Commission, c["commission"])
        notice = MaterialNotice(commission=commission, issued_on=D("2025-10-11"),
                                issued_by=commission.coordinator)
        material = db.session.get(ItemMaterial, c["materials"]["勘测定界图"])
        set_lines(notice, [Line(commission.items[0], material, "", MaterialProblem.missing)])
        db.session.add(notice)
        db.session.commit()
        assert [line.material_name for line in notice.lines] == ["勘测定界图"]
