"""The demo district (`flask seed --demo`): complete, valid and consistent with every state.

The demo is loaded and committed once for this module (about two seconds) and only read
by its tests; the module's own clean-up replaces the per-test one of conftest.py and
empties the domain tables when the module is done.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
import sqlalchemy as sa
from flask_appbuilder import ModelView

from tests import factories as f
from tests.audit_cleanup import deletes_allowed
from app.choices import DelegationScope, RosterChangeKind, StaffRole
from app.domain.policy import CONTACT_WORKING_DAYS
from app.domain.validators import check_credit_code, check_email, check_phone, check_project_code
from app.domain.workdays import load_calendar
from app.extensions import db
from app.models import (
    Announcement,
    Assessment,
    CalendarDay,
    Commission,
    CommissionItem,
    CommissionStateChange,
    Consultation,
    CoordinationMeeting,
    CoordinatorAssignment,
    Delivery,
    Escalation,
    FeeNotice,
    ItemMaterial,
    MaterialNotice,
    PlanVersion,
    PreReview,
    Project,
    Rectification,
    ResultReceipt,
    Revisit,
    RosterChange,
    StaffMember,
    Termination,
    Training,
    Unit,
    WorkLogEntry,
    metadata,
)
from app.seed import DEMO_ANCHOR, seed_demo
from app.states import (
    COMMISSION_OPEN,
    ITEM_CLOSED,
    ITEM_DECIDED,
    CommissionState,
    EscalationStatus,
    ItemState,
    PreReviewOutcome,
    can_transition,
)

CS = CommissionState
ANCHOR = DEMO_ANCHOR
APPLICATION_NO = re.compile(r"^JCXB-\d{4}-\d{4}$")


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def all_rows(model) -> list:
    return list(db.session.scalars(sa.select(model)))



@pytest.fixture(scope="module")
def demo_db(app):
    """The demo district, committed once for the module; removed afterwards."""
    with app.app_context():
        assert seed_demo(db.session, ANCHOR) is True
        db.session.commit()
        db.session.remove()
    yield ANCHOR
    with app.app_context():
        db.session.rollback()
        with db.engine.begin() as conn, deletes_allowed(conn):  # audit_log refuses deletes
            for table in reversed(metadata.sorted_tables):
                if not table.name.startswith("ab_"):
                    conn.execute(table.delete())
        db.session.remove()


@pytest.fixture(autouse=True)
def _clean_database(demo_db):
    """Overrides conftest's per-test clean-up: the tests here only read the shared demo."""
    yield


@pytest.fixture
def demo(demo_db, ctx):
    """The shared demo in a fresh session (rolled back after the test)."""
    return demo_db


# ---------------------------------------------------------------- the demo district
def test_demo_sizes_and_every_state(demo):
    """The demo: ≥ 15 staff, 20 units, 40 projects, 60 commissions in every state."""
    assert count(StaffMember) >= 15
    assert (count(Unit), count(Project), count(Commission)) == (20, 40, 60)
    states = Counter(db.session.scalars(sa.select(Commission.state)))
    assert set(states) == set(CommissionState)
    assert states[CS.in_progress] > states[CS.announced]  # plausible proportions
    roles = Counter(db.session.scalars(sa.select(StaffMember.role)))
    assert roles[StaffRole.coordinator] >= 5 and roles[StaffRole.specialist] >= 8
    assert all(s.department is not None for s in all_rows(StaffMember))


def test_demo_identifiers_pass_the_validators(demo):
    """R-4.3 and GB 32100: every project code and credit code is valid; phones and e-mails too."""
    for project in all_rows(Project):
        assert check_project_code(project.project_code) is None, project.project_code
        assert project.project_code.startswith("2026-441702-70-03-0")
        assert project.town is not None
        assert project.brief and project.progress and project.total_investment >= 0
    for unit in all_rows(Unit):
        assert check_credit_code(unit.credit_code) is None, unit.credit_code
        assert check_phone(unit.leader_phone) is None and check_phone(unit.handler_phone) is None
        assert check_email(unit.email) is None
    assert all(check_phone(s.phone) is None for s in all_rows(StaffMember))
    assert all(check_phone(p.enquirer_phone) is None for p in all_rows(PreReview))


def test_demo_at_most_one_open_commission_per_project(demo):
    """R-4.4: a project may have several commissions over time, at most one open."""
    open_per_project = Counter(c.project_id for c in all_rows(Commission) if c.is_open)
    assert max(open_per_project.values()) == 1
    per_project = Counter(c.project_id for c in all_rows(Commission))
    assert max(per_project.values()) >= 2


def test_demo_history_follows_the_lifecycle(demo):
    """Every commission's state-change rows form an allowed path ending in its state."""
    for commission in all_rows(Commission):
        changes = sorted(commission.state_changes, key=lambda c: c.changed_at)
        assert changes[0].from_state is None and changes[0].to_state == CS.pre_review
        for before, after in zip(changes, changes[1:]):
            assert after.from_state == before.to_state
            assert can_transition(after.from_state, after.to_state)
            assert after.changed_at > before.changed_at
        assert changes[-1].to_state == commission.state
        assert all(c.changed_at.date() <= ANCHOR for c in changes)


def _visited(commission: Commission) -> set[CommissionState]:
    return {c.to_state for c in commission.state_changes}


def test_demo_commission_fields_match_their_state(demo):
    """R-4.2, R-5.1, R-5.2, R-5.3: numbers, coordinators, contacts and plans by state."""
    cal = load_calendar(db.session)
    open_assignments = Counter()
    for a in all_rows(CoordinatorAssignment):
        if a.ended_on is None:
            open_assignments[(a.commission_id, a.staff_id)] += 1
    plans: dict[int, list[PlanVersion]] = {}
    for plan in sorted(all_rows(PlanVersion), key=lambda p: p.version):
        plans.setdefault(plan.commission_id, []).append(plan)
    numbers = []
    for c in all_rows(Commission):
        visited = _visited(c)
        assert (c.application_no is not None) == (CS.accepted in visited), c
        assert (c.applied_on is not None) == (CS.accepted in visited)
        if c.application_no:
            assert APPLICATION_NO.match(c.application_no)
            numbers.append((c.applied_on, c.application_no))
        if CS.assigned in visited:
            assert c.coordinator is not None and c.assigned_on >= c.applied_on
            assert c.contact_due_on == cal.add(c.applied_on, CONTACT_WORKING_DAYS)
            assert open_assignments[(c.id, c.coordinator_id)] == 1
            assert sum(n for (cid, _), n in open_assignments.items() if cid == c.id) == 1
        else:
            assert c.coordinator is None and c.assigned_on is None
        assert (c.contacted_on is not None) == (CS.planning in visited)
        assert (c.id in plans) == (CS.planning in visited)
        if CS.in_progress in visited:
            assert c.plan_confirmed_on is not None and plans[c.id][0].confirmed_on is not None
        assert (c.completed_on is not None) == (c.state == CS.completed)
        assert (c.terminated_on is not None) == (c.state == CS.terminated)
        if c.state == CS.assigned and c.contact_due_on < ANCHOR:
            assert c.contact_overdue_on is not None   # the sweep's flag
    # sequential per year in order of acceptance, no gaps.
    per_year: dict[int, list[str]] = {}
    for applied_on, number in sorted(numbers):
        per_year.setdefault(applied_on.year, []).append(number)
    for year, issued in per_year.items():
        assert issued == [f"JCXB-{year}-{i:04d}" for i in range(1, len(issued) + 1)]


def test_demo_pre_reviews(demo):
    """R-1.2: a pre-review per commission, decided eligible (the open step needs it); a
    commission found ineligible before acceptance (an excluded project, Art.2) says why in
    its history; enquiries turned away keep the reason and the other channel."""
    for c in all_rows(Commission):
        assert c.pre_review is not None and c.pre_review.project_id == c.project_id
        assert c.pre_review.received_on == c.state_changes[0].changed_at.date()
        assert c.pre_review.outcome == PreReviewOutcome.eligible
        if c.state == CS.ineligible:
            assert c.project.is_excluded
            last = c.state_changes[-1]
            assert last.to_state == CS.ineligible and "第二条" in last.note
    for p in all_rows(PreReview):   # 首问负责人: a coordinator on duty that day
        receiver = p.receiver
        assert receiver.role == StaffRole.coordinator and receiver.admitted_on <= p.received_on
        assert receiver.exited_on is None or p.received_on < receiver.exited_on
    turned_away = [p for p in all_rows(PreReview) if p.outcome == PreReviewOutcome.ineligible]
    assert all(p.ineligible_reason and p.other_channel for p in turned_away)
    assert sum(1 for p in turned_away if p.project_id is None) >= 3


def test_demo_items_match_their_commission(demo):
    """R-6.1, R-6.2, R-10.5: item states and dates agree with each other and with the
    commission; a termination withdrew what was still undecided."""
    from app.domain.planning import current_items

    for c in all_rows(Commission):
        visited = _visited(c)
        assert c.items and all(not i.approval_item.is_intermediary for i in c.items)
        undecided = {ItemState.withdrawn} if CS.terminating in visited else {ItemState.pending}
        if CS.in_progress not in visited:
            assert {i.state for i in c.items} == undecided
        elif CS.terminating in visited:
            assert ItemState.pending not in {i.state for i in c.items}
        if c.state in (CS.delivering, CS.completed):
            assert {i.state for i in current_items(c)} == {ItemState.approved}
        if c.state == CS.in_progress:
            assert any(i.state not in ITEM_CLOSED for i in current_items(c))
        if c.scope == DelegationScope.partial:
            assert 1 <= len(current_items(c)) <= 4
        for item in c.items:
            _check_item(item)


def _check_item(item: CommissionItem) -> None:
    state = item.state
    if state != ItemState.withdrawn:
        assert (item.submitted_on is None) == (state == ItemState.pending)
    else:
        assert item.withdrawn_on and item.withdrawal_reason
    if state not in (ItemState.pending, ItemState.submitted, ItemState.withdrawn):
        assert item.accepted_on >= item.submitted_on and item.due_on > item.accepted_on
    open_supplements = [s for s in item.supplements if s.received_on is None]
    assert bool(open_supplements) == (state == ItemState.supplementing)
    assert (item.decided_on is not None) == (state in ITEM_DECIDED)
    assert (item.result_document is not None) == (state == ItemState.approved)
    if state == ItemState.refused:
        assert item.refusal_reason
    if item.attempt > 1:
        previous = item.previous_attempt
        assert previous.state == ItemState.refused and previous.unit_informed_on is not None
        assert item.submitted_on is None or item.submitted_on > previous.decided_on
    for day in (item.submitted_on, item.accepted_on, item.decided_on):
        assert day is None or day <= ANCHOR


def test_demo_refusals_reapplied_and_replanned(demo):
    """R-6.2, R-5.3: a refusal re-applied as a linked attempt; the plan gets a new version."""
    second = [i for i in all_rows(CommissionItem) if i.previous_attempt_id is not None]
    assert second
    versions: dict[int, list[int]] = {}
    for plan in all_rows(PlanVersion):
        versions.setdefault(plan.commission_id, []).append(plan.version)
    for item in second:
        assert sorted(versions[item.commission_id]) == [1, 2]


def test_demo_deadlines_agree_with_the_domain(demo):
    """R-6.6, R-13.1: the stored deadlines and overdue marks are what the sweep computes."""
    from app.domain.sweep import due_announcements, mark_overdue, recompute_deadlines

    db.session.flush()
    cal = load_calendar(db.session)
    assert recompute_deadlines(db.session, today=ANCHOR, cal=cal) == 0
    assert mark_overdue(db.session, ANCHOR) == (0, 0)
    assert due_announcements(db.session, ANCHOR) == []


def test_demo_plan_follows_the_domain_schedule(demo):
    """R-5.3: plan v1 is what app.domain.planning.schedule generates for the items."""
    from app.domain.planning import schedule

    cal = load_calendar(db.session)
    plans = [p for p in all_rows(PlanVersion) if p.version == 1 and p.confirmed_on]
    assert plans
    for plan in plans:
        pending = f.unsaved_items(s.approval_item for s in plan.steps)
        expected = [(s.item.approval_item, s.submit_on, s.done_on)
                    for s in schedule(pending, plan.confirmed_on, cal)]
        assert [(s.approval_item, s.planned_submit_on, s.planned_done_on)
                for s in plan.steps] == expected


def test_demo_results_deliveries_and_terminations(demo):
    """R-8, R-9, R-10: receipts and deliveries by state; terminations with reasons."""
    receipts = Counter(r.commission_id for r in all_rows(ResultReceipt))
    deliveries = all_rows(Delivery)
    terminations = {t.commission_id: t for t in all_rows(Termination)}
    for c in all_rows(Commission):
        if c.state in (CS.delivering, CS.completed):
            assert receipts[c.id] >= 1
        if c.state == CS.completed:
            signed = [d for d in deliveries if d.commission_id == c.id and d.receipt_signed_on]
            assert signed and signed[0].receipt_signed_on <= c.completed_on
        if c.state in (CS.terminating, CS.announced, CS.terminated):
            termination = terminations.pop(c.id)
            assert termination.reason and termination.reason_text
            assert termination.confirm_due_on > termination.issued_on
            if c.state == CS.announced:
                assert termination.announcement.effective_on > ANCHOR
            if c.state == CS.terminated:
                assert termination.effective_on == c.terminated_on
    assert not terminations   # no other commission has a termination form
    assert count(Announcement) >= 2
    assert all(f.amount >= 0 for f in all_rows(FeeNotice)) and count(FeeNotice) > 0


def test_demo_casework_meetings_and_supervision(demo):
    """R-6.3–6.7, R-7.1, R-13.2–13.4, R-2.3, R-12.1: the rest of the district's records."""
    assert count(WorkLogEntry) > 200 and count(Consultation) > 0
    corrections = [e for e in all_rows(WorkLogEntry) if e.corrects_id is not None]
    assert corrections and all(e.entry_type.value == "correction" for e in corrections)
    statuses = Counter(e.status for e in all_rows(Escalation))
    assert statuses[EscalationStatus.open] >= 1 and statuses[EscalationStatus.resolved] >= 1
    notices = all_rows(MaterialNotice)
    assert notices and all(n.lines for n in notices)
    assert any(line.material_id for n in notices for line in n.lines)

    meetings = all_rows(CoordinationMeeting)
    assert len(meetings) == 6
    assert 1 <= sum(1 for m in meetings if m.kind.value == "joint") <= 2
    assert all(m.attendees and m.action_items for m in meetings)
    assert sum(len(m.commissions) for m in meetings) > 0

    revisits = all_rows(Revisit)
    assert revisits and all(r.commission.state == CS.completed for r in revisits)
    bad = [r for r in revisits if r.rating.is_bad]
    assert len(bad) == 1 and bad[0].rectification is not None
    assert count(Rectification) == 1

    _check_assessments()
    trainings = all_rows(Training)
    assert len(trainings) == 3 and all(len(t.attendances) >= 10 for t in trainings)
    assert count(CalendarDay) >= 3

    changes = all_rows(RosterChange)
    kinds = Counter(r.kind for r in changes)
    assert kinds[RosterChangeKind.join] >= 1 and kinds[RosterChangeKind.replace] >= 1
    assert all(r.approved_on and r.applied_on == r.effective_on for r in changes)
    handed_over = [a for a in all_rows(CoordinatorAssignment) if a.ended_on is not None]
    assert handed_over and all(a.reason for a in handed_over)   # reassignment recorded
    leaver = next(r.staff for r in changes if r.kind == RosterChangeKind.replace)
    assert leaver.exited_on == handed_over[0].ended_on and leaver.status.value == "transferred"


def _check_assessments() -> None:
    """R-13.3, R-13.7: the demo's assessment is the product's: last quarter's figures as the
    domain computes them, flagged by the configured rule, every subject listed."""
    from app.domain.assessment import compute
    from app.domain.assessment_period import FlagRule
    from app.seed.supervision import last_quarter

    start, end = last_quarter(ANCHOR)
    saved = all_rows(Assessment)
    assert saved and {(a.period_start, a.period_end) for a in saved} == {(start, end)}
    figures = {(fig.subject, fig.subject_id): fig.frozen()
               for fig in compute(db.session, start, end)}
    assert {(a.subject, a.department_id or a.staff_id) for a in saved} == set(figures)
    rule = FlagRule.from_config()
    for row in saved:
        frozen = {name: getattr(row, name) for name in figures[(row.subject,
                                                                row.department_id or row.staff_id)]}
        assert frozen == figures[(row.subject, row.department_id or row.staff_id)]
        assert row.flagged == bool(rule.reasons(row.on_time_rate, row.average_rating, row.score))
    assert any(a.score is not None for a in saved)


def test_demo_materials_are_checklist_entries(demo):
    """R-6.5: one-time notice lines come from the item's own material checklist."""
    for notice in all_rows(MaterialNotice):
        for line in notice.lines:
            if line.material_id:
                material = db.session.get(ItemMaterial, line.material_id)
                assert material.approval_item_id == line.commission_item.approval_item_id
                assert line.material_name == material.name


def test_demo_open_commissions_are_in_their_state_now(demo):
    """Nothing in the demo happens after the anchor date (its 'today')."""
    event_columns = (
        (CommissionStateChange, "changed_at"), (WorkLogEntry, "logged_on"),
        (Consultation, "asked_on"), (Escalation, "raised_on"), (FeeNotice, "issued_on"),
        (ResultReceipt, "received_on"), (Delivery, "delivered_on"), (Revisit, "visited_on"),
        (CoordinationMeeting, "held_on"), (Training, "held_on"), (PreReview, "received_on"),
    )
    for model, column in event_columns:
        latest = db.session.scalar(sa.select(sa.func.max(getattr(model, column))))
        if isinstance(latest, dt.datetime):
            latest = latest.date()
        assert latest <= ANCHOR, (model.__name__, latest)
    open_states = {c.state for c in all_rows(Commission) if c.state in COMMISSION_OPEN}
    assert open_states == set(COMMISSION_OPEN)



# ---------------------------------------------------------------- one writer
#: the records the lifecycle writes (README: what is read-only on its screens)
LIFECYCLE_RECORDS = {
    "Commission", "CommissionItem", "CommissionStateChange", "CoordinatorAssignment",
    "ItemSupplement", "PlanVersion", "PlanStep", "Termination", "Announcement",
    "IssuedDocument", "Notification",
}
#: what a step writes on a record (an item's ``outcome`` is left out: the seed's pure
#: timeline has a field of that name)
LIFECYCLE_FIELDS = {
    "state", "application_no", "applied_on", "assigned_on", "coordinator", "coordinator_id",
    "contacted_on", "contact_method", "contact_due_on", "contact_overdue_on",
    "plan_confirmed_on", "completed_on", "terminated_on", "submitted_on", "accepted_on",
    "decided_on", "due_on", "overdue_on", "result_document", "refusal_reason",
    "unit_informed_on", "withdrawn_on", "withdrawal_reason", "planned_submit_on",
    "planned_done_on", "ineligible_reason", "other_channel", "approved_on",
    "handed_over_on", "effective_on", "confirmed_on", "confirmed_by",
}
#: the domain's writers below the steps
LIFECYCLE_WRITERS = {"move_commission", "move_item", "record_creation", "notify_unit",
                     "enqueue", "issue"}


def test_seed_writes_no_lifecycle_fact_R_16_1():
    """R-16.1: the demo seed (app/seed) creates no lifecycle record, sets no field a step
    sets and calls no writer below the steps: it plans steps, the replay runs them."""
    import ast
    import pathlib

    import app.seed

    offences = []
    for path in sorted(pathlib.Path(app.seed.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in LIFECYCLE_RECORDS | LIFECYCLE_WRITERS:
                    offences.append(f"{path.name}:{node.lineno} {name}(...)")
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                for element in getattr(target, "elts", [target]):
                    if isinstance(element, ast.Attribute) and element.attr in LIFECYCLE_FIELDS:
                        offences.append(f"{path.name}:{node.lineno} .{element.attr} =")
    assert not offences


def _step_note(change: CommissionStateChange, commission: Commission) -> bool:
    """Whether ``change`` carries the note its step writes (app/domain)."""
    from flask_babel import lazy_gettext as _

    from app.choices import TerminationReason

    target, note = change.to_state, change.note
    if change.from_state is None:
        return target == CS.pre_review and note is None
    if target == CS.accepted:
        return note == str(_("Confirmed application form received"))
    if target == CS.assigned:
        return note in {s.name for s in all_rows(StaffMember)}
    if target == CS.planning:
        return note == str(commission.contact_method.label)
    if target == CS.in_progress:
        return note == str(_("Plan v%(version)s confirmed by %(who)s", version=1,
                             who=commission.project.unit.handler_name))
    if target == CS.terminating:
        return note.startswith(str(commission.termination.reason.label)) and \
            commission.termination.reason in TerminationReason
    if target == CS.announced:
        return note == commission.termination.announcement.url
    if target == CS.terminated:
        return note in {str(_("Confirmed by the unit")),
                        str(_("Deemed confirmed 10 working days after the announcement"))}
    if target == CS.ineligible:
        return "第二条" in note
    return note is None   # start_delivery, complete


def test_demo_history_is_the_steps_own_R_16_1(demo):
    """R-16.1: every state change of the demo is a lifecycle step's transition (a step of
    app/lifecycle moves to that state; the sweep's deemed termination for 已公告 → 已终止),
    with the note that step writes, made by the system, at the step's moment."""
    from app.lifecycle import COMMISSION, PRE_REVIEW

    targets = {step.moves_to for life in (COMMISSION, PRE_REVIEW) for step in life.steps}
    for commission in all_rows(Commission):
        for change in commission.state_changes:
            assert change.to_state in targets and change.changed_by_id is None
            assert _step_note(change, commission), (commission, change.to_state, change.note)
    deemed = [c for c in all_rows(CommissionStateChange)
              if (c.from_state, c.to_state) == (CS.announced, CS.terminated)]
    assert deemed   # the replay's daily sweep applied an announcement


def test_demo_contact_entries_are_the_contact_steps_R_16_1(demo):
    """R-16.1, R-5.2: each contacted commission has exactly one contact entry in its work
    log, the contact step's: on the contact day, by the coordinator then in charge."""
    entries = Counter()
    for entry in all_rows(WorkLogEntry):
        if entry.entry_type.value != "contact":
            continue
        commission = entry.commission
        entries[commission.id] += 1
        assert entry.logged_on == commission.contacted_on
        assignments = [a for a in all_rows(CoordinatorAssignment)
                       if a.commission_id == commission.id and a.assigned_on <= entry.logged_on
                       and (a.ended_on is None or a.ended_on > entry.logged_on)]
        assert [a.staff_id for a in assignments] == [entry.author_id]
    contacted = {c.id for c in all_rows(Commission) if c.contacted_on is not None}
    assert set(entries) == contacted and set(entries.values()) == {1}


def test_demo_documents_and_messages_are_the_steps_R_16_1(demo):
    """R-16.1, R-9.1, R-10.6, R-11.1: the steps issued their documents (intact in the
    archive) and queued their messages to the units."""
    from app.documents.archive import intact
    from app.models import DocumentKind, IssuedDocument, Notification
    from app.notify.templates import UNIT_ONLINE, Template

    documents = all_rows(IssuedDocument)
    assert documents and all(intact(d) for d in documents)
    kinds = Counter((d.commission_id, d.kind) for d in documents)
    for c in all_rows(Commission):
        visited = _visited(c)
        assert kinds[(c.id, DocumentKind.completion)] == (c.state == CS.completed)
        expected = (CS.terminating in visited) + (c.state == CS.terminated)
        assert kinds[(c.id, DocumentKind.termination)] == expected, c
    templates = {n.template for n in all_rows(Notification)}
    # the demo is the window's work: what the unit does on its own pages is not in it
    assert templates == {t.value for t in Template if t not in UNIT_ONLINE}


def test_demo_assessment_flags_are_the_domains_R_16_1(demo):
    """R-16.1, R-13.3: the demo's assessment figures and 通报 flags are what the domain's
    assessment computes for the demo's data, under the configured flag rule."""
    _check_assessments()


def test_demo_screens_render(demo_db, app, client):
    """Every domain list screen and a show page per screen render the demo data (HTTP 200)."""
    failures = []
    with app.app_context():
        views = [v for v in app.appbuilder.baseviews if isinstance(v, ModelView)
                 and not v.datamodel.obj.__tablename__.startswith("ab_")]
        first = {v: db.session.scalar(sa.select(v.datamodel.obj.id).limit(1)) for v in views}
    assert len(views) >= 30
    for view in views:
        endpoint = type(view).__name__.lower()
        urls = [f"/{endpoint}/list/"] + ([f"/{endpoint}/show/{first[view]}"] if first[view] else [])
        for url in urls:
            status = client.get(url).status_code
            if status != 200:
                failures.append((url, status))
    assert not failures
