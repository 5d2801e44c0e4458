"""Demo logins (R-14.1): one per business role, linked to demo staff where that makes sense."""
from __future__ import annotations

import uuid

import click
import pytest
import sqlalchemy as sa

from app import roles
from app.choices import StaffRole
from app.extensions import db
from app.models import StaffMember
from app.seed.accounts import (
    DEMO_ACCOUNTS,
    DemoAccount,
    announce_demo_accounts,
    seed_demo_accounts,
)
from tests import factories as f
from tests.conftest import login

PASSWORD = "Demo#Login2026"


def test_every_business_role_has_a_demo_login():
    """R-14.1: the demo offers one login per business role."""
    assert sorted(a.role for a in DEMO_ACCOUNTS) == sorted(roles.BUSINESS_ROLES)


def test_demo_accounts_are_created_once_and_linked_to_busy_staff(app):
    """R-14.1: the coordinator login is linked to the coordinator with open cases, the
    specialist login to a specialist of a department with items; a second run keeps them."""
    tag = uuid.uuid4().hex[:6]
    accounts = tuple(DemoAccount(f"d{tag}_{a.username}", a.role, a.first_name, a.last_name,
                                 a.staff) for a in DEMO_ACCOUNTS)
    with app.app_context():
        dept = f.department()
        f.staff(StaffRole.coordinator)  # idle: not chosen
        busy = f.staff(StaffRole.coordinator)
        specialist = f.staff(StaffRole.specialist, dept)
        head = f.staff(StaffRole.coordinator, name=accounts[0].staff)
        commission = f.case(coordinator=busy, items=[f.approval_item(dept=dept)])
        db.session.commit()
        sm = app.appbuilder.sm
        first = seed_demo_accounts(db.session, sm, PASSWORD, chosen=True,
                                   accounts=accounts)
        db.session.commit()
        assert [created for _, created, _ in first] == [True] * len(accounts)
        linked = {row.user_id: row.id for row in db.session.scalars(
            sa.select(StaffMember).where(StaffMember.user_id.is_not(None)))}
        users = {a.role: sm.find_user(username=a.username) for a in accounts}
        for account in accounts:
            assert [r.name for r in users[account.role].roles] == [account.role]
        assert linked[users[roles.COORDINATOR].id] == busy.id
        assert linked[users[roles.SPECIALIST].id] == specialist.id
        assert linked[users[roles.SUPERVISOR].id] == head.id
        assert users[roles.INSPECTOR].id not in linked
        again = seed_demo_accounts(db.session, sm, "Other#Pass2026", chosen=True,
                                   accounts=accounts)
        assert [created for _, created, _ in again] == [False] * len(accounts)
        coordinator = accounts[1].username
        application_no = commission.application_no
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    login(client, coordinator, PASSWORD)  # the first password still opens it
    assert application_no in client.get("/commissionview/list/").get_data(as_text=True)


def test_a_weak_demo_password_is_refused(app, monkeypatch):
    """R-14.1: DEMO_PASSWORD must meet the password rules; nothing is created."""
    monkeypatch.setenv("DEMO_PASSWORD", "demo1234")
    with app.app_context():
        with pytest.raises(click.ClickException):
            announce_demo_accounts(db.session)
        db.session.rollback()
        db.session.remove()
