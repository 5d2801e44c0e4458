"""Small helpers of the screen tests: a page's HTML, a form POST, rows counted or fetched.

Rows themselves come from tests/factories.py."""
from __future__ import annotations

import re
from html import unescape
from typing import Any

import sqlalchemy as sa

from app.extensions import db


def count(model: type) -> int:
    """Rows of ``model`` in the database."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def only(model: type) -> Any:
    """The single row of ``model`` (fails when there is not exactly one)."""
    return db.session.scalars(sa.select(model)).one()


def post(client, url: str, data: dict[str, Any]):
    """POST a form; None values are left out (an empty field)."""
    return client.post(url, data={k: v for k, v in data.items() if v is not None},
                       follow_redirects=False)


def page(client, url: str) -> str:
    """GET a page that must answer 200; its HTML."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


#: a panel the record page loads when its tab opens (app/views/panels.py)
PANEL = re.compile(r'data-xb-panel="([^"]+)"')
XHR = {"X-Requested-With": "XMLHttpRequest"}


def panel_urls(html: str) -> list[str]:
    """The addresses of the panels a record page left to load."""
    return [unescape(url) for url in PANEL.findall(html)]


def record_page(client, url: str) -> str:
    """A record page as the clerk sees it with every tab opened: the page's HTML followed by
    each panel it loads on demand (each must answer 200)."""
    html = page(client, url)
    parts = [html]
    for panel in panel_urls(html):
        response = client.get(panel, headers=XHR)
        assert response.status_code == 200, (panel, response.status_code)
        parts.append(response.get_data(as_text=True))
    return "\n".join(parts)


def numbered_case(application_no: str | None = None, coordinator: Any = None,
                  state: Any = None) -> Any:
    """A commission taken to ``state`` by the steps (tests/factories.case), showing
    ``application_no`` where a screen test searches or sorts by a number of its choosing
    (the acceptance step numbers it otherwise). Without a state it is in progress under
    ``coordinator``, or accepted and nobody's without one."""
    from app.states import CommissionState
    from tests import factories as f

    if state is None:
        state = CommissionState.in_progress if coordinator else CommissionState.accepted
    commission = f.case(state, coordinator=coordinator)
    if application_no:
        commission.application_no = application_no
        db.session.flush()
    return commission
