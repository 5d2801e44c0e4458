"""The audit trail (R-14.4): what it records, and that nobody can change or delete it."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from app.audit import record
from app.audit.retention import PurgeRefused, purge, sqlite_deletes_allowed
from app.choices import StaffRole
from app.domain import approvals, intake
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.models import AuditLog, Commission, Department, StaffMember
from app.models.audit import AuditAction, AuditResult
from app.states import CommissionState, ItemState
from tests import factories as f
from tests.accounts import ADMIN_PASSWORD, ADMIN_USER
from tests.clock import RUN_DAY

D = dt.date.fromisoformat


def rows(action=None, object_type=None, object_id=None) -> list[AuditLog]:
    """Audit rows, oldest first, optionally of one action / object."""
    query = sa.select(AuditLog).order_by(AuditLog.id)
    if action is not None:
        query = query.where(AuditLog.action == action)
    if object_type is not None:
        query = query.where(AuditLog.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditLog.object_id == str(object_id))
    return list(db.session.scalars(query))


def count_all() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog))


# ---- business changes -----------------------------------------------------------------


def test_create_update_delete_are_recorded_with_before_and_after(ctx):
    """R-14.4: every create/update/delete of a business record, with the changed fields
    before and after, in the transaction of the change."""
    dept = Department(name="区自然资源局", contact_name="李专人", contact_phone="0662-3312345")
    db.session.add(dept)
    db.session.commit()
    [created] = rows(AuditAction.create, "Department", dept.id)
    assert created.detail["after"]["name"] == "区自然资源局"
    assert created.detail["after"]["contact_phone"] == "0662-3312345"
    assert created.result == AuditResult.ok
    assert created.at.tzinfo is not None or db.engine.dialect.name == "sqlite"
    assert created.user_id is None and created.username is None  # no request: the system

    dept.name = "区自然资源和规划局"
    dept.short_name = "区自然资源局"
    db.session.commit()
    [updated] = rows(AuditAction.update, "Department", dept.id)
    assert updated.detail == {
        "before": {"name": "区自然资源局", "short_name": None},
        "after": {"name": "区自然资源和规划局", "short_name": "区自然资源局"},
    }
    assert updated.changed_fields == "name, short_name"

    dept_id = dept.id
    db.session.delete(dept)
    db.session.commit()
    [deleted] = rows(AuditAction.delete, "Department", dept_id)
    assert deleted.detail["before"]["name"] == "区自然资源和规划局"


def test_a_rolled_back_change_leaves_no_audit_row(ctx):
    """R-14.4: the audit row shares the change's transaction."""
    before = count_all()
    db.session.add(Department(name="区水务局", contact_name="王", contact_phone="0662-1"))
    db.session.flush()
    assert count_all() == before + 1
    db.session.rollback()
    assert count_all() == before


def test_an_update_that_changes_nothing_writes_nothing(ctx):
    """R-14.4: only real changes are recorded (a save of the same values is not)."""
    dept = f.department(name="区城管局")
    db.session.commit()
    before = count_all()
    dept.name = "区城管局"
    db.session.commit()
    assert count_all() == before


def test_relation_and_many_to_many_changes_are_recorded(ctx):
    """R-14.4: a changed relation is recorded by its id (foreign key) or, for many-to-many
    lists, as the lists before and after."""
    from app.choices import MeetingKind
    from app.models import CoordinationMeeting

    first, second = f.department(name="甲局"), f.department(name="乙局")
    staff = f.staff(StaffRole.specialist, dept=first)
    db.session.commit()
    staff.department = second
    db.session.commit()
    [change] = rows(AuditAction.update, "StaffMember", staff.id)
    assert change.detail["before"]["department_id"] == first.id
    assert change.detail["after"]["department_id"] == second.id

    meeting = CoordinationMeeting(kind=MeetingKind.coordination, held_on=D("2026-03-02"),
                                  title="协调供水报装", place="三楼会议室", convener=staff,
                                  issues="报装进度", departments=[first])
    db.session.add(meeting)
    db.session.commit()
    meeting.departments.append(second)
    db.session.commit()
    [change] = rows(AuditAction.update, "CoordinationMeeting", meeting.id)
    assert change.detail["before"]["departments"] == [f"甲局 (#{first.id})"]
    assert change.detail["after"]["departments"] == [f"乙局 (#{second.id})",
                                                     f"甲局 (#{first.id})"]


def _opened() -> Commission:
    commission = f.case(CommissionState.pre_review)
    db.session.commit()
    return commission


def test_state_transitions_are_recorded(ctx):
    """R-14.4: every commission transition (from its history) and item transition (from the
    compare-and-set UPDATE) is a "transition" row with from and to."""
    commission = _opened()
    intake.accept(db.session, commission, applied_on=D("2025-09-30"))
    db.session.commit()
    moves = rows(AuditAction.transition, "Commission", commission.id)
    assert [(m.detail["from"], m.detail["to"]) for m in moves] == [
        (None, CommissionState.pre_review.value),
        (CommissionState.pre_review.value, CommissionState.accepted.value),
    ]
    # the facts written with the move (application number, date) are recorded too
    facts = {}
    for update in rows(AuditAction.update, "Commission", commission.id):
        facts.update(update.detail["after"])
    # the one-working-day contact deadline runs from acceptance (the National Day week
    # lies between)
    assert facts == {"applied_on": "2025-09-30", "application_no": commission.application_no,
                     "contact_due_on": "2025-10-09"}

    item = commission.items[0]
    approvals.submit(db.session, item, on=D("2025-10-10"))
    approvals.accept(db.session, item, on=D("2025-10-13"), cal=WorkCalendar())
    db.session.commit()
    moves = rows(AuditAction.transition, "CommissionItem", item.id)
    assert [(m.detail["where"]["state"], m.detail["after"]["state"]) for m in moves] == [
        (ItemState.pending.value, ItemState.submitted.value),
        (ItemState.submitted.value, ItemState.accepted.value),
    ]
    assert moves[1].detail["after"]["accepted_on"] == "2025-10-13"


def test_explicit_events_record_who_and_what(ctx):
    """R-14.4: ``record()`` keeps the action, object, result and details it is given."""
    entry = record(AuditAction.export, object_type=Commission, result="ok",
                   detail={"ledger": "commissions", "rows": 3})
    db.session.commit()
    stored = db.session.get(AuditLog, entry.id)
    assert (stored.action, stored.object_type, stored.result) == (
        AuditAction.export, "Commission", AuditResult.ok)
    assert stored.detail == {"ledger": "commissions", "rows": 3}
    with pytest.raises(ValueError):
        record("no-such-action")


def test_changes_made_on_a_screen_carry_the_user_and_ip(client, app):
    """R-14.4: a change through the UI records the account, its name and the client IP."""
    response = client.post("/departmentview/add", data={
        "name": "区审计测试局", "contact_name": "王专人", "contact_phone": "13912345678",
        "sort_order": "1"}, environ_base={"REMOTE_ADDR": "10.20.30.40"})
    assert response.status_code == 302
    with app.app_context():
        dept = db.session.scalars(sa.select(Department).where(
            Department.name == "区审计测试局")).one()
        [created] = rows(AuditAction.create, "Department", dept.id)
        assert created.username == ADMIN_USER and created.user_id is not None
        assert created.ip == "10.20.30.40"


# ---- logins ---------------------------------------------------------------------------


def test_login_success_and_failure_are_recorded(app):
    """R-14.4: each login and each refused login (wrong password, unknown account), with
    the name that was typed and the client IP."""
    client = app.test_client()
    ok = client.post("/login/", data={"username": ADMIN_USER, "password": ADMIN_PASSWORD},
                     environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert ok.status_code == 302
    bad = app.test_client().post("/login/", data={"username": ADMIN_USER, "password": "nope"})
    assert bad.status_code in (200, 302)
    ghost = f"ghost_{uuid.uuid4().hex[:6]}"
    app.test_client().post("/login/", data={"username": ghost, "password": "Whatever#2026"})
    with app.app_context():
        [login] = rows(AuditAction.login)
        assert (login.username, login.ip, login.result) == (ADMIN_USER, "10.0.0.7",
                                                            AuditResult.ok)
        assert login.user_id is not None
        failures = rows(AuditAction.login_failed)
        assert [(r.username, r.result, r.user_id) for r in failures] == [
            (ADMIN_USER, AuditResult.failed, None), (ghost, AuditResult.failed, None)]


def test_api_logins_are_recorded_too(app):
    """R-14.4: the JWT API login (no session, no Flask-Login signal) is recorded as well."""
    client = app.test_client()
    ok = client.post("/api/v1/security/login", json={
        "username": ADMIN_USER, "password": ADMIN_PASSWORD, "provider": "db"})
    bad = client.post("/api/v1/security/login", json={
        "username": ADMIN_USER, "password": "wrong", "provider": "db"})
    assert (ok.status_code, bad.status_code) == (200, 401)
    with app.app_context():
        [login] = rows(AuditAction.login)
        [failure] = rows(AuditAction.login_failed)
        assert login.username == failure.username == ADMIN_USER
        assert login.detail["via"] == failure.detail["via"] != "AuthDBView.login"


def test_accounts_are_audited_without_their_password(app):
    """R-14.4: creating an account and changing its password are recorded; the password
    hash never enters the trail; login statistics are not recorded as changes."""
    sm = app.appbuilder.sm
    name = f"acct_{uuid.uuid4().hex[:8]}"
    with app.app_context():
        user = sm.add_user(name, "审", "计", f"{name}@example.invalid",
                           sm.find_role(sm.auth_role_admin), password="Acct#Audit2026",
                           password_chosen=True)
        [created] = rows(AuditAction.create, "User", user.id)
        assert created.detail["after"]["username"] == name
        assert created.detail["after"]["password"] == "******"
        user.password = "pbkdf2:sha256:1000$changed$hash"
        user.login_count = 7
        db.session.commit()
        [changed] = rows(AuditAction.update, "User", user.id)
        assert changed.detail["after"] == {"password": "******"}
        everything = str([r.detail for r in rows(object_type="User")])
        assert "pbkdf2" not in everything and "scrypt" not in everything


# ---- append-only ----------------------------------------------------------------------


def _one_row() -> int:
    entry = record(AuditAction.export, detail={"what": "test"})
    db.session.commit()
    return entry.id


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET action = 'login' WHERE id = :id",
    "UPDATE audit_log SET detail = NULL WHERE id = :id",
    "DELETE FROM audit_log WHERE id = :id",
])
def test_the_database_refuses_to_change_or_delete_audit_rows(ctx, statement):
    """R-14.4: UPDATE and DELETE on audit_log fail in the database itself (triggers), on
    SQLite and PostgreSQL, whatever the application does."""
    row_id = _one_row()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text(statement), {"id": row_id})
    db.session.rollback()
    stored = db.session.get(AuditLog, row_id)
    assert stored.action == AuditAction.export and stored.detail == {"what": "test"}


def test_the_orm_cannot_change_or_delete_audit_rows_either(ctx):
    """R-14.4: the same refusal reaches code that edits a loaded row."""
    row_id = _one_row()
    entry = db.session.get(AuditLog, row_id)
    entry.result = AuditResult.failed
    with pytest.raises(sa.exc.DBAPIError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditLog, row_id))
    with pytest.raises(sa.exc.DBAPIError):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditLog, row_id).result == AuditResult.ok


def test_postgresql_refuses_truncate(ctx):
    """R-14.4: TRUNCATE (which skips row triggers) is refused as well on PostgreSQL."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    row_id = _one_row()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text("TRUNCATE audit_log"))
    db.session.rollback()
    assert db.session.get(AuditLog, row_id) is not None


def test_lifting_the_delete_refusal_is_scoped_to_one_transaction(app):
    """R-14.4: SQLite's purge bypass ends with its block: deletes are refused again after
    it, and updates are refused even inside it (PostgreSQL has no bypass but the purge
    function: tests/test_audit_append_only.py)."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's purge lifts its DELETE trigger; PostgreSQL's has no bypass")
        row_id = _one_row()
        with db.engine.connect() as conn:
            with conn.begin():
                with sqlite_deletes_allowed(conn):
                    with pytest.raises(sa.exc.DBAPIError):
                        with conn.begin_nested():
                            conn.execute(sa.text(
                                "UPDATE audit_log SET username = 'x' WHERE id = :id"),
                                {"id": row_id})
                with pytest.raises(sa.exc.DBAPIError):
                    with conn.begin_nested():
                        conn.execute(sa.text("DELETE FROM audit_log WHERE id = :id"),
                                     {"id": row_id})
        assert db.session.get(AuditLog, row_id) is not None


# ---- retention ------------------------------------------------------------------------


def _aged(days: int, today: dt.date) -> int:
    """An audit row written ``days`` days before ``today`` (noon, Beijing time)."""
    at = dt.datetime.combine(today - dt.timedelta(days=days), dt.time(4, 0),
                             tzinfo=dt.timezone.utc)
    entry = record(AuditAction.export, detail={"age": days})
    entry.at = at
    db.session.commit()
    return entry.id


def test_purge_refuses_anything_younger_than_180_days(ctx):
    """R-14.4: no purge before 180 days, whatever AUDIT_RETENTION_DAYS says; nothing is
    deleted and the refusal says why."""
    today = D("2026-11-27")
    young = _aged(179, today)
    before = count_all()
    with pytest.raises(PurgeRefused, match="180"):
        purge(db.session, today - dt.timedelta(days=179), today=today, days=180)
    db.session.rollback()
    with pytest.raises(PurgeRefused, match="180"):
        purge(db.session, today - dt.timedelta(days=200), today=today, days=30)
    db.session.rollback()
    assert count_all() == before and db.session.get(AuditLog, young) is not None


def test_purge_deletes_only_old_rows_and_records_itself(ctx):
    """R-14.4: a purge with an old enough date removes the rows before it, keeps the rest,
    writes a "purge" row, and leaves the table append-only afterwards."""
    today = D("2026-11-27")
    old, older, recent = _aged(400, today), _aged(200, today), _aged(100, today)
    deleted = purge(db.session, today - dt.timedelta(days=180), today=today, days=180)
    db.session.commit()
    assert deleted == 2
    remaining = {r.id for r in rows()}
    assert old not in remaining and older not in remaining and recent in remaining
    [entry] = rows(AuditAction.purge)
    assert entry.detail == {"before": "2026-05-31", "retention_days": 180, "rows": 2}
    with pytest.raises(sa.exc.DBAPIError):
        db.session.execute(sa.text("DELETE FROM audit_log WHERE id = :id"), {"id": recent})
    db.session.rollback()


@pytest.mark.date_sensitive
def test_purge_command(app):
    """R-14.4: ``flask audit-purge --before DATE`` refuses a date within 180 days (exit 1,
    nothing deleted) and purges older rows."""
    with app.app_context():
        kept = _aged(10, RUN_DAY)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["audit-purge", "--before",
                                  (RUN_DAY - dt.timedelta(days=30)).isoformat()])
    assert refused.exit_code != 0 and "180" in refused.output
    done = runner.invoke(args=["audit-purge", "--before", "2020-01-01"])
    assert done.exit_code == 0, done.output
    with app.app_context():
        assert db.session.get(AuditLog, kept) is not None
        assert len(rows(AuditAction.purge)) == 1


def test_staff_member_phone_change_is_recorded(ctx):
    """R-14.4: personal data changes are traceable (who changed a phone number, from what)."""
    person = f.staff(StaffRole.coordinator, phone="13800138000")
    db.session.commit()
    person.phone = "13900139000"
    db.session.commit()
    [change] = rows(AuditAction.update, "StaffMember", person.id)
    assert change.detail == {"before": {"phone": "13800138000"},
                             "after": {"phone": "13900139000"}}
    assert db.session.get(StaffMember, person.id).phone == "13900139000"


def test_purge_cuts_at_beijing_midnight(ctx):
    """R-14.4: "before DATE" means before 00:00 of DATE in Beijing time, on both databases."""
    def at(moment: dt.datetime) -> int:
        entry = record(AuditAction.export)
        entry.at = moment
        db.session.commit()
        return entry.id

    utc = dt.timezone.utc
    late_evening = at(dt.datetime(2026, 5, 30, 15, 30, tzinfo=utc))  # 23:30 on 30 May
    after_midnight = at(dt.datetime(2026, 5, 30, 16, 30, tzinfo=utc))  # 00:30 on 31 May
    assert purge(db.session, D("2026-05-31"), today=D("2026-11-27"), days=180) == 1
    db.session.commit()
    assert db.session.get(AuditLog, late_evening) is None
    assert db.session.get(AuditLog, after_midnight) is not None
