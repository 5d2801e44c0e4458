"""The documents as PDFs (R-15.1, R-15.2): every label of each form in order, the record's
data, A4, the Chinese font embedded, and the STSong-Light fallback where no font exists."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.documents import archive, content, fonts, render
from app.extensions import db
from app.models import Commission, CoordinationMeeting, Delivery, DocumentKind, MaterialNotice
from app.models import PlanVersion, Revisit
from tests.factories import full_case
from tests.pdf_helpers import (
    assert_in_order,
    base_fonts,
    font_files,
    page_sizes,
    pdf_text,
)

ROOT = Path(__file__).resolve().parent.parent
TITLE = "阳江市江城区工程建设项目"


@pytest.fixture(autouse=True)
def documents_dir(app, tmp_path, monkeypatch):
    """Issued files go to a temporary folder, not the instance folder."""
    monkeypatch.setitem(app.config, "DOCUMENTS_DIR", str(tmp_path / "documents"))
    return tmp_path / "documents"


def _issue(kind, commission_id, model=None, record_id=None) -> bytes:
    commission = db.session.get(Commission, commission_id)
    record = db.session.get(model, record_id) if model is not None else None
    document, created = archive.issue(db.session, kind, commission, record)
    assert created
    db.session.commit()
    data = archive.file_of(document).read_bytes()
    assert archive.sha256(data) == document.sha256 and len(data) == document.size
    return data


def _a4(data: bytes) -> None:
    for width, height in page_sizes(data):
        assert abs(width - 595) <= 1 and abs(height - 842) <= 1


def _application_labels(c: Commission, blank: bool = False) -> list[str]:
    """Attached form 1 of the policy, in its order and grouping, with the record's data."""
    u, p = c.project.unit, c.project

    def v(value):
        return [] if blank or value in (None, "") else [str(value)]

    def opts(words, chosen):
        return ["".join(("●" if i == chosen and not blank else "○") + w
                        for i, w in enumerate(words))]

    return [
        f"{TITLE}委托协办申请表", "申请编号：", *v(c.application_no),
        "项目单位信息",
        "单位名称（盖章）", *v(u.name), "单位地址", *v(u.address),
        "单位性质", *opts(["企业", "政府", "事业", "社团", "其它"], 2),
        "项目负责人", *v(u.leader_name), "职务", *v(u.leader_title), "联络方式", *v(u.leader_phone),
        "项目经办人", *v(u.handler_name), "职务", *v(u.handler_title), "联络方式",
        *v(u.handler_phone), "电子邮箱", *v(u.email),
        "项目基本信息",
        "项目名称", *v(p.name), "项目地址", *v(p.address), "项目代码", *v(p.project_code),
        "投资总额（万元）", *v("12000.5"),
        "资金来源", *opts(["政府", "民资", "港澳台", "外资", "其它"], 2),
        "总建筑面积（平方米）", *v("45000"),
        "土地性质", *opts(["划拨", "出让", "集体", "自由", "其它"], 2),
        "重点项目级别", *opts(["省级", "市级", "区级", "镇（街）", "其他"], 3),
        "项目简介", *v(p.brief), "项目当前进度", *v(p.progress),
        "委托协办信息",
        "委托协办意向", *v("部分委托；全程代办，尽快取得规划许可"),
        "具体委托事项", *v("、".join(str(i.approval_item) for i in c.items)),
    ]


def test_application_form_has_every_field_in_order_with_the_data(ctx):
    """R-15.1: 委托协办申请表 — every label and option of attached form 1 in order, grouped
    项目单位信息 / 项目基本信息 / 委托协办信息, the application number, the chosen options ●."""
    ids = full_case()
    data = _issue(DocumentKind.application, ids.commission)
    _a4(data)
    assert_in_order(pdf_text(data), _application_labels(db.session.get(Commission,
                                                                       ids.commission)))


def test_blank_application_form_for_walk_in_units(ctx):
    """R-15.2: the blank form: every label and option, nothing chosen (all ○), no data."""
    ids = full_case()
    pdf = render.render_pdf("application.html", content.context(DocumentKind.application, None),
                            fonts.find_font())
    _a4(pdf)
    text = pdf_text(pdf)
    assert_in_order(text, _application_labels(db.session.get(Commission, ids.commission),
                                              blank=True))
    assert "●" not in text and "JCXB" not in text


def test_completion_form_sentence_and_stamp_blocks(ctx):
    """R-15.1, R-9.1: 协办办结单 — the form's sentence with project, number and completion
    date, then the two stamp blocks, dated."""
    ids = full_case(complete=True)
    c = db.session.get(Commission, ids.commission)
    data = _issue(DocumentKind.completion, ids.commission)
    _a4(data)
    assert_in_order(pdf_text(data), [
        f"{TITLE}协办办结单", "兹有协办委托项目", c.project.name, "，申请编号", c.application_no,
        "，已于", "2025", "年", "10", "月", "23",
        "日完成审批协办服务，有关资料已向建设单位移交完毕，经双方确认，同意办结。",
        "建设单位（盖章）", "“项目协办”窗口（盖章）", "2025年10月23日", "2025年10月23日",
    ])


def test_termination_form_sentence_reason_and_stamp_blocks(ctx):
    """R-15.1, R-10.2, R-10.6: 协办委托终止单 — once confirmed, the form's sentence with
    project, number, the reason in the policy's words (and the clerk's text) and the day it
    took effect, then the stamp blocks (the copy before confirmation:
    tests/test_termination_withdrawal.py)."""
    from app.choices import TerminationReason
    from app.documents import steps
    from app.domain.workdays import WorkCalendar
    from tests.factories import D, opened

    cal = WorkCalendar()
    commission = opened()
    steps.terminate(db.session, commission, reason=TerminationReason.missing_prerequisites,
                    reason_text="缺少用地批准文件", issued_on=D("2025-10-14"), confirm_days=5,
                    cal=cal)
    steps.confirm_termination(db.session, commission, confirmed_on=D("2025-10-16"), cal=cal)
    db.session.commit()
    document = archive.versions(db.session, DocumentKind.termination, commission.id, None)[0]
    data = archive.file_of(document).read_bytes()
    _a4(data)
    assert_in_order(pdf_text(data), [
        f"{TITLE}协办委托终止单", "兹有协办委托项目", commission.project.name, "，申请编号",
        commission.application_no, "，现因", "建设单位前置要件（材料）不全不能继续审批",
        "缺少用地批准文件", "，经双方认可，于", "2025", "年", "10", "月", "16",
        "日终止协办委托，有关资料于2025年10月17日前向建设单位移交。",
        "建设单位（盖章）", "“项目协办”窗口（盖章）", "2025年10月16日", "2025年10月16日",
    ])


def test_approval_plan(ctx):
    """R-15.1: 审批进度计划表 — header, every planned item with department and dates."""
    ids = full_case()
    plan = db.session.get(PlanVersion, ids.plan)
    data = _issue(DocumentKind.approval_plan, ids.commission, PlanVersion, ids.plan)
    _a4(data)
    rows = []
    for step in plan.steps:
        rows += [str(step.sequence), step.approval_item.name, step.approval_item.department.name,
                 step.planned_submit_on.isoformat(), step.planned_done_on.isoformat(),
                 str(step.approval_item.promised_days)]
    assert_in_order(pdf_text(data), [
        f"{TITLE}审批进度计划表", "第1版", "申请编号：", plan.commission.application_no,
        "建设单位：", "项目名称：", "协办员：张协办", "序号", "审批阶段", "审批事项", "审批部门",
        "计划申报日期", "计划办结日期", "承诺时限（工作日）", "备注", *rows,
        "拟定日期：2025年10月9日", "建设单位确认人：陈经办", "确认日期：2025年10月10日",
        "建设单位（确认）", "“项目协办”窗口（盖章）",
    ])


def test_one_time_notice_lists_every_missing_material_of_every_item(ctx):
    """R-15.1, R-6.5: 一次性告知书 — every line of the notice, of both items, at once."""
    ids = full_case()
    notice = db.session.get(MaterialNotice, ids.notice)
    first, second = notice.commission.items
    data = _issue(DocumentKind.material_notice, ids.commission, MaterialNotice, ids.notice)
    _a4(data)
    assert_in_order(pdf_text(data), [
        f"{TITLE}申报材料一次性告知书", "申请编号：", "尚有以下3项材料缺少或不符合要求",
        "现一次性告知如下", "序号", "审批事项", "审批部门", "材料名称", "情形", "说明",
        "1", str(first), first.department.name, "建设项目用地预审申请表", "缺少",
        "2", "勘测定界图", "不符合要求", "须加盖测绘单位公章",
        "3", str(second), second.department.name, "建设工程设计方案总平面图", "缺少",
        "说明：请于5个工作日内补齐。", "告知人（协办员）：张协办", "联系电话：13600136000",
        "告知日期：2025年10月11日", "建设单位签收（签字）", "“项目协办”窗口（盖章）",
    ])


def test_delivery_receipt(ctx):
    """R-15.1, R-8.4: 送达回执 — method marked, carrier, documents, signer and dates."""
    ids = full_case()
    delivery = db.session.get(Delivery, ids.delivery)
    data = _issue(DocumentKind.delivery_receipt, ids.commission, Delivery, ids.delivery)
    _a4(data)
    assert_in_order(pdf_text(data), [
        f"{TITLE}送达回执", "申请编号", delivery.commission.application_no, "送达日期",
        "2025年10月21日", "项目名称", "受送达单位", delivery.commission.project.unit.name,
        "送达方式", "○上门领取●邮寄送达", "快递公司", "中国邮政EMS", "运单号", "1178402791248",
        "送达证照及审批结果物", "规划许可证正本1份", "送达人", "张协办", "受送达人签收", "陈经办",
        "受送达人（签字）", "“项目协办”窗口（盖章）", "2025年10月22日", "2025年10月21日",
    ])


def test_meeting_minutes(ctx):
    """R-15.1, R-7.1: 协调会议纪要 — who met where, the issues, decisions and follow-ups."""
    ids = full_case()
    meeting = db.session.get(CoordinationMeeting, ids.meeting)
    data = _issue(DocumentKind.meeting_minutes, ids.commission, CoordinationMeeting,
                  ids.meeting)
    _a4(data)
    assert_in_order(pdf_text(data), [
        f"{TITLE}协调会议纪要", "会议名称", meeting.title, "会议时间", "2025年10月15日",
        "会议地点", meeting.place, "召集人", "张协办", "参会部门",
        "、".join(d.name for d in meeting.departments), "参会人员", "李协办", "涉及项目",
        meeting.commissions[0].project.name, "会议议题（存在问题）", meeting.issues,
        "会议议定事项", meeting.decisions, "落实事项", "序号", "事项", "责任人", "完成时限",
        "落实情况", "1", "出具规划条件书面意见", "李协办", "2025年10月20日", "未落实",
        "记录人（签字）", "“项目协办”窗口（盖章）",
    ])


def test_revisit_record(ctx):
    """R-15.1, R-13.2: 回访记录 — the five-level rating with the given one marked ●."""
    ids = full_case()
    revisit = db.session.get(Revisit, ids.revisit)
    data = _issue(DocumentKind.revisit_record, ids.commission, Revisit, ids.revisit)
    _a4(data)
    assert_in_order(pdf_text(data), [
        f"{TITLE}协办回访记录表", "申请编号", "回访日期", "2025年10月28日", "项目名称",
        "建设单位", "回访方式", str(revisit.method), "回访人", "李协办", "受访人", "陈经办",
        "协办员", "张协办", "满意度评价", "○非常满意○满意●基本满意○不满意○非常不满意",
        "意见和建议", revisit.opinions, "跟进处理情况", revisit.follow_up,
        "受访人（签字）", "“项目协办”窗口（盖章）",
    ])


# ---- the font ------------------------------------------------------------------------
@pytest.fixture
def no_font(app, monkeypatch):
    """The lookup finds nothing: no PDF_FONT_PATH, no system font."""
    monkeypatch.setattr(fonts, "SYSTEM_FONTS", ())
    monkeypatch.setitem(app.config, "PDF_FONT_PATH", None)
    fonts._lookup.cache_clear()
    yield
    fonts._lookup.cache_clear()


def test_the_chinese_font_is_embedded_when_a_truetype_font_exists(ctx):
    """R-15.1: with a TrueType font (CI installs fonts-wqy-zenhei) the PDF embeds it
    (FontFile2) and draws no text in a non-embedded font."""
    font = fonts.find_font()
    if not font.embedded:
        if os.environ.get("CI"):
            pytest.fail("CI installs fonts-wqy-zenhei: the font lookup must find it")
        pytest.skip("no TrueType Chinese font on this machine (apt-get install fonts-wqy-zenhei)")
    assert fonts.font_warning() is None
    ids = full_case(complete=True)
    data = _issue(DocumentKind.completion, ids.commission)
    assert "/FontFile2" in font_files(data)
    assert not any("STSong" in name for name in base_fonts(data))


def test_the_font_file_is_read_once_per_process_not_per_pdf_R_15_1(ctx, monkeypatch):
    """R-15.1 (speed): the TrueType file is parsed once per process (fonts.register), not by
    every PDF: the documents' HTML names the registered family and no font file
    (xhtml2pdf re-read and hashed a file named in @font-face on every render)."""
    font = fonts.find_font()
    if not font.embedded:
        pytest.skip("no TrueType Chinese font on this machine")
    from reportlab.pdfbase import ttfonts

    built = []
    original = ttfonts.TTFont.__init__

    def counting(self, *args, **kw):
        built.append(args[0])
        original(self, *args, **kw)

    monkeypatch.setattr(ttfonts.TTFont, "__init__", counting)
    fonts.register.cache_clear()
    ids = full_case(complete=True)
    first = _issue(DocumentKind.completion, ids.commission)
    second = _issue(DocumentKind.application, ids.commission)
    assert built == [font.family]
    assert "/FontFile2" in font_files(first) and "/FontFile2" in font_files(second)
    commission = db.session.get(Commission, ids.commission)
    record = content.record_of(db.session, DocumentKind.completion, commission, None)
    source = render.render_html(content.SPECS[DocumentKind.completion].template,
                                content.context(DocumentKind.completion, commission, record),
                                font)
    assert "@font-face" not in source and str(font.path) not in source
    assert font.family in source


def test_the_font_subset_is_made_from_the_glyphs_in_place_R_15_1(ctx):
    """R-15.1 (speed): the font subset a PDF embeds is the same byte for byte whether
    ReportLab copies the whole glyf table for it or reads the glyphs where they lie in the
    font file (fonts.glyphs_in_place): Chinese, punctuation, Latin letters with accents
    (composite glyphs) and characters from every part of the face."""
    font = fonts.find_font()
    if not font.embedded:
        pytest.skip("no TrueType Chinese font on this machine")
    from reportlab.pdfbase.ttfonts import TTFont

    copied, in_place = (TTFont("subset-test", str(font.path)).face for _ in range(2))
    fonts.glyphs_in_place(in_place)
    codes = sorted(copied.charToGlyph)
    for text in ("协办办结单阳江市江城区，。、；：（）“”—0123456789",
                 "àéîõüÀÉÎÕÜçñ",
                 "".join(chr(code) for code in codes[::len(codes) // 250][:250])):
        subset = [ord(c) for c in text]
        assert in_place.makeSubset(subset) == copied.makeSubset(subset), text


def test_the_stylesheets_are_parsed_once_per_process_R_15_1(ctx, monkeypatch):
    """R-15.1 (speed): xhtml2pdf's own default stylesheet and our rules are parsed by the
    first PDF of the process only (render.css_once); a PDF after it reads the same parse
    and prints the same text. Our @page (it sets the page) is still parsed by every PDF."""
    from xhtml2pdf.parser import DEFAULT_CSS_SOURCE
    from xhtml2pdf.w3c.cssParser import CSSParser

    sources: list[str] = []
    original = CSSParser.parse

    def counting(self, src):
        sources.append(self.sourceName)
        return original(self, src)

    monkeypatch.setattr(CSSParser, "parse", counting)
    font = fonts.find_font()
    ids = full_case(complete=True)
    commission = db.session.get(Commission, ids.commission)
    record = content.record_of(db.session, DocumentKind.completion, commission, None)
    html = render.render_html(content.SPECS[DocumentKind.completion].template,
                              content.context(DocumentKind.completion, commission, record),
                              font)
    first = render.html_to_pdf(html, font)
    sources.clear()
    second = render.html_to_pdf(html, font)
    assert sources == ["<style> block 1"]  # (the @page; not DEFAULT_CSS_SOURCE, block 2)
    assert DEFAULT_CSS_SOURCE not in sources
    assert pdf_text(second) == pdf_text(first)
    assert page_sizes(second) == page_sizes(first)


def test_pdf_font_path_from_config_comes_first_and_a_cff_font_is_refused(app, tmp_path,
                                                                        monkeypatch):
    """R-15.1: PDF_FONT_PATH wins when it is a TrueType font; an OTF/CFF file (or anything
    else) there is skipped for the system places."""
    found = next((p for p in fonts.SYSTEM_FONTS if p.is_file()), None)
    if found is None:
        pytest.skip("no TrueType Chinese font on this machine")
    copy = tmp_path / "fonts" / "mine.ttc"
    copy.parent.mkdir()
    copy.symlink_to(found)
    cff = tmp_path / "fonts" / "NotoSansCJK-Regular.otf"
    cff.write_bytes(b"OTTO" + b"\0" * 64)
    try:
        with app.app_context():
            monkeypatch.setitem(app.config, "PDF_FONT_PATH", str(copy))
            fonts._lookup.cache_clear()
            assert fonts.find_font().path == found.resolve()
            monkeypatch.setitem(app.config, "PDF_FONT_PATH", str(cff))
            assert not fonts.has_truetype_outlines(cff)
            assert fonts.find_font().path == found.resolve()  # the system font instead
    finally:
        fonts._lookup.cache_clear()


def test_fallback_to_stsong_light_when_no_font_exists(ctx, no_font, caplog):
    """R-15.1: without any TrueType font the documents use STSong-Light (not embedded),
    the text is still correct and extractable, the log says so and the dashboard's
    warning (``fonts.font_warning()``) is on."""
    ids = full_case(complete=True)
    with caplog.at_level("WARNING", logger="app.documents.fonts"):
        data = _issue(DocumentKind.completion, ids.commission)
    assert "STSong-Light" in caplog.text
    assert any("STSong-Light" in name for name in base_fonts(data))
    assert "/FontFile2" not in font_files(data)
    _a4(data)
    c = db.session.get(Commission, ids.commission)
    assert_in_order(pdf_text(data), [f"{TITLE}协办办结单", c.project.name, c.application_no,
                                     "建设单位（盖章）", "“项目协办”窗口（盖章）"])
    assert fonts.font_warning() is not None
    from app.models import IssuedDocument
    assert db.session.query(IssuedDocument).one().font == "STSong-Light"


def test_xhtml2pdf_is_not_imported_at_start_up():
    """R-15.1 (speed): xhtml2pdf (~0.4 s to import) loads on the first PDF, not with the app."""
    code = ("import sys; from app import create_app; from app.config import TestConfig; "
            "create_app(TestConfig()); assert 'xhtml2pdf' not in sys.modules, 'imported'")
    env = {**os.environ, "TEST_DATABASE_URL": "sqlite://"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
