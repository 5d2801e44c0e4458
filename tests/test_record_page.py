"""The record page (issue 14, items 6 and 7): print buttons only when the document can be
made, the page opens on 详细, and the record's 变更记录 for readers of the audit trail
(R-14.4, R-14.7)."""
from __future__ import annotations

import re

from app import roles
from app.extensions import db
from app.models import Commission, Unit
from app.states import CommissionState
from tests.role_clients import role_client
from tests.helpers import numbered_case as make_commission
from tests import factories as _f


def _actions(html: str) -> set[str]:
    """The action buttons FAB rendered on a show page."""
    return set(re.findall(r'id="btn-action-CommissionView\.action-(\w+)"', html))


def test_print_buttons_show_only_for_documents_the_case_has(app, client):
    """Issue 14, item 6: an open case offers the application form and the ZIP, not the
    completion or termination form, nor the plan before there is one; a completed case
    offers its completion form."""
    with app.app_context():
        open_case = make_commission("JCXB-2026-0001")
        done = make_commission("JCXB-2026-0002", state=CommissionState.completed)
        db.session.commit()
        open_id, done_id = open_case.id, done.id
    shown = _actions(client.get(f"/commissionview/show/{open_id}").get_data(as_text=True))
    assert {"print_application", "print_all", "documents"} <= shown
    assert not shown & {"print_completion", "print_termination", "print_plan"}
    shown = _actions(client.get(f"/commissionview/show/{done_id}").get_data(as_text=True))
    assert "print_completion" in shown and "print_termination" not in shown


def test_every_record_page_opens_on_its_detail_tab(app, client):
    """Issue 14, item 6: FAB's ab_keep_tab.js (one "last tab" for all pages) is replaced by
    show_tabs.js: the detail tab, or the tab the address names."""
    with app.app_context():
        pk = make_commission().id
        unit_id = db.session.get(Commission, pk).project.unit_id
        db.session.commit()
    for url in (f"/commissionview/show/{pk}", f"/unitview/show/{unit_id}"):
        html = client.get(url).get_data(as_text=True)
        assert "ab_keep_tab.js" not in html, url
        assert "js/show_tabs.js" in html, url


def test_change_history_of_the_record_for_readers_of_the_audit_log(app, client):
    """Issue 14, item 7 (R-14.4): the unit's page lists its audit rows, the update with
    the field's label, before and after, and links to the audit screen filtered to it."""
    with app.app_context():
        unit_id = make_commission().project.unit_id
        db.session.commit()
        unit = db.session.get(Unit, unit_id)
        unit.address = "阳江市江城区新址路8号"
        db.session.commit()
    html = client.get(f"/unitview/show/{unit_id}").get_data(as_text=True)
    assert 'id="xb-changes"' in html
    panel = html.split('id="xb-changes"', 1)[1]
    assert "阳江市江城区东风路1号 → 阳江市江城区新址路8号" in panel
    link = re.search(r'href="(/auditlogview/list/\?[^"]+)"', panel).group(1).replace("&amp;", "&")
    listing = client.get(link)
    assert listing.status_code == 200
    assert "地址" in listing.get_data(as_text=True)  # the changed field's label, on the audit list
    assert "object_type=Unit" in link and f"object_id={unit_id}" in link


def test_change_history_masks_as_the_audit_screen_and_is_not_shown_to_case_workers(app):
    """R-14.7: the inspector reads a unit's phone change masked; a coordinator (who may
    not read the audit log) gets no panel on their own case."""
    with app.app_context():
        coordinator = make_staff(name="王晓明")
        commission = make_commission(coordinator=coordinator)
        unit = commission.project.unit
        unit.handler_phone = "13912345678"
        db.session.commit()
        unit_id, pk, staff_id = unit.id, commission.id, coordinator.id
    inspector = role_client(app, [roles.INSPECTOR])
    panel = inspector.get(f"/unitview/show/{unit_id}").get_data(as_text=True).split(
        'id="xb-changes"', 1)[1]
    assert "139****5678" in panel and "13912345678" not in panel
    mine = role_client(app, [roles.COORDINATOR], staff_id=staff_id)
    page = mine.get(f"/commissionview/show/{pk}")
    assert page.status_code == 200 and 'id="xb-changes"' not in page.get_data(as_text=True)


def test_change_history_costs_one_statement(app, client, count_queries):
    """The panel reads the (object_type, object_id) index once, whatever the trail holds."""
    with app.app_context():
        unit_id = make_commission().project.unit_id
        db.session.commit()

    def statements() -> int:
        with count_queries() as seen:
            assert client.get(f"/unitview/show/{unit_id}").status_code == 200
        return len(seen)

    statements()  # the session's first request loads and keeps its roles (issue 16)
    before = statements()
    with app.app_context():
        unit = db.session.get(Unit, unit_id)
        for n in range(15):
            unit.address = f"阳江市江城区新址路{n}号"
            db.session.commit()
    assert statements() == before


def make_staff(name=None, **kw):
    return _f.staff(name=name, **kw)
