"""The construction unit online (R-17): look-up by number and one-time code, the plan and the
termination confirmed through the lifecycle's own steps, the rating link, contact changes,
and what the public pages refuse."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from app.choices import Rating, TerminationReason, UnitConfirmationKind, UnitContact
from app.domain import lookup, ratings
from app.domain.workdays import load_calendar
from app.extensions import db
from app.lifecycle import COMMISSION, Context
from app.models import (
    AuditLog,
    Commission,
    ContactChange,
    LookupCode,
    Notification,
    PlanVersion,
    RatingInvitation,
    Rectification,
    Revisit,
    Unit,
    UnitConfirmation,
)
from app.notify.templates import Template
from app.roles import COORDINATOR
from app.states import CommissionState, ContactChangeState
from tests.role_clients import role_client
from tests.unit_online import Visitor, last_code, planning_case

SAME_ANSWER = "申请编号或验证码不正确"


def _case(app, **kw) -> tuple[int, str]:
    with app.app_context():
        commission = planning_case(**kw)
        db.session.commit()
        result = commission.id, commission.application_no
        db.session.remove()
    return result


def _body(response) -> str:
    return response.get_data(as_text=True)


def _answer(response) -> str:
    """The page without its per-visit CSRF token (to compare two answers)."""
    return re.sub(r'value="[^"]{20,}"', 'value=""', _body(response))


# ---- look-up ----------------------------------------------------------------------
def test_code_through_the_outbox_opens_the_case_for_the_unit(app):
    """R-17.1: the code goes through the outbox to the handler's registered mobile; with it
    the unit sees the state, its coordinator, the plan, each item's state, documents; every
    step of the look-up is audited."""
    pk, number = _case(app)
    unit = Visitor(app)
    assert unit.ask(number).status_code == 303
    with app.app_context():
        sent = db.session.scalars(sa.select(Notification).where(
            Notification.template == Template.lookup_code.value)).one()
        assert sent.recipient == "13700137000" and sent.commission_id == pk
        code_row = db.session.scalars(sa.select(LookupCode)).one()
        assert last_code(app, number) not in code_row.code_hash  # only a keyed hash is kept
    answer = unit.enter(last_code(app, number))
    assert answer.status_code == 303 and answer.location.endswith("/unit/case")
    page = _body(unit.client.get("/unit/case"))
    for expected in (number, "江城滨海智造产业园一期", "计划拟定", "张协办", "13600136000",
                     "用地预审与选址意见书", "待申报", "请确认审批进度计划"):
        assert expected in page, expected
    with app.app_context():
        steps = [row.detail["step"] for row in db.session.scalars(
            sa.select(AuditLog).where(AuditLog.action == "unit_lookup").order_by(AuditLog.id))]
        assert steps == ["code_requested", "code_verified", "case_viewed"]
        rows = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "unit_lookup"))
        assert all(r.ip == "127.0.0.1" and r.username for r in rows)


def test_the_leader_can_receive_the_code(app):
    """R-17.1: the code goes to the 负责人's mobile when the unit chooses the leader."""
    _pk, number = _case(app)
    Visitor(app).ask(number, contact="leader")
    with app.app_context():
        assert db.session.scalars(sa.select(Notification.recipient).where(
            Notification.template == Template.lookup_code.value)).one() == "13900139000"


def test_unknown_number_and_wrong_code_get_the_same_answer(app):
    """R-17.7: asking for a code and entering one look alike for a number nobody registered
    and for a registered number with a wrong code; nothing is sent for the unknown one."""
    _pk, number = _case(app)
    known, unknown = Visitor(app), Visitor(app)
    asked_known, asked_unknown = known.ask(number), unknown.ask("JCXB-2099-9999")
    assert asked_known.status_code == asked_unknown.status_code == 303
    assert _answer(known.client.get("/unit/verify")).replace(number, "N") == \
        _answer(unknown.client.get("/unit/verify")).replace("JCXB-2099-9999", "N")
    wrong = "000000" if last_code(app, number) != "000000" else "111111"
    refused_known, refused_unknown = known.enter(wrong), unknown.enter(wrong)
    assert refused_known.status_code == refused_unknown.status_code == 200
    assert SAME_ANSWER in _body(refused_known)
    assert _answer(refused_known).replace(number, "N") == \
        _answer(refused_unknown).replace("JCXB-2099-9999", "N")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
            Notification.template == Template.lookup_code.value)) == 1


def test_a_code_expires_after_10_minutes(app, clock):
    """R-17.7: a code is valid 10 minutes; later it gets the same refusal."""
    _pk, number = _case(app)
    unit = Visitor(app)
    unit.ask(number)
    clock.advance(minutes=10, seconds=1)
    answer = unit.enter(last_code(app, number))
    assert answer.status_code == 200 and SAME_ANSWER in _body(answer)
    assert unit.client.get("/unit/case").status_code == 302


def test_the_sixth_attempt_is_refused_even_with_the_right_code(app):
    """R-17.7: five tries per code; the sixth is refused, the right code included."""
    _pk, number = _case(app)
    unit = Visitor(app)
    unit.ask(number)
    code = last_code(app, number)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert SAME_ANSWER in _body(unit.enter(wrong))
    answer = unit.enter(code)
    assert SAME_ANSWER in _body(answer) and unit.client.get("/unit/case").status_code == 302


def test_a_code_is_used_once_and_only_the_newest_counts(app):
    """R-17.7: a verified code does not verify again; asking again retires the older code."""
    pk, number = _case(app)
    with app.app_context():
        limits = lookup.Limits.of(app.config)
        kw = {"ip": "127.0.0.1", "secret": "s", "limits": limits}
        lookup.request_code(db.session, number=number, contact=UnitContact.handler,
                            now=_now(), **kw)
        first = last_code(app, number) if False else _code_in_outbox(number)
        assert lookup.verify_code(db.session, number=number, code=first, now=_now(), **kw)
        assert lookup.verify_code(db.session, number=number, code=first, now=_now(), **kw) is None
        lookup.request_code(db.session, number=number, contact=UnitContact.handler,
                            now=_now(), **kw)
        lookup.request_code(db.session, number=number, contact=UnitContact.handler,
                            now=_now(), **kw)
        older = _code_in_outbox(number, newest=False)
        newest = _code_in_outbox(number)
        if older != newest:
            assert lookup.verify_code(db.session, number=number, code=older, now=_now(),
                                      **kw) is None
        grant = lookup.verify_code(db.session, number=number, code=newest, now=_now(), **kw)
        assert grant is not None and grant.commission_id == pk
        db.session.rollback()


def _code_in_outbox(number: str, newest: bool = True) -> str:
    """A code queued for ``number`` in this session (newest, or the one before it)."""
    bodies = db.session.scalars(sa.select(Notification.body).where(
        Notification.template == Template.lookup_code.value).order_by(Notification.id.desc())
    ).all()
    codes = [re.search(r"验证码：(\d{6})", b).group(1) for b in bodies if number in b]
    return codes[0] if newest else codes[1]


def test_rate_limits_per_number_and_per_address(app, monkeypatch):
    """R-17.7: codes per number per hour and requests per address per hour are limited;
    the refusal is the same for every number (429) and audited."""
    _pk, number = _case(app)
    monkeypatch.setitem(app.config, "UNIT_CODES_PER_NUMBER_HOUR", 2)
    monkeypatch.setitem(app.config, "UNIT_REQUESTS_PER_ADDRESS_HOUR", 4)
    unit = Visitor(app)
    assert [unit.ask(number).status_code for _ in range(3)] == [303, 303, 429]
    assert "请求过于频繁" in _body(unit.ask(number))
    other = Visitor(app)
    # the address has used 2 of its 4 (the refused ones are not counted): 2 more, then 429
    assert [other.ask(f"JCXB-2099-000{i}").status_code for i in range(3)] == [303, 303, 429]
    with app.app_context():
        refused = db.session.scalars(sa.select(AuditLog).where(
            AuditLog.action == "unit_lookup", AuditLog.result == "denied")).all()
        assert len(refused) >= 2 and all(r.detail["step"] == "code_refused_rate"
                                         for r in refused)


# ---- confirmations -----------------------------------------------------
def test_the_unit_confirms_the_plan_through_the_lifecycle_step(app):
    """R-17.2: the confirmation is the window's step (in progress, plan confirmed by the
    named contact, history), recorded with time and address, audited; the coordinator is
    told."""
    pk, number = _case(app)
    unit = Visitor(app)
    unit.look_up(number)
    with app.app_context():
        plan_id = db.session.scalars(sa.select(PlanVersion.id)).one()
    answer = unit.post("/unit/case/confirm", {"kind": "plan", "plan_id": plan_id})
    assert answer.status_code == 303
    assert "已确认审批进度计划" in _body(unit.client.get(answer.location))
    with app.app_context():
        commission = db.session.get(Commission, pk)
        plan = db.session.get(PlanVersion, plan_id)
        assert commission.state == CommissionState.in_progress
        assert plan.confirmed_by == "陈经办" and commission.plan_confirmed_on is not None
        assert "陈经办" in commission.state_changes[-1].note
        confirmation = db.session.scalars(sa.select(UnitConfirmation)).one()
        assert (confirmation.kind, confirmation.contact, confirmation.ip) == (
            UnitConfirmationKind.plan, UnitContact.handler, "127.0.0.1")
        told = db.session.scalars(sa.select(Notification).where(
            Notification.template == Template.unit_confirmed.value)).one()
        assert told.recipient == "13600136000" and "审批进度计划" in told.body
        audited = db.session.scalars(sa.select(AuditLog).where(
            AuditLog.object_type == "UnitConfirmation")).one()
        assert "陈经办" in audited.username


def test_a_stale_plan_version_is_not_confirmed(app):
    """R-17.2: a plan version redrafted after the unit opened its page is refused."""
    _pk, number = _case(app)
    unit = Visitor(app)
    unit.look_up(number)
    with app.app_context():
        plan_id = db.session.scalars(sa.select(PlanVersion.id)).one()
    answer = unit.post("/unit/case/confirm", {"kind": "plan", "plan_id": plan_id + 99})
    assert answer.status_code == 409 and "计划已更新" in _body(answer)


def _terminate(app, pk: int) -> None:
    with app.app_context():
        commission = db.session.get(Commission, pk)
        ctx = Context(actor=None, today=commission.applied_on + dt.timedelta(days=20),
                      cal=load_calendar(db.session), config=app.config)
        COMMISSION.step("terminate").run(db.session, commission, ctx,
                                         reason=TerminationReason.unit_request.value,
                                         reason_text=None, issued_on=ctx.today)
        db.session.commit()
        db.session.remove()


def test_the_unit_confirms_a_termination_online(app):
    """R-17.3, R-10.3: the unit's confirmation is the window's step: terminated, the
    materials due back within 1 working day, the final form issued; coordinator told."""
    pk, number = _case(app)
    _terminate(app, pk)
    unit = Visitor(app)
    unit.look_up(number)
    page = _body(unit.client.get("/unit/case"))
    assert "委托终止" in page and "确认终止委托" in page
    answer = unit.post("/unit/case/confirm", {"kind": "termination"})
    assert answer.status_code == 303
    with app.app_context():
        commission = db.session.get(Commission, pk)
        assert commission.state == CommissionState.terminated
        assert commission.termination.unit_confirmed_on is not None
        assert commission.termination.handover_due_on is not None
        assert db.session.scalars(sa.select(UnitConfirmation.kind)).one() == \
            UnitConfirmationKind.termination
        assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
            Notification.template == Template.unit_confirmed.value)) == 1
    # a second confirmation finds the step closed (its own precondition)
    again = unit.post("/unit/case/confirm", {"kind": "termination"})
    assert again.status_code == 409


# ---- rating by link ---------------------------------------------------------------
def _rating_link(app, pk: int) -> str:
    with app.app_context():
        commission = db.session.get(Commission, pk)
        invitation = ratings.invite(db.session, commission, now=_now(),
                                    secret=app.secret_key, base_url="http://x")
        db.session.commit()
        body = db.session.scalars(sa.select(Notification.body).where(
            Notification.template == Template.rating_invitation.value)).one()
        assert invitation is not None
        db.session.remove()
    return re.search(r"http://x(/unit/rate/\S+)", body).group(1)


def _now():
    from app.clock import utc_now

    return utc_now()


def _complete(app, pk: int) -> None:
    with app.app_context():
        commission = db.session.get(Commission, pk)
        commission.state = CommissionState.completed  # (the path there is R-9's tests')
        commission.completed_on = commission.applied_on
        db.session.commit()
        db.session.remove()


def test_a_bad_rating_by_link_is_a_revisit_with_its_rectification(app):
    """R-17.4: the link's form takes the five levels and a comment; the answer is a revisit
    (method SMS, the person reached named), a bad one opens a rectification; the link then
    answers that it was used."""
    pk, _number = _case(app)
    _complete(app, pk)
    link = _rating_link(app, pk)
    unit = Visitor(app)
    form = _body(unit.client.get(link))
    assert all(level in form for level in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"))
    answer = unit.client.post(link, data={"csrf_token": unit.csrf(link),
                                          "rating": Rating.very_dissatisfied.value,
                                          "comment": "跑了三趟窗口"})
    assert answer.status_code == 200 and "感谢" in _body(answer)
    with app.app_context():
        revisit = db.session.scalars(sa.select(Revisit)).one()
        assert (revisit.rating, revisit.opinions, revisit.person_reached, revisit.method.value) \
            == (Rating.very_dissatisfied, "跑了三趟窗口", "陈经办", "sms")
        assert db.session.scalars(sa.select(Rectification)).one().revisit_id == revisit.id
        assert db.session.scalars(sa.select(RatingInvitation)).one().revisit_id == revisit.id
    reused = unit.client.get(link)
    assert reused.status_code == 410 and "已使用" in _body(reused)
    posted_again = unit.client.post(link, data={"csrf_token": unit.csrf("/unit/"),
                                                "rating": Rating.satisfied.value})
    assert posted_again.status_code == 410
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Revisit.id))) == 1


def test_a_rating_link_expires_and_cannot_be_forged(app, clock):
    """R-17.4: a link is refused after its days, and with a changed id or signature."""
    pk, _number = _case(app)
    _complete(app, pk)
    link = _rating_link(app, pk)
    unit = Visitor(app)
    assert unit.client.get(link[:-2] + "xx").status_code == 410
    forged = ratings._serializer("not-the-key").dumps([1, "0" * 32])
    assert unit.client.get(f"/unit/rate/{forged}").status_code == 410
    clock.advance(days=16)
    expired = unit.client.get(link)
    assert expired.status_code == 410 and "已过期" in _body(expired)


def test_completing_a_commission_sends_the_rating_link(app, monkeypatch):
    """R-17.4: the complete step (办结) queues the signed link to the unit's handler, once,
    pointing at PUBLIC_BASE_URL; the link opens the form."""
    from tests.factories import full_case

    assert Template.rating_invitation in COMMISSION.step("complete").notifies
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://xieban.example.cn")
    with app.app_context():
        pk = full_case().commission
        commission = db.session.get(Commission, pk)
        ctx = Context(actor=None, today=dt.date(2025, 10, 23), cal=load_calendar(db.session),
                      config=app.config)
        COMMISSION.step("complete").run(db.session, commission, ctx, on=ctx.today)
        db.session.commit()
        sent = db.session.scalars(sa.select(Notification).where(
            Notification.template == Template.rating_invitation.value)).one()
        invitation = db.session.scalars(sa.select(RatingInvitation)).one()
        assert sent.recipient == commission.project.unit.handler_phone
        assert invitation.recipient_name == commission.project.unit.handler_name
        assert ratings.invite(db.session, commission, now=_now(), secret=app.secret_key,
                              base_url="x") is None  # one per commission
        body = sent.body
        db.session.rollback()
    link = re.search(r"https://xieban\.example\.cn(/unit/rate/\S+)", body).group(1)
    assert "非常满意" in _body(Visitor(app).client.get(link))


# ---- contact changes -----------------------------------------------------------
def test_a_contact_change_reported_online_is_accepted_by_the_coordinator(app):
    """R-17.6: the unit reports a new 经办人; the coordinator is told and accepts it on the
    case page (a lifecycle step); the unit's contact changes, the old one kept on the change
    and in the audit trail."""
    pk, number = _case(app)
    unit = Visitor(app)
    unit.look_up(number)
    answer = unit.post("/unit/case/contact", {"contact": "handler", "name": "李新经办",
                                              "title": "报建主管", "phone": "139 0000 1111"},
                       page="/unit/case/contact")
    assert answer.status_code == 303
    with app.app_context():
        change = db.session.scalars(sa.select(ContactChange)).one()
        assert (change.state, change.new_phone) == (ContactChangeState.pending, "13900001111")
        assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
            Notification.template == Template.contact_change_reported.value)) == 1
        commission = db.session.get(Commission, pk)
        change_id, coordinator_id = change.id, commission.coordinator_id
    coordinator = role_client(app, [COORDINATOR], coordinator_id)
    case_page = _body(coordinator.get(f"/commissionview/show/{pk}"))
    assert "李新经办" in case_page and f"/workflow/contact_change/{change_id}/accept" in case_page
    done = coordinator.post(f"/workflow/contact_change/{change_id}/accept", data={})
    assert done.status_code == 302 and done.location.endswith(f"/commissionview/show/{pk}")
    with app.app_context():
        change = db.session.get(ContactChange, change_id)
        unit_row = db.session.get(Commission, pk).project.unit
        assert (unit_row.handler_name, unit_row.handler_phone) == ("李新经办", "13900001111")
        assert (change.state, change.old_name) == (ContactChangeState.accepted, "陈经办")
        assert change.decided_by_id is not None
        trail = db.session.scalars(sa.select(AuditLog).where(
            AuditLog.object_type == "Unit", AuditLog.action == "update")).all()
        assert any(r.detail["before"].get("handler_name") == "陈经办" for r in trail)
        assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
            Notification.template == Template.contact_change_decided.value)) == 1


def test_a_contact_change_can_be_rejected_with_a_reason(app):
    """R-17.6: rejected, the unit's contact stays; the reason is kept and sent."""
    pk, number = _case(app)
    unit = Visitor(app)
    unit.look_up(number)
    unit.post("/unit/case/contact", {"contact": "leader", "name": "周总", "phone": "13911112222"},
              page="/unit/case/contact")
    with app.app_context():
        change_id = db.session.scalars(sa.select(ContactChange.id)).one()
        coordinator_id = db.session.get(Commission, pk).coordinator_id
    coordinator = role_client(app, [COORDINATOR], coordinator_id)
    coordinator.post(f"/workflow/contact_change/{change_id}/reject", data={"reason": "未盖公章"})
    with app.app_context():
        change = db.session.get(ContactChange, change_id)
        assert (change.state, change.decision_note) == (ContactChangeState.rejected, "未盖公章")
        assert db.session.scalars(sa.select(Unit.leader_name)).first() == "王总"


def test_a_contact_change_needs_a_mobile(app):
    """R-17.6: the new contact's number must be a mobile (codes go there); refused in
    Chinese, nothing saved."""
    _pk, number = _case(app)
    unit = Visitor(app)
    unit.look_up(number)
    answer = unit.post("/unit/case/contact", {"contact": "handler", "name": "李新",
                                              "phone": "0662-3312345"}, page="/unit/case/contact")
    assert answer.status_code == 422 and "11位手机号码" in _body(answer)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ContactChange.id))) == 0


# ---- security ------------------------------------------------------------------------------
def test_another_commissions_number_reaches_nothing(app):
    """R-17 security: with a visit granted for one commission, another's number in the URL
    asks for a code, its documents answer 404, and a confirmation acts on the granted one."""
    with app.app_context():
        mine = planning_case("江城甲项目")
        other = planning_case("江城乙项目")
        db.session.commit()
        mine_no, other_no, other_id = mine.application_no, other.application_no, other.id
        from app.documents.archive import issue
        from app.models import DocumentKind

        document, _created = issue(db.session, DocumentKind.application, other)
        db.session.commit()
        other_document = document.id
        db.session.remove()
    unit = Visitor(app)
    unit.look_up(mine_no)
    page = _body(unit.client.get(f"/unit/?no={other_no}"))
    assert "江城乙项目" not in page and "发送验证码" in page
    assert unit.client.get(f"/unit/case/document/{other_document}").status_code == 404
    case = _body(unit.client.get("/unit/case"))
    assert "江城甲项目" in case and "江城乙项目" not in case
    with app.app_context():
        other_plan = db.session.scalars(sa.select(PlanVersion.id).where(
            PlanVersion.commission_id == other_id)).one()
    refused = unit.post("/unit/case/confirm", {"kind": "plan", "plan_id": other_plan})
    assert refused.status_code == 409
    with app.app_context():
        assert db.session.get(Commission, other_id).state == CommissionState.planning


def test_the_unit_downloads_its_own_documents(app):
    """R-17.1: the documents issued to the unit are listed and served, audited."""
    with app.app_context():
        commission = planning_case()
        from app.documents.archive import issue
        from app.models import DocumentKind

        document, _created = issue(db.session, DocumentKind.application, commission)
        db.session.commit()
        number, document_id = commission.application_no, document.id
        db.session.remove()
    unit = Visitor(app)
    unit.look_up(number)
    assert f"/unit/case/document/{document_id}" in _body(unit.client.get("/unit/case"))
    pdf = unit.client.get(f"/unit/case/document/{document_id}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AuditLog.id)).where(
            AuditLog.action == "export", AuditLog.object_type == "IssuedDocument")) == 1


@pytest.mark.parametrize("url", ["/unit/", "/unit/verify"])
def test_public_pages_have_their_own_csp_and_no_fab_session(app, client, url):
    """R-17 security: the public pages send their own CSP (no script), are not cached, set
    no cookie but the look-up's own (HttpOnly, SameSite=Strict, path /unit) and do not see
    or refresh a signed-in staff session."""
    response = client.get(url)  # `client` is signed in as the administrator
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script" not in csp
    assert response.headers["Cache-Control"] == "no-store"
    cookies = response.headers.getlist("Set-Cookie")
    assert all(c.startswith("xb_unit=") for c in cookies), cookies
    assert all("HttpOnly" in c and "SameSite=Strict" in c and "Path=/unit" in c for c in cookies)
    assert "管理员" not in _body(response) and "admin" not in _body(response)


def test_every_public_form_needs_its_csrf_token(app):
    """R-17 security: a post without the visit's token is refused and changes nothing."""
    pk, number = _case(app)
    unit = Visitor(app)
    refused = unit.client.post("/unit/code", data={"no": number, "contact": "handler"})
    assert refused.status_code == 400
    unit.look_up(number)
    with app.app_context():
        plan_id = db.session.scalars(sa.select(PlanVersion.id)).one()
    forged = unit.client.post("/unit/case/confirm", data={
        "kind": "plan", "plan_id": plan_id, "csrf_token": "forged"})
    assert forged.status_code == 400
    with app.app_context():
        assert db.session.get(Commission, pk).state == CommissionState.planning


def test_the_grant_lasts_30_minutes(app, clock):
    """R-17.1: the case is open for 30 minutes after the code, then the look-up again."""
    _pk, number = _case(app)
    unit = Visitor(app)
    unit.look_up(number)
    clock.advance(minutes=29)
    assert unit.client.get("/unit/case").status_code == 200
    clock.advance(minutes=2)
    assert unit.client.get("/unit/case").status_code == 302


def test_limits_come_from_the_configuration(app):
    """R-17.7: 10 minutes, 5 tries by default."""
    limits = lookup.Limits.of(app.config)
    assert (limits.code_minutes, limits.attempts) == (10, 5)
