"""No English in the Chinese UI (issue 14, item 3): every page of every menu entry, as every
demo role, in the test client (with the step forms and print page of each record shown).

The demo district is loaded once for the module with its demo logins (their password
counted as chosen, so no forced change). Each login opens the dashboard, every page its menu
links to, and on each list the first record's show and edit pages and the add form; the
visible text of each page (tests/visible_text.py) may hold no English word outside the
allow-list, and no select offers "__None". Then the error pages and a refused page.
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
from tests.conftest import login
from tests.helpers import XHR, panel_urls
from tests.visible_text import english_words, visible_text

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


def _links(html: str) -> list[str]:
    return [href for href in dict.fromkeys(_HREF.findall(html)) if not _SKIP.match(href)]


def _problems(url: str, html: str) -> list[str]:
    pieces = visible_text(html)
    found = [f"{url}: {word}" for word in english_words(pieces, NAMES)]
    if any("__None" in piece for piece in pieces):  # as an option's text, not its value
        found.append(f"{url}: a select offers __None")
    return found


def _report(problems: list[str], pages: int) -> str:
    """Each word once, with the first page it was found on and how often."""
    first: dict[str, str] = {}
    times: dict[str, int] = {}
    for problem in problems:
        url, _, word = problem.partition(": ")
        first.setdefault(word, url)
        times[word] = times.get(word, 0) + 1
    lines = [f"{times[word]:4d}x {word}  (first on {url})" for word, url in first.items()]
    return f"{len(problems)} English words on {pages} pages:\n" + "\n".join(lines)


def _records(list_url: str, html: str) -> list[str]:
    """The first show and edit page and the add form a list page links to."""
    base = list_url[: -len("list/")]
    wanted: dict[str, str] = {}
    for link in _links(html):
        for kind in ("show/", "edit/", "add"):
            if link.startswith(base + kind) and kind not in wanted:
                wanted[kind] = urljoin(list_url, link)
    return list(wanted.values())


def _walk(client) -> tuple[list[str], int]:
    """Every page the login's menu reaches, and a record of each list; (problems, pages)."""
    queue, seen, problems = ["/"], set(), []
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, headers=XHR if "/panel/" in url else None)
        if response.status_code in (301, 302, 303):
            continue  # a menu entry that redirects (the profile, the password form)
        assert response.status_code == 200, (url, response.status_code)
        if response.mimetype != "text/html":
            continue  # an archived PDF
        html = response.get_data(as_text=True)
        problems += _problems(url, html)
        if url == "/":
            queue += _links(html)  # the menu
        elif url.endswith("/list/"):
            queue += _records(url, html)
        elif "/show/" in url:  # the record's step forms, print page and panels
            queue += [link for link in _links(html)
                      if link.startswith(("/workflow/", "/documents/commission/"))]
            queue += panel_urls(html)
    return problems, len(seen)


@pytest.mark.parametrize("username", [name for name, _ in LOGINS])
def test_no_english_on_any_page(app, demo_logins, username):
    """Issue 14 (R-2.3 Chinese UI): as each demo role, every page of the menu, every list's
    first show and edit page (with the panels it loads on demand) and its add form show no
    English word and no "__None"."""
    password = dict(demo_logins)[username]
    client = app.test_client()
    login(client, username, password)
    problems, pages = _walk(client)
    assert pages > 2
    assert not problems, _report(problems, pages)


def test_error_pages_in_chinese(app, demo_logins):
    """Issue 14: the Not Found and Forbidden pages and a refused screen read in Chinese."""
    client = app.test_client()
    login(client, "demo_coordinator", PASSWORD)
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    problems = _problems("/no-such-page/", missing.get_data(as_text=True))
    refused = client.get("/users/list/", follow_redirects=True)
    problems += _problems("/users/list/", refused.get_data(as_text=True))
    wrong_method = client.delete("/favicon.ico")
    assert wrong_method.status_code == 405
    assert "GET" in wrong_method.headers["Allow"]  # the error's own headers are kept
    problems += _problems("DELETE /favicon.ico", wrong_method.get_data(as_text=True))
    assert not problems, "\n".join(problems)


def test_favicon_is_served(app):
    """Issue 14: /favicon.ico is the bundled icon, for everyone (no 404 on every page)."""
    response = app.test_client().get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
