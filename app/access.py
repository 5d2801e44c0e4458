"""Who may see and handle what (R-14.1, R-14.2, R-14.3, R-14.5).

Plain functions over the models and the session, so views, the domain, ledgers, the REST API
and the CLI ask the same questions:

- ``current_staff(user)``: the roster entry linked to a login account (StaffMember.user_id);
- ``is_supervisor_or_admin(user)``: 协办专窗负责人 or 系统管理员;
- ``handles_commission(user, commission)``: the user works on the case (its coordinator, a
  specialist of the department of one of its items, a supervisor or administrator);
- ``can_open_confidential(user, commission)``: may open materials marked confidential (the
  commission's coordinator, the specialists of its items, supervisors; not inspectors);
- ``commission_scope(user)``: a SQL clause over Commission the user may see (None: all);
- ``row_scope(user, model)``: the same for any model in ``ROW_SCOPES`` (None: all rows);
- ``visible(user, model, pk)``: the row if the user may see it, else None (answer 404);
- ``split_visible(user, rows)``: the rows of a to-many relation the user may see, and how
  many others (a meeting's commissions: the others are counted, never named, R-14.8);
- ``may_step(user, target, key)``: the user's roles may run that lifecycle step;
- ``display_phone(user, phone, commission=None)``: a mobile number, masked (138****1234)
  for users who do not handle the case; ``PHONE_COLUMNS`` names the personal phone columns.

``ROW_SCOPES`` declares once per model how its rows reach a commission (or a department);
the views' row filter (app/views/base.py) applies it to every screen of that model.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import sqlalchemy as sa
from flask import current_app, has_app_context, has_request_context, request
from flask_babel import lazy_gettext as _
from sqlalchemy.sql.elements import ColumnElement

from app import inputs, roles
from app.domain.validators import mask_phone
from app.extensions import db
from app.models import (
    Announcement,
    ApprovalItem,
    Commission,
    CommissionItem,
    CommissionStateChange,
    Consultation,
    ContactChange,
    CoordinationMeeting,
    CoordinatorAssignment,
    Delivery,
    Escalation,
    FeeNotice,
    IssuedDocument,
    ItemSupplement,
    JointApproval,
    Material,
    MaterialNotice,
    MaterialNoticeLine,
    MeetingActionItem,
    Notification,
    PlanStep,
    PlanVersion,
    PreReview,
    Project,
    Rectification,
    ResultReceipt,
    Revisit,
    StaffMember,
    Termination,
    Unit,
    UnitConfirmation,
    WorkLogEntry,
)

#: roles that see every row (inspectors read-only, through their permissions)
UNRESTRICTED = frozenset({roles.ADMIN, roles.SUPERVISOR, roles.INSPECTOR})
#: roles that handle every case
HANDLE_ALL = frozenset({roles.ADMIN, roles.SUPERVISOR})


# ---- who is asking -----------------------------------------------------------------
def role_names(user: Any) -> frozenset[str]:
    """The names of the user's roles (empty for an anonymous user)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    sm = current_app.appbuilder.sm if has_app_context() else None
    if sm is not None and hasattr(sm, "role_names"):
        return sm.role_names(user)  # kept per session (app/security.py)
    return frozenset(role.name for role in (getattr(user, "roles", None) or ()))


def _cache() -> dict:
    # On the request (like AppSecurityManager's cache): an app context may outlive a request.
    if not has_request_context():
        return {}
    return request._get_current_object().__dict__.setdefault("_xb_access", {})


def current_staff(user: Any, session: Any = None) -> StaffMember | None:
    """The StaffMember linked to ``user`` (StaffMember.user_id), or None."""
    user_id = getattr(user, "id", None)
    if user_id is None or not getattr(user, "is_authenticated", False):
        return None
    cache = _cache()
    key = ("staff", user_id)
    if key not in cache:
        session = session or db.session
        cache[key] = session.scalars(
            sa.select(StaffMember).where(StaffMember.user_id == user_id)
        ).first()
    return cache[key]


def is_supervisor_or_admin(user: Any) -> bool:
    """True for 协办专窗负责人 and 系统管理员."""
    return bool(role_names(user) & HANDLE_ALL)


# ---- clauses -----------------------------------------------------------------------
def _ids(column: Any, *where: Any) -> Any:
    """``SELECT column WHERE ...`` as an IN-list, never correlated to the outer query (the
    same tables often appear there, e.g. in the lookup's joins)."""
    return sa.select(column).where(*where).correlate(None)


def _coordinated_by(staff: StaffMember) -> ColumnElement:
    return Commission.coordinator_id == staff.id


def _department_items(staff: StaffMember) -> ColumnElement:
    """Items whose catalogue entry belongs to the specialist's department."""
    if staff.department_id is None:
        return sa.false()
    return CommissionItem.approval_item_id.in_(
        _ids(ApprovalItem.id, ApprovalItem.department_id == staff.department_id))


@dataclass(frozen=True)
class Scope:
    """What a restricted user may reach, as clauses; None of this applies to unrestricted."""

    staff_id: int | None
    department_id: int | None
    commissions: ColumnElement  # over Commission
    items: ColumnElement  # over CommissionItem
    #: the user is a specialist only (items are scoped by department, not by commission)
    by_department: bool


def scope(user: Any) -> Scope | None:
    """The user's reach, or None when every row is visible (admin, supervisor, inspector)."""
    names = role_names(user)
    if names & UNRESTRICTED:
        return None
    staff = current_staff(user)
    commissions: list[ColumnElement] = []
    items: list[ColumnElement] = []
    if staff is not None and roles.COORDINATOR in names:
        commissions.append(_coordinated_by(staff))
        items.append(CommissionItem.commission_id.in_(
            _ids(Commission.id, _coordinated_by(staff))))
    if staff is not None and roles.SPECIALIST in names:
        dept_items = _department_items(staff)
        commissions.append(Commission.id.in_(_ids(CommissionItem.commission_id, dept_items)))
        items.append(dept_items)
    return Scope(
        staff_id=staff.id if staff is not None else None,
        department_id=staff.department_id if staff is not None else None,
        commissions=sa.or_(*commissions) if commissions else sa.false(),
        items=sa.or_(*items) if items else sa.false(),
        by_department=roles.SPECIALIST in names and roles.COORDINATOR not in names,
    )


def commission_scope(user: Any) -> ColumnElement | None:
    """A clause over Commission selecting what ``user`` may see; None means everything."""
    reach = scope(user)
    return None if reach is None else reach.commissions


def item_scope(user: Any) -> ColumnElement | None:
    """A clause over CommissionItem selecting what ``user`` may see; None means everything."""
    reach = scope(user)
    return None if reach is None else reach.items


# ---- the central declaration: how each model reaches a commission ------------------
RowScope = Callable[[Scope], ColumnElement]


def _walk(model: type, path: tuple[str, ...], clause: ColumnElement) -> ColumnElement:
    """``clause`` (over the path's last model) applied through relationships from ``model``."""
    attrs = []
    current = model
    for name in path:
        attr = getattr(current, name)
        attrs.append(attr)
        current = attr.property.mapper.class_
    for attr in reversed(attrs):
        clause = attr.any(clause) if attr.property.uselist else attr.has(clause)
    return clause


def via(model: type, path: tuple[str, ...], item: tuple[str, ...] | None = None,
        staff: tuple[str, ...] = ()) -> RowScope:
    """Rows reaching their commission through the relationships ``path``.

    ``item``: the path to a commission item, if the row has one: a specialist then sees
    only rows of items of their department. ``staff``: columns holding a StaffMember id;
    the person named there always sees the row.
    """
    def clause(reach: Scope) -> ColumnElement:
        if reach.by_department and item is not None:
            parts = [_walk(model, item, reach.items)]
        else:
            parts = [_walk(model, path, reach.commissions)]
        if reach.staff_id is not None:
            parts += [getattr(model, col) == reach.staff_id for col in staff]
        return sa.or_(*parts)

    return clause


def _projects(reach: Scope) -> ColumnElement:
    """Projects of the user's commissions, and of the pre-reviews they received."""
    parts = [Project.id.in_(_ids(Commission.project_id, reach.commissions))]
    if reach.staff_id is not None:
        parts.append(Project.id.in_(_ids(
            PreReview.project_id, PreReview.receiver_id == reach.staff_id,
            PreReview.project_id.is_not(None))))
    return sa.or_(*parts)


def _units(reach: Scope) -> ColumnElement:
    return Unit.id.in_(_ids(Project.unit_id, _projects(reach)))


def _pre_reviews(reach: Scope) -> ColumnElement:
    parts = [PreReview.id.in_(_ids(
        Commission.pre_review_id, reach.commissions, Commission.pre_review_id.is_not(None)))]
    if reach.staff_id is not None:
        parts.append(PreReview.receiver_id == reach.staff_id)
    return sa.or_(*parts)


def _meetings(reach: Scope) -> ColumnElement:
    """Meetings about the user's commissions, or that they convened or attend."""
    parts = [CoordinationMeeting.commissions.any(reach.commissions)]
    if reach.staff_id is not None:
        parts += [CoordinationMeeting.convener_id == reach.staff_id,
                  CoordinationMeeting.attendees.any(StaffMember.id == reach.staff_id)]
    return sa.or_(*parts)


def _action_items(reach: Scope) -> ColumnElement:
    parts = [MeetingActionItem.meeting.has(_meetings(reach))]
    if reach.staff_id is not None:
        parts.append(MeetingActionItem.owner_id == reach.staff_id)
    return sa.or_(*parts)


#: model → its row scope for restricted users (coordinators, specialists). A model not
#: listed is not row-filtered (reference data, rosters): its permissions decide.
ROW_SCOPES: dict[type, RowScope] = {
    Commission: lambda reach: reach.commissions,
    CommissionItem: lambda reach: reach.items,
    CommissionStateChange: via(CommissionStateChange, ("commission",)),
    CoordinatorAssignment: via(CoordinatorAssignment, ("commission",)),
    JointApproval: via(JointApproval, ("commission",)),
    ItemSupplement: via(ItemSupplement, ("commission_item", "commission"),
                        item=("commission_item",)),
    WorkLogEntry: via(WorkLogEntry, ("commission",)),
    Consultation: via(Consultation, ("commission",), item=("commission_item",),
                      staff=("specialist_id", "coordinator_id")),
    Escalation: via(Escalation, ("commission",), item=("commission_item",),
                    staff=("raised_by_id",)),
    MaterialNotice: via(MaterialNotice, ("commission",)),
    MaterialNoticeLine: via(MaterialNoticeLine, ("notice", "commission"),
                            item=("commission_item",)),
    PlanVersion: via(PlanVersion, ("commission",)),
    PlanStep: via(PlanStep, ("plan_version", "commission")),
    FeeNotice: via(FeeNotice, ("commission",), item=("commission_item",)),
    ResultReceipt: via(ResultReceipt, ("commission",)),
    Delivery: via(Delivery, ("commission",)),
    Termination: via(Termination, ("commission",)),
    Announcement: via(Announcement, ("termination", "commission")),
    Revisit: via(Revisit, ("commission",), staff=("visitor_id",)),
    Rectification: via(Rectification, ("revisit", "commission")),
    Project: _projects,
    Unit: _units,
    PreReview: _pre_reviews,
    CoordinationMeeting: _meetings,
    MeetingActionItem: _action_items,
    Material: via(Material, ("commission",), item=("commission_item",)),
    IssuedDocument: via(IssuedDocument, ("commission",)),
    Notification: via(Notification, ("commission",)),
    UnitConfirmation: via(UnitConfirmation, ("commission",)),
    ContactChange: via(ContactChange, ("commission",)),
}

#: model → its columns holding personal phone numbers, masked on screens and in exports
#: for users who do not handle the case (R-14.5)
PHONE_COLUMNS: dict[type, tuple[str, ...]] = {
    Unit: ("leader_phone", "handler_phone"),
    PreReview: ("enquirer_phone",),
    StaffMember: ("phone",),
    Notification: ("recipient",),  # a unit's mobile (or e-mail) the message went to
    UnitConfirmation: ("contact_phone",),
    ContactChange: ("new_phone", "old_phone"),
}


def row_scope(user: Any, model: type) -> ColumnElement | None:
    """A clause over ``model`` selecting the rows ``user`` may see; None means every row."""
    rule = ROW_SCOPES.get(model)
    if rule is None:
        return None
    reach = scope(user)
    return None if reach is None else rule(reach)


def visible(user: Any, model: type, pk: Any, session: Any = None) -> Any:
    """The ``model`` row ``pk`` if ``user`` may see it, else None (callers answer 404)."""
    session = session or db.session
    # Every model's key is an integer id; URLs and forms bring strings, some too large
    # for any table.
    pk = inputs.valid_id(pk)
    if pk is None:
        return None
    clause = row_scope(user, model)
    # A half-built object on the form must not be flushed by this look-up.
    with session.no_autoflush:
        if clause is not None and session.scalar(
                sa.select(model.id).where(model.id == pk, clause)) is None:
            return None
        # From the session when it is loaded already (a case page asks once per panel).
        return session.get(model, pk)


def split_visible(user: Any, rows: Any, session: Any = None) -> tuple[list[Any], int]:
    """``rows`` (records of one model, e.g. a meeting's commissions) that ``user`` may see,
    in their order, and how many others there are (R-14.8: counted, never named)."""
    rows = list(rows or ())
    model = type(rows[0]) if rows else None
    clause = row_scope(user, model) if model is not None else None
    if clause is None:
        return rows, 0
    session = session or db.session
    with session.no_autoflush:
        seen = set(session.scalars(sa.select(model.id).where(
            model.id.in_([row.id for row in rows]), clause)))
    shown = [row for row in rows if row.id in seen]
    return shown, len(rows) - len(shown)


def named_in_scope(user: Any, rows: Any, name: Callable[[Any], str] = str) -> str:
    """``rows`` as text for ``user``: those in scope by ``name``, the others as a count
    ("JCXB-2026-0001（另有 2 件不在本人办理范围内）"), as a meeting shows its commissions."""
    shown, hidden = split_visible(user, rows)
    text = "、".join(name(row) for row in shown)
    if hidden:
        more = str(_("%(count)d more not in your caseload", count=hidden))
        text = f"{text}（{more}）" if text else more
    return text


# ---- cases -------------------------------------------------------------------------
def handles_commission(user: Any, commission: Commission | None, session: Any = None) -> bool:
    """The user works on ``commission``: supervisor/admin, its coordinator, or a specialist
    of the department of one of its items."""
    if is_supervisor_or_admin(user):
        return True
    if commission is None:
        return False
    names = role_names(user)
    staff = current_staff(user, session)
    if staff is None:
        return False
    if roles.COORDINATOR in names and commission.coordinator_id == staff.id:
        return True
    if roles.SPECIALIST in names and staff.department_id is not None:
        session = session or db.session
        return session.scalar(sa.select(sa.exists().where(
            CommissionItem.commission_id == commission.id, _department_items(staff)))) is True
    return False


def can_open_confidential(user: Any, commission: Commission | None,
                          session: Any = None) -> bool:
    """May open materials marked 商业秘密 / 技术秘密 / 个人隐私 (Art.5, R-14.3): the
    commission's coordinator, the specialists of its items, supervisors. Not inspectors or
    auditors, who see that such a material exists but not its content."""
    return handles_commission(user, commission, session)


def handles_records(user: Any) -> bool:
    """The user works on cases at all (sees unmasked personal data on rows in their scope).

    Restricted users only ever see rows of their own cases (the row filters), so a row
    shown to a coordinator or specialist is theirs; inspectors and auditors handle none.
    """
    names = role_names(user)
    return bool(names & HANDLE_ALL) or (
        bool(names & {roles.COORDINATOR, roles.SPECIALIST}) and current_staff(user) is not None)


def may_step(user: Any, target: str, key: str) -> bool:
    """Whether ``user``'s roles may run lifecycle step ``key`` of ``target`` (app/roles.py);
    which records they may run it on is the row scope's business."""
    return roles.may_run_step(role_names(user), target, key)


def display_phone(user: Any, phone: str | None, commission: Commission | None = None) -> str:
    """``phone`` as ``user`` may see it (R-14.5): in full to those who handle the case,
    masked (138****1234) to everyone else.

    Without ``commission`` the row is assumed to have passed the user's row filter, so
    case-handling roles see it in full and inspectors/auditors masked.
    """
    if not phone:
        return ""
    allowed = (handles_commission(user, commission) if commission is not None
               else handles_records(user))
    return phone if allowed else mask_phone(phone)
