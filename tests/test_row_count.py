"""The commission list's record count is the database's own (issue 16 item 4; clerks rely on
the number): kept exact by the commission table's triggers (app/models/row_count.py) through
every kind of write, and read by the list unfiltered, filtered by one state and on its last
page, with no count(*) of 100,000 rows."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app import roles
from app.extensions import db
from app.models import Commission, RowCount
from app.states import CommissionState
from tests import factories as f
from tests.role_clients import role_client

LIST = "/commissionview/list/"
TRIGGERS = {"commission_row_count_insert", "commission_row_count_delete",
            "commission_row_count_update"}


def _kept() -> dict[str, int]:
    return {name: total for name, total in db.session.execute(
        sa.select(RowCount.name, RowCount.total)) if total}


def _counted() -> dict[str, int]:
    found = {"commission": db.session.scalar(sa.select(sa.func.count()).select_from(Commission))}
    for state, total in db.session.execute(
            sa.select(Commission.state, sa.func.count()).group_by(Commission.state)):
        found[f"commission:{state.value}"] = total
    return {name: total for name, total in found.items() if total}


def test_the_counting_triggers_are_there_at_head_issue16(ctx):
    """A SQLite migration rebuilding the commission table would drop them silently."""
    if db.engine.dialect.name == "postgresql":
        names = set(db.session.scalars(sa.text(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'commission'::regclass "
            "AND NOT tgisinternal")))
        assert TRIGGERS | {"commission_row_count_truncate"} <= names
    else:
        names = set(db.session.scalars(sa.text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'commission'")))
        assert TRIGGERS <= names


def test_counts_follow_steps_sql_and_deletes_issue16(ctx):
    cases = [f.case(CommissionState.accepted), f.case(CommissionState.accepted),
             f.case(CommissionState.in_progress), f.case(CommissionState.completed)]
    db.session.commit()
    assert _kept() == _counted() == {"commission": 4, "commission:accepted": 2,
                                     "commission:in_progress": 1, "commission:completed": 1}
    # one statement moving several rows, and one touching no state
    db.session.execute(sa.text("UPDATE commission SET state = 'planning' WHERE id IN (:a, :b, :c)"),
                       {"a": cases[0].id, "b": cases[1].id, "c": cases[2].id})
    db.session.execute(sa.text("UPDATE commission SET remarks = '备注'"))
    db.session.commit()
    assert _kept() == _counted() == {"commission": 4, "commission:planning": 3,
                                     "commission:completed": 1}
    db.session.rollback()
    f.case(CommissionState.in_progress)
    db.session.flush()
    db.session.rollback()  # a write rolled back leaves the counts as they were
    assert _kept() == _counted()
    db.session.execute(sa.text("DELETE FROM commission_item"))
    db.session.execute(sa.text("DELETE FROM commission WHERE state = 'planning'"))
    db.session.commit()
    assert _kept() == _counted() == {"commission": 1, "commission:completed": 1}


def test_truncate_clears_the_counts_issue16(ctx):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    f.case(CommissionState.accepted)
    db.session.commit()
    db.session.execute(sa.text("TRUNCATE commission CASCADE"))
    db.session.commit()
    assert _kept() == _counted() == {}


def _count_statements(statements: list[str]) -> int:
    return sum("count(*)" in s.lower() and "from commission" in " ".join(s.lower().split())
               for s in statements)


def _shown_count(html: str) -> int:
    return int(re.search(r"记录数目:</strong>\s*(\d+)", html).group(1))


def test_the_list_shows_the_kept_count_without_counting_issue16(app, client, count_queries):
    with app.app_context():
        for state in (CommissionState.accepted,) * 3 + (CommissionState.in_progress,) * 2:
            f.case(state)
        mine = f.staff()
        f.case(CommissionState.in_progress, coordinator=mine)
        db.session.commit()
        mine_id = mine.id
    for url, total in ((LIST, 6), (f"{LIST}?_flt_0_state=in_progress", 3),
                       (f"{LIST}?_flt_0_state=accepted&psize_CommissionView=2"
                        "&page_CommissionView=1", 3)):
        client.get(url)
        with count_queries() as seen:
            html = client.get(url).get_data(as_text=True)
        assert _count_statements(seen) == 0, url
        assert _shown_count(html) == total, (url, total)
    # any other filter counts its rows
    with count_queries() as seen:
        client.get(f"{LIST}?_flt_0_state=accepted&_flt_1_state=in_progress")
    assert _count_statements(seen) == 1
    # a coordinator's list is their own commissions: counted, not the table's
    coordinator = role_client(app, [roles.COORDINATOR], mine_id)
    for url in (LIST, f"{LIST}?_flt_0_state=in_progress"):
        coordinator.get(url)
        with count_queries() as seen:
            html = coordinator.get(url).get_data(as_text=True)
        assert _count_statements(seen) == 1 and _shown_count(html) == 1, url
