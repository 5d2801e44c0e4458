"""Demo login accounts: one per business role, linked to demo staff where that makes sense.

``flask seed --demo`` calls ``announce_demo_accounts``: it creates the accounts that are
missing (an existing account keeps its password) and prints the logins. The password is
DEMO_PASSWORD from the environment when set (it must meet the password rules), otherwise a
strong one generated for this run. Either way it is shared by every demo login and known to
whoever ran the command, so each account must change it at its first login (R-14.1).
"""
from __future__ import annotations

import inspect
import os
import secrets
import string
from dataclasses import dataclass

import click
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from app import roles
from app.choices import StaffRole, StaffStatus
from app.models import ApprovalItem, Commission, CommissionItem, StaffMember
from app.seed.people import HEAD
from app.states import COMMISSION_OPEN


@dataclass(frozen=True)
class DemoAccount:
    """A demo login: user name, role, display name, and the kind of staff it is linked to."""

    username: str
    role: str
    first_name: str
    last_name: str
    #: the demo staff to link: a role (the busiest such member), or a member's name
    staff: StaffRole | str | None = None


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("demo_supervisor", roles.SUPERVISOR, "专窗", "负责人", HEAD),
    DemoAccount("demo_coordinator", roles.COORDINATOR, "演示", "协办员", StaffRole.coordinator),
    DemoAccount("demo_specialist", roles.SPECIALIST, "演示", "专办员", StaffRole.specialist),
    DemoAccount("demo_inspector", roles.INSPECTOR, "演示", "督查"),
    DemoAccount("demo_auditor", roles.AUDITOR, "演示", "审计员"),
)


def _acceptable(password: str, usernames: list[str]) -> bool:
    classes = sum((any(c.islower() for c in password), any(c.isupper() for c in password),
                   any(c.isdigit() for c in password), any(not c.isalnum() for c in password)))
    return len(password) >= 8 and classes >= 3 and not any(
        name.lower() in password.lower() for name in usernames)


def _generated() -> str:
    alphabet = string.ascii_letters + string.digits
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(14)) + "#" + \
            secrets.choice(string.digits)
        if _acceptable(password, []):
            return password


def _busiest_coordinator(session: Session) -> StaffMember | None:
    """The active coordinator with the most open commissions (deterministic)."""
    return session.scalars(
        sa.select(StaffMember)
        .join(Commission, Commission.coordinator_id == StaffMember.id)
        .where(StaffMember.role == StaffRole.coordinator, StaffMember.status == StaffStatus.active,
               StaffMember.user_id.is_(None), Commission.state.in_(COMMISSION_OPEN))
        .group_by(StaffMember.id)
        .order_by(sa.func.count(Commission.id).desc(), StaffMember.id)
    ).first()


def _busiest_specialist(session: Session) -> StaffMember | None:
    """An active specialist of the department with the most delegated items."""
    return session.scalars(
        sa.select(StaffMember)
        .join(ApprovalItem, ApprovalItem.department_id == StaffMember.department_id)
        .join(CommissionItem, CommissionItem.approval_item_id == ApprovalItem.id)
        .where(StaffMember.role == StaffRole.specialist, StaffMember.status == StaffStatus.active,
               StaffMember.user_id.is_(None))
        .group_by(StaffMember.id)
        .order_by(sa.func.count(CommissionItem.id).desc(), StaffMember.id)
    ).first()


def seed_demo_accounts(session: Session, sm, password: str, *, chosen: bool,
                       accounts: tuple[DemoAccount, ...] = DEMO_ACCOUNTS,
                       ) -> list[tuple[DemoAccount, bool, str | None]]:
    """Create the missing ``accounts`` with ``password``; [(account, created, staff name)].

    ``chosen``: the password counts as the owners' own (tests, benchmarks), so the login
    rules need not force a change at the first login; ``flask seed --demo`` never says so.
    """
    takes_chosen = "password_chosen" in inspect.signature(sm.add_user).parameters
    pick = {StaffRole.coordinator: _busiest_coordinator,
            StaffRole.specialist: _busiest_specialist}
    result = []
    for account in accounts:
        user = sm.find_user(username=account.username)
        created = user is None
        if created:
            role = sm.find_role(account.role) or sm.add_role(account.role)
            extra = {"password_chosen": chosen} if takes_chosen else {}
            user = sm.add_user(account.username, account.first_name, account.last_name,
                               f"{account.username}@example.invalid", role, password=password,
                               **extra)
            if not user:
                raise click.ClickException(f"could not create the account {account.username}")
        staff = session.scalars(sa.select(StaffMember).where(StaffMember.user_id == user.id)
                                ).first()
        if staff is None and isinstance(account.staff, StaffRole):
            staff = pick[account.staff](session)
        elif staff is None and account.staff is not None:
            staff = session.scalars(sa.select(StaffMember).where(
                StaffMember.name == account.staff, StaffMember.user_id.is_(None))).first()
        if staff is not None and staff.user_id is None:
            staff.user_id = user.id
        result.append((account, created, staff.name if staff is not None else None))
    session.flush()
    return result


def announce_demo_accounts(session: Session) -> None:
    """Create the demo logins and print them (the call ``flask seed --demo`` makes)."""
    password = os.environ.get("DEMO_PASSWORD") or _generated()
    if not _acceptable(password, [a.username for a in DEMO_ACCOUNTS]):
        raise click.ClickException(
            "DEMO_PASSWORD 不符合密码规则（至少 8 位，含大写、小写、数字、符号中的三类，不含用户名）")
    # Never "chosen": one password for every demo login, printed or set by the operator.
    rows = seed_demo_accounts(session, current_app.appbuilder.sm, password, chosen=False)
    click.echo("=" * 60)
    click.echo("演示账号 demo logins:")
    for account, created, staff in rows:
        linked = f"（{staff}）" if staff else ""
        state = "" if created else "  已存在，密码未改 / exists, password unchanged"
        click.echo(f"  {account.role:<8} {account.username:<18}{linked}{state}")
    if any(created for _, created, _ in rows):
        click.echo(f"演示密码 demo password: {password}")
        click.echo("首次登录须修改此密码 / change it at the first login")
    click.echo("=" * 60)
