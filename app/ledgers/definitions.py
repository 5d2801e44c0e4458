"""The five ledgers (台账) of R-13.6: commissions, items, meetings, revisits, assessments.

Headers are the screens' labels (``label_columns``, read at export time: spec.ScreenLabel),
so a ledger and its screens say the same thing; only a column no screen shows has a header
of its own.
"Decided on time" is the definition of app/domain/definitions.py (R-13.7), the one the
assessment and the dashboard count. Personal phone numbers (``phone=True``) are the ones
app.access.PHONE_COLUMNS declares: the unit's leader and handler, and staff members.
"""
from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_babel import lazy_gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app import access
from app.domain.definitions import decided_on_time
from app.ledgers.spec import Column, Ledger, joined, path, reads, screen
from app.models import (
    Assessment,
    Commission,
    CommissionItem,
    CoordinationMeeting,
    Revisit,
)


# The screens whose labels the headers are (app/views/<module>.py).
COMMISSION = screen("commission", "CommissionView")
PROJECT = screen("client", "ProjectView")
UNIT = screen("client", "UnitView")
ITEM = screen("items", "CommissionItemView")
APPROVAL_ITEM = screen("reference", "ApprovalItemView")
MEETING = screen("meetings", "CoordinationMeetingView")
REVISIT = screen("revisits", "RevisitView")
ASSESSMENT = screen("assessment", "AssessmentView")


_RECTIFICATION_CLOSED = path("rectification.closed")


@reads(*_RECTIFICATION_CLOSED.reads)
def _rectification(revisit: Revisit) -> Any:
    closed = _RECTIFICATION_CLOSED(revisit)  # None: no rectification (closed is NOT NULL)
    if closed is None:
        return None
    return _("Closed") if closed else _("Open")


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
        Column(COMMISSION("application_no"), path("application_no"), 18),
        Column(PROJECT("name"), path("project.name"), 30),
        Column(PROJECT("project_code"), path("project.project_code"), 26),
        Column(COMMISSION("project.unit"), path("project.unit.name"), 30),
        Column(UNIT("handler_name"), path("project.unit.handler_name")),
        Column(UNIT("handler_phone"), path("project.unit.handler_phone"), 16,
               phone=True),
        Column(COMMISSION("scope"), path("scope")),
        Column(COMMISSION("state"), path("state")),
        Column(COMMISSION("coordinator"), path("coordinator.name")),
        Column(_("Coordinator's phone"), path("coordinator.phone"), 16, phone=True),
        Column(COMMISSION("applied_on"), path("applied_on"), 12),
        Column(COMMISSION("assigned_on"), path("assigned_on"), 12),
        Column(COMMISSION("contact_due_on"), path("contact_due_on"), 12),
        Column(COMMISSION("contacted_on"), path("contacted_on"), 12),
        Column(COMMISSION("plan_confirmed_on"), path("plan_confirmed_on"), 12),
        Column(COMMISSION("completed_on"), path("completed_on"), 12),
        Column(COMMISSION("terminated_on"), path("terminated_on"), 12),
        Column(COMMISSION("remarks"), path("remarks"), 30),
    ),
)

ITEMS = Ledger(
    key="items",
    title=_("Commission item ledger"),
    model=CommissionItem,
    columns=(
        Column(COMMISSION("application_no"), path("commission.application_no"), 18),
        Column(PROJECT("name"), path("commission.project.name"), 30),
        Column(ITEM("approval_item"), path("approval_item.name"), 30),
        Column(ITEM("department"), path("approval_item.department.name"), 20),
        Column(APPROVAL_ITEM("stage"), path("approval_item.stage"), 24),
        Column(ITEM("attempt"), path("attempt"), 8),
        Column(ITEM("specialist"), path("specialist.name")),
        Column(_("Specialist's phone"), path("specialist.phone"), 16, phone=True),
        Column(ITEM("state"), path("state")),
        Column(ITEM("submitted_on"), path("submitted_on"), 12),
        Column(ITEM("accepted_on"), path("accepted_on"), 12),
        Column(ITEM("due_on"), path("due_on"), 12),
        Column(ITEM("decided_on"), path("decided_on"), 12),
        Column(_("Decided on time"),
               reads("decided_on", "overdue_on", "due_on")(decided_on_time), 10),
        Column(_("Found overdue on"), path("overdue_on"), 12),
        Column(ITEM("refusal_reason"), path("refusal_reason"), 30),
        Column(ITEM("unit_informed_on"), path("unit_informed_on"), 12),
        Column(ITEM("result_document"), path("result_document"), 24),
    ),
)

MEETINGS = Ledger(
    key="meetings",
    title=_("Meeting ledger"),
    model=CoordinationMeeting,
    columns=(
        Column(MEETING("held_on"), path("held_on"), 12),
        Column(MEETING("kind"), path("kind")),
        Column(MEETING("title"), path("title"), 30),
        Column(MEETING("place"), path("place"), 20),
        Column(MEETING("convener"), path("convener.name")),
        Column(MEETING("departments"), joined("departments", "name"), 30),
        Column(MEETING("attendees"), joined("attendees", "name"), 30),
        Column(MEETING("commissions"), _in_scope("commissions", "application_no"), 24),
        Column(MEETING("projects"), _in_scope("projects", "name"), 30),
        Column(MEETING("issues"), path("issues"), 40),
        Column(MEETING("decisions"), path("decisions"), 40),
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
        Column(REVISIT("visited_on"), path("visited_on"), 12),
        Column(COMMISSION("application_no"), path("commission.application_no"), 18),
        Column(PROJECT("name"), path("commission.project.name"), 30),
        Column(COMMISSION("project.unit"), path("commission.project.unit.name"), 30),
        Column(REVISIT("method"), path("method")),
        Column(REVISIT("visitor"), path("visitor.name")),
        Column(REVISIT("person_reached"), path("person_reached")),
        Column(REVISIT("rating"), path("rating")),
        Column(REVISIT("opinions"), path("opinions"), 40),
        Column(REVISIT("follow_up"), path("follow_up"), 30),
        Column(_("Rectification"), _rectification, 10),
    ),
)

ASSESSMENTS = Ledger(
    key="assessments",
    title=_("Assessment ledger"),
    model=Assessment,
    columns=(
        Column(ASSESSMENT("period_start"), path("period_start"), 12),
        Column(ASSESSMENT("period_end"), path("period_end"), 12),
        Column(ASSESSMENT("subject"), path("subject")),
        Column(ASSESSMENT("department"), path("department.name"), 20),
        Column(ASSESSMENT("staff"), path("staff.name")),
        Column(ASSESSMENT("commissions_handled"), path("commissions_handled"), 10),
        Column(ASSESSMENT("on_time_rate"), path("on_time_rate"), 10),
        Column(ASSESSMENT("overdue_count"), path("overdue_count"), 10),
        Column(ASSESSMENT("refusals"), path("refusals"), 10),
        Column(ASSESSMENT("average_rating"), path("average_rating"), 10),
        Column(ASSESSMENT("open_escalations"), path("open_escalations"), 10),
        Column(ASSESSMENT("score"), path("score"), 8),
        Column(ASSESSMENT("remarks"), path("remarks"), 30),
        Column(ASSESSMENT("flagged"), path("flagged"), 10),
        Column(ASSESSMENT("created_at"), path("created_at"), 16),
    ),
)

ALL: tuple[Ledger, ...] = (COMMISSIONS, ITEMS, MEETINGS, REVISITS, ASSESSMENTS)
