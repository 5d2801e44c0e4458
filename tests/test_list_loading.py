"""A list page reads its rows as plain rows of the columns its cells show (issue 16,
app/views/list_loading.py): every cell of the commission list shows what the model's object
shows, in every state a deadline depends on, with and without the shown relations."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app.extensions import db
from app.models import Commission
from app.states import CommissionState
from app.views.commission import CommissionView
from app.views.list_loading import ListedRow, row_reader
from tests import factories as f

#: a deadline runs in the first two (the contact's), the third (the unit's confirmation of
#: the termination), none in the others; one has no coordinator
STATES = [CommissionState.accepted, CommissionState.assigned, CommissionState.terminating,
          CommissionState.in_progress, CommissionState.completed, CommissionState.pre_review]


def test_every_cell_of_the_commission_list_shows_what_the_model_shows(app, ctx):
    coordinator = f.staff(name="行协办")
    for n, state in enumerate(STATES):
        f.case(state, coordinator=None if state == CommissionState.accepted else coordinator,
               on=dt.date(2026, 3, 2), project=f.project(name=f"行项目{n}"))
    db.session.commit()
    view = next(v for v in app.appbuilder.baseviews if isinstance(v, CommissionView))
    datamodel, columns = view.datamodel, view.list_columns
    count, rows = datamodel.query(None, "id", "asc", page=0, page_size=20)
    assert count == len(STATES) and all(isinstance(row, ListedRow) for row in rows)
    db.session.expire_all()
    models = db.session.scalars(sa.select(Commission).order_by(Commission.id)).all()
    assert datamodel.get_keys(rows) == [m.id for m in models]
    shown = list(datamodel.get_values(rows, columns))
    expected = list(datamodel.get_values(models, columns))
    assert [{c: str(v) for c, v in row.items()} for row in shown] == \
        [{c: str(v) for c, v in row.items()} for row in expected]
    # the deadlines themselves, not only their text
    assert [row["deadline"] for row in shown] == [m.deadline or "" for m in models]
    assert sum(bool(row["deadline"]) for row in shown) == 3
    assert [row["coordinator"] == "" for row in shown] == [m.coordinator is None for m in models]
    assert shown[0]["coordinator"] == ""


def test_a_listed_row_holds_its_relations_or_none(app, ctx):
    """The shown relations are nested rows with the model's ``__str__``; a relation the row
    lacks (no termination, no coordinator) is None, and so is what hangs from it."""
    reader = row_reader(Commission, {"": ("application_no",), "coordinator": ("name",),
                                     "project": ("name",), "project.unit": ("name",)})
    case = f.case(CommissionState.accepted, coordinator=None,
                  project=f.project(name="无协办项目"))
    db.session.commit()
    statement = sa.select(*reader.columns).select_from(Commission)
    for join in reader.joins:
        statement = statement.outerjoin(join)
    row = reader.make(db.session.execute(statement.where(Commission.id == case.id)).one())
    assert row.id == case.id and row.coordinator is None
    assert str(row.project) == "无协办项目" and row.project.unit.name == case.project.unit.name
    assert type(row).__name__ == "CommissionRow"


def test_a_list_read_as_plain_rows_is_queried_without_loader_options(app, ctx):
    """The commission list selects its columns and joins its shown relations itself: its
    query carries no loader options (they were made, attached and dropped on every page);
    a list of the model's objects still loads its relations with options."""
    from app.views.reference import ApprovalItemView

    view = next(v for v in app.appbuilder.baseviews if isinstance(v, CommissionView))
    query = view.datamodel._page(db.session.query(Commission), None, "id", "desc", False)
    assert query._with_options == ()
    reader = row_reader(Commission, view.datamodel.list_reads)
    sql = str(view.datamodel._selecting(query).statement.compile(db.engine))
    assert sql.count("LEFT OUTER JOIN") == len(reader.joins)
    objects = next(v for v in app.appbuilder.baseviews if isinstance(v, ApprovalItemView))
    assert not objects.datamodel.list_reads
    listed = objects.datamodel._page(db.session.query(objects.datamodel.obj), None, "", "",
                                     False)
    assert listed._with_options == objects.datamodel._list_options(
        tuple(objects.datamodel.eager), ())


def test_the_first_page_statement_is_built_once_and_reads_fresh_rows(app, client, ctx,
                                                                    monkeypatch):
    """The commission list's first page (unfiltered, or filtered by one state, for a user who
    sees every row) keeps its statement: later requests build no query, yet show the rows
    and count of the moment; each state's page has its own statement."""
    from app.views.paging import PagingInterface

    f.case(CommissionState.accepted, project=f.project(name="首页甲"))
    f.case(CommissionState.in_progress, project=f.project(name="首页乙"))
    db.session.commit()
    view = next(v for v in app.appbuilder.baseviews if isinstance(v, CommissionView))
    view.datamodel.__dict__.pop("_kept_first_pages", None)  # kept by earlier tests' pages
    built = []
    selecting = PagingInterface._selecting
    monkeypatch.setattr(PagingInterface, "_selecting",
                        lambda self, query: built.append(query) or selecting(self, query))
    urls = ["/commissionview/list/?_oc_CommissionView=id&_od_CommissionView=asc",
            "/commissionview/list/?_oc_CommissionView=id&_od_CommissionView=asc"
            "&_flt_0_state=in_progress"]
    first = [client.get(url).get_data(as_text=True) for url in urls]
    assert len(built) == 2
    assert "首页甲" in first[0] and "首页乙" in first[0]
    assert "首页甲" not in first[1] and "首页乙" in first[1]
    f.case(CommissionState.in_progress, project=f.project(name="首页丙"))
    db.session.commit()
    built.clear()
    again = [client.get(url).get_data(as_text=True) for url in urls]
    assert built == []
    assert all("首页丙" in html for html in again)
    assert "首页甲" not in again[1]
    # a deeper page is built for its request
    client.get(urls[0] + "&psize_CommissionView=1&page_CommissionView=1")
    assert len(built) == 1
