"""Names found by pinyin, full or initials (issue 14, item 4; R-14.8 for the scope).

The keys are kept by the ORM on insert and on a change of the name (app/pinyin.py), searched
by the lookups (app/views/lookup.py) by prefix first, from the keys' index.
"""
from __future__ import annotations

import sqlalchemy as sa

from app import pinyin
from app.choices import StaffRole
from app.extensions import db
from app.models import Project, StaffMember, Unit
from app.views import lookup
from tests import factories as f


def test_keys_are_full_pinyin_and_initials_letters_and_digits_only():
    assert pinyin.keys("江城区") == ("jiangchengqu", "jcq")
    # phrases read as phrases; Latin letters and digits kept, punctuation dropped
    assert pinyin.keys("重庆A1栋（二期）") == ("chongqinga1dongerqi", "cqa1deq")
    assert pinyin.keys("") == ("", "")
    assert pinyin.keys(None) == ("", "")


def test_a_term_is_pinyin_only_when_it_is_letters():
    assert pinyin.as_pinyin_term("JCQ") == "jcq"
    assert pinyin.as_pinyin_term("jiang cheng") == "jiangcheng"
    assert pinyin.as_pinyin_term("xi'an") == "xian"
    assert pinyin.as_pinyin_term("江城") is None
    assert pinyin.as_pinyin_term("2026-441702") is None
    assert pinyin.as_pinyin_term("") is None


def test_keys_are_kept_on_insert_and_when_the_name_changes(ctx):
    """The mapper event fills the keys of every unit, project and staff member saved through
    the ORM (screens, import, seed), and refreshes them when the name is edited."""
    unit = f.unit(name="江城区住房和城乡建设局")
    project = f.project(unit, name="东部新城道路工程")
    person = f.staff(name="陈晓敏")
    db.session.commit()
    assert (unit.name_pinyin, unit.name_initials) == (
        "jiangchengquzhufanghechengxiangjiansheju", "jcqzfhcxjsj")
    assert project.name_initials == "dbxcdlgc"
    assert person.name_initials == "cxm"
    unit.name = "江城区教育局"
    db.session.commit()
    stored = db.session.execute(sa.select(Unit.name_pinyin, Unit.name_initials)
                                .where(Unit.id == unit.id)).one()
    assert tuple(stored) == ("jiangchengqujiaoyuju", "jcqjyj")


def test_pinyin_keys_are_not_changes_of_their_own_in_the_audit_trail(ctx):
    """R-14.4: the audit row of a renamed unit names the name, not the derived keys."""
    from app.models import AuditAction, AuditLog

    unit = f.unit(name="江城区教育局")
    db.session.commit()
    unit.name = "江城区卫生健康局"
    db.session.commit()
    row = db.session.scalars(sa.select(AuditLog).where(
        AuditLog.action == AuditAction.update, AuditLog.object_type == "Unit")).one()
    assert set(row.detail["after"]) == {"name"}


def test_lookups_find_units_projects_and_staff_by_initials_and_full_pinyin(client, ctx):
    """Issue 14: "jcq" finds 江城区…; full pinyin too; the prefix comes first."""
    first = f.unit(name="江城区住房和城乡建设局")
    inside = f.unit(name="阳江市江城区教育局")
    f.unit(name="海陵区教育局")
    proj = f.project(first, name="江城区东部新城道路工程")
    coordinator = f.staff(name="陈晓敏")
    f.staff(StaffRole.specialist, name="陈小明")
    db.session.commit()

    def texts(kind: str, term: str) -> list[str]:
        response = client.get(f"/lookup/{kind}", query_string={"q": term})
        assert response.status_code == 200
        return [row["text"] for row in response.get_json()["results"]]

    # prefix matches first, then matches inside the name
    assert texts("unit", "jcq") == [first.name, inside.name]
    assert texts("unit", "JiangChengQu") == [first.name, inside.name]
    assert set(texts("unit", "jyj")) == {inside.name, "海陵区教育局"}
    assert texts("project", "jcqdb") == [proj.name]
    assert set(texts("staff", "cxm")) == {"陈小明", "陈晓敏"}
    # the coordinator lookup offers coordinators only
    assert texts("coordinator", "cxm") == [coordinator.name]
    # Chinese and codes are searched as before
    assert set(texts("unit", "教育")) == {"阳江市江城区教育局", "海陵区教育局"}


def test_pinyin_lookup_pages_follow_the_prefix_first_order(app, ctx):
    """Paging over prefix matches and then matches inside the name stays one order."""
    for n in range(25):
        f.unit(name=f"江城区建设公司{n:02d}")
    for n in range(5):
        f.unit(name=f"海陵区江城区办事处{n}")
    db.session.commit()
    admin = app.appbuilder.sm.find_user(username="admin")
    page1, more1 = lookup.search("unit", "jcq", 1, user=admin)
    page2, more2 = lookup.search("unit", "jcq", 2, user=admin)
    assert more1 and not more2
    names = [r["text"] for r in page1 + page2]
    assert len(set(names)) == 30
    assert all(name.startswith("江城区") for name in names[:25])
    assert all(name.startswith("海陵区") for name in names[25:])


def test_prefix_search_reads_the_keys_index(ctx):
    """The prefix match is a range on the indexed keys: the database answers it from the
    index (SQLite's plan says so; PostgreSQL may still choose a scan on a tiny table)."""
    f.unit(name="江城区教育局")
    db.session.commit()
    query = sa.select(Unit.id).where(pinyin.prefix_clause(Unit, "jcq"))
    if db.engine.dialect.name == "sqlite":
        compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = db.session.execute(sa.text(f"EXPLAIN QUERY PLAN {compiled}")).all()
        text = " ".join(str(row[-1]) for row in plan)
        assert "ix_unit_name_initials" in text and "ix_unit_name_pinyin" in text, text
    for model in (Unit, Project, StaffMember):
        indexed = {tuple(c.name for c in index.columns) for index in model.__table__.indexes}
        assert {("name_pinyin",), ("name_initials",)} <= indexed


def test_person_selects_carry_the_pinyin_of_each_option(client, ctx):
    """The browser's Select2 matcher (static/js/pinyin.js) reads data-pinyin: the 专办员
    select of the item form and the filters of person columns carry it."""
    specialist = f.staff(StaffRole.specialist, name="陈晓敏")
    db.session.commit()
    html = client.get("/commissionitemview/add").get_data(as_text=True)
    assert f'data-pinyin="chenxiaomin cxm" value="{specialist.id}"' in html or \
        f'value="{specialist.id}" data-pinyin="chenxiaomin cxm"' in html
    listing = client.get("/consultationview/list/").get_data(as_text=True)
    assert 'data-pinyin=\\"chenxiaomin cxm\\"' in listing or 'data-pinyin="chenxiaomin cxm"' \
        in listing
    page = client.get("/").get_data(as_text=True)
    assert "js/pinyin.js" in page
