"""The construction unit's side in a real browser (R-17): a phone (375×812) in Chromium with
every request off the live server aborted. It looks its commission up with a code read from
the outbox, confirms the plan and a termination, rates by link, reports a new contact that
the coordinator accepts; and each refusal is walked too: a wrong code, an expired code, the
sixth attempt, a used rating link, another commission's number. The screenshots of the
README are saved here (docs/unit-lookup.png, docs/unit-case.png)."""
from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.choices import TerminationReason
from app.domain.workdays import load_calendar
from app.extensions import db
from app.lifecycle import COMMISSION, Context
from app.models import Commission, ContactChange, Notification, Rectification, Revisit
from app.notify.templates import Template
from app.roles import COORDINATOR
from app.states import CommissionState, ContactChangeState
from tests.browser_fixtures import offline
from tests.unit_online import last_code, planning_case, rating_link

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parent.parent / "docs"
PHONE = {"width": 375, "height": 812}
REFUSED = "申请编号或验证码不正确"


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized browser tab, no cookies, nothing reachable but the live server."""
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport=PHONE,
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    aborted, errors = offline(tab, live_server)
    tab.xb_aborted, tab.xb_errors = aborted, errors
    yield tab
    assert aborted == [] and errors == [], (aborted, errors)
    context.close()


def _case(app, name: str = "江城滨海智造产业园一期", start=None) -> tuple[int, str]:
    with app.app_context():
        commission = planning_case(name, start=start)
        db.session.commit()
        result = commission.id, commission.application_no
        db.session.remove()
    return result


def _fits_the_phone(tab) -> None:
    """Nothing wider than the screen: no sideways scrolling at 375 px."""
    width = tab.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def _ask_code(tab, number: str | None = None, contact: str = "项目经办人") -> None:
    """From the look-up page: the number (unless filled in already), the contact, send."""
    if number is not None:
        tab.fill("#no", number)
    tab.get_by_label(contact).check()
    tab.get_by_role("button", name="发送验证码").click()
    tab.wait_for_load_state()


def _enter(tab, code: str) -> None:
    tab.fill("#code", code)
    tab.get_by_role("button", name="查看办理情况").click()
    tab.wait_for_load_state()


def _look_up(app, tab, number: str) -> None:
    tab.goto(f"/unit/?no={number}")
    _ask_code(tab)
    _enter(tab, last_code(app, number))
    assert tab.url.endswith("/unit/case"), tab.url


def test_the_unit_looks_up_and_confirms_its_plan_on_a_phone(app, phone):
    """R-17.1, R-17.2, R-17.5: the QR code's address opens the look-up with the number filled
    in; the code read from the outbox opens the case (state, coordinator, plan, items);
    the plan is confirmed by the window's step; the screenshots of the README."""
    from app.clock import office_today

    pk, number = _case(app, start=office_today() + dt.timedelta(days=1))
    assert phone.goto(f"/unit/?no={number}").status == 200
    assert phone.input_value("#no") == number
    _fits_the_phone(phone)
    phone.screenshot(path=str(DOCS / "unit-lookup.png"))
    _ask_code(phone)
    assert "验证码已通过短信发送" in phone.inner_text("main")
    _enter(phone, last_code(app, number))
    body = phone.inner_text("main")
    for expected in (number, "计划拟定", "张协办", "13600136000", "用地预审与选址意见书",
                     "请确认审批进度计划", "拟定的审批进度计划"):
        assert expected in body, expected
    assert phone.locator("svg.bar rect.planned").count() == 2
    _fits_the_phone(phone)
    phone.screenshot(path=str(DOCS / "unit-case.png"), full_page=True)
    phone.get_by_role("button", name="确认审批进度计划").click()
    phone.wait_for_load_state()
    assert "您已确认审批进度计划" in phone.inner_text("main")
    assert "办理中" in phone.inner_text(".head")
    with app.app_context():
        commission = db.session.get(Commission, pk)
        assert commission.state == CommissionState.in_progress
        assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
            Notification.template == Template.unit_confirmed.value)) == 1


def test_the_unit_confirms_a_termination_on_a_phone(app, phone):
    """R-17.3, R-10.3: the termination is confirmed from the phone by the window's step."""
    pk, number = _case(app)
    with app.app_context():
        commission = db.session.get(Commission, pk)
        ctx = Context(actor=None, today=dt.date(2025, 10, 20), cal=load_calendar(db.session),
                      config=app.config)
        COMMISSION.step("terminate").run(db.session, commission, ctx,
                                         reason=TerminationReason.unit_request.value,
                                         reason_text=None, issued_on=ctx.today)
        db.session.commit()
    _look_up(app, phone, number)
    assert "终止待确认" in phone.inner_text(".head")
    phone.get_by_role("button", name="确认终止委托").click()
    phone.wait_for_load_state()
    assert "您已确认终止委托" in phone.inner_text("main")
    assert "资料退回期限" in phone.inner_text("#termination")
    with app.app_context():
        assert db.session.get(Commission, pk).state == CommissionState.terminated


def test_the_unit_rates_by_link_and_the_link_works_once(app, phone):
    """R-17.4: the link in the SMS opens the five-level form; a 不满意 with a comment is a
    revisit with its rectification; the same link then says it was used."""
    pk, _number = _case(app)
    link = rating_link(app, pk)
    phone.goto(link)
    _fits_the_phone(phone)
    phone.get_by_label("不满意", exact=True).check()
    phone.fill("#comment", "材料退回太慢")
    phone.get_by_role("button", name="提交评价").click()
    phone.wait_for_load_state()
    assert "感谢您的评价" in phone.inner_text("main")
    with app.app_context():
        revisit = db.session.scalars(sa.select(Revisit)).one()
        assert revisit.rating.value == "dissatisfied" and revisit.opinions == "材料退回太慢"
        assert db.session.scalars(sa.select(Rectification)).one().revisit_id == revisit.id
    assert phone.goto(link).status == 410
    assert "该评价链接已使用" in phone.inner_text("main")


def _coordinator_login(app, browser, live_server, staff_id: int):
    """A desktop tab signed in through the login form as the commission's coordinator."""
    name, password = f"co_{uuid.uuid4().hex[:6]}", "Xieban#Coord2026"
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.add_user(name, "协办", "员", f"{name}@example.invalid",
                           [sm.find_role(COORDINATOR)], password=password, password_chosen=True)
        from app.models import StaffMember

        db.session.get(StaffMember, staff_id).user_id = user.id
        db.session.commit()
    context = browser.new_context(base_url=live_server, locale="zh-CN",
                                  viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto("/login/")
    tab.fill("input[name=username]", name)
    tab.fill("input[name=password]", password)
    tab.click("input[type=submit], button[type=submit]")
    tab.wait_for_load_state()
    assert "/login" not in tab.url
    return context, tab


def test_a_new_handler_reported_on_the_phone_is_accepted_by_the_coordinator(
        app, phone, browser, live_server):
    """R-17.6: the unit reports a new 经办人 from its page; the coordinator accepts it on the
    case page; the unit's contact changes, and the unit's page shows it accepted."""
    pk, number = _case(app)
    _look_up(app, phone, number)
    phone.get_by_role("link", name="报告项目负责人或经办人变更").click()
    phone.wait_for_load_state()
    _fits_the_phone(phone)
    phone.get_by_label("项目经办人").check()
    phone.fill("#name", "李新经办")
    phone.fill("#phone", "13900001111")
    phone.get_by_role("button", name="提交给协办员").click()
    phone.wait_for_load_state()
    assert "您的报告已提交协办员" in phone.inner_text("main")
    with app.app_context():
        coordinator_id = db.session.get(Commission, pk).coordinator_id
    context, desk = _coordinator_login(app, browser, live_server, coordinator_id)
    try:
        desk.goto(f"/commissionview/show/{pk}")
        panel = desk.locator(".contact-changes-pending")
        assert "李新经办" in panel.inner_text()
        panel.get_by_role("link", name="确认联系人变更").click()
        desk.wait_for_load_state()
        desk.click("form button[type=submit]")
        desk.wait_for_load_state()
        assert f"/commissionview/show/{pk}" in desk.url
        assert desk.locator(".contact-changes-pending").count() == 0
    finally:
        context.close()
    with app.app_context():
        change = db.session.scalars(sa.select(ContactChange)).one()
        unit = db.session.get(Commission, pk).project.unit
        assert change.state == ContactChangeState.accepted and change.old_name == "陈经办"
        assert (unit.handler_name, unit.handler_phone) == ("李新经办", "13900001111")
    phone.goto("/unit/case")
    assert "李新经办" in phone.inner_text("#contacts") and "已确认" in phone.inner_text("#contacts")


def test_each_refusal_on_the_phone(app, phone, clock):
    """R-17.7 and R-17 security: a wrong code, an expired code and the sixth attempt get the
    one refusal; another commission's number in the URL asks for a code, never shows it."""
    _pk, number = _case(app, "江城甲项目")
    _other_pk, other_number = _case(app, "江城乙项目")
    phone.goto(f"/unit/?no={number}")
    _ask_code(phone)
    code = last_code(app, number)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    _enter(phone, wrong)                                     # a wrong code
    assert REFUSED in phone.inner_text(".alert")
    for _ in range(3):
        _enter(phone, wrong)
    _enter(phone, wrong)                                     # the fifth try, wrong
    _enter(phone, code)                                      # the sixth: refused, right or not
    assert REFUSED in phone.inner_text(".alert") and "/unit/verify" in phone.url
    assert phone.goto("/unit/case").url.endswith("/unit/")
    phone.goto(f"/unit/?no={number}")                        # a new code, let it expire
    _ask_code(phone)
    clock.advance(minutes=11)
    _enter(phone, last_code(app, number))
    assert REFUSED in phone.inner_text(".alert")
    phone.goto(f"/unit/?no={number}")                        # a fresh code works
    _ask_code(phone)
    _enter(phone, last_code(app, number))
    assert "江城甲项目" in phone.inner_text("main")
    phone.goto(f"/unit/?no={other_number}")                  # another commission's number
    assert "江城乙项目" not in phone.inner_text("main")
    assert phone.input_value("#no") == other_number and "发送验证码" in phone.inner_text("main")
    phone.goto("/unit/case")
    assert "江城甲项目" in phone.inner_text("main") and "江城乙项目" not in phone.inner_text("main")
    _fits_the_phone(phone)
