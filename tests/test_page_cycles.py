"""A page leaves no reference cycle holding what it loaded (issue 16, a worker's memory).

Memory in a reference cycle is freed only when the garbage collector runs, not when the
request ends. FAB's init.html imported its macro library ``with context``: a module made on
every page, whose macros close over a context holding all the page's variables, the request
and the signed-in user, and every record the page loaded. On the 督办 screen that was about
6,000 objects a request (680 records), left for the collector: a worker grew 10–15 MiB
before it caught up. The library's macros need no context (``get_nonce`` reads the global
``csp_nonce``), so app/templates/appbuilder/init.html imports it without; a module imported
``with context`` (the unit's pages import their macros so) is cleared with the page's own
context (app/views/rendering.py).
"""
from __future__ import annotations

import datetime as dt
import gc

import pytest
from sqlalchemy.orm.state import InstanceState

from app import clock
from app.extensions import db
from app.states import CommissionState, ItemState
from tests import factories as f

D = dt.date.fromisoformat


def _cyclic_garbage(client, url: str) -> list:
    """What requesting ``url`` left in reference cycles (found with the collector off)."""
    gc.collect()
    gc.disable()
    try:
        response = client.get(url)
        assert response.status_code == 200, url
        del response
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


@pytest.fixture
def late_case(app):
    """A commission at work with an item past its due date (the 督办 screen lists it)."""
    with app.app_context(), clock.frozen("2025-10-28T10:00:00+08:00"):
        accepted = D("2025-01-02")
        case = f.case(CommissionState.in_progress, on=accepted,
                      items=[f.due_item(accepted, D("2025-10-10"))])
        f.advance_item(case.items[0], ItemState.accepted, on=accepted)
        db.session.commit()
        return case.id


@pytest.mark.parametrize("url", ["/overdue/", "/commissionview/list/",
                                 "/commissionview/show/{case}", "/"])
def test_a_page_leaves_no_cycle_holding_its_records(client, late_case, url):
    with clock.frozen("2025-10-28T10:00:00+08:00"):
        client.get(url.format(case=late_case))  # templates compiled, menus kept
        garbage = _cyclic_garbage(client, url.format(case=late_case))
    kinds = {f"{type(o).__module__}.{type(o).__qualname__}" for o in garbage}
    assert not any(isinstance(o, InstanceState) for o in garbage), sorted(kinds)
    assert "jinja2.runtime.Context" not in kinds
    assert "flask_appbuilder.security.sqla.models.User" not in kinds


def test_a_page_importing_its_macros_with_context_leaves_no_cycle(app):
    """The unit's look-up page imports its macros ``with context``: the module made for
    the page is cleared with it."""
    visitor = app.test_client()
    assert visitor.get("/unit/").status_code == 200
    garbage = _cyclic_garbage(visitor, "/unit/")
    kinds = {f"{type(o).__module__}.{type(o).__qualname__}" for o in garbage}
    assert "jinja2.runtime.Context" not in kinds, sorted(kinds)
