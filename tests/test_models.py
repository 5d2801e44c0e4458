"""The schema's constraints are enforced by the database itself, on SQLite and PostgreSQL.

Every row is built by a small builder below (valid by default, overridable), flushed, and the
violation is expected as an ``IntegrityError`` naming the broken constraint or column; the
session is rolled back afterwards. Generic tests walk the metadata (every NOT NULL column,
every foreign key, every enum column, every CHECK constraint) so that a new table or
constraint without a test fails ``test_every_*`` rather than going unnoticed.

Why raw rows here, when every other test builds through the steps (tests/factories.py,
R-16.1): these tests are about the database's last line of defence, below the domain. A
refused item without reasons, a termination confirmed before it was issued, a second open
commission of a project — the lifecycle's steps would never write such a row, so the only
way to show that the database refuses it too is to insert it behind the steps' back. Hence
one raw builder per model (lifecycle-owned ones included), and this module is named as the
exception in tests/test_house_rules.py. The reference rows (departments, staff, units,
projects, catalogue items) are the shared builders of tests/factories.py, left pending.

Raw SQL (``UPDATE ... SET col = ...``) is used where the ORM would refuse the value before
it reaches the database (unknown enum codes) or would replace ``None`` by a column default.
"""
from __future__ import annotations

import datetime as dt
import itertools
import os
import uuid
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import User
from sqlalchemy.exc import IntegrityError, StatementError

from app import choices, clock, states
from app.extensions import db
from app.labels import LabelledEnum
from app.models.document import DocumentKind
from app.models.account import RoleDefinitions
from app.models.export_job import ExportJob
from app.models import (
    AccountSecurity, AuditLog, IssuedDocument, Material,
    ContactChange, LookupCode, LookupRequest, RatingInvitation, UnitConfirmation,
    Announcement, ApplicationCounter, ApprovalItem, Assessment, CalendarDay, CalendarYear, Commission,
    CommissionItem, CommissionStateChange, Consultation, CoordinationMeeting,
    CoordinatorAssignment, Delivery, Department, Escalation, FeeNotice, ItemMaterial,
    ItemSupplement, JointApproval, MaterialNotice, MaterialNoticeLine, MeetingActionItem,
    Notification, PlanStep, PlanVersion, PreReview, Project, Rectification, ResultReceipt,
    Revisit, RosterChange, RowCount, StaffMember, Termination, Town, Training, TrainingAttendance,
    Unit, WorkLogEntry,
)
from app.states import COMMISSION_CLOSED, COMMISSION_OPEN, CommissionState
from tests import factories as f

# Same rule as conftest.database_url: PostgreSQL only when TEST_DATABASE_URL says so.
ON_SQLITE = not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")

D0 = dt.date(2026, 3, 2)
_seq = itertools.count(1)


# --- builders: one valid row per model, parents created on demand ---------------------------

def _n() -> int:
    return next(_seq)


def _add(obj):
    db.session.add(obj)
    return obj


def _parent(kw: dict, name: str, factory) -> dict:
    """Create the ``name`` parent unless the caller gave it (as object or id)."""
    if name not in kw and f"{name}_id" not in kw:
        kw[name] = factory()
    return kw


# The reference rows: the shared builders of tests/factories.py, pending until the test's
# own flush; staff join on the schema tests' day (D0), which their date checks count from.

def department(**kw):
    return f.department(flush=False, **kw)


def staff(**kw):
    kw.setdefault("admitted_on", D0)
    return f.staff(flush=False, **kw)


def specialist(**kw):
    return staff(role=choices.StaffRole.specialist, **kw)


def roster_change(**kw):
    _parent(kw, "staff", staff)
    return _add(RosterChange(**{"kind": choices.RosterChangeKind.join, "filed_on": D0,
                                "effective_on": D0, "reason": "新进人员", **kw}))


def town(**kw):
    """A new town every call (factories.town is the one town of a code): the duplicate-key
    tests need two."""
    n = _n()
    return _add(Town(**{"code": f"{441702000 + n % 1000:09d}", "name": f"测试镇{n}", **kw}))


def approval_item(**kw):
    return f.approval_item(flush=False, **kw)


def item_material(**kw):
    _parent(kw, "approval_item", approval_item)
    return _add(ItemMaterial(**{"name": f"申请表{_n()}", **kw}))


def unit(**kw):
    return f.unit(flush=False, **kw)


def project(**kw):
    return f.project(flush=False, **kw)


# --- every other row, raw: the lifecycle's among them (see the module docstring) ---------

def pre_review(**kw):
    _parent(kw, "receiver", staff)
    return _add(PreReview(**{"received_on": D0, "enquirer_name": "赵六",
                             "enquirer_phone": "13812341234", "enquiry": "咨询协办", **kw}))


def commission(**kw):
    _parent(kw, "project", project)
    return _add(Commission(**kw))


def state_change(**kw):
    _parent(kw, "commission", commission)
    return _add(CommissionStateChange(**{"to_state": CommissionState.accepted, **kw}))


def coordinator_assignment(**kw):
    _parent(kw, "commission", commission)
    _parent(kw, "staff", staff)
    return _add(CoordinatorAssignment(**{"assigned_on": D0, **kw}))


def joint_approval(**kw):
    _parent(kw, "commission", commission)
    return _add(JointApproval(**{"title": "联合审批", **kw}))


def commission_item(**kw):
    _parent(kw, "commission", commission)
    _parent(kw, "approval_item", approval_item)
    return _add(CommissionItem(**kw))


def item_supplement(**kw):
    _parent(kw, "commission_item", commission_item)
    return _add(ItemSupplement(**{"requested_on": D0, **kw}))


def plan_version(**kw):
    _parent(kw, "commission", commission)
    return _add(PlanVersion(**{"drafted_on": D0, **kw}))


def plan_step(**kw):
    _parent(kw, "plan_version", plan_version)
    _parent(kw, "approval_item", approval_item)
    return _add(PlanStep(**{"planned_submit_on": D0, "planned_done_on": D0, **kw}))


def work_log(**kw):
    _parent(kw, "commission", commission)
    _parent(kw, "author", staff)
    return _add(WorkLogEntry(**{"logged_on": D0, "entry_type": choices.WorkLogType.contact,
                                "content": "电话联系建设单位", **kw}))


def consultation(**kw):
    _parent(kw, "commission", commission)
    _parent(kw, "coordinator", staff)
    _parent(kw, "specialist", specialist)
    return _add(Consultation(**{"asked_on": D0, "question": "材料是否齐全？", **kw}))


def escalation(**kw):
    _parent(kw, "commission", commission)
    _parent(kw, "raised_by", staff)
    return _add(Escalation(**{"target": choices.EscalationTarget.window, "raised_on": D0,
                              "problem": "部门逾期未受理", **kw}))


def material_notice(**kw):
    _parent(kw, "commission", commission)
    _parent(kw, "issued_by", staff)
    return _add(MaterialNotice(**{"issued_on": D0, **kw}))


def material_notice_line(**kw):
    _parent(kw, "notice", material_notice)
    _parent(kw, "commission_item", commission_item)
    return _add(MaterialNoticeLine(**{"material_name": "申请表",
                                      "problem": choices.MaterialProblem.missing, **kw}))


def fee_notice(**kw):
    _parent(kw, "commission", commission)
    _parent(kw, "department", department)
    return _add(FeeNotice(**{"fee_name": "城市基础设施配套费", "amount": Decimal("1000.00"),
                             "issued_on": D0, **kw}))


def result_receipt(**kw):
    _parent(kw, "commission", commission)
    _parent(kw, "department", department)
    return _add(ResultReceipt(**{"received_on": D0, "documents": "施工许可证", **kw}))


def delivery(**kw):
    _parent(kw, "commission", commission)
    return _add(Delivery(**{"method": choices.DeliveryMethod.visit, "delivered_on": D0, **kw}))


def termination(**kw):
    _parent(kw, "commission", commission)
    return _add(Termination(**{"reason": choices.TerminationReason.unit_request,
                               "issued_on": D0, **kw}))


def announcement(**kw):
    _parent(kw, "termination", termination)
    return _add(Announcement(**{"published_on": D0,
                                "url": "https://www.yangjiang.gov.cn/gg/1", **kw}))


def meeting(**kw):
    _parent(kw, "convener", staff)
    return _add(CoordinationMeeting(**{
        "kind": choices.MeetingKind.coordination, "title": "协调会", "held_on": D0,
        "place": "政务服务中心", "issues": "施工许可", **kw}))


def action_item(**kw):
    _parent(kw, "meeting", meeting)
    _parent(kw, "owner", staff)
    return _add(MeetingActionItem(**{"description": "补充材料", "due_on": D0, **kw}))


def revisit(**kw):
    _parent(kw, "commission", commission)
    return _add(Revisit(**{"visited_on": D0, "method": choices.ContactMethod.phone,
                           "person_reached": "王五", "rating": choices.Rating.satisfied, **kw}))


def rectification(**kw):
    _parent(kw, "revisit", lambda: revisit(rating=choices.Rating.dissatisfied))
    return _add(Rectification(**kw))


def assessment(**kw):
    kw.setdefault("subject", choices.AssessmentSubject.department)
    if kw["subject"] == choices.AssessmentSubject.department:
        _parent(kw, "department", department)
    else:
        _parent(kw, "staff", staff)
    return _add(Assessment(**{"period_start": dt.date(2026, 1, 1),
                              "period_end": dt.date(2026, 3, 31), **kw}))


def training(**kw):
    _parent(kw, "organiser", department)
    return _add(Training(**{"title": "业务培训", "topic": "协办流程", "held_on": D0, **kw}))


def attendance(**kw):
    _parent(kw, "training", training)
    _parent(kw, "staff", staff)
    return _add(TrainingAttendance(**kw))


def calendar_day(**kw):
    return _add(CalendarDay(**{"day": dt.date(2030, 1, 1) + dt.timedelta(days=_n()),
                               "kind": choices.CalendarDayKind.holiday, **kw}))


def notification(**kw):
    return _add(Notification(**{"template": "contact_due", "channel": choices.Channel.sms,
                                "recipient": "13812341234", "body": "您好", **kw}))


def application_counter(**kw):
    return _add(ApplicationCounter(**{"year": 2000 + _n(), **kw}))


def issued_document(**kw):
    _parent(kw, "commission", commission)
    return _add(IssuedDocument(**{
        "kind": DocumentKind.application, "title": "委托协办申请表", "version": 1,
        "sha256": "0" * 64, "source_sha256": "0" * 64, "file_path": f"test/{_n()}.pdf",
        "size": 1, "font": "wqy-zenhei.ttc", **kw}))


def material(**kw):
    _parent(kw, "commission", commission)
    return _add(Material(**{
        "original_name": "申请表.pdf", "stored_name": f"{_n():032x}", "size": 1,
        "content_type": "application/pdf", "sha256": "0" * 64, **kw}))


def calendar_year(**kw):
    return _add(CalendarYear(**{"year": 2100 + _n(), **kw}))


def lookup_code(**kw):
    return _add(LookupCode(**{"application_no": f"JCXB-2026-{_n():04d}",
                              "contact": choices.UnitContact.handler, "code_hash": "0" * 64,
                              "expires_at": clock.utc_now(), **kw}))


def lookup_request(**kw):
    return _add(LookupRequest(**{"ip": "127.0.0.1", "application_no": "JCXB-2026-0001",
                                 "step": choices.LookupStep.request, **kw}))


def unit_confirmation(**kw):
    _parent(kw, "commission", commission)
    return _add(UnitConfirmation(**{"kind": choices.UnitConfirmationKind.plan,
                                    "contact": choices.UnitContact.handler,
                                    "contact_name": "王五", "contact_phone": "13812341234", **kw}))


def rating_invitation(**kw):
    _parent(kw, "commission", commission)
    return _add(RatingInvitation(**{"nonce": uuid.uuid4().hex, "recipient_name": "王五",
                                    "expires_at": clock.utc_now(), **kw}))


def contact_change(**kw):
    _parent(kw, "commission", commission)
    return _add(ContactChange(**{"contact": choices.UnitContact.handler, "new_name": "赵经办",
                                 "new_phone": "13912341234", "reported_by": "王五（项目经办人）",
                                 **kw}))


def export_job(**kw):
    return _add(ExportJob(**{"user_id": 1, "ledger": "commissions",
                             "download_name": "协办事项台账.xlsx", **kw}))


def account_security(**kw):
    if "user_id" not in kw:
        name = f"acct{_n()}_{uuid.uuid4().hex[:6]}"
        user = flushed(_add(User(first_name="测", last_name="试", username=name,
                                 email=f"{name}@example.invalid", active=True, password="x")))
        kw["user_id"] = user.id
    return _add(AccountSecurity(**kw))


BUILDERS = {
    AccountSecurity: account_security, IssuedDocument: issued_document, Material: material,
    Announcement: announcement, ApplicationCounter: application_counter,
    ApprovalItem: approval_item, Assessment: assessment,
    CalendarDay: calendar_day, CalendarYear: calendar_year, Commission: commission, CommissionItem: commission_item,
    CommissionStateChange: state_change, Consultation: consultation,
    CoordinationMeeting: meeting, CoordinatorAssignment: coordinator_assignment,
    Delivery: delivery, Department: department, Escalation: escalation,
    FeeNotice: fee_notice, ItemMaterial: item_material, ItemSupplement: item_supplement,
    JointApproval: joint_approval, MaterialNotice: material_notice,
    MaterialNoticeLine: material_notice_line, MeetingActionItem: action_item,
    Notification: notification, PlanStep: plan_step, PlanVersion: plan_version,
    PreReview: pre_review, Project: project, Rectification: rectification,
    ResultReceipt: result_receipt, Revisit: revisit, RosterChange: roster_change,
    StaffMember: staff, Termination: termination, Town: town, Training: training,
    TrainingAttendance: attendance, Unit: unit, WorkLogEntry: work_log,
    LookupCode: lookup_code, LookupRequest: lookup_request,
    UnitConfirmation: unit_confirmation, RatingInvitation: rating_invitation,
    ContactChange: contact_change, ExportJob: export_job,
}
BUILDER_BY_TABLE = {model.__tablename__: fn for model, fn in BUILDERS.items()}
MODEL_BY_TABLE = {model.__tablename__: model for model in BUILDERS}


# --- helpers ---------------------------------------------------------------------------------

def rejected(*needles: str, action=None) -> str:
    """Run ``action`` (default: flush); expect an IntegrityError whose message names one of
    ``needles``; roll back."""
    with pytest.raises(IntegrityError) as info:
        (action or db.session.flush)()
    db.session.rollback()
    message = str(info.value.orig)
    assert any(n in message for n in needles), message
    return message


def flushed(obj):
    db.session.flush()
    return obj


def raw_update(obj, column: str, value) -> None:
    """UPDATE one column of ``obj``'s row behind the ORM's back (bypasses enum validation)."""
    (pk,) = obj.__table__.primary_key.columns
    db.session.execute(
        sa.text(f'UPDATE "{obj.__tablename__}" SET "{column}" = :v WHERE "{pk.name}" = :pk'),
        {"v": value, "pk": getattr(obj, pk.key)},
    )


def _domain_columns(predicate):
    """(table, column) pairs of the models' tables matching ``predicate``, as test params."""
    params = []
    for model in BUILDERS:
        for col in model.__table__.columns:
            if predicate(col):
                params.append(pytest.param(model.__tablename__, col.name,
                                           id=f"{model.__tablename__}.{col.name}"))
    return params


def _app_models():
    """Every mapped class of the app (FAB's security models excluded)."""
    return {m.class_ for m in db.Model.registry.mappers
            if m.class_.__module__.startswith("app.models")}


def _app_enums():
    found = []
    for module in (choices, states):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, LabelledEnum) \
                    and value is not LabelledEnum:
                found.append(value)
    return found


# --- coverage of the builders and the base rows ----------------------------------------------

def test_every_model_has_a_builder():
    """A new model must get a builder here, so that its constraints get tested too.

    The audit trail is the exception: its triggers refuse the raw UPDATEs the generic tests
    use (tests/test_audit.py covers it); and the one-row version of the role definitions
    is FAB's bookkeeping, kept like FAB's own tables (tests/test_speed_loading.py); the row
    counts are written by the commission table's triggers alone (tests/test_row_count.py)."""
    assert _app_models() - {AuditLog, RoleDefinitions, RowCount} == set(BUILDERS)


@pytest.mark.parametrize("table", sorted(BUILDER_BY_TABLE))
def test_base_rows_are_valid(ctx, table):
    """The builders' rows satisfy every constraint (so each failure below has one cause)."""
    obj = flushed(BUILDER_BY_TABLE[table]())
    db.session.commit()
    assert sa.inspect(obj).identity is not None


# --- NOT NULL ----------------------------------------------------------------------------------

NOT_NULL_COLUMNS = _domain_columns(lambda c: not c.nullable and not c.primary_key)


@pytest.mark.parametrize("table, column", NOT_NULL_COLUMNS)
def test_not_null_is_enforced(ctx, table, column):
    """Every NOT NULL column of the models is NOT NULL in the migrated database too
    (R-1.1 construction/investment kind, R-1.2 receiver, R-2.2 role, R-4.4 project's unit,
    R-6.4 work-log content, R-13.2 rating, ...)."""
    obj = flushed(BUILDER_BY_TABLE[table]())
    rejected(column, action=lambda: raw_update(obj, column, None))


# --- foreign keys ----------------------------------------------------------------------------

FK_COLUMNS = _domain_columns(lambda c: bool(c.foreign_keys))


@pytest.mark.parametrize("table, column", FK_COLUMNS)
def test_foreign_key_is_enforced(ctx, table, column):
    """A reference to a row that does not exist is refused (R-4.4 project → unit, R-2.2
    specialist → department, ...)."""
    # A coordinator's assessment is the one whose staff_id may be set (ck_assessment_subject).
    kw = {"subject": choices.AssessmentSubject.coordinator} if column == "staff_id" \
        and table == "assessment" else {}
    obj = flushed(BUILDER_BY_TABLE[table](**kw))
    rejected(column, "FOREIGN KEY", action=lambda: raw_update(obj, column, 987654321))


@pytest.mark.parametrize("link_table, other_column", [
    ("meeting_department", "department_id"),
    ("meeting_attendee", "staff_id"),
    ("meeting_commission", "commission_id"),
    ("meeting_project", "project_id"),
])
def test_meeting_link_tables_enforce_foreign_keys(ctx, link_table, other_column):
    """R-7.1: a meeting's departments, attendees, commissions and projects must exist."""
    m = flushed(meeting())
    insert = sa.text(f"INSERT INTO {link_table} (meeting_id, {other_column}) VALUES (:m, :o)")
    rejected(other_column, "FOREIGN KEY",
             action=lambda: db.session.execute(insert, {"m": m.id, "o": 987654321}))


def test_deleting_a_commission_cascades_to_its_items(ctx):
    """ON DELETE CASCADE is declared for a commission's dependent records."""
    item = flushed(commission_item())
    commission_id = item.commission_id
    db.session.execute(sa.text("DELETE FROM commission WHERE id = :id"), {"id": commission_id})
    left = db.session.execute(
        sa.text("SELECT count(*) FROM commission_item WHERE commission_id = :id"),
        {"id": commission_id},
    ).scalar()
    assert left == 0


def test_a_referenced_department_cannot_be_deleted(ctx):
    """R-2.2: a specialist's department cannot disappear under them."""
    s = flushed(specialist())
    delete = sa.text("DELETE FROM department WHERE id = :id")
    rejected("department", "FOREIGN KEY",
             action=lambda: db.session.execute(delete, {"id": s.department_id}))


# --- enums -----------------------------------------------------------------------------------

ENUM_COLUMNS = _domain_columns(lambda c: isinstance(c.type, sa.Enum))


@pytest.mark.parametrize("table, column", ENUM_COLUMNS)
def test_enum_column_rejects_unknown_code(ctx, table, column):
    """Enum columns carry a CHECK of their codes: an unknown code written by SQL is refused."""
    obj = flushed(BUILDER_BY_TABLE[table]())
    enum_name = MODEL_BY_TABLE[table].__table__.c[column].type.name
    rejected(enum_name, action=lambda: raw_update(obj, column, "zz"))


def test_orm_refuses_unknown_enum_code(ctx):
    """The ORM refuses an unknown code before it reaches the database."""
    unit(nature="charity")
    with pytest.raises((StatementError, LookupError)):
        db.session.flush()
    db.session.rollback()


def test_enum_values_are_stored_as_codes(ctx):
    """Codes, not labels or member names, are what the database holds."""
    p = flushed(project(construction_kind=choices.ConstructionKind.expansion))
    stored = db.session.execute(
        sa.text("SELECT construction_kind FROM project WHERE id = :id"), {"id": p.id}
    ).scalar()
    assert stored == "expansion"


# Labels fixed by the policy and the spec (requirements.md, architecture.md).
SPEC_LABELS = [
    (states.CommissionState.pre_review, "咨询预审"),
    (states.CommissionState.ineligible, "不符合条件"),
    (states.CommissionState.accepted, "已受理"),
    (states.CommissionState.assigned, "已分派"),
    (states.CommissionState.in_progress, "办理中"),
    (states.CommissionState.completed, "已办结"),
    (states.CommissionState.terminated, "已终止"),
    (states.CommissionState.announced, "已公告"),
    (states.ItemState.pending, "待申报"),
    (states.ItemState.submitted, "已申报"),
    (states.ItemState.accepted, "已受理"),
    (states.ItemState.supplementing, "补正中"),
    (states.ItemState.approved, "准予许可"),
    (states.ItemState.refused, "不予许可"),
    (choices.ConstructionKind.new, "新建"),
    (choices.ConstructionKind.rebuild, "改建"),
    (choices.ConstructionKind.expansion, "扩建"),
    (choices.InvestmentKind.government, "政府投资"),
    (choices.InvestmentKind.social, "社会投资"),
    (choices.DelegationScope.full, "全部委托"),
    (choices.DelegationScope.partial, "部分委托"),
    (choices.StaffRole.coordinator, "协办员"),
    (choices.StaffRole.specialist, "专办员"),
    (choices.StaffStatus.active, "在岗"),
    (choices.StaffStatus.transferred, "调离"),
    (choices.StaffStatus.disabled, "停用"),
    (choices.DeliveryMethod.visit, "上门领取"),
    (choices.DeliveryMethod.post, "邮寄送达"),
    (choices.Rating.very_satisfied, "非常满意"),
    (choices.Rating.satisfied, "满意"),
    (choices.Rating.basically_satisfied, "基本满意"),
    (choices.Rating.dissatisfied, "不满意"),
    (choices.Rating.very_dissatisfied, "非常不满意"),
    (choices.MeetingKind.coordination, "协调会议"),
    (choices.MeetingKind.joint, "联席会议"),
]


@pytest.mark.parametrize("member, label", SPEC_LABELS,
                         ids=[f"{type(m).__name__}.{m.value}" for m, _ in SPEC_LABELS])
def test_enum_member_renders_its_chinese_label(app, member, label):
    """R-1.1, R-6.1, R-13.2: str(member) is the Chinese label under the zh locale."""
    with app.test_request_context("/?_l_=zh"):
        assert label in str(member)
        assert label in member.__html__()


def test_every_enum_member_has_a_chinese_label(app):
    """Every code a user can see renders in Chinese under zh, and in English under en."""
    untranslated = []
    for enum_cls in _app_enums():
        for member in enum_cls:
            with app.test_request_context("/?_l_=zh"):
                zh = str(member)
            with app.test_request_context("/?_l_=en"):
                en = str(member)
            if not _has_cjk(zh):
                untranslated.append(f"{enum_cls.__name__}.{member.value}: {zh}")
            assert not _has_cjk(en), en
    assert not untranslated, untranslated


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_choices_pair_codes_with_labels():
    """The select options are (code, label) pairs in declaration order."""
    assert [code for code, _ in choices.Rating.choices()] == [m.value for m in choices.Rating]


# --- CHECK constraints -------------------------------------------------------------------------

def _case(builder, constraint, rid, **kw):
    return pytest.param(builder, kw, constraint, id=f"{constraint}:{rid}:" + ",".join(kw))


D1 = D0 - dt.timedelta(days=1)
NEG = Decimal("-0.01")

CHECK_CASES = [
    _case(account_security, "ck_account_security_failed_logins", "R-14.1", failed_logins=-1),
    _case(account_security, "ck_account_security_session_version", "R-14.6",
          session_version=-1),
    _case(material, "ck_material_size", "R-14.3", size=0),
    _case(issued_document, "ck_issued_document_size", "R-15.3", size=-1),
    _case(issued_document, "ck_issued_document_version", "R-15.3", version=0),
    # Amounts, areas, counts and days are not negative.
    _case(project, "ck_project_total_investment", "R-4.1", total_investment=NEG),
    _case(project, "ck_project_floor_area", "R-4.1", floor_area=NEG),
    _case(fee_notice, "ck_fee_notice_amount", "R-3.1", amount=NEG),
    _case(approval_item, "ck_approval_item_promised_days", "R-6.6", promised_days=-1),
    _case(approval_item, "ck_approval_item_legal_days", "R-6.6", legal_days=-1),
    _case(training, "ck_training_hours", "R-13.4", hours=Decimal(0)),
    _case(training, "ck_training_hours", "R-13.4", hours=Decimal("-1")),
    _case(notification, "ck_notification_attempts", "R-11.1", attempts=-1),
    _case(lookup_code, "ck_lookup_code_attempts", "R-17.7", attempts=-1),
    _case(contact_change, "ck_contact_change_decided", "R-17.6",
          state=states.ContactChangeState.accepted),
    _case(commission_item, "ck_commission_item_attempt", "R-6.2", attempt=0),
    _case(application_counter, "ck_application_counter_last", "R-4.2", last_value=-1),
    _case(plan_version, "ck_plan_version_positive", "R-5.3", version=0),
    _case(assessment, "ck_assessment_counts", "R-13.3", commissions_handled=-1),
    _case(assessment, "ck_assessment_counts", "R-13.3", overdue_count=-1),
    _case(assessment, "ck_assessment_counts", "R-13.3", refusals=-1),
    _case(assessment, "ck_assessment_counts", "R-13.3", open_escalations=-1),
    _case(assessment, "ck_assessment_on_time_rate", "R-13.3", on_time_rate=Decimal("100.01")),
    _case(assessment, "ck_assessment_on_time_rate", "R-13.3", on_time_rate=NEG),
    _case(assessment, "ck_assessment_score", "R-13.3", score=Decimal("100.5")),
    _case(assessment, "ck_assessment_score", "R-13.3", score=NEG),
    # End dates are not before start dates.
    _case(staff, "ck_staff_member_dates", "R-2.2", exited_on=D1),
    _case(roster_change, "ck_roster_change_dates", "R-2.3", effective_on=D1),
    _case(commission, "ck_commission_completed_after_applied", "R-4.2",
          applied_on=D0, completed_on=D1),
    _case(coordinator_assignment, "ck_coordinator_assignment_dates", "R-5.1", ended_on=D1),
    _case(plan_version, "ck_plan_version_dates", "R-5.3", confirmed_on=D1),
    _case(plan_step, "ck_plan_step_dates", "R-5.3", planned_done_on=D1),
    _case(commission_item, "ck_commission_item_dates", "R-6.1",
          submitted_on=D0, decided_on=D1),
    _case(item_supplement, "ck_item_supplement_dates", "R-6.1", received_on=D1),
    _case(consultation, "ck_consultation_dates", "R-6.3", answered_on=D1, answer="可以"),
    _case(escalation, "ck_escalation_dates", "R-6.7", resolved_on=D1),
    _case(fee_notice, "ck_fee_notice_dates", "R-8.1", paid_on=D1),
    _case(delivery, "ck_delivery_dates", "R-8.4", receipt_signed_on=D1),
    _case(termination, "ck_termination_confirmed_after_issue", "R-10.3", unit_confirmed_on=D1),
    _case(termination, "ck_termination_handover_after_issue", "R-10.3", handed_over_on=D1),
    _case(assessment, "ck_assessment_period", "R-13.3", period_end=dt.date(2025, 12, 31)),
    # A specialist belongs to a department.
    _case(staff, "ck_staff_member_specialist_department", "R-2.2",
          role=choices.StaffRole.specialist, department_id=None),
    # An ineligible pre-review keeps the reason and the other channel.
    _case(pre_review, "ck_pre_review_ineligible_reason", "R-1.2",
          outcome=states.PreReviewOutcome.ineligible),
    _case(pre_review, "ck_pre_review_ineligible_reason", "R-1.2",
          outcome=states.PreReviewOutcome.ineligible, ineligible_reason="特殊工程"),
    _case(pre_review, "ck_pre_review_ineligible_reason", "R-1.2",
          outcome=states.PreReviewOutcome.ineligible, other_channel="市政务服务中心"),
    # A refused item has its reasons.
    _case(commission_item, "ck_commission_item_refusal_reason", "R-6.2",
          state=states.ItemState.refused),
    # A withdrawn item has its day and reason.
    _case(commission_item, "ck_commission_item_withdrawal", "R-10.5",
          state=states.ItemState.withdrawn, withdrawn_on=dt.date(2025, 10, 20)),
    # A resolved escalation has its resolution and date.
    _case(escalation, "ck_escalation_resolution", "R-6.7",
          status=states.EscalationStatus.resolved),
    _case(escalation, "ck_escalation_resolution", "R-6.7",
          status=states.EscalationStatus.resolved, resolution="已协调"),
    _case(escalation, "ck_escalation_resolution", "R-6.7",
          status=states.EscalationStatus.resolved, resolved_on=D0),
    # Post delivery has carrier and tracking number.
    _case(delivery, "ck_delivery_post_tracking", "R-8.4", method=choices.DeliveryMethod.post),
    _case(delivery, "ck_delivery_post_tracking", "R-8.4",
          method=choices.DeliveryMethod.post, carrier="EMS"),
    _case(delivery, "ck_delivery_post_tracking", "R-8.4",
          method=choices.DeliveryMethod.post, tracking_no="1234567890"),
    # 'Other' termination reason comes with its text.
    _case(termination, "ck_termination_other_text", "R-10.1",
          reason=choices.TerminationReason.other),
    # A done action item has its date; a closed rectification is verified.
    _case(action_item, "ck_meeting_action_item_done_on", "R-7.1", done=True),
    _case(rectification, "ck_rectification_closed", "R-13.2", closed=True),
    _case(rectification, "ck_rectification_closed", "R-13.2", closed=True, verified_by="张三"),
    _case(rectification, "ck_rectification_closed", "R-13.2", closed=True, feedback_on=D0),
]


@pytest.mark.parametrize("builder, kw, constraint", CHECK_CASES)
def test_check_constraint_is_enforced(ctx, builder, kw, constraint):
    """Negative amounts/areas/days (R-3.1, R-8.1, R-6.6), end dates before start dates,
    specialist without department (R-2.2), ineligible pre-review without reason (R-1.2),
    refused item without reason (R-6.2), resolved escalation without resolution (R-6.7),
    post delivery without tracking (R-8.4), 'other' termination without text (R-10.1),
    assessment out of range (R-13.3): each is refused by its named CHECK constraint."""
    builder(**kw)
    rejected(constraint)


ASSESSMENT_SUBJECT_CASES = [
    # (subject, has department, has staff): every combination the subject does not allow.
    pytest.param(choices.AssessmentSubject.department, False, False, id="department-neither"),
    pytest.param(choices.AssessmentSubject.department, False, True, id="department-staff-only"),
    pytest.param(choices.AssessmentSubject.department, True, True, id="department-both"),
    pytest.param(choices.AssessmentSubject.coordinator, False, False, id="coordinator-neither"),
    pytest.param(choices.AssessmentSubject.coordinator, True, False,
                 id="coordinator-department-only"),
    pytest.param(choices.AssessmentSubject.coordinator, True, True, id="coordinator-both"),
]


@pytest.mark.parametrize("subject, has_department, has_staff", ASSESSMENT_SUBJECT_CASES)
def test_assessment_subject_consistency(ctx, subject, has_department, has_staff):
    """R-13.3: an assessment is about exactly one department or one coordinator, matching
    its subject."""
    d, s = flushed(department()), flushed(staff())
    db.session.add(Assessment(
        period_start=D0, period_end=D0, subject=subject,
        department_id=d.id if has_department else None,
        staff_id=s.id if has_staff else None,
    ))
    rejected("ck_assessment_subject")


ACCEPTED_CASES = [
    # Boundaries: zero amounts and equal dates are allowed.
    (project, {"total_investment": Decimal(0), "floor_area": Decimal(0)}),
    (fee_notice, {"amount": Decimal(0), "paid_on": D0}),
    (approval_item, {"promised_days": 0, "legal_days": 0}),
    (staff, {"exited_on": D0}),
    (commission, {"applied_on": D0, "completed_on": D0}),
    (commission_item, {"submitted_on": D0, "decided_on": D0}),
    (assessment, {"on_time_rate": Decimal(100), "score": Decimal(0),
                  "period_end": dt.date(2026, 1, 1)}),
    # The conditional rules are satisfied.
    (specialist, {}),
    (pre_review, {"outcome": states.PreReviewOutcome.ineligible,
                  "ineligible_reason": "特殊工程", "other_channel": "市政务服务中心"}),
    (pre_review, {"outcome": states.PreReviewOutcome.eligible}),
    (commission_item, {"state": states.ItemState.refused, "refusal_reason": "不符合规划条件"}),
    (escalation, {"status": states.EscalationStatus.resolved, "resolution": "已协调",
                  "resolved_on": D0}),
    (delivery, {"method": choices.DeliveryMethod.post, "carrier": "EMS",
                "tracking_no": "1234567890", "receipt_signed_on": D0}),
    (termination, {"reason": choices.TerminationReason.other, "reason_text": "项目取消",
                   "unit_confirmed_on": D0, "handed_over_on": D0}),
    (action_item, {"done": True, "done_on": D0}),
    (rectification, {"closed": True, "verified_by": "张三", "feedback_on": D0}),
    (assessment, {"subject": choices.AssessmentSubject.coordinator}),
]


@pytest.mark.parametrize("builder, kw", ACCEPTED_CASES,
                         ids=[f"{b.__name__}:{','.join(k) or 'base'}" for b, k in ACCEPTED_CASES])
def test_valid_rows_pass_the_checks(ctx, builder, kw):
    """The CHECKs are not stricter than the rules (R-1.2, R-2.2, R-6.2, R-6.7, R-8.4, R-10.1)."""
    obj = flushed(builder(**kw))
    db.session.commit()
    assert obj.id


def test_every_check_constraint_has_a_case():
    """Each named ck_* constraint of the models is exercised above."""
    declared = {
        c.name for model in BUILDERS for c in model.__table__.constraints
        if isinstance(c, sa.CheckConstraint) and str(c.name).startswith("ck_")
    }
    covered = {p.values[2] for p in CHECK_CASES} | {"ck_assessment_subject"}
    assert declared == covered


# --- unique business keys ----------------------------------------------------------------------

def _dup_department():
    department(name=flushed(department()).name)


def _dup_unit_name():
    unit(name=flushed(unit()).name)


def _dup_credit_code():
    unit(credit_code="91350100M000100Y43")
    db.session.flush()
    unit(credit_code="91350100M000100Y43")


def _dup_project_code():
    project(project_code="2026-441702-70-03-012345")
    db.session.flush()
    project(project_code="2026-441702-70-03-012345")


def _dup_application_no():
    commission(application_no="JCXB-2026-0001")
    db.session.flush()
    commission(application_no="JCXB-2026-0001")


def _dup_catalogue_item():
    approval_item(name=flushed(approval_item()).name)


def _dup_calendar_day():
    calendar_day(day=flushed(calendar_day()).day)


def _dup_plan_version():
    v = flushed(plan_version(version=1))
    plan_version(commission_id=v.commission_id, version=1)


def _dup_item_attempt():
    i = flushed(commission_item(attempt=1))
    commission_item(commission_id=i.commission_id, approval_item_id=i.approval_item_id,
                    attempt=1)


def _dup_town_code():
    town(code=flushed(town()).code)


def _dup_town_name():
    town(name=flushed(town()).name)


def _dup_item_material():
    m = flushed(item_material())
    item_material(approval_item_id=m.approval_item_id, name=m.name)


def _dup_attendance():
    a = flushed(attendance())
    attendance(training_id=a.training_id, staff_id=a.staff_id)


def _dup_termination():
    t = flushed(termination())
    termination(commission_id=t.commission_id)


def _dup_announcement():
    a = flushed(announcement())
    announcement(termination_id=a.termination_id)


def _dup_rectification():
    r = flushed(rectification())
    rectification(revisit_id=r.revisit_id)


def _dup_previous_attempt():
    first = flushed(commission_item(state=states.ItemState.refused, refusal_reason="不符合"))
    commission_item(commission_id=first.commission_id, approval_item_id=first.approval_item_id,
                    attempt=2, previous_attempt_id=first.id)
    db.session.flush()
    commission_item(commission_id=first.commission_id, approval_item_id=first.approval_item_id,
                    attempt=3, previous_attempt_id=first.id)


def _dup_staff_login():
    user_id = db.session.execute(sa.text("SELECT min(id) FROM ab_user")).scalar()
    staff(user_id=user_id)
    db.session.flush()
    staff(user_id=user_id)


UNIQUE_CASES = [
    pytest.param(_dup_department, "name", id="R-2.1:department.name"),
    pytest.param(_dup_unit_name, "name", id="R-4.4:unit.name"),
    pytest.param(_dup_credit_code, "credit_code", id="R-4.1:unit.credit_code"),
    pytest.param(_dup_project_code, "project_code", id="R-4.3:project.project_code"),
    pytest.param(_dup_application_no, "application_no", id="R-4.2:commission.application_no"),
    pytest.param(_dup_catalogue_item, "name", id="R-6.6:approval_item.name"),
    pytest.param(_dup_calendar_day, "day", id="R-12.1:calendar_day.day"),
    pytest.param(_dup_plan_version, "version", id="R-5.3:plan_version(commission,version)"),
    pytest.param(_dup_item_attempt, "attempt",
                 id="R-6.2:commission_item(commission,item,attempt)"),
    pytest.param(_dup_town_code, "code", id="R-1.3:town.code"),
    pytest.param(_dup_town_name, "name", id="R-1.3:town.name"),
    pytest.param(_dup_item_material, "name", id="R-6.5:item_material(item,name)"),
    pytest.param(_dup_attendance, "staff_id", id="R-13.4:training_attendance(training,staff)"),
    pytest.param(_dup_termination, "commission_id", id="R-10.2:termination.commission_id"),
    pytest.param(_dup_announcement, "termination_id", id="R-10.4:announcement.termination_id"),
    pytest.param(_dup_rectification, "revisit_id", id="R-13.2:rectification.revisit_id"),
    pytest.param(_dup_previous_attempt, "previous_attempt_id",
                 id="R-6.2:commission_item.previous_attempt_id"),
    pytest.param(_dup_staff_login, "user_id", id="R-2.2:staff_member.user_id"),
]


@pytest.mark.parametrize("make_duplicate, column", UNIQUE_CASES)
def test_duplicate_business_key_is_refused(ctx, make_duplicate, column):
    """Business keys are unique: department name (R-2.1), unit name and credit code (R-4.4),
    project code (R-4.3), application number (R-4.2), catalogue item name, calendar day
    (R-12.1), plan version per commission (R-5.3), item attempt per commission (R-6.2), ..."""
    make_duplicate()
    rejected(column)


@pytest.mark.parametrize("subject", list(choices.AssessmentSubject), ids=lambda s: s.value)
def test_duplicate_assessment_for_the_same_period_is_refused(ctx, subject):
    """R-13.3: one assessment per period and department (or coordinator)."""
    first = flushed(assessment(subject=subject))
    assessment(subject=subject, department_id=first.department_id, staff_id=first.staff_id)
    rejected("period_start", "uq_assessment_period_subject")


def test_optional_unique_keys_may_be_blank_on_many_rows(ctx):
    """A missing credit code, project code or application number does not collide."""
    unit(credit_code=None)
    unit(credit_code=None)
    project(project_code=None)
    project(project_code=None)
    commission(application_no=None)
    commission(application_no=None)
    db.session.commit()
    assert db.session.execute(sa.text("SELECT count(*) FROM commission")).scalar() == 2


def test_same_item_may_be_attempted_again(ctx):
    """R-6.2: a re-application is a new attempt number of the same item."""
    first = flushed(commission_item(state=states.ItemState.refused, refusal_reason="不符合"))
    again = flushed(commission_item(commission_id=first.commission_id,
                                    approval_item_id=first.approval_item_id,
                                    attempt=2, previous_attempt_id=first.id))
    db.session.commit()
    assert again.previous_attempt.id == first.id


def test_plan_versions_are_kept(ctx):
    """R-5.3: a re-plan adds version 2 next to version 1 of the same commission."""
    v1 = flushed(plan_version(version=1))
    plan_version(commission_id=v1.commission_id, version=2)
    db.session.commit()


# --- at most one open commission per project (R-4.4) -------------------------------------------

@pytest.mark.parametrize("state", sorted(COMMISSION_OPEN), ids=lambda s: s.value)
def test_second_open_commission_for_a_project_is_refused(ctx, state):
    """R-4.4: while a commission of a project is open (in any open state), a second open
    commission for the same project is refused by the partial unique index."""
    first = flushed(commission(state=state))
    commission(project_id=first.project_id)
    rejected("project_id", "uq_commission_active_project")


@pytest.mark.parametrize("state", sorted(COMMISSION_CLOSED), ids=lambda s: s.value)
def test_new_commission_allowed_once_the_previous_is_closed(ctx, state):
    """R-4.4: after completion, termination or ineligibility the project may be
    commissioned again; the closed commissions stay."""
    first = flushed(commission(state=state))
    commission(project_id=first.project_id, state=state)
    flushed(commission(project_id=first.project_id))
    db.session.commit()
    count = db.session.execute(
        sa.text("SELECT count(*) FROM commission WHERE project_id = :p"),
        {"p": first.project_id}).scalar()
    assert count == 3


def test_completing_then_reopening_another_commission(ctx):
    """R-4.4: the index follows state changes, not only inserts."""
    first = flushed(commission())
    first.state = CommissionState.completed
    db.session.flush()
    second = flushed(commission(project_id=first.project_id))
    first.state = CommissionState.in_progress  # reopening while another is open: refused
    rejected("project_id", "uq_commission_active_project")
    assert second is not None


def test_open_commissions_of_different_projects_coexist(ctx):
    """R-4.4: the rule is per project."""
    commission()
    commission()
    db.session.commit()


# --- timestamps --------------------------------------------------------------------------------

def _as_utc(value: dt.datetime) -> dt.datetime:
    # SQLite returns naive datetimes for DateTime(timezone=True); they were written in UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _stored_type(column: sa.Column) -> sa.types.TypeEngine:
    """The column's type as stored: a TypeDecorator's (UTCDateTime's) underlying type."""
    return getattr(column.type, "impl", column.type)


def test_timestamp_columns_are_found():
    """The timestamp tests below run on real columns, not on an empty list."""
    assert len(TIMESTAMP_COLUMNS) >= 5


def test_date_and_time_defaults_are_callables():
    """No date or time default computed once at import time (style.md): every default is a
    callable, so each row asks the clock when it is inserted."""
    frozen = [
        f"{model.__tablename__}.{col.name}"
        for model in BUILDERS for col in model.__table__.columns
        if isinstance(_stored_type(col), (sa.Date, sa.DateTime)) and col.default is not None
        and not col.default.is_callable
    ]
    assert not frozen, frozen


TIMESTAMP_COLUMNS = _domain_columns(
    lambda c: isinstance(_stored_type(c), sa.DateTime) and c.default is not None
)


@pytest.mark.parametrize("table, column", TIMESTAMP_COLUMNS)
def test_timestamp_default_is_per_row(ctx, table, column):
    """Each row gets its own time when it is inserted (not the time of import)."""
    start = clock.freeze("2026-03-02T09:00:00+08:00")
    first = flushed(BUILDER_BY_TABLE[table]())
    clock.freeze(start + dt.timedelta(seconds=1))
    second = flushed(BUILDER_BY_TABLE[table]())
    db.session.commit()
    db.session.expire_all()
    a, b = _as_utc(getattr(first, column)), _as_utc(getattr(second, column))
    assert (a, b) == (start, start + dt.timedelta(seconds=1))


def test_updated_at_moves_on_update(ctx):
    """updated_at follows each change; created_at stays."""
    d = flushed(department())
    db.session.commit()
    created, updated = d.created_at, d.updated_at
    clock.freeze(clock.utc_now() + dt.timedelta(minutes=1))
    d.contact_name = "李四"
    db.session.commit()
    db.session.expire_all()
    assert _as_utc(d.created_at) == _as_utc(created)
    assert _as_utc(d.updated_at) > _as_utc(updated)


# --- R-3.1 ---------------------------------------------------------------------------------------

def test_no_service_fee_can_be_recorded():
    """R-3.1: the service is free: the only money amount in the schema is the statutory fee
    of a fee notice (R-8.1); no table has a fee, price or charge column of its own. The
    catalogue's list of statutory fee names (what a fee notice may name) holds no amount."""
    money_words = {"fee", "fees", "amount", "price", "charge", "cost"}
    columns = sorted(
        f"{t.name}.{c.name}" for t in db.Model.metadata.sorted_tables for c in t.columns
        if money_words & set(c.name.split("_")) and not c.foreign_keys
    )
    assert columns == ["approval_item.statutory_fees", "fee_notice.amount",
                       "fee_notice.fee_name"]
