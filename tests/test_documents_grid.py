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
