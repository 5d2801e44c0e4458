"""Test clients signed in as business-role users (for the dashboard and ledger tests)."""
from __future__ import annotations

import uuid

from flask import current_app

from app.extensions import db
from app.web_security import VERSION_KEY
from app.models import StaffMember
from tests.accounts import ADMIN_USER


def role_client(app, role_names: list[str], staff_id: int | None = None):
    """A test client signed in (session cookie) as a new user holding ``role_names``, linked
    to roster entry ``staff_id``; its password counts as chosen (no forced change)."""
    with app.app_context():
        sm = app.appbuilder.sm
        roles = [sm.find_role(name) for name in role_names]
        assert all(roles), role_names
        name = f"rc-{uuid.uuid4().hex[:8]}"
        user = sm.add_user(name, "测试", "用户", f"{name}@example.invalid", roles,
                           password="Xieban#Role2026", password_chosen=True)
        if staff_id is not None:
            db.session.get(StaffMember, staff_id).user_id = user.id
            db.session.commit()
        user_id = user.id
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
        session[VERSION_KEY] = 0  # the new account's session version
    return client


def link_account(staff: StaffMember, username: str | None = None) -> StaffMember:
    """Link the account ``username`` (default: the test admin) to roster entry ``staff``, in
    the caller's app context, and commit. What that account then records is recorded as done
    by ``staff`` (R-16.2)."""
    user = current_app.appbuilder.sm.find_user(username=username or ADMIN_USER)
    staff.user_id = user.id
    db.session.commit()
    return staff
