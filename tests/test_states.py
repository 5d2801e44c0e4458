"""The lifecycle tables of app/states.py: groups, transitions and the guards over them.

Pure data tests: no app or database is needed. They pin the commission lifecycle of
architecture.md ("The commission lifecycle") and the item lifecycle of R-6.1, so that a
change to either table is a deliberate one.
"""
from __future__ import annotations

import itertools

import pytest

from app.states import (
    COMMISSION_CLOSED,
    COMMISSION_OPEN,
    COMMISSION_TRANSITIONS,
    ITEM_CLOCK_STOPPED,
    ITEM_CLOSED,
    ITEM_OPEN,
    ITEM_TRANSITIONS,
    CommissionState as C,
    ItemState as I,
    can_transition,
    can_transition_item,
)

HAPPY_PATH = [C.pre_review, C.accepted, C.assigned, C.planning, C.in_progress,
              C.delivering, C.completed]
ITEM_HAPPY_PATH = [I.pending, I.submitted, I.accepted, I.supplementing, I.accepted, I.approved]


# --- commission -----------------------------------------------------------------------------

def test_every_commission_state_is_either_open_or_closed():
    """R-4.4: 'active' (open) is defined for every state, and no state is both."""
    assert COMMISSION_OPEN | COMMISSION_CLOSED == set(C)
    assert not COMMISSION_OPEN & COMMISSION_CLOSED
    assert COMMISSION_CLOSED == {C.ineligible, C.completed, C.terminated}
    for state in C:
        assert state.is_open == (state in COMMISSION_OPEN)


def test_every_commission_state_has_a_transition_row():
    """The table is complete: a state missing from it would silently allow nothing."""
    assert set(COMMISSION_TRANSITIONS) == set(C)
    for targets in COMMISSION_TRANSITIONS.values():
        assert targets <= set(C)


@pytest.mark.parametrize("state", sorted(COMMISSION_CLOSED), ids=lambda s: s.value)
def test_closed_commission_states_are_final(state):
    """R-9.1, R-10.4: a completed, ineligible or terminated commission never moves again."""
    assert COMMISSION_TRANSITIONS[state] == frozenset()
    for target in C:
        assert not can_transition(state, target)


@pytest.mark.parametrize(
    "state", sorted(COMMISSION_OPEN - {C.terminating, C.announced}), ids=lambda s: s.value
)
def test_every_open_state_before_termination_can_be_terminated(state):
    """R-10.1, R-10.2: any open commission can enter the termination procedure (Art.9)."""
    assert can_transition(state, C.terminating)


def test_termination_procedure_cannot_restart_itself():
    """R-10.2, R-10.4: terminating/announced go forward only, never back to terminating."""
    assert not can_transition(C.terminating, C.terminating)
    assert not can_transition(C.announced, C.terminating)
    assert COMMISSION_TRANSITIONS[C.terminating] == {C.terminated, C.announced}
    assert COMMISSION_TRANSITIONS[C.announced] == {C.terminated}


def test_termination_ends_in_terminated():
    """R-10.4: confirmed by the unit, or announced and then deemed confirmed."""
    assert can_transition(C.terminating, C.terminated)
    assert can_transition(C.terminating, C.announced)
    assert can_transition(C.announced, C.terminated)
    assert not can_transition(C.announced, C.completed)
    assert not can_transition(C.terminating, C.completed)


def test_every_open_state_can_reach_a_closed_state():
    """No open state is a dead end: every case can be closed one way or another."""
    for start in COMMISSION_OPEN:
        seen, frontier = {start}, [start]
        while frontier:
            for nxt in COMMISSION_TRANSITIONS[frontier.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        assert seen & COMMISSION_CLOSED, start


@pytest.mark.parametrize("current, target", list(itertools.pairwise(HAPPY_PATH)),
                         ids=lambda s: s.value)
def test_happy_path_is_allowed_step_by_step(current, target):
    """Art.6–Art.8: pre_review → accepted → assigned → planning → in_progress →
    delivering → completed, one step at a time."""
    assert can_transition(current, target)


@pytest.mark.parametrize(
    "current, target",
    [(a, b) for i, a in enumerate(HAPPY_PATH) for b in HAPPY_PATH[i + 2:]],
    ids=lambda s: s.value,
)
def test_skipping_a_step_is_refused(current, target):
    """Art.6–Art.8: no step of the happy path can be skipped (e.g. accepted → planning)."""
    assert not can_transition(current, target)


@pytest.mark.parametrize(
    "current, target",
    [(b, a) for i, a in enumerate(HAPPY_PATH) for b in HAPPY_PATH[i + 1:]],
    ids=lambda s: s.value,
)
def test_going_backwards_is_refused(current, target):
    """The lifecycle only moves forward."""
    assert not can_transition(current, target)


def test_only_pre_review_can_be_found_ineligible():
    """R-1.2: ineligibility is the outcome of the pre-review, not of a later step."""
    sources = {s for s in C if can_transition(s, C.ineligible)}
    assert sources == {C.pre_review}


def test_no_state_transitions_to_itself():
    for state in C:
        assert not can_transition(state, state)


# --- items ----------------------------------------------------------------------------------

def test_every_item_state_has_a_transition_row_and_a_group():
    """R-6.1: the item table is complete; open and closed partition the states."""
    assert set(ITEM_TRANSITIONS) == set(I)
    assert ITEM_OPEN | ITEM_CLOSED == set(I)
    assert not ITEM_OPEN & ITEM_CLOSED
    for state in I:
        assert state.is_open == (state in ITEM_OPEN)


@pytest.mark.parametrize("current, target", list(itertools.pairwise(ITEM_HAPPY_PATH)),
                         ids=lambda s: s.value)
def test_item_path_through_supplementing_is_allowed(current, target):
    """R-6.1: 待申报 → 已申报 → 已受理 → 补正中 → 已受理 → 准予许可."""
    assert can_transition_item(current, target)


@pytest.mark.parametrize("state", sorted(ITEM_CLOSED), ids=lambda s: s.value)
def test_approved_and_refused_are_final(state):
    """R-6.1, R-6.2: a decided item never moves; a re-application is a new attempt."""
    assert ITEM_TRANSITIONS[state] == frozenset()
    for target in I:
        assert not can_transition_item(state, target)


@pytest.mark.parametrize(
    "current, target",
    [
        (I.pending, I.accepted),        # not yet submitted
        (I.pending, I.approved),
        (I.pending, I.refused),
        (I.pending, I.supplementing),
        (I.submitted, I.approved),      # must be accepted by the department first
        (I.submitted, I.supplementing),
        (I.submitted, I.pending),
        (I.accepted, I.submitted),
        (I.accepted, I.pending),
        (I.supplementing, I.approved),  # the clock must restart (accepted) before a decision
        (I.supplementing, I.submitted),
        (I.refused, I.pending),
        (I.approved, I.refused),
    ],
    ids=lambda s: s.value,
)
def test_illegal_item_transitions_are_refused(current, target):
    """R-6.1: items follow the order 待申报 → 已申报 → 已受理 → (补正中) → decision."""
    assert not can_transition_item(current, target)


def test_refusal_is_possible_from_every_state_after_submission():
    """R-6.2: a department may refuse after submission, after acceptance or during 补正."""
    assert {s for s in I if can_transition_item(s, I.refused)} == {
        I.submitted, I.accepted, I.supplementing
    }


def test_only_supplementing_stops_the_clock():
    """R-6.1, R-6.6: suspended time (补正) is not counted in the time limit."""
    assert ITEM_CLOCK_STOPPED == {I.supplementing}
    assert ITEM_CLOCK_STOPPED <= ITEM_OPEN
