"""The demo district and its logins, and the links a walk of the menu follows (issues 14, 19).

Shared by the English walk (tests/test_english_walk.py, in the test client) and the
accessibility walk (tests/test_browser_a11y.py, in Chromium): the demo is seeded once per
module with its demo logins (their password counted as chosen, so no forced change); from
the dashboard a walk follows the menu, and from each list its first show and edit page and
its add form.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

from app.extensions import db
from app.models import metadata
from app.seed import DEMO_ANCHOR, seed_demo
from app.seed.accounts import DEMO_ACCOUNTS, seed_demo_accounts
from tests.accounts import ADMIN_PASSWORD, ADMIN_USER
from tests.audit_cleanup import deletes_allowed

PASSWORD = "Demo#Walk2026"
LOGINS = [(ADMIN_USER, ADMIN_PASSWORD)] + [(a.username, PASSWORD) for a in DEMO_ACCOUNTS]
#: the names the pages may show in Latin letters: the logins
NAMES = frozenset({ADMIN_USER, *(a.username for a in DEMO_ACCOUNTS)})

_HREF = re.compile(r'href="(/[^"#]*)"')
#: links the walk does not follow: signing out, switching language, files, actions
_SKIP = re.compile(r"^/(?:logout|lang/|static/|swagger|api/|ledger/|documents?/.*\.pdf|"
                   r"materialview/download|.*/action/|.*/delete/|.*\.(?:xlsx|pdf|zip|png)\b)")


@pytest.fixture(scope="module")
def demo_logins(app):
    """The demo district and its logins, once for the module; removed afterwards."""
    with app.app_context():
        seed_demo(db.session, DEMO_ANCHOR)
        seed_demo_accounts(db.session, app.appbuilder.sm, PASSWORD, chosen=True)
        db.session.commit()
        db.session.remove()
    yield LOGINS
    with app.app_context():
        db.session.rollback()
        with db.engine.begin() as conn, deletes_allowed(conn):
            for table in reversed(metadata.sorted_tables):
                if not table.name.startswith("ab_"):
                    conn.execute(table.delete())
        sm = app.appbuilder.sm
        for account in DEMO_ACCOUNTS:
            user = sm.find_user(username=account.username)
            if user is not None:
                db.session.delete(user)
        db.session.commit()
        db.session.remove()


@pytest.fixture(autouse=True)
def _clean_database(demo_logins):
    """Overrides conftest's per-test clean-up: the walk only reads the shared demo."""
    yield


def links(html: str) -> list[str]:
    """The local links of ``html`` a walk follows, each once, in order."""
    return [href for href in dict.fromkeys(_HREF.findall(html)) if not _SKIP.match(href)]


def records(list_url: str, html: str) -> list[str]:
    """The first show and edit page and the add form a list page links to."""
    base = list_url[: -len("list/")]
    wanted: dict[str, str] = {}
    for link in links(html):
        for kind in ("show/", "edit/", "add"):
            if link.startswith(base + kind) and kind not in wanted:
                wanted[kind] = urljoin(list_url, link)
    return list(wanted.values())


def next_pages(url: str, html: str) -> list[str]:
    """Where a walk goes from ``url``: the menu from the dashboard, a record of each list,
    a record's step forms and its print page."""
    if url == "/":
        return links(html)
    if url.endswith("/list/"):
        return records(url, html)
    if "/show/" in url:
        return [link for link in links(html)
                if link.startswith(("/workflow/", "/documents/commission/"))]
    return []
