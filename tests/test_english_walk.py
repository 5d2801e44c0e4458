"""No English in the Chinese UI (issue 14, item 3): every page of every menu entry, as every
demo role, in the test client (with the step forms and print page of each record shown).

The demo district is loaded once for the module with its demo logins (tests/demo_walk.py).
Each login opens the dashboard, every page its menu
links to, and on each list the first record's show and edit pages and the add form; the
visible text of each page (tests/visible_text.py) may hold no English word outside the
allow-list, and no select offers "__None". Then the error pages and a refused page.
"""
from __future__ import annotations

import pytest

from tests.conftest import login
from tests.helpers import XHR, panel_urls
# the demo, once for the module (_clean_database, autouse, asks for demo_logins)
from tests.demo_walk import (  # noqa: F401 (fixtures)
    LOGINS, NAMES, PASSWORD, _clean_database, demo_logins, next_pages,
)
from tests.visible_text import english_words, visible_text


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
        queue += next_pages(url, html)
        if "/show/" in url:  # and the panels the case page loads on demand
            queue += panel_urls(html)
    return problems, len(seen)


@pytest.mark.parametrize("username", [name for name, _ in LOGINS])
def test_no_english_on_any_page(app, username):
    """Issue 14 (R-2.3 Chinese UI): as each demo role, every page of the menu, every list's
    first show and edit page (with the panels it loads on demand) and its add form show no
    English word and no "__None"."""
    password = dict(LOGINS)[username]
    client = app.test_client()
    login(client, username, password)
    problems, pages = _walk(client)
    assert pages > 2
    assert not problems, _report(problems, pages)


def test_error_pages_in_chinese(app):
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
