"""A list page's rows are written in Python (issue 16, item 3; app/views/list_rows.py): the
same markup as the Jinja block of FAB's list widget they replace, cell for cell, with
escaping, formatters, row keys in addresses, the action box and each subset of buttons."""
from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from app.extensions import db
from app.views.list_rows import ROW_KEY, rows
from tests.helpers import numbered_case

#: the widget's block before it moved to Python (templates/appbuilder/general/widgets/list.html)
JINJA_ROWS = """
{% set key = "XBROWKEY" %}
{% set show_title, show_text = _('Show record'), _('Show') %}
{% set edit_title, edit_text = _('Edit record'), _('Edit') %}
{% set delete_title, delete_text = _('Delete record'), _('Delete') %}
{% for item in value_columns %}
    {% set pk = pks[loop.index-1] %}
    {% set row_key = pk | string | urlencode %}
    <tr>
        {% if actions %}
        <td>
            <input id="{{pk}}" class="action_check" name="rowid" value="{{pk}}" type="checkbox">
        </td>
        {% endif %}
        {% if can_show or can_edit or can_delete %}
            <td><center>
            <div class="btn-group btn-group-xs" style="display: flex;">
            {%- if show_url %}
                <a href="{{ show_url | replace(key, row_key) }}" class="btn btn-sm btn-default" data-toggle="tooltip" rel="tooltip" title="{{ show_title }}"><span class="sr-only">{{ show_text }}</span><i class="fa fa-search"></i></a>
            {%- endif %}
            {%- if edit_url %}
                <a href="{{ edit_url | replace(key, row_key) }}" class="btn btn-sm btn-default" data-toggle="tooltip" rel="tooltip" title="{{ edit_title }}"><span class="sr-only">{{ edit_text }}</span><i class="fa fa-edit"></i></a>
            {%- endif %}
            {%- if delete_url %}
                <a href="#" data-xb-delete="{{ delete_url | replace(key, row_key) }}" class="btn btn-sm btn-default confirm xb-row-delete" rel="tooltip" title="{{ delete_title }}"><span class="sr-only">{{ delete_text }}</span><i class="fa fa-trash"></i></a>
            {%- endif %}
            </div>
            </center></td>
        {% endif %}
        {% for value in include_columns %}
            {% set formatter = formatters_columns.get(value) %}
            {% if formatter %}
                <td>{{ formatter(item[value]) }}</td>
            {% else %}
                <td>{{ item[value] }}</td>
            {% endif %}
        {% endfor %}
    </tr>
{% endfor %}
"""


def _squeezed(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


VALUES = [{"name": "A&B <公司>", "state": "进行中", "amount": 3, "note": None},
          {"name": Markup("<b>粗</b>"), "state": '"引号"', "amount": 0, "note": "x"}]
PKS = [7, "a b/c&d"]
COLUMNS = ["name", "state", "amount", "note"]
FORMATTERS = {"state": lambda value: Markup('<span class="s">{}</span>').format(value)}


@pytest.mark.parametrize("actions", [True, False])
@pytest.mark.parametrize("can", [(True, True, True), (True, False, False),
                                 (False, True, True), (False, False, False)])
def test_rows_are_the_jinja_blocks_markup(app, ctx, actions, can):
    can_show, can_edit, can_delete = can
    urls = {"show_url": f"/v/show/{ROW_KEY}?_flt_0_x=1&y=2" if can_show else None,
            "edit_url": f"/v/edit/{ROW_KEY}" if can_edit else None,
            "delete_url": f"/v/delete/{ROW_KEY}" if can_delete else None}
    with app.test_request_context("/"):
        expected = app.jinja_env.from_string(JINJA_ROWS).render(
            value_columns=VALUES, pks=PKS, include_columns=COLUMNS,
            formatters_columns=FORMATTERS, actions={"x": 1} if actions else {},
            can_show=can_show, can_edit=can_edit, can_delete=can_delete, **urls)
        made = rows(VALUES, PKS, COLUMNS, FORMATTERS, actions=actions,
                    buttons_column=any(can), **urls)
    assert _squeezed(str(made)) == _squeezed(expected)
    assert "A&amp;B &lt;公司&gt;" in made and "<b>粗</b>" in made
    if can_show:
        assert "/v/show/a%20b/c%26d?_flt_0_x=1&amp;y=2" in made


def test_the_commission_list_shows_its_rows_with_their_buttons(app, client, ctx):
    case = numbered_case("JCXB-2026-0001")
    db.session.commit()
    html = client.get("/commissionview/list/").get_data(as_text=True)
    assert "JCXB-2026-0001" in html
    assert f'href="/commissionview/show/{case.id}"' in html
    assert ROW_KEY not in html


def test_a_cell_reads_its_attribute_once():
    """A cell's value is read once (FAB read it three times: a computed column such as a
    commission's deadline was worked out three times a cell): an attribute, a method's
    answer, a dotted path's end ("" where the path breaks), an enum's code but for ours,
    which keep their member (its label is printed), blank for None, 是/否 for booleans."""
    import enum

    from app.states import CommissionState
    from app.views.base import AppInterface

    class Plain(enum.Enum):
        a = "code-a"

    class Row:
        reads = 0
        state = CommissionState.in_progress
        plain = Plain.a
        nothing = None
        flag = True
        parent = None

        @property
        def computed(self):
            Row.reads += 1
            return "红灯"

        def method(self):
            return "answer"

    class Child:
        parent = Row()

    row = Row()
    value = AppInterface._get_attr_value
    assert value(row, "computed") == "红灯" and Row.reads == 1
    assert value(row, "method") == "answer"
    assert value(row, "state") is CommissionState.in_progress
    assert value(row, "plain") == "code-a"
    assert value(row, "nothing") == ""
    assert str(value(row, "flag")) in {"Yes", "是"}
    assert value(Child(), "parent.computed") == "红灯"
    assert value(row, "parent.name") == ""  # None on the way
