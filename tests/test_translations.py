"""The Chinese catalogue is complete and in use: zh by default, English selectable (R-1.x UI).

The completeness tests are strict on purpose: a string without Chinese shows English to
the user, so an empty msgstr fails the suite until someone translates it with
``scripts/i18n.py set``.
"""
from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import flask_appbuilder
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "app" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"


def _catalogue():
    with open(PO, "rb") as fh:
        return read_po(fh, locale="zh")


def _i18n_script():
    """scripts/i18n.py as a module, so the tests extract with the same keywords it uses."""
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _msgid(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def test_every_catalogue_entry_has_chinese():
    """Every msgid in the zh catalogue has a non-empty, non-fuzzy msgstr."""
    catalogue = _catalogue()
    untranslated = [_msgid(m) for m in catalogue if m.id and not m.string]
    fuzzy = [_msgid(m) for m in catalogue if m.id and m.fuzzy]
    assert not untranslated, (
        f"{len(untranslated)} msgids have no Chinese (scripts/i18n.py missing): "
        + "; ".join(untranslated[:40])
    )
    assert not fuzzy, f"fuzzy entries are compiled out: {fuzzy[:40]}"


def test_catalogue_holds_every_string_of_the_code(tmp_path):
    """Every msgid in app/ (python and templates) is in the catalogue: extract has been run."""
    script = _i18n_script()
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), "extract", "-F", "babel.cfg", *script.KEYWORDS,
                    "--no-location", "--omit-header", "-o", str(pot), "app"],
                   check=True, cwd=ROOT, capture_output=True)
    with open(pot, "rb") as fh:
        in_code = {_msgid(m) for m in read_po(fh) if m.id}
    in_catalogue = {_msgid(m) for m in _catalogue() if m.id}
    not_extracted = sorted(in_code - in_catalogue)
    assert not not_extracted, (
        "run `scripts/i18n.py extract` and translate: " + "; ".join(not_extracted[:40])
    )


def _fab_msgids() -> set[str]:
    """Every msgid in FAB's python files and templates (as FAB's own extraction finds them)."""
    fab_dir = Path(flask_appbuilder.__file__).parent
    keywords = {"_": None, "__": None, "gettext": None, "lazy_gettext": None,
                "lazy_formatter_gettext": None, "ngettext": (1, 2), "lazy_ngettext": (1, 2)}
    method_map = [("translations/**", "ignore"), ("**.py", "python"),
                  ("**/templates/**.html", "jinja2")]
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(fab_dir), method_map=method_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_fab_string_is_chinese(app):
    """FAB's own strings show in Chinese: FAB's catalogue or ours (app/i18n_fab.py) has them."""
    fab_msgids = _fab_msgids()
    assert len(fab_msgids) > 100, "FAB's strings were not found: is the extraction broken?"
    ours = {_msgid(m): m.string for m in _catalogue() if m.id}
    with app.test_request_context(), force_locale("zh"):
        english = sorted(s for s in fab_msgids if gettext(s) == s and not ours.get(s))
    assert not english, (
        "FAB strings without Chinese: add them to app/i18n_fab.py, extract and translate: "
        + "; ".join(repr(s) for s in english)
    )


def test_fab_record_buttons_use_our_chinese(client):
    """The Add/Edit/Show/Delete buttons (missing from FAB's zh) come from our catalogue."""
    html = client.get("/users/list/").get_data(as_text=True)
    for chinese in ("添加", "编辑", "查看", "删除"):
        assert re.search(rf'class="sr-only">\s*{chinese}\s*<', html), chinese


def test_login_page_is_chinese_by_default(app):
    """A new visitor gets the Chinese login page (BABEL_DEFAULT_LOCALE = zh)."""
    html = app.test_client().get("/login/").get_data(as_text=True)
    assert "请在下面输入您的用户名和密码" in html
    assert "用户名" in html and "密码" in html
    assert "Enter your login and password below" not in html


@pytest.mark.parametrize("locale, expected, absent", [
    ("en", "Enter your login and password below", "请在下面输入您的用户名和密码"),
    ("zh", "请在下面输入您的用户名和密码", "Enter your login and password below"),
])
def test_language_is_selectable(app, locale, expected, absent):
    """/lang/<locale> switches the UI language for the session; other locales are refused."""
    c = app.test_client()
    if locale == "zh":
        c.get("/lang/en")
    response = c.get(f"/lang/{locale}")
    assert response.status_code == 302
    html = c.get("/login/").get_data(as_text=True)
    assert expected in html
    assert absent not in html
    assert c.get("/lang/xx").status_code == 404


def test_translations_kept_per_request_follow_a_forced_language(app):
    """Issue 16: the catalogue is found once per request (app/i18n.py), yet a language
    forced for a while (an SMS in Chinese from an English page) and a refresh are obeyed."""
    from flask_babel import force_locale, gettext, refresh

    with app.test_request_context("/"):
        with force_locale("zh"):
            assert gettext("Commissions") == "委托协办"
        with force_locale("en"):
            assert gettext("Commissions") == "Commissions"
            refresh()
            assert gettext("Commissions") == "Commissions"
        with force_locale("zh"):
            assert gettext("Commissions") == "委托协办"
