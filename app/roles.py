"""The roles (R-14.1): their names, once, and what each may do, as data.

``flask sync-perms`` makes every role below hold exactly the permissions declared here
(``sync_roles``: idempotent; a permission removed here is removed from the role). The
administrator is FAB's own Admin role, which FAB gives every permission.

A grant is ``(view, permission)``: both are regular expressions matched against the WHOLE
name (``re.fullmatch``), so "CommissionView" never matches "CommissionItemView" and no
pattern opens FAB's user and role screens by accident. Menu entries follow the views: a
role that may list a view sees its menu entry and category.

Which lifecycle step (app/lifecycle) each role may run is declared here too
(``STEP_ROLES``); the row filters (who sees which record) live in app/access.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from flask_babel import lazy_gettext as _

ADMIN = "Admin"  # FAB's own admin role (系统管理员); AUTH_ROLE_ADMIN in app/config.py
SUPERVISOR = "协办专窗负责人"
COORDINATOR = "协办员"
SPECIALIST = "专办员"
INSPECTOR = "督查"
AUDITOR = "审计员"

#: the roles `flask sync-perms` manages (Admin is FAB's)
BUSINESS_ROLES = (SUPERVISOR, COORDINATOR, SPECIALIST, INSPECTOR, AUDITOR)
PUBLIC = "Public"  # FAB's role of visitors not signed in; AUTH_ROLE_PUBLIC in app/config.py

#: FAB's two roles keep their English names in the database (FAB and the config find them
#: by name); the screens and the audit trail show them by these labels
ROLE_LABELS = {ADMIN: _("System administrator"), PUBLIC: _("Visitors not signed in")}


def role_label(name: str) -> str:
    """A role as the screens show it: FAB's roles by their Chinese label, ours by name."""
    label = ROLE_LABELS.get(name)
    return str(label) if label is not None else name

# ---- the screens, by what they hold ---------------------------------------------------
#: the commission and everything recorded under it
CASE_VIEWS = (
    "CommissionView", "CommissionItemView", "ItemSupplementView", "JointApprovalView",
    "CommissionStateChangeView", "CoordinatorAssignmentView", "PlanVersionView", "PlanStepView",
    "WorkLogEntryView", "ConsultationView", "EscalationView", "MaterialNoticeView",
    "MaterialNoticeLineView", "FeeNoticeView", "ResultReceiptView", "DeliveryView",
    "TerminationView", "AnnouncementView", "MaterialView", "IssuedDocumentView",
    "UnitConfirmationView", "ContactChangeView",
)
#: records only the lifecycle writes (R-16.1): every role lists and shows them, no role
#: adds, edits or deletes them (their screens register no such route, app/views/base.py
#: LifecycleRecordView); the steps (STEP_ROLES) are the one way to write them
LIFECYCLE_VIEWS = (
    "TerminationView", "AnnouncementView", "PlanVersionView", "PlanStepView",
    "ItemSupplementView", "CoordinatorAssignmentView", "CommissionStateChangeView",
    "UnitConfirmationView", "ContactChangeView",
)
#: the case screens whose rows a role may write, beside the lifecycle's own
CASE_WRITABLE = tuple(view for view in CASE_VIEWS if view not in LIFECYCLE_VIEWS)
#: units, projects and enquiries (before and around the commission)
CLIENT_VIEWS = ("UnitView", "ProjectView", "PreReviewView")
#: the window's supervision work
SUPERVISION_VIEWS = (
    "CoordinationMeetingView", "MeetingActionItemView", "RevisitView", "RectificationView",
    "AssessmentView", "NotificationView",
)
#: the roster and its training
TEAM_VIEWS = ("StaffMemberView", "RosterChangeView", "TrainingView", "TrainingAttendanceView")
#: reference data (the administrator's)
REFERENCE_VIEWS = ("DepartmentView", "TownView", "ApprovalItemView", "ItemMaterialView")
CALENDAR_VIEW = "CalendarDayView"
OVERDUE_VIEW = "OverdueView"
REVISITS_DUE_VIEW = "RevisitDueView"
AUDIT_VIEW = "AuditLogView"
LOOKUP_VIEW = "LookupView"
SEARCH_VIEW = "QuickSearchView"  # the navbar's quick search (app/views/search.py)
WORKFLOW_VIEW = "WorkflowView"
#: FAB's own account and permission screens: only the administrator's
SECURITY_VIEWS = (
    "UserDBModelView", "RoleModelView", "PermissionModelView", "ViewMenuModelView",
    "PermissionViewModelView", "UserGroupModelView", "UserStatsChartView", "ResetPasswordView",
    "UserInfoEditView", "ResetMyPasswordView", "SecurityApi", "MenuApi", "AuthDBView",
)

#: the read-only REST API (app/api) and its Swagger page (the OpenAPI document is public)
API_VIEWS = ("CommissionApi", "CommissionItemApi", "CommissionHistoryApi")
API_READ = "can_get|can_info"
API_DOCS: tuple[tuple[str, str], ...] = (("SwaggerView", "can_show"),)

IMPORT_VIEW = "ImportView"  # Excel import: the administrator and the supervisor
LEDGER_VIEW = "LedgerView"  # Excel exports of list pages (rows as the list shows them)
ASSESSMENT_PERIOD_VIEW = "AssessmentPeriodView"

# FAB's ``can_download`` (a ModelView's file-column download) is granted to no one: it
# serves any uploaded file by name, past the row filters; AppModelView disables it.
READ = "can_list|can_show"
WRITE = "can_list|can_show|can_add|can_edit"
FULL = "can_list|can_show|can_add|can_edit|can_delete"
#: what the audit screen may offer (none of these names changes a row)
AUDIT_READ = "can_list|can_show"


def _any(names: Iterable[str]) -> str:
    """A pattern matching exactly one of ``names``."""
    return "|".join(re.escape(name) for name in names)


#: every account may see and change its own login, and load the menu
SELF_SERVICE: tuple[tuple[str, str], ...] = (
    ("UserDBModelView", "can_userinfo|resetmypassword|userinfoedit"),
    ("ResetMyPasswordView", "can_this_form_get|can_this_form_post"),
    ("UserInfoEditView", "can_this_form_get|can_this_form_post"),
    ("MenuApi", "can_get"),
)
#: the screens everyone handling cases reads: the roster, departments, the catalogue
COLLEAGUES: tuple[tuple[str, str], ...] = (
    (_any(("StaffMemberView", "TrainingView", "TrainingAttendanceView") + REFERENCE_VIEWS),
     "can_list|can_show"),
    (CALENDAR_VIEW, "can_list|can_show"),
    (_any(("CoordinationMeetingView", "MeetingActionItemView")), "can_list|can_show"),
    (OVERDUE_VIEW, "can_index"),
    (LOOKUP_VIEW, "can_lookup"),
    (SEARCH_VIEW, "can_index"),
    (LEDGER_VIEW, "can_export"),
)

#: role → its grants (view pattern, permission pattern)
ROLES: dict[str, tuple[tuple[str, str], ...]] = {
    # All commissions, intake, assignment, rosters, meetings, revisits, assessments,
    # trainings and the calendar; reads the reference data. No audit trail, no accounts.
    SUPERVISOR: SELF_SERVICE + (
        (_any(CASE_WRITABLE + CLIENT_VIEWS + SUPERVISION_VIEWS + TEAM_VIEWS
              + (CALENDAR_VIEW,)), FULL),
        (_any(LIFECYCLE_VIEWS), READ),
        (_any(REFERENCE_VIEWS), READ),
        (_any((OVERDUE_VIEW, REVISITS_DUE_VIEW, SEARCH_VIEW)), "can_index"),
        (LOOKUP_VIEW, "can_lookup"),
        (LEDGER_VIEW, "can_export"),
        (ASSESSMENT_PERIOD_VIEW, "can_compute|can_save|can_export"),
        (IMPORT_VIEW, "can_import"),
        (WORKFLOW_VIEW, "can_step"),
        (_any(API_VIEWS), API_READ),
    ) + API_DOCS,
    # Their own commissions and everything under them (the row filter says which).
    COORDINATOR: SELF_SERVICE + COLLEAGUES + (
        ("CommissionView", "can_list|can_show|can_edit"),
        (_any(("CommissionItemView", "JointApprovalView", "EscalationView",
               "MaterialNoticeView", "FeeNoticeView", "ResultReceiptView", "DeliveryView",
               "MaterialView")),
         WRITE),
        ("ConsultationView", FULL),
        # notice lines are written with their notice, on its one form (issue 14)
        ("MaterialNoticeLineView", READ),
        ("WorkLogEntryView", "can_list|can_show|can_add"),
        (_any(LIFECYCLE_VIEWS + ("IssuedDocumentView",)), READ),
        (_any(CLIENT_VIEWS), "can_list|can_show"),
        (WORKFLOW_VIEW, "can_step"),
        (_any(API_VIEWS), API_READ),  # the row filter keeps their own
    ) + API_DOCS,
    # Items of their department: item steps, supplements, consultations, refusals (a step);
    # read-only on the commissions holding those items.
    SPECIALIST: SELF_SERVICE + COLLEAGUES + (
        ("CommissionView", "can_list|can_show"),
        ("CommissionItemView", "can_list|can_show|can_edit"),
        ("ConsultationView", WRITE),
        # a specialist raises escalations (to the department head or the
        # window) and sees those of their department's items and their own (app/access.py)
        ("EscalationView", "can_list|can_show|can_add"),
        (_any(("JointApprovalView", "IssuedDocumentView", "ItemSupplementView")), READ),
        ("MaterialView", "can_list|can_show|can_add"),
        (WORKFLOW_VIEW, "can_step"),
        (_any(("CommissionApi", "CommissionItemApi")), API_READ),  # no history, as on screen
    ) + API_DOCS,
    # Read-only on everything, the audit trail included; no step, no form.
    INSPECTOR: SELF_SERVICE + (
        (_any(CASE_VIEWS + CLIENT_VIEWS + SUPERVISION_VIEWS + TEAM_VIEWS + REFERENCE_VIEWS
              + (CALENDAR_VIEW,)), READ),
        (_any((OVERDUE_VIEW, REVISITS_DUE_VIEW, SEARCH_VIEW)), "can_index"),
        # the quick search, and the lookups of the list filters' value pickers
        (LOOKUP_VIEW, "can_lookup"),
        (LEDGER_VIEW, "can_export"),
        (ASSESSMENT_PERIOD_VIEW, "can_compute|can_export"),
        (AUDIT_VIEW, AUDIT_READ),
        (_any(API_VIEWS), API_READ),
    ) + API_DOCS,
    # The audit trail only.
    AUDITOR: SELF_SERVICE + (
        (AUDIT_VIEW, AUDIT_READ),
    ),
}

# ---- lifecycle steps (app/views/workflow.py: target → step key) ----------------------
_SUPERVISION_ONLY = frozenset({SUPERVISOR})
_CASE_HANDLERS = frozenset({SUPERVISOR, COORDINATOR})
_ITEM_HANDLERS = frozenset({SUPERVISOR, COORDINATOR, SPECIALIST})

#: (target, step key) → roles that may run it; a step missing here is the supervisor's.
#: The administrator may run every step.
STEP_ROLES: dict[tuple[str, str], frozenset[str]] = {
    # intake and assignment are the window's (Art.6)
    ("commission", "accept"): _SUPERVISION_ONLY,
    ("commission", "ineligible"): _SUPERVISION_ONLY,
    ("commission", "assign"): _SUPERVISION_ONLY,
    ("commission", "reassign"): _SUPERVISION_ONLY,
    **{("commission", key): _CASE_HANDLERS for key in (
        "contact", "draft_plan", "confirm_plan", "start_delivery", "complete", "terminate",
        "confirm_termination", "announce", "handover")},
    **{("item", key): _ITEM_HANDLERS for key in (
        "submit", "accept", "supplement", "supplement_in", "approve", "refuse", "informed",
        "reapply")},
    # a contact change the unit reported online is decided by those handling its case
    ("contact_change", "accept"): _CASE_HANDLERS,
    ("contact_change", "reject"): _CASE_HANDLERS,
    # correcting a recorded date is the window's
    ("commission", "correct_date"): _SUPERVISION_ONLY,
    ("item", "correct_date"): _SUPERVISION_ONLY,
    ("pre_review", "decide"): _SUPERVISION_ONLY,
    ("pre_review", "open_commission"): _SUPERVISION_ONLY,
}


def may_run_step(role_names: Iterable[str], target: str, key: str) -> bool:
    """Whether a user holding ``role_names`` may run lifecycle step ``key`` of ``target``."""
    names = set(role_names)
    if ADMIN in names:
        return True
    return bool(names & STEP_ROLES.get((target, key), _SUPERVISION_ONLY))


# ---- matching and syncing ------------------------------------------------------------
@dataclass(frozen=True)
class Grant:
    """One compiled (view, permission) pattern pair."""

    view: re.Pattern[str]
    permission: re.Pattern[str]

    def matches(self, view: str, permission: str) -> bool:
        return bool(self.view.fullmatch(view) and self.permission.fullmatch(permission))


def grants(role: str) -> list[Grant]:
    """The compiled grants of ``role`` (empty for a role not declared here)."""
    return [Grant(re.compile(v), re.compile(p)) for v, p in ROLES.get(role, ())]


def allows(role: str, view: str, permission: str) -> bool:
    """Whether ``role`` holds ``permission`` on ``view`` by this declaration.

    Menu entries (``menu_access``) are derived from the views; see ``menu_grants``.
    """
    if role == ADMIN:
        return True
    return any(grant.matches(view, permission) for grant in grants(role))


def menu_grants(appbuilder, role: str) -> set[str]:
    """Menu entries (and their categories) of the views ``role`` may open."""
    names: set[str] = set()

    def walk(items, category: str | None) -> None:
        for item in items:
            if item.childs:
                walk(item.childs, item.name)
                continue
            view = getattr(item, "baseview", None)
            if view is None:
                continue
            entry = getattr(view, "default_view", "list")
            method = getattr(view, entry, None)
            permission = view.method_permission_name.get(entry, entry) if method else entry
            if allows(role, view.class_permission_name, f"can_{permission}"):
                names.add(item.name)
                if category:
                    names.add(category)

    walk(appbuilder.menu.get_list(), None)
    return names


def drop_stale_permissions(appbuilder) -> int:
    """Delete the permissions our screens no longer offer (e.g. can_add on a screen the
    lifecycle now owns) from every role, the administrator's included, and from FAB's
    tables; the number dropped.

    FAB's own clean-up on ``add_permissions(update_perms=True)`` means to do this but
    removes a Permission (not the permission-on-view) from the roles, so the roles keep it
    and FAB then refuses to delete a permission a role still holds.
    """
    from flask_appbuilder.security.sqla.models import PermissionView

    from app.views.base import AppModelView

    offered: dict[str, set[str]] = {}
    for view in appbuilder.baseviews:
        if isinstance(view, AppModelView):
            offered.setdefault(view.class_permission_name, set()).update(view.base_permissions)
    session = appbuilder.sm.session
    stale = [pv for pv in session.query(PermissionView).all()
             if pv.view_menu is not None and pv.permission is not None
             and pv.view_menu.name in offered
             and pv.permission.name != "menu_access"
             and pv.permission.name not in offered[pv.view_menu.name]]
    for role in appbuilder.sm.get_all_roles():
        kept = [pv for pv in role.permissions if pv not in stale]
        if len(kept) != len(role.permissions):
            role.permissions = kept
    for pv in stale:
        session.delete(pv)
    session.commit()
    return len(stale)


def sync_roles(appbuilder) -> dict[str, int]:
    """Make each business role hold exactly its declared permissions; {role: count}."""
    sm = appbuilder.sm
    session = sm.session
    from flask_appbuilder.security.sqla.models import PermissionView

    drop_stale_permissions(appbuilder)
    every = session.query(PermissionView).all()
    result = {}
    for role_name in BUSINESS_ROLES:
        role = sm.find_role(role_name) or sm.add_role(role_name)
        menus = menu_grants(appbuilder, role_name)
        wanted = [
            pv for pv in every
            if (pv.permission.name == "menu_access" and pv.view_menu.name in menus)
            or (pv.permission.name != "menu_access"
                and allows(role_name, pv.view_menu.name, pv.permission.name))
        ]
        role.permissions = wanted
        result[role_name] = len(wanted)
    session.commit()
    return result


def declared_permissions(appbuilder) -> set[tuple[str, str]]:
    """Every (permission, view) the registered screens and menu offer: what FAB's
    ``add_permissions`` creates (each view's base permissions, menu access per entry)."""
    pairs = {(permission, view.class_permission_name)
             for view in appbuilder.baseviews for permission in view.base_permissions or ()}
    for category in appbuilder.menu.get_list() if appbuilder.menu else ():
        pairs.add(("menu_access", category.name))
        pairs.update(("menu_access", item.name) for item in category.childs if item.name != "-")
    return pairs


def permissions_in_sync(appbuilder) -> bool:
    """Whether the database holds what ``flask sync-perms`` would make of it: every declared
    permission exists, the administrator holds them all, each business role holds exactly
    its declared ones, and no screen keeps a permission it no longer offers. ``flask
    bootstrap`` skips the sync (about 20 s, hundreds of statements) when it does."""
    from flask_appbuilder.security.sqla.models import PermissionView

    from app.views.base import AppModelView

    sm = appbuilder.sm
    stored = {(pv.permission.name, pv.view_menu.name): pv
              for pv in sm.session.query(PermissionView).all()
              if pv.permission is not None and pv.view_menu is not None}
    declared = declared_permissions(appbuilder)
    if not declared <= stored.keys():
        return False
    ours = {view.class_permission_name: set(view.base_permissions)
            for view in appbuilder.baseviews if isinstance(view, AppModelView)}
    if any(view in ours and permission != "menu_access" and permission not in ours[view]
           for permission, view in stored):
        return False  # a stale permission drop_stale_permissions would remove
    if sm.find_role(sm.auth_role_public) is None:
        return False
    admin = sm.find_role(sm.auth_role_admin)
    if admin is None or not declared <= {(pv.permission.name, pv.view_menu.name)
                                         for pv in admin.permissions}:
        return False
    for role_name in BUSINESS_ROLES:
        role = sm.find_role(role_name)
        if role is None:
            return False
        menus = menu_grants(appbuilder, role_name)
        wanted = {(permission, view) for permission, view in stored
                  if (permission == "menu_access" and view in menus)
                  or (permission != "menu_access" and allows(role_name, view, permission))}
        if wanted != {(pv.permission.name, pv.view_menu.name) for pv in role.permissions}:
            return False
    return True
