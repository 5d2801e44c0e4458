"""The role × endpoint matrix (R-14.1), generated from the app's URL map.

Every endpoint of the app is listed in ``MATRIX`` with the roles that may call it. A new
endpoint with no entry fails ``test_every_endpoint_is_in_the_matrix``; a view whose grants
change without the matrix changing fails ``test_each_role_reaches_exactly_its_endpoints``.
The check asks each role's synced permission set, the way FAB's ``has_access`` does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from app import roles
from app.roles import ADMIN, AUDITOR, COORDINATOR, INSPECTOR, SPECIALIST, SUPERVISOR
from app.extensions import db

A, SV, CO, SP, IN, AU = ADMIN, SUPERVISOR, COORDINATOR, SPECIALIST, INSPECTOR, AUDITOR
ALL_ROLES = (A, SV, CO, SP, IN, AU)
EVERYONE = frozenset(ALL_ROLES)
NOBODY: frozenset[str] = frozenset()

#: markers for endpoints no view permission guards
OPEN = "open: login, logout, the index, language, static files"
#: the construction unit's own pages (app/public, R-17): no account; its look-up code, the
#: visit's signed cookie or a signed rating link decide what they show
PUBLIC = "public: the unit's look-up by application number and one-time code (R-17)"
INSIDE = "checks the permission of the action it runs (FAB's action routes)"
OFF = "switched off: answers 404 to everyone (AppModelView.download)"


@dataclass(frozen=True)
class Via:
    """An endpoint whose own code checks another screen's permission (not FAB's decorator)."""

    view: str
    permission: str
    roles: frozenset[str]


def _roles(*names: str) -> frozenset[str]:
    return frozenset(names)


def crud(view: str, *, read, add=NOBODY, edit=NOBODY, delete=NOBODY, extra=None,
         download=OFF, routes: tuple[str, ...] | None = None) -> dict[str, object]:
    """The endpoints of one ModelView: list/show (read), add, edit, delete, actions;
    ``routes`` keeps only those the view exposes."""
    entries: dict[str, object] = {
        f"{view}.list": frozenset(read), f"{view}.show": frozenset(read),
        f"{view}.add": frozenset(add), f"{view}.edit": frozenset(edit),
        f"{view}.delete": frozenset(delete),
        f"{view}.action": INSIDE, f"{view}.action_post": INSIDE,
        f"{view}.download": download,
    }
    if routes is not None:
        entries = {key: value for key, value in entries.items()
                   if key.partition(".")[2] in routes}
    for name, allowed in (extra or {}).items():
        entries[f"{view}.{name}"] = allowed if isinstance(allowed, str) else frozenset(allowed)
    return entries


CASE_READ = _roles(A, SV, CO, SP, IN)      # the commission and its items
WINDOW_READ = _roles(A, SV, CO, IN)        # what a coordinator records under a commission
SUPERVISION_READ = _roles(A, SV, IN)
COLLEAGUES_READ = _roles(A, SV, CO, SP, IN)
SV_ONLY = _roles(A, SV)
CASE_WRITE = _roles(A, SV, CO)
ADMIN_ONLY = _roles(A)
#: R-16.1: a lifecycle-owned screen has no add, edit or delete route at all
READ_ONLY_ROUTES = ("list", "show", "action", "action_post", "download")
#: R-16.3: records history points to have no delete route
NO_DELETE_ROUTES = ("list", "show", "add", "edit", "action", "action_post", "download")

MATRIX: dict[str, object] = {
    # ---- no permission ----------------------------------------------------------------
    "static": OPEN, "appbuilder.static": OPEN, "AuthDBView.login": OPEN,
    "AuthDBView.logout": OPEN, "IndexView.index": OPEN, "LocaleView.index": OPEN,
    "UtilView.back": OPEN, "SecurityApi.login": OPEN, "SecurityApi.refresh": OPEN,
    "health.health": OPEN, "pages.favicon": OPEN, "pages.calendar_days": OPEN,
    **{f"unit.{name}": PUBLIC for name in (
        "static", "index", "send_code", "verify", "check_code", "logout", "show_case",
        "confirm", "report_contact", "document", "rate")},
    # ---- own account (every role) -----------------------------------------------------
    "UserDBModelView.userinfo": EVERYONE,
    "ResetMyPasswordView.this_form_get": EVERYONE,
    "ResetMyPasswordView.this_form_post": EVERYONE,
    "UserInfoEditView.this_form_get": EVERYONE,
    "UserInfoEditView.this_form_post": EVERYONE,
    "MenuApi.get_menu_data": EVERYONE,
    # ---- accounts, roles, permissions: the administrator's alone ------------------------
    **crud("UserDBModelView", read=ADMIN_ONLY, add=ADMIN_ONLY, edit=ADMIN_ONLY,
           delete=ADMIN_ONLY, download=ADMIN_ONLY),
    **crud("RoleModelView", read=ADMIN_ONLY, add=ADMIN_ONLY, edit=ADMIN_ONLY,
           delete=ADMIN_ONLY, download=ADMIN_ONLY),
    **crud("UserGroupModelView", read=ADMIN_ONLY, add=ADMIN_ONLY, edit=ADMIN_ONLY,
           delete=ADMIN_ONLY, download=ADMIN_ONLY),
    # FAB registers these with list permission only; the other routes exist, nobody holds them
    **crud("PermissionModelView", read=NOBODY, download=NOBODY,
           extra={"list": ADMIN_ONLY}),
    **crud("ViewMenuModelView", read=NOBODY, download=NOBODY, extra={"list": ADMIN_ONLY}),
    **crud("PermissionViewModelView", read=NOBODY, download=NOBODY,
           extra={"list": ADMIN_ONLY}),
    "ResetPasswordView.this_form_get": ADMIN_ONLY,
    "ResetPasswordView.this_form_post": ADMIN_ONLY,
    "UserStatsChartView.chart": ADMIN_ONLY,
    # ---- the read-only REST API (app/api): the screens' readers; rows by the row filter ---
    "CommissionApi.get": CASE_READ, "CommissionApi.get_list": CASE_READ,
    "CommissionApi.info": CASE_READ,
    "CommissionItemApi.get": CASE_READ, "CommissionItemApi.get_list": CASE_READ,
    "CommissionItemApi.info": CASE_READ,
    "CommissionHistoryApi.get": WINDOW_READ, "CommissionHistoryApi.get_list": WINDOW_READ,
    "CommissionHistoryApi.info": WINDOW_READ,
    "OpenApi.get": OPEN, "SwaggerView.show": CASE_READ,  # the document is public
    # ---- the commission and everything under it ----------------------------------------
    # opened by the pre-review's step, never deleted
    # (its panels load when their tab opens: the page's own permission, issue 16)
    **crud("CommissionView", read=CASE_READ, edit=CASE_WRITE, extra={"panel": CASE_READ},
           routes=tuple(r for r in NO_DELETE_ROUTES if r != "add")),
    **crud("CommissionItemView", read=CASE_READ, add=CASE_WRITE,
           edit=_roles(A, SV, CO, SP), routes=NO_DELETE_ROUTES),
    **crud("ItemSupplementView", read=CASE_READ, routes=READ_ONLY_ROUTES),
    **crud("JointApprovalView", read=CASE_READ, add=CASE_WRITE, edit=CASE_WRITE,
           delete=SV_ONLY),
    **crud("ConsultationView", read=CASE_READ, add=_roles(A, SV, CO, SP),
           edit=_roles(A, SV, CO, SP), delete=CASE_WRITE),
    **crud("MaterialView", read=CASE_READ, add=_roles(A, SV, CO, SP), edit=CASE_WRITE,
           delete=SV_ONLY, extra={"file": CASE_READ},
           routes=("list", "show", "add", "edit", "delete", "action", "action_post")),
    # written by the lifecycle's steps only
    **{key: value for view in ("CommissionStateChangeView", "CoordinatorAssignmentView",
                               "PlanVersionView", "PlanStepView", "TerminationView",
                               "AnnouncementView", "UnitConfirmationView",
                               "ContactChangeView")
       for key, value in crud(view, read=WINDOW_READ, routes=READ_ONLY_ROUTES).items()},
    # the work log is append-only
    **crud("WorkLogEntryView", read=WINDOW_READ, add=CASE_WRITE,
           routes=("list", "show", "add", "download")),
    # specialists raise and see escalations too (R-6.7, R-6.9; their rows: app/access.py)
    **crud("EscalationView", read=CASE_READ, add=_roles(A, SV, CO, SP), edit=CASE_WRITE,
           delete=SV_ONLY),
    **crud("MaterialNoticeView", read=WINDOW_READ, add=CASE_WRITE, edit=CASE_WRITE,
           delete=SV_ONLY),
    # notice lines are written with their notice, on its one form (issue 14): read here
    **crud("MaterialNoticeLineView", read=WINDOW_READ,
           routes=("list", "show", "action", "action_post", "download")),
    **{key: value for view in ("FeeNoticeView", "ResultReceiptView", "DeliveryView")
       for key, value in crud(view, read=WINDOW_READ, add=CASE_WRITE, edit=CASE_WRITE,
                              delete=SV_ONLY).items()},
    # the archive of issued documents; printing checks the commission screen's permissions
    **crud("IssuedDocumentView", read=CASE_READ),
    "DocumentsView.blank": Via("CommissionView", "can_show", CASE_READ),
    "DocumentsView.commission": Via("CommissionView", "can_show", CASE_READ),
    "DocumentsView.download": Via("CommissionView", "can_show", CASE_READ),
    "DocumentsView.print_document": Via("CommissionView", "can_edit", CASE_WRITE),
    # ---- before the commission: enquiries, units, projects (no delete) -----------------
    **{key: value for view in ("UnitView", "ProjectView", "PreReviewView")
       for key, value in crud(view, read=WINDOW_READ, add=SV_ONLY, edit=SV_ONLY).items()},
    # ---- supervision --------------------------------------------------------------------
    "OverdueView.index": _roles(A, SV, CO, SP, IN),
    "RevisitDueView.index": SUPERVISION_READ,
    **crud("CoordinationMeetingView", read=COLLEAGUES_READ, add=SV_ONLY, edit=SV_ONLY,
           delete=SV_ONLY),
    **crud("MeetingActionItemView", read=COLLEAGUES_READ, add=SV_ONLY, edit=SV_ONLY,
           delete=SV_ONLY, extra={"done": SV_ONLY}),
    **crud("RevisitView", read=SUPERVISION_READ, add=SV_ONLY, edit=SV_ONLY, delete=SV_ONLY),
    **crud("RectificationView", read=SUPERVISION_READ, add=SV_ONLY, edit=SV_ONLY,
           delete=SV_ONLY),
    **crud("AssessmentView", read=SUPERVISION_READ, edit=SV_ONLY, delete=SV_ONLY),
    "AssessmentPeriodView.compute": SUPERVISION_READ,
    "AssessmentPeriodView.export": SUPERVISION_READ,
    "AssessmentPeriodView.save": SV_ONLY,
    # Excel import, the administrator and the window supervisor only
    **{f"ImportView.{name}": SV_ONLY for name in (
        "index", "template", "upload", "preview", "report", "confirm", "done")},
    **crud("NotificationView", read=SUPERVISION_READ),
    # ---- the audit trail: read by inspectors and auditors; nobody changes it ----------
    "AuditLogView.list": _roles(A, IN, AU),
    "AuditLogView.show": _roles(A, IN, AU),
    # ---- the team ----------------------------------------------------------------------
    **crud("StaffMemberView", read=COLLEAGUES_READ, add=SV_ONLY, edit=SV_ONLY,
           extra={"handover": SV_ONLY}),
    **crud("RosterChangeView", read=SUPERVISION_READ, add=SV_ONLY, edit=SV_ONLY,
           extra={"approve": SV_ONLY, "apply": SV_ONLY}),
    **crud("TrainingView", read=COLLEAGUES_READ, add=SV_ONLY, edit=SV_ONLY, delete=SV_ONLY),
    **crud("TrainingAttendanceView", read=COLLEAGUES_READ, add=SV_ONLY, edit=SV_ONLY,
           delete=SV_ONLY),
    # ---- reference data: the administrator's; the calendar: the supervisor's too -------
    **crud("DepartmentView", read=COLLEAGUES_READ, add=ADMIN_ONLY, edit=ADMIN_ONLY),
    **crud("TownView", read=COLLEAGUES_READ, add=ADMIN_ONLY, edit=ADMIN_ONLY),
    **crud("ApprovalItemView", read=COLLEAGUES_READ, add=ADMIN_ONLY, edit=ADMIN_ONLY),
    **crud("ItemMaterialView", read=COLLEAGUES_READ, add=ADMIN_ONLY, edit=ADMIN_ONLY,
           delete=ADMIN_ONLY),
    **crud("CalendarDayView", read=COLLEAGUES_READ, add=SV_ONLY, edit=SV_ONLY,
           delete=SV_ONLY, extra={"notice": SV_ONLY, "confirm_year": SV_ONLY}),
    # ---- no menu ------------------------------------------------------------------------
    # the inspector's list filters pick units, projects and coordinators by lookup too
    "LookupView.lookup": _roles(A, SV, CO, SP, IN),
    # the one-time notice form's checklist of a commission (issue 14; its rows scoped)
    "LookupView.checklist": _roles(A, SV, CO, SP, IN),
    # issue 14: the navbar's quick search (rows through each reader's scope, R-14.8)
    "QuickSearchView.index": _roles(A, SV, CO, SP, IN),
    "WorkflowView.step": _roles(A, SV, CO, SP),
    "LedgerView.export": _roles(A, SV, CO, SP, IN),
    # a background export's page and file (issue 14): exporting's permission, the asker's job
    "LedgerView.job": _roles(A, SV, CO, SP, IN),
    "LedgerView.job_file": _roles(A, SV, CO, SP, IN),
}


def _guard(app, endpoint: str) -> tuple[str, str] | None:
    """(view name, permission) guarding ``endpoint``, or None when no permission does."""
    view_name, _, method_name = endpoint.partition(".")
    view = next((v for v in app.appbuilder.baseviews if type(v).__name__ == view_name), None)
    if view is None:
        return None
    method = getattr(view, method_name, None)
    if method is None or not hasattr(method, "_permission_name"):
        return None
    permission = view.method_permission_name.get(method_name) or method._permission_name
    return view.class_permission_name, f"can_{permission}"


def _role_permissions(app) -> dict[str, set[tuple[str, str]]]:
    """Each role's synced permissions, as FAB's has_access sees them."""
    with app.app_context():
        sm = app.appbuilder.sm
        result = {}
        for name in ALL_ROLES:
            role = sm.find_role(name)
            assert role is not None, f"role {name} not synced"
            result[name] = {(pv.view_menu.name, pv.permission.name) for pv in role.permissions}
        db.session.remove()
        return result


def _endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()}


def _registered_views(app) -> set[str]:
    return {type(v).__name__ for v in app.appbuilder.baseviews} | {"static", "appbuilder"}


def test_every_endpoint_is_in_the_matrix(app):
    """R-14.1: every endpoint of the URL map has an entry naming the roles allowed; an entry
    for a registered view's endpoint that no longer exists is stale."""
    endpoints = _endpoints(app)
    missing = sorted(endpoints - set(MATRIX))
    assert not missing, f"endpoints with no entry in MATRIX: {missing}"
    registered = _registered_views(app)
    stale = sorted(e for e in set(MATRIX) - endpoints if e.partition(".")[0] in registered)
    assert not stale, f"MATRIX entries for endpoints that do not exist: {stale}"


def test_each_role_reaches_exactly_its_endpoints(app):
    """R-14.1: each role holds the permission of exactly the endpoints listed for it."""
    held = _role_permissions(app)
    wrong = []
    for endpoint in sorted(_endpoints(app)):
        expected = MATRIX.get(endpoint)
        guard = _guard(app, endpoint)
        if isinstance(expected, Via):
            guard, expected = (expected.view, expected.permission), expected.roles
        elif isinstance(expected, str):
            if guard is not None:
                wrong.append(f"{endpoint}: marked '{expected[:20]}…' but needs {guard}")
            continue
        if guard is None:
            wrong.append(f"{endpoint}: listed with roles but no permission guards it")
            continue
        actual = {name for name in ALL_ROLES if guard in held[name]}
        if actual != set(expected):
            wrong.append(f"{endpoint} ({guard[0]}.{guard[1]}): roles {sorted(actual)}, "
                         f"matrix {sorted(expected)}")
    assert not wrong, "\n".join(wrong)


def test_no_business_role_manages_users_or_roles(app):
    """R-14.1: no business role holds anything on FAB's account, role or permission screens
    beyond its own login (user info, own password)."""
    held = _role_permissions(app)
    own = [(re.compile(v), re.compile(p)) for v, p in roles.SELF_SERVICE]
    for name in roles.BUSINESS_ROLES:
        for view, permission in held[name]:
            if view in roles.SECURITY_VIEWS:
                assert any(v.fullmatch(view) and p.fullmatch(permission) for v, p in own), \
                    (name, view, permission)


def test_no_role_may_change_the_audit_trail(app):
    """R-14.1, R-14.4: the audit view offers reading only, to inspectors and auditors."""
    held = _role_permissions(app)
    for name in ALL_ROLES:
        for view, permission in held[name]:
            if view == roles.AUDIT_VIEW:
                assert permission in ("can_list", "can_show", "menu_access"), (name, permission)


@pytest.mark.parametrize("endpoint", ["CommissionView.download", "UnitView.download"])
def test_file_column_download_is_switched_off(client, endpoint):
    """R-14.2: FAB's download-by-file-name route (past every row filter) answers 404."""
    view = endpoint.partition(".")[0].lower()
    assert client.get(f"/{view}/download/anything.pdf").status_code == 404


def test_sync_is_idempotent_and_removes_undeclared_grants(app):
    """R-14.1: ``flask sync-perms`` twice gives the same roles; a permission added by hand to a
    business role is taken away by the next sync."""
    runner = app.test_cli_runner()
    before = _role_permissions(app)
    with app.app_context():
        sm = app.appbuilder.sm
        extra = sm.find_permission_view_menu("can_list", "UserDBModelView")
        sm.add_permission_role(sm.find_role(COORDINATOR), extra)
        db.session.remove()
    assert ("UserDBModelView", "can_list") in _role_permissions(app)[COORDINATOR]
    result = runner.invoke(args=["sync-perms"])
    assert result.exit_code == 0, result.output
    assert _role_permissions(app) == before
    result = runner.invoke(args=["sync-perms"])
    assert result.exit_code == 0, result.output
    assert _role_permissions(app) == before


def test_menus_follow_the_views(app):
    """R-14.1: a role sees a menu entry (and its category) exactly when it may open the view:
    the auditor sees no casework menu, the specialist no work log."""
    held = _role_permissions(app)
    menus = {name: {view for view, perm in held[name] if perm == "menu_access"}
             for name in ALL_ROLES}
    assert "Casework" not in menus[AU] and "Commissions" not in menus[AU]
    assert "Work log" not in menus[SP] and "Commissions" in menus[SP]
    assert "Security" not in menus[SV] and "List Users" not in menus[SV]
    assert {"Commissions", "Work log", "Casework"} <= menus[IN]
