"""Every lifecycle state, its label, its group and its allowed transitions: in one place.

No state is spelled as a bare string anywhere else in the code. The transition tables
are data; the domain functions that perform transitions (app/domain/) consult them.
"""
from __future__ import annotations

from app.labels import LabelledEnum, _


class CommissionState(LabelledEnum):
    """States of a commission (委托协办), Art.6–Art.9."""

    pre_review = ("pre_review", _("Pre-review"))
    ineligible = ("ineligible", _("Ineligible"))
    accepted = ("accepted", _("Accepted"))
    assigned = ("assigned", _("Assigned"))
    planning = ("planning", _("Planning"))
    in_progress = ("in_progress", _("In progress"))
    delivering = ("delivering", _("Delivering results"))
    completed = ("completed", _("Completed"))
    terminating = ("terminating", _("Termination pending confirmation"))
    announced = ("announced", _("Termination announced"))
    terminated = ("terminated", _("Terminated"))

    @property
    def is_open(self) -> bool:
        return self in COMMISSION_OPEN


COMMISSION_CLOSED = frozenset(
    {CommissionState.ineligible, CommissionState.completed, CommissionState.terminated}
)
COMMISSION_OPEN = frozenset(s for s in CommissionState if s not in COMMISSION_CLOSED)
# The states of a commission whose termination form was issued (Art.9).
COMMISSION_TERMINATION = frozenset(
    {CommissionState.terminating, CommissionState.announced, CommissionState.terminated}
)
# Open states in which the termination procedure (Art.9) has not started yet.
_TERMINABLE = frozenset(COMMISSION_OPEN - COMMISSION_TERMINATION)

# Waiting for the first contact with the unit (Art.7, R-5.4): the 1-working-day deadline runs
# from the confirmed application, whether or not a coordinator is assigned yet.
COMMISSION_AWAITING_CONTACT = frozenset({CommissionState.accepted, CommissionState.assigned})

COMMISSION_TRANSITIONS: dict[CommissionState, frozenset[CommissionState]] = {
    CommissionState.pre_review: frozenset({CommissionState.ineligible, CommissionState.accepted}),
    CommissionState.accepted: frozenset({CommissionState.assigned}),
    CommissionState.assigned: frozenset({CommissionState.planning}),
    CommissionState.planning: frozenset({CommissionState.in_progress}),
    CommissionState.in_progress: frozenset({CommissionState.delivering}),
    CommissionState.delivering: frozenset({CommissionState.completed}),
    CommissionState.terminating: frozenset({CommissionState.terminated, CommissionState.announced}),
    CommissionState.announced: frozenset({CommissionState.terminated}),
}
for _state in _TERMINABLE:
    COMMISSION_TRANSITIONS[_state] = COMMISSION_TRANSITIONS.get(_state, frozenset()) | {
        CommissionState.terminating
    }
for _state in COMMISSION_CLOSED:
    COMMISSION_TRANSITIONS[_state] = frozenset()


class ItemState(LabelledEnum):
    """States of one delegated approval item (协办事项), R-6.1."""

    pending = ("pending", _("To be submitted"))
    submitted = ("submitted", _("Submitted"))
    accepted = ("accepted", _("Accepted by department"))
    supplementing = ("supplementing", _("Supplementing (clock suspended)"))
    approved = ("approved", _("Approved"))
    refused = ("refused", _("Refused"))
    withdrawn = ("withdrawn", _("Withdrawn (commission terminated)"))

    @property
    def is_open(self) -> bool:
        return self not in ITEM_CLOSED


# Decided by the department (准予 / 不予许可).
ITEM_DECIDED = frozenset({ItemState.approved, ItemState.refused})
# Withdrawn undecided when the commission's termination started: never decided,
# its clock stopped for good, no step moves it again.
ITEM_WITHDRAWN = frozenset({ItemState.withdrawn})
ITEM_CLOSED = ITEM_DECIDED | ITEM_WITHDRAWN
ITEM_OPEN = frozenset(s for s in ItemState if s not in ITEM_CLOSED)
# States whose deadline clock is stopped (补正: suspended time is not counted).
ITEM_CLOCK_STOPPED = frozenset({ItemState.supplementing})
# Open states whose deadline clock runs (what "overdue" is read from: app/domain/definitions.py).
ITEM_RUNNING = frozenset(ITEM_OPEN - ITEM_CLOCK_STOPPED)

ITEM_TRANSITIONS: dict[ItemState, frozenset[ItemState]] = {
    ItemState.pending: frozenset({ItemState.submitted}),
    ItemState.submitted: frozenset({ItemState.accepted, ItemState.refused}),
    ItemState.accepted: frozenset(
        {ItemState.supplementing, ItemState.approved, ItemState.refused}
    ),
    ItemState.supplementing: frozenset({ItemState.accepted, ItemState.refused}),
    ItemState.approved: frozenset(),
    ItemState.refused: frozenset(),
    ItemState.withdrawn: frozenset(),
}
# Terminating a commission withdraws each of its undecided items.
for _state in ITEM_OPEN:
    ITEM_TRANSITIONS[_state] = ITEM_TRANSITIONS[_state] | {ItemState.withdrawn}


class PreReviewOutcome(LabelledEnum):
    """Outcome of the enquiry's pre-review (咨询预审), R-1.2."""

    pending = ("pending", _("Undecided"))
    eligible = ("eligible", _("Eligible"))
    ineligible = ("ineligible", _("Ineligible"))


class EscalationStatus(LabelledEnum):
    """An escalation stays open until resolved (R-6.7)."""

    open = ("open", _("Open"))
    resolved = ("resolved", _("Resolved"))


class ContactChangeState(LabelledEnum):
    """A contact change the unit reported online (R-17.6): waiting for the coordinator, who
    accepts or rejects it (app/lifecycle/contact_change.py)."""

    pending = ("pending", _("Awaiting the coordinator"))
    accepted = ("accepted", _("Accepted by the coordinator"))
    rejected = ("rejected", _("Rejected by the coordinator"))


class NotificationStatus(LabelledEnum):
    """Outbox row status (R-11.1)."""

    pending = ("pending", _("Pending"))
    sent = ("sent", _("Sent"))
    failed = ("failed", _("Failed"))


def can_transition(current: CommissionState, target: CommissionState) -> bool:
    """True when the commission lifecycle allows ``current`` → ``target``."""
    return target in COMMISSION_TRANSITIONS.get(current, frozenset())


def can_transition_item(current: ItemState, target: ItemState) -> bool:
    """True when the item lifecycle allows ``current`` → ``target``."""
    return target in ITEM_TRANSITIONS.get(current, frozenset())


class DeadlineLight(LabelledEnum):
    """Supervision light of an open deadline (R-13.1)."""

    green = ("green", _("On schedule"))
    yellow = ("yellow", _("Due soon"))
    red = ("red", _("Overdue"))

    @property
    def css(self) -> str:
        return {"green": "success", "yellow": "warning", "red": "danger"}[self.value]
