"""The five ledgers (台账) of R-13.6: commissions, items, meetings, revisits, assessments.

Headers reuse the screens' msgids, so a ledger and its list page say the same thing.
"Decided on time" is the definition of app/domain/definitions.py (R-13.7), the one the
assessment and the dashboard count. Personal phone numbers (``phone=True``) are the ones app.access.PHONE_COLUMNS declares:
the unit's leader and handler, and staff members.
"""
from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_babel import lazy_gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app import access
from app.domain.definitions import decided_on_time
from app.ledgers.spec import Column, Ledger, joined, path
from app.models import (
    Assessment,
    Commission,
    CommissionItem,
    CoordinationMeeting,
    Revisit,
)


def _rectification(revisit: Revisit) -> Any:
    rect = revisit.rectification
    if rect is None:
        return None
    return _("Closed") if rect.closed else _("Open")


def _in_scope(dotted: str, attr: str) -> Any:
    """A to-many column naming only the exporting user's records (R-14.8): the meeting's
    other commissions and projects are counted, as on the meeting's page."""
    get_all = joined(dotted, attr)
    get_many = path(dotted)

    def get(row: Any) -> str:
        if not has_request_context():
            return get_all(row)  # the CLI and the benchmark export as the system
        return access.named_in_scope(current_user, get_many(row) or (),
                                     lambda member: str(getattr(member, attr)))

    return get


def _open_actions(meeting: CoordinationMeeting) -> int:
    return sum(1 for action in meeting.action_items if not action.done)


COMMISSIONS = Ledger(
    key="commissions",
    title=_("Commission ledger"),
    model=Commission,
    columns=(
        Column(_("Application number"), path("application_no"), 18),
        Column(_("Project name"), path("project.name"), 30),
        Column(_("Project code"), path("project.project_code"), 26),
        Column(_("Construction unit"), path("project.unit.name"), 30),
        Column(_("Project handler"), path("project.unit.handler_name")),
        Column(_("Project handler's contact"), path("project.unit.handler_phone"), 16,
               phone=True),
        Column(_("Delegation scope"), path("scope")),
        Column(_("State"), path("state")),
        Column(_("Coordinator"), path("coordinator.name")),
        Column(_("Coordinator's phone"), path("coordinator.phone"), 16, phone=True),
        Column(_("Application confirmed on"), path("applied_on"), 12),
        Column(_("Assigned on"), path("assigned_on"), 12),
        Column(_("Contact due on"), path("contact_due_on"), 12),
        Column(_("Contacted on"), path("contacted_on"), 12),
        Column(_("Plan confirmed on"), path("plan_confirmed_on"), 12),
        Column(_("Completed on"), path("completed_on"), 12),
        Column(_("Terminated on"), path("terminated_on"), 12),
        Column(_("Remarks"), path("remarks"), 30),
    ),
)

ITEMS = Ledger(
    key="items",
    title=_("Commission item ledger"),
    model=CommissionItem,
    columns=(
        Column(_("Application number"), path("commission.application_no"), 18),
        Column(_("Project name"), path("commission.project.name"), 30),
        Column(_("Approval item"), path("approval_item.name"), 30),
        Column(_("Approval department"), path("approval_item.department.name"), 20),
        Column(_("Stage"), path("approval_item.stage"), 24),
        Column(_("Attempt"), path("attempt"), 8),
        Column(_("Specialist"), path("specialist.name")),
        Column(_("Specialist's phone"), path("specialist.phone"), 16, phone=True),
        Column(_("Item state"), path("state")),
        Column(_("Submitted on"), path("submitted_on"), 12),
        Column(_("Accepted on"), path("accepted_on"), 12),
        Column(_("Item due on"), path("due_on"), 12),
        Column(_("Decided on"), path("decided_on"), 12),
        Column(_("Decided on time"), decided_on_time, 10),
        Column(_("Found overdue on"), path("overdue_on"), 12),
        Column(_("Refusal reason"), path("refusal_reason"), 30),
        Column(_("Unit informed on"), path("unit_informed_on"), 12),
        Column(_("Result document"), path("result_document"), 24),
    ),
)

MEETINGS = Ledger(
    key="meetings",
    title=_("Meeting ledger"),
    model=CoordinationMeeting,
    columns=(
        Column(_("Meeting date"), path("held_on"), 12),
        Column(_("Meeting type"), path("kind")),
        Column(_("Meeting title"), path("title"), 30),
        Column(_("Meeting place"), path("place"), 20),
        Column(_("Convener"), path("convener.name")),
        Column(_("Departments attending"), joined("departments", "name"), 30),
        Column(_("Staff attending"), joined("attendees", "name"), 30),
        Column(_("Commissions discussed"), _in_scope("commissions", "application_no"), 24),
        Column(_("Projects discussed"), _in_scope("projects", "name"), 30),
        Column(_("Issues"), path("issues"), 40),
        Column(_("Decisions"), path("decisions"), 40),
        Column(_("Open action items"), _open_actions, 10),
    ),
    options=(
        selectinload(CoordinationMeeting.departments),
        selectinload(CoordinationMeeting.attendees),
        selectinload(CoordinationMeeting.commissions),
        selectinload(CoordinationMeeting.projects),
        selectinload(CoordinationMeeting.action_items),
    ),
)

REVISITS = Ledger(
    key="revisits",
    title=_("Revisit ledger"),
    model=Revisit,
    columns=(
        Column(_("Revisit date"), path("visited_on"), 12),
        Column(_("Application number"), path("commission.application_no"), 18),
        Column(_("Project name"), path("commission.project.name"), 30),
        Column(_("Construction unit"), path("commission.project.unit.name"), 30),
        Column(_("Revisit method"), path("method")),
        Column(_("Visited by"), path("visitor.name")),
        Column(_("Person reached"), path("person_reached")),
        Column(_("Rating"), path("rating")),
        Column(_("Opinions and suggestions"), path("opinions"), 40),
        Column(_("Follow-up"), path("follow_up"), 30),
        Column(_("Rectification"), _rectification, 10),
    ),
    options=(selectinload(Revisit.rectification),),
)

ASSESSMENTS = Ledger(
    key="assessments",
    title=_("Assessment ledger"),
    model=Assessment,
    columns=(
        Column(_("Period start"), path("period_start"), 12),
        Column(_("Period end"), path("period_end"), 12),
        Column(_("Assessed subject"), path("subject")),
        Column(_("Department"), path("department.name"), 20),
        Column(_("Coordinator"), path("staff.name")),
        Column(_("Commissions handled"), path("commissions_handled"), 10),
        Column(_("On-time rate (%)"), path("on_time_rate"), 10),
        Column(_("Overdue count"), path("overdue_count"), 10),
        Column(_("Refusals"), path("refusals"), 10),
        Column(_("Average rating"), path("average_rating"), 10),
        Column(_("Open escalations"), path("open_escalations"), 10),
        Column(_("Score"), path("score"), 8),
        Column(_("Remarks"), path("remarks"), 30),
        Column(_("Flagged for the district report"), path("flagged"), 10),
        Column(_("Figures frozen at"), path("created_at"), 16),
    ),
)

ALL: tuple[Ledger, ...] = (COMMISSIONS, ITEMS, MEETINGS, REVISITS, ASSESSMENTS)
