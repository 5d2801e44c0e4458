"""The 审批进度计划表's table drawn directly (app/documents/grid.py, issue 16) prints as the
HTML table xhtml2pdf laid out before: the same text at the same places, line for line and
page for page, and the same rules, with the Chinese line breaking of R-15.5."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import render_template_string

from app.documents import render
from app.documents.content import PREFIX
from app.documents.fonts import find_font
from app.documents.forms import DateParts
from tests.pdf_helpers import ruled_lines, text_runs
from tests.test_documents_typesetting import LONG, NAMES, bad_starts

#: the table of app/templates/documents/approval_plan.html as it was, in HTML (the reference)
HTML_TABLE = """<table class="grid small" repeat="1">
  <tr>
    <th width="5%">序号</th><th width="11%">审批阶段</th><th width="17%">审批事项</th>
    <th width="12%">审批部门</th><th width="10%">计划<br/>申报日期</th><th width="10%">计划<br/>办结日期</th>
    <th width="10%">实际<br/>办结日期</th><th width="7%">承诺时限<br/>（工作日）</th>
    <th width="7%">偏差<br/>（工作日）</th><th width="11%">备注</th>
  </tr>
  {% for row in rows %}
  <tr>
    <td class="label">{{ row.sequence }}</td><td>{{ row.stage }}</td><td>{{ row.item }}</td>
    <td>{{ row.department }}</td><td>{{ row.submit_on }}</td><td>{{ row.done_on }}</td>
    <td>{{ row.decided_on }}</td><td class="label">{{ row.days }}</td><td class="label">{{ row.slip }}</td><td>{% if row.critical %}关键路径{% if row.note %}；{% endif %}{% endif %}{{ row.note }}</td>
  </tr>
  {% endfor %}
</table>"""


def with_html_table(app) -> str:
    """The plan's template with its <pdf:grid> replaced by the HTML table."""
    source = (Path(app.root_path) / "templates/documents/approval_plan.html").read_text()
    start = source.index("{#- The table is drawn directly")
    end = source.index("|tojson }}'/>") + len("|tojson }}'/>")
    return source[:start] + HTML_TABLE + source[end:]


STAGES = ["第一阶段：立项用地规划许可", "第二阶段：工程建设许可", "第三阶段：施工许可",
          "第四阶段：竣工验收"]
DEPARTMENTS = ["区发展和改革局", "市自然资源局江城分局国土空间规划科（审批服务股）",
               "区住房和城乡建设局", "区城市管理和综合执法局"]


def _rows(count: int) -> list[dict]:
    """Rows with every kind of cell: long names with punctuation, empty actual dates,
    slips of every sign, critical steps with and without a note, special characters."""
    start = dt.date(2026, 1, 5)
    rows = []
    for n in range(1, count + 1):
        rows.append({
            "sequence": n, "stage": STAGES[n % 4], "item": NAMES[n % len(NAMES)],
            "department": DEPARTMENTS[n % 4],
            "submit_on": (start + dt.timedelta(days=n)).isoformat(),
            "done_on": (start + dt.timedelta(days=2 * n)).isoformat(),
            "decided_on": "" if n % 3 else (start + dt.timedelta(days=3 * n)).isoformat(),
            "days": n % 20 + 1, "slip": ["", "+3", "-2", "0", "+11"][n % 5],
            "critical": n % 4 == 1,
            "note": ["", "须先取得用地批复，再申报。", LONG, "A&B <设计> “方案”"][n % 4],
        })
    return rows


@pytest.fixture
def both(app):
    font = find_font()

    def make(rows: list[dict]) -> tuple[bytes, bytes]:
        data = {"prefix": PREFIX, "heading": "审批进度计划表", "version": 3,
                "application_no": "JCXB-2026-0001", "project_name": NAMES[-1],
                "unit_name": "阳江市江城区滨海新区建设投资有限公司", "coordinator": "黄协办",
                "coordinator_phone": "13600136000", "total_days": 85,
                "slips_as_of": "2026年12月2日", "critical_path": "甲 → 乙",
                "drafted_on": "2026年12月1日", "confirmed_on": "", "confirmed_by": "",
                "note": LONG, "rows": rows, "unit_stamp": DateParts.of(None),
                "window_stamp": DateParts.of(dt.date(2026, 12, 1)),
                "issued_at": dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.timezone.utc)}
        with app.test_request_context():
            direct = render.render_pdf("approval_plan.html", data, font)
            html = render.html_to_pdf(render_template_string(with_html_table(app), font=font,
                                                              **data),
                                      font)
        return direct, html
    return make


@pytest.mark.parametrize("count", [1, 12, 45])
def test_the_plan_prints_as_its_html_table_did(both, count):
    """R-15.5, R-15.1: the plan's table drawn directly has the text of the HTML table at
    the same places (so the same line breaks, rows per page and repeated header) and the
    same rules; no line starts with closing punctuation."""
    direct, html = both(_rows(count))
    assert text_runs(direct) == text_runs(html)
    assert ruled_lines(direct) == ruled_lines(html)
    assert bad_starts(direct) == []
    if count == 45:
        assert len({page for page, *_rest in text_runs(direct)}) > 2  # the header repeats


def assert_prints_alike(app, template: str, reference: str, data: dict) -> bytes:
    """``template`` (drawn as grids) and the HTML ``reference`` print the same text at the
    same places and the same rules with ``data``; the grid's PDF."""
    font = find_font()
    with app.test_request_context():
        direct = render.render_pdf(template, data, font)
        html = render.html_to_pdf(render_template_string(reference, font=font, **data), font)
    assert text_runs(direct) == text_runs(html)
    assert ruled_lines(direct) == ruled_lines(html)
    return direct


#: the table of app/templates/documents/application.html as it was, in HTML (the reference)
APPLICATION_HTML = """{% extends "documents/_base.html" %}
{% from "documents/_macros.html" import marks, area, lookup_qr %}
{% block content %}
<p class="number">申请编号：{{ application_no }}</p>
<table class="grid{% if not unit %} blank{% endif %}">
  <tr>
    <td class="group" rowspan="6" width="7%">项目<br/>单位<br/>信息</td>
    <td class="label" width="19%">单位名称（盖章）</td>
    <td colspan="5">{{ unit.name if unit }}</td>
  </tr>
  <tr><td class="label">单位地址</td><td colspan="5">{{ unit.address if unit }}</td></tr>
  <tr><td class="label">单位性质</td><td colspan="5">{{ marks(unit_nature) }}</td></tr>
  <tr>
    <td class="label">项目负责人</td><td width="18%">{{ unit.leader_name if unit }}</td>
    <td class="label" width="10%">职务</td><td width="15%">{{ (unit.leader_title or "") if unit }}</td>
    <td class="label" width="11%">联络方式</td><td width="20%">{{ unit.leader_phone if unit }}</td>
  </tr>
  <tr>
    <td class="label">项目经办人</td><td>{{ unit.handler_name if unit }}</td>
    <td class="label">职务</td><td>{{ (unit.handler_title or "") if unit }}</td>
    <td class="label">联络方式</td><td>{{ unit.handler_phone if unit }}</td>
  </tr>
  <tr><td class="label">电子邮箱</td><td colspan="5">{{ (unit.email or "") if unit }}</td></tr>
  <tr>
    <td class="group" rowspan="8">项目<br/>基本<br/>信息</td>
    <td class="label">项目名称</td><td colspan="5">{{ project.name if project }}</td>
  </tr>
  <tr><td class="label">项目地址</td><td colspan="5">{{ project.address if project }}</td></tr>
  <tr><td class="label">项目代码</td><td colspan="5">{{ (project.project_code or "") if project }}</td></tr>
  <tr>
    <td class="label">投资总额<br/>（万元）</td><td>{{ investment }}</td>
    <td class="label">资金<br/>来源</td><td colspan="3">{{ marks(fund_source) }}</td>
  </tr>
  <tr>
    <td class="label">总建筑面积<br/>（平方米）</td><td>{{ floor_area }}</td>
    <td class="label">土地<br/>性质</td><td colspan="3">{{ marks(land_nature) }}</td>
  </tr>
  <tr><td class="label">重点项目<br/>级别</td><td colspan="5">{{ marks(key_level) }}</td></tr>
  <tr><td class="label">项目简介</td><td colspan="5" class="tall">{{ area((project.brief or "") if project) }}</td></tr>
  <tr><td class="label">项目当前<br/>进度</td><td colspan="5" class="tall">{{ area((project.progress or "") if project) }}</td></tr>
  <tr>
    <td class="group" rowspan="2">委托<br/>协办<br/>信息</td>
    <td class="label">委托协办<br/>意向</td><td colspan="5" class="tall">{{ area(intention) }}</td>
  </tr>
  <tr><td class="label">具体委托<br/>事项</td><td colspan="5" class="tall">{{ area(delegated_items) }}</td></tr>
</table>
{{ lookup_qr(qr) }}
{% endblock %}"""


def _application(filled: bool, long: bool, empty_areas: bool) -> dict:
    """The application form's data: a unit and project (long names, special characters,
    a text with line feeds) or none (the blank form)."""
    from types import SimpleNamespace

    from app.documents import forms

    text = (LONG + "\n第二行：A&B <设计> “方案”") if long else "短"
    unit = SimpleNamespace(
        name=NAMES[-1] if long else "阳江市百利达电子科技有限公司", address=text,
        leader_name="沈家明", leader_title=None if long else "总经理",
        leader_phone="15849282489", handler_name="谢雨欣", handler_title="基建专员",
        handler_phone="18099758999", email=None if long else "bailida_et@163.com",
        nature="enterprise") if filled else None
    project = SimpleNamespace(
        name=NAMES[-1], address=text, project_code="2026-441702-70-03-017155",
        brief="" if empty_areas else LONG, progress="" if empty_areas else text,
        fund_source=None, land_nature=None, key_level=None) if filled else None
    return {
        "prefix": PREFIX, "heading": "委托协办申请表", "application_no": "JCXB-2026-0001",
        "unit": unit, "project": project,
        "unit_nature": forms.options(forms.UNIT_NATURE_OPTIONS, "enterprise"),
        "fund_source": forms.options(forms.FUND_SOURCE_OPTIONS, None),
        "land_nature": forms.options(forms.LAND_NATURE_OPTIONS, None),
        "key_level": forms.options(forms.KEY_LEVEL_OPTIONS, None),
        "investment": "21000" if filled else "", "floor_area": "45000.5" if filled else "",
        "intention": "" if empty_areas or not filled else "全部委托；" + LONG,
        "delegated_items": "" if empty_areas or not filled else "、".join(NAMES[:6]),
        "qr": None,
    }


@pytest.mark.parametrize(("filled", "long", "empty_areas"),
                         [(True, False, False), (True, True, False), (True, False, True),
                          (False, False, True)])
def test_the_application_prints_as_its_html_table_did(app, filled, long, empty_areas):
    """The 委托协办申请表's table drawn directly (spans, centred labels, option marks with
    no-break spaces, room to write in, the blank form's taller rows) has the text of the
    HTML table at the same places and the same rules."""
    assert_prints_alike(app, "application.html", APPLICATION_HTML,
                        _application(filled, long, empty_areas))


#: app/templates/documents/meeting_minutes.html as it was, in HTML (the reference)
MINUTES_HTML = """{% extends "documents/_base.html" %}
{% from "documents/_macros.html" import stamps, area %}
{% block content %}
<table class="grid">
  <tr><td class="label" width="18%">会议名称</td><td colspan="3">{{ title }}</td></tr>
  <tr><td class="label">会议时间</td><td width="32%">{{ held_on }}</td><td class="label" width="18%">会议地点</td><td width="32%">{{ place }}</td></tr>
  <tr><td class="label">召集人</td><td colspan="3">{{ convener }}</td></tr>
  <tr><td class="label">参会部门</td><td colspan="3">{{ departments }}</td></tr>
  <tr><td class="label">参会人员</td><td colspan="3">{{ attendees }}</td></tr>
  <tr><td class="label">涉及项目</td><td colspan="3">{{ projects }}</td></tr>
  <tr><td class="label">会议议题<br/>（存在问题）</td><td colspan="3" class="tall">{{ area(issues) }}</td></tr>
  <tr><td class="label">会议议定事项</td><td colspan="3" class="tall">{{ area(decisions) }}</td></tr>
</table>
<p>落实事项：</p>
<table class="grid">
  <tr><th width="8%">序号</th><th width="44%">事项</th><th width="14%">责任人</th><th width="16%">完成时限</th><th width="18%">落实情况</th></tr>
  {% for a in actions %}
  <tr><td class="label">{{ a.number }}</td><td>{{ a.description }}</td><td>{{ a.owner }}</td><td>{{ a.due_on }}</td><td>{{ a.status }}</td></tr>
  {% else %}
  <tr><td class="label">—</td><td colspan="4">无</td></tr>
  {% endfor %}
</table>
{{ stamps("记录人（签字）", {}, "“项目协办”窗口（盖章）", window_stamp) }}
{% endblock %}"""


def _minutes(actions: int, long: bool, empty: bool) -> dict:
    """The minutes' data: ``actions`` follow-up items (none prints "无"), long texts with
    line feeds and special characters, or an empty 议题 and 议定事项 (room to write in)."""
    text = (LONG + "\n第二行：A&B <设计> “方案”") if long else "短"
    return {
        "prefix": PREFIX, "heading": "协调会议纪要", "title": NAMES[-1] if long else "协调会",
        "held_on": "2026年12月2日", "place": text, "convener": "黄协办",
        "departments": "、".join(DEPARTMENTS), "attendees": "甲、乙、丙",
        "projects": "、".join(NAMES[:5]) if long else "无",
        "issues": None if empty else text, "decisions": "" if empty else LONG,
        "actions": [{"number": n, "description": NAMES[n % len(NAMES)] + ("；" + LONG if long
                                                                            else ""),
                     "owner": "区住房和城乡建设局", "due_on": "2026年12月31日",
                     "status": "已落实（2026年12月20日）" if n % 2 else "未落实"}
                    for n in range(1, actions + 1)],
        "window_stamp": DateParts.of(dt.date(2026, 12, 2)),
    }


@pytest.mark.parametrize(("actions", "long", "empty"),
                         [(0, False, True), (3, False, False), (2, True, False),
                          (30, True, True)])
def test_the_minutes_print_as_their_html_tables_did(app, actions, long, empty):
    """The 协调会议纪要's two tables drawn directly (spans, labels, room to write in, the
    follow-up items with their header, not repeated on a next page, or "无") have the
    text of the HTML tables at the same places and the same rules."""
    direct = assert_prints_alike(app, "meeting_minutes.html", MINUTES_HTML,
                                 _minutes(actions, long, empty))
    if actions == 30:
        assert len({page for page, *_rest in text_runs(direct)}) > 1


def test_plain_cells_are_drawn_as_text_lines(both, monkeypatch):
    """Most of the plan's cells (one font, one word a line) are drawn by textlines; the
    header's broken labels by xhtml2pdf; both print as the HTML table did (above)."""
    from app.documents import textlines

    drawn: list[bool] = []
    plain = textlines.draw_plain
    monkeypatch.setattr(textlines, "draw_plain", lambda p: drawn.append(plain(p)) or drawn[-1])
    direct, html = both(_rows(12))
    assert drawn.count(True) > 100 and drawn.count(False) >= 6  # (计划\n申报日期 and the like)
    assert text_runs(direct) == text_runs(html)


def test_cells_with_the_same_text_are_broken_into_lines_once(app, monkeypatch):
    """A cell with the text and style of one measured before in the table at its width
    takes that one's lines (grid._paragraph_class): the plan's repeated stages,
    departments and slips are broken once each (and print as above)."""
    from reportlab.lib.styles import ParagraphStyle
    from xhtml2pdf.xhtml2pdf_reportlab import PmlParagraph

    from app.documents import grid

    measured: list[str] = []
    wrap = PmlParagraph.wrap

    def counting(self, *args):
        measured.append(self.text)
        return wrap(self, *args)

    rows = [[r["sequence"] % 3, r["stage"], r["department"], r["slip"]] for r in _rows(45)]
    style = ParagraphStyle("body", fontName=find_font().family, fontSize=11, leading=15.95)
    with app.test_request_context():
        render.html_to_pdf("<p>x</p>", find_font())  # (xhtml2pdf and the font set up)
    monkeypatch.setattr(PmlParagraph, "wrap", counting)
    table = grid.grid_table({"size": 10, "widths": [30, 150, 150, 40], "rows": rows}, style)
    table.wrap(400, 10000)
    distinct = {(col, str(text)) for row in rows for col, text in enumerate(row) if str(text)}
    assert len(measured) == len(distinct) < len(rows) * 4 / 2
