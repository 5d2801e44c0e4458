"""Selects whose Chinese options are found by pinyin too (issue 14, item 4).

The relation selects over small tables (people: coordinators, specialists, attendees) are
FAB's Select2 selects filtered in the browser. Their options carry the pinyin keys of their
text (``data-pinyin="chenxiaomin cxm"``, app/pinyin.py) and ``static/js/pinyin.js`` gives
every Select2 a matcher that reads them: typing "cxm" finds 陈晓敏. The big tables (units,
projects) are searched on the server instead (app/views/lookup.py), by the same keys.
"""
from __future__ import annotations

import re
from typing import Any

from flask_appbuilder.fieldwidgets import Select2ManyWidget, Select2Widget
from markupsafe import Markup, escape
from wtforms.fields.core import UnboundField
from wtforms.widgets import html_params

from app import pinyin

_HAN = re.compile(r"[\u3400-\u9fff]")


def _option(value: Any, label: Any, selected: bool, **attrs: Any) -> Markup:
    if isinstance(value, bool):
        value = str(value)
    text = str(label if label is not None else value)
    options = {"value": value, **attrs}
    if _HAN.search(text):
        options["data-pinyin"] = " ".join(pinyin.keys(text))
    if selected:
        options["selected"] = True
    return Markup(f"<option {html_params(**options)}>{escape(text)}</option>")


class _PinyinOptions:
    """Options with their text's pinyin keys (WTForms 3.3's render_option, and 3.2's)."""

    @classmethod
    def render_option(cls, choice: Any, *legacy: Any, **kwargs: Any) -> Markup:
        if legacy:  # WTForms < 3.3: (value, label, selected, **render_kw)
            label, selected = legacy
            return _option(choice, label, selected, **kwargs)
        return _option(choice.value, choice.label or choice.value, choice.selected,
                       **{**(choice.render_kw or {}), **kwargs})


class PinyinSelect2Widget(_PinyinOptions, Select2Widget):
    """FAB's Select2 select, its options found by pinyin."""


class PinyinSelect2ManyWidget(_PinyinOptions, Select2ManyWidget):
    """FAB's Select2 multiple select, its options found by pinyin."""


def by_pinyin(unbound: Any, multiple: bool = False) -> None:
    """Give a form's (unbound) select field the pinyin widget."""
    if isinstance(unbound, UnboundField):
        unbound.kwargs["widget"] = PinyinSelect2ManyWidget() if multiple \
            else PinyinSelect2Widget()
