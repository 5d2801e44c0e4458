"""Art.6: the enquiry's pre-review, the commission it opens, and its acceptance (R-1, R-4)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app.choices import DelegationScope
from app.domain.deadlines import contact_due_on
from app.domain.errors import DomainError
from app.domain.numbering import DEFAULT_FORMAT, next_application_no
from app.domain.scope import check_scope, default_items
from app.domain.transitions import check_move, move_commission, record_creation, require
from app.domain.workdays import WorkCalendar, load_calendar
from app.models.client import Project
from app.models.commission import Commission
from app.models.items import CommissionItem
from app.models.prereview import PreReview
from app.models.reference import ApprovalItem
from app.states import COMMISSION_OPEN, CommissionState, PreReviewOutcome


def eligibility_problems(project: Project | None) -> list[object]:
    """Why a project cannot be taken on (Art.2 exclusions, R-1.3 jurisdiction); [] if none."""
    if project is None:
        return [_("The enquiry names no project yet.")]
    problems: list[object] = []
    if project.is_special_project:
        problems.append(_("Special projects (特殊工程) are excluded from the service (Art.2)."))
    if project.is_major_infrastructure:
        problems.append(_("Major transport, water or energy projects are excluded (Art.2)."))
    if project.town is None or not project.town.active:
        problems.append(_("The project is not located in a town or street of the district."))
    return problems


def check_decide_pre_review(pre_review: PreReview) -> None:
    """Whether the pre-review may be decided now: it is still undecided."""
    require(pre_review.outcome == PreReviewOutcome.pending,
            _("This pre-review has already been decided."))


def decide_pre_review(pre_review: PreReview, outcome: PreReviewOutcome, *,
                      reason: str | None = None, other_channel: str | None = None) -> None:
    """Record the pre-review's outcome; an ineligible one keeps reason and other channel."""
    check_decide_pre_review(pre_review)
    if outcome == PreReviewOutcome.ineligible:
        require(bool(reason and reason.strip()), _("Give the reason the project is ineligible."))
        require(bool(other_channel and other_channel.strip()),
                _("Say which other channel the unit was pointed to."))
        pre_review.ineligible_reason = reason.strip()
        pre_review.other_channel = other_channel.strip()
    elif outcome == PreReviewOutcome.eligible:
        problems = eligibility_problems(pre_review.project)
        if problems:
            raise DomainError(problems[0])
    else:
        raise DomainError(_("Choose eligible or ineligible."))
    pre_review.outcome = outcome


def check_delegable(items: Sequence[ApprovalItem]) -> None:
    """Intermediary services are chosen by the unit itself and never delegated (R-1.4)."""
    intermediary = [item.name for item in items if item.is_intermediary]
    require(not intermediary,
            _("Intermediary services cannot be delegated: %(items)s", items="、".join(intermediary)))


def check_one_open_commission(session: Session, project: Project,
                              except_id: int | None = None) -> None:
    """A project has at most one open commission (R-4.4)."""
    query = (sa.select(Commission.id)
             .where(Commission.project_id == project.id, Commission.state.in_(COMMISSION_OPEN)))
    if except_id is not None:
        query = query.where(Commission.id != except_id)
    require(session.scalar(query.limit(1)) is None,
            _("This project already has an open commission; complete or terminate it first."))


def check_open_commission(session: Session, pre_review: PreReview) -> None:
    """Whether ``pre_review`` may open a commission now: eligible, its project free."""
    require(pre_review.outcome == PreReviewOutcome.eligible,
            _("Only an eligible pre-review can open a commission."))
    require(pre_review.project is not None, _("The enquiry names no project yet."))
    if pre_review.id is not None:  # one enquiry, one delegation
        opened = session.scalar(sa.select(Commission.id).where(
            Commission.pre_review_id == pre_review.id).limit(1))
        require(opened is None, _("This pre-review has already opened a commission; a new "
                                  "delegation starts with a new enquiry."))
    check_one_open_commission(session, pre_review.project)


def check_add_item(session: Session, commission: Commission, approval_item: ApprovalItem,
                   except_id: int | None = None) -> None:
    """A catalogue item joins an open commission once, if it may be delegated (R-1.4, R-6.1);
    a re-application is a new attempt of the refused item, not a second item."""
    require(commission.is_open, _("The commission is closed; its items are kept as they are."))
    check_delegable([approval_item])
    others = [item.approval_item for item in commission.items
              if item.id != except_id and item.approval_item_id != approval_item.id]
    check_scope(others + [approval_item], commission.project)
    query = sa.select(CommissionItem.id).where(
        CommissionItem.commission_id == commission.id,
        CommissionItem.approval_item_id == approval_item.id)
    if except_id is not None:
        query = query.where(CommissionItem.id != except_id)
    require(session.scalar(query.limit(1)) is None, _(
        "This approval item is already in the commission; a re-application is "
        "a new attempt of the refused item."))


def open_commission(session: Session, pre_review: PreReview, *, scope: DelegationScope,
                    items: Sequence[ApprovalItem] = (), intention: str | None = None,
                    actor: Any = None) -> Commission:
    """Open a commission from an eligible pre-review, with its delegated items (R-1.4, R-4.4).

    Either scope delegates the items chosen with the clerk; a full delegation chosen without
    items takes the default of app/domain/scope.py (the applicable items of the project's
    remaining stages), never the whole catalogue (R-1.5)."""
    check_open_commission(session, pre_review)
    project = pre_review.project
    chosen = list(dict.fromkeys(items))
    if scope == DelegationScope.full and not chosen:
        chosen = default_items(session, project)
    require(bool(chosen), _("A partial delegation names at least one approval item."))
    check_delegable(chosen)
    check_scope(chosen, project)
    commission = Commission(project=project, pre_review=pre_review, scope=scope,
                            intention=intention, state=CommissionState.pre_review,
                            delegated_items_text="、".join(item.name for item in chosen))
    session.add(commission)
    for item in chosen:
        session.add(CommissionItem(commission=commission, approval_item=item))
    record_creation(session, commission, actor=actor)
    session.flush()
    return commission


def check_accept(commission: Commission) -> None:
    """Whether the application may be accepted now: at pre-review, eligible, with items."""
    check_move(commission, CommissionState.accepted)
    require(commission.project is not None, _("The commission has no project."))
    problems = eligibility_problems(commission.project)
    if problems:
        raise DomainError(problems[0])
    require(bool(commission.items), _("The commission has no delegated item."))


def accept(session: Session, commission: Commission, *, applied_on: dt.date, actor: Any = None,
           number_format: str = DEFAULT_FORMAT, cal: WorkCalendar | None = None) -> str:
    """The unit's confirmed application form is received: number it and accept (R-4.2);
    the 1-working-day contact deadline starts now, assigned or not (Art.7, R-5.4)."""
    check_accept(commission)
    move_commission(session, commission, CommissionState.accepted, actor=actor,
                    note=str(_("Confirmed application form received")))
    commission.applied_on = applied_on
    commission.contact_due_on = contact_due_on(applied_on, cal or load_calendar(session))
    commission.application_no = next_application_no(session, applied_on.year, number_format)
    return commission.application_no


def check_mark_ineligible(commission: Commission) -> None:
    """Whether the commission may still be closed as ineligible (before acceptance)."""
    check_move(commission, CommissionState.ineligible)


def mark_ineligible(session: Session, commission: Commission, *, reason: str,
                    actor: Any = None) -> None:
    """Close a commission found ineligible before acceptance."""
    check_mark_ineligible(commission)
    require(bool(reason and reason.strip()), _("Give the reason the project is ineligible."))
    move_commission(session, commission, CommissionState.ineligible, actor=actor, note=reason)
