"""R-15.5: issued PDFs follow Chinese typesetting: no line starts with closing punctuation,
a filled-in (underlined) value keeps its line when it fits on one, long entries wrap inside
their cell. The PDFs are rendered with long Chinese text and read back line by line."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from app.documents import render
from app.documents.content import PREFIX
from app.documents.fonts import find_font
from app.documents.forms import DateParts
from app.documents.typesetting import CANNOT_START

DAY = DateParts.of(dt.date(2026, 12, 2))
#: project names of every length around a line's width, so that each falls somewhere
NAMES = ["阳江市江城区滨海新区智能制造产业园一期标准厂房及配套基础设施建设项目（含道路、给排水、电力管网）"[:n]
         for n in range(8, 50, 3)]
LONG = ("建设工程规划许可证申请表（含建设工程设计方案总平面图、各层平面图、立面图、剖面图，"
        "比例1:500，须加盖设计单位出图章及注册建筑师执业专用章）")


def lines(pdf: bytes) -> list[str]:
    """Every text line of every page, as pypdf extracts it (leading spaces dropped)."""
    found: list[str] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        found += [line.strip() for line in page.extract_text().splitlines() if line.strip()]
    return found


def bad_starts(pdf: bytes) -> list[str]:
    """Lines starting with closing punctuation ("—" alone is an empty cell's mark)."""
    return [line for line in lines(pdf) if line[0] in CANNOT_START and line != "—"]


@pytest.fixture
def pdf(app):
    font = find_font()

    def make(template: str, heading: str, **data) -> bytes:
        with app.test_request_context():
            return render.render_pdf(template, {"prefix": PREFIX, "heading": heading, **data},
                                     font)
    return make


def test_forms_never_start_a_line_with_closing_punctuation(pdf):
    """R-15.5: 办结单 and 终止单 with project names of every length: no line starts with
    ，。、；：） and the like."""
    for name in NAMES:
        completion = pdf("completion.html", "协办办结单", project_name=name,
                         application_no="JCXB-2026-0001", done=DAY, unit_stamp=DAY,
                         window_stamp=DAY)
        assert bad_starts(completion) == [], name
        for final in (False, True):  # the copy awaiting confirmation, the final form
            termination = pdf(
                "termination.html", "协办委托终止单", project_name=name,
                application_no="JCXB-2026-0001", reason="建设单位要求终止协办委托",
                final=final, deemed=final, on=DAY, issued=DAY, handed_over=False,
                handover_due="2026年12月3日", announced_on="2026年11月18日",
                announcement_url="https://www.jiangcheng.gov.cn/gg/2026/1118.html",
                window_stamp=DAY, unit_stamp=DAY)
            assert bad_starts(termination) == [], name


def test_a_filled_in_value_that_fits_on_a_line_is_not_cut(pdf):
    """R-15.5: an underlined project name that fits on one line moves to the next line whole
    rather than running on into it; one longer than a line still wraps."""
    for name in [n for n in NAMES if len(n) <= 30]:  # a line holds about 37 characters
        completion = pdf("completion.html", "协办办结单", project_name=name,
                         application_no="JCXB-2026-0001", done=DAY, unit_stamp=DAY,
                         window_stamp=DAY)
        assert any(name in line for line in lines(completion)), lines(completion)


def test_long_entries_wrap_inside_their_cells(pdf):
    """R-15.5: the 一次性告知书's long material names, notes, item and department names wrap
    inside their cells (every piece of text stays within the page's text area) and no line
    starts with closing punctuation; the entries read back whole."""
    groups = [{"item": "建设工程规划许可证核发（含设计方案审查、规划条件核实及竣工规划验收）",
               "department": "阳江市自然资源局江城分局国土空间规划科",
               "lines": [{"number": "1", "material": LONG, "problem": "不符合要求",
                          "note": "GB50016-2014(2018年版)建筑设计防火规范第5.3.1条" * 2},
                         {"number": "2", "material": "总平面图", "problem": "缺少",
                          "note": LONG}]}]
    data = pdf("material_notice.html", "申报材料一次性告知书",
               application_no="JCXB-2026-0001", project_name=NAMES[-1],
               unit_name="阳江市江城区滨海新区建设投资有限公司", issued_on="2026年12月2日",
               issued_by="张协办", issued_by_phone="13600136000", note=LONG, groups=groups,
               count=2, window_stamp=DAY)
    assert bad_starts(data) == []
    assert LONG in "".join(lines(data))
    page = PdfReader(io.BytesIO(data)).pages[0]
    width = float(page.mediabox.width)
    xs: list[float] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            xs.append(cm[4] + tm[4])

    page.extract_text(visitor_text=visit)
    margin = 1.8 / 2.54 * 72 - 1  # the @page margin of 1.8 cm
    assert xs and min(xs) >= margin and max(xs) < width - margin


def test_meeting_minutes_with_long_text(pdf):
    """R-15.5: minutes with long issues and decisions: no line starts with closing
    punctuation."""
    text = "关于" + LONG + "的问题，" + "经研究，由区住房和城乡建设局牵头，于三个工作日内出具书面意见；" * 4
    data = pdf("meeting_minutes.html", "联席会议纪要", title="第四季度联席会议（扩大）",
               held_on="2026年11月20日", place="区政务服务中心五楼会议室", convener="王主任",
               departments="、".join(["区住房和城乡建设局", "市自然资源局江城分局"] * 3),
               attendees="、".join(["赵协办", "钱协办", "孙专办"] * 4), projects=NAMES[-1],
               issues=text, decisions=text, actions=[], window_stamp=DAY)
    assert bad_starts(data) == []


def test_lines_are_made_as_xhtml2pdf_makes_them(pdf, monkeypatch):
    """R-15.5 (speed): ``make_line`` (per run of characters of one fragment) gives the same
    lines as xhtml2pdf's ``makeCJKParaLine`` (per character) for every line of a form with
    underlined values and a notice with long cells, words and bounds alike."""
    from xhtml2pdf import reportlab_paragraph as rp

    from app.documents import typesetting

    made = typesetting.make_line
    compared: list[int] = []

    def both(U, extra_space, calc_bounds):
        ours, theirs = made(U, extra_space, calc_bounds), rp.makeCJKParaLine(
            U, extra_space, calc_bounds)
        assert [vars(w) for w in ours.words] == [vars(w) for w in theirs.words]
        assert {k: v for k, v in vars(ours).items() if k != "words"} == {
            k: v for k, v in vars(theirs).items() if k != "words"}
        compared.append(len(U))
        return ours

    monkeypatch.setattr(typesetting, "make_line", both)
    pdf("completion.html", "协办办结单", project_name=NAMES[-1],
        application_no="JCXB-2026-0001", done=DAY, unit_stamp=DAY, window_stamp=DAY)
    groups = [{"item": NAMES[-1], "department": "阳江市自然资源局江城分局",
               "lines": [{"number": "1", "material": LONG, "problem": "不符合要求",
                          "note": LONG}]}]
    pdf("material_notice.html", "申报材料一次性告知书", application_no="JCXB-2026-0001",
        project_name=NAMES[-1], unit_name="阳江市江城区滨海新区建设投资有限公司",
        issued_on="2026年12月2日", issued_by="张协办", issued_by_phone="13600136000",
        note=LONG, groups=groups, count=1, window_stamp=DAY)
    assert len(compared) > 20 and max(compared) > 20
