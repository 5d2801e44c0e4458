"""R-13.6: a ledger's headers are its screens' labels (issue 11 item 9): a column a screen
shows takes the screen's ``label_columns`` entry; only a column no screen shows has a
header of its own, and that header is no screen's label typed again."""
from __future__ import annotations

import pytest
from flask_babel.speaklater import LazyString

from app.ledgers.definitions import ALL
from app.ledgers.spec import ScreenLabel
from app.views.base import AppModelView


def _msgid(label) -> str | None:
    """The msgid of a declared label (FAB fills undeclared ones with plain English)."""
    return label._args[0] if isinstance(label, LazyString) else None


def _screens(app) -> list[AppModelView]:
    return [v for v in app.appbuilder.baseviews if isinstance(v, AppModelView)]


@pytest.mark.parametrize("ledger", ALL, ids=lambda ledger: ledger.key)
def test_r13_6_ledger_headers_are_the_labels_of_its_screen(app, ledger):
    """Where the ledger's own list screen (``ledger = key``) has the column the ledger reads,
    the header is that screen's label."""
    screen = next(v for v in _screens(app) if v.ledger == ledger.key)
    declared = {key: _msgid(label) for key, label in type(screen).label_columns.items()}
    compared = 0
    for column in ledger.columns:
        dotted = getattr(column.get, "dotted", None)
        if declared.get(dotted):
            assert isinstance(column.header, ScreenLabel), dotted
            assert _msgid(column.header.label()) == declared[dotted], dotted
            compared += 1
    assert compared >= 5


@pytest.mark.parametrize("ledger", ALL, ids=lambda ledger: ledger.key)
def test_r13_6_ledger_headers_name_declared_screen_labels_or_none(app, ledger):
    """A screen header names a label the screen declares (a msgid, translated); a header of
    the ledger's own is no screen's label typed again."""
    screen_msgids = {_msgid(label) for view in _screens(app)
                     for label in type(view).label_columns.values()} - {None}
    own = []
    for column in ledger.columns:
        if isinstance(column.header, ScreenLabel):
            assert _msgid(column.header.label()), column.header
        else:
            assert isinstance(column.header, LazyString), column.header
            own.append(_msgid(column.header))
    assert not screen_msgids & set(own)
    assert len(own) <= 3  # most headers come from the screens


def test_r13_6_screen_headers_read_in_chinese(app):
    """Read at export time, a screen header is the screen's Chinese label."""
    from app.ledgers.definitions import COMMISSIONS

    with app.test_request_context():
        assert str(COMMISSIONS.columns[0].header) == "申请编号"
