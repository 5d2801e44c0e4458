"""The one way a commission or an item changes state: checked, compare-and-set, recorded.

``move_commission`` refuses a transition the table in app/states.py does not allow,
then updates the row only if it is still in the state the caller saw (compare-and-set),
so two clerks clicking at once cannot both move it; the loser gets a clear reason.
Every move writes a CommissionStateChange row in the same transaction.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.domain.errors import DomainError
from app.models.commission import Commission, CommissionStateChange
from app.models.items import CommissionItem
from app.models.mixins import utcnow
from app.states import CommissionState, ItemState, can_transition, can_transition_item


class TransitionRefused(DomainError):
    """The lifecycle does not allow this step now."""


def actor_id(actor: Any) -> int | None:
    """The FAB user id of ``actor`` (None for the system, e.g. the sweep)."""
    return getattr(actor, "id", None) if actor is not None else None


def check_move(record: Commission | CommissionItem, target: CommissionState | ItemState) -> None:
    """Raise TransitionRefused unless the lifecycle table allows ``record`` → ``target``."""
    if isinstance(record, Commission):
        allowed, message = can_transition(record.state, target), _(
            "A commission in state “%(current)s” cannot move to “%(target)s”.",
            current=record.state.label, target=target.label)
    else:
        allowed, message = can_transition_item(record.state, target), _(
            "An item in state “%(current)s” cannot move to “%(target)s”.",
            current=record.state.label, target=target.label)
    if not allowed:
        raise TransitionRefused(message)


def move_commission(session: Session, commission: Commission, target: CommissionState, *,
                    actor: Any = None, note: str | None = None,
                    at: dt.datetime | None = None, **values: Any) -> None:
    """Move ``commission`` to ``target`` or raise TransitionRefused (nothing changed).

    ``values`` are further columns written in the same UPDATE as the state, so the row
    never exists in the new state without the facts that state requires.
    """
    current = commission.state
    check_move(commission, target)
    _compare_and_set(session, commission, current, target, values, _(
        "The commission was changed by someone else meanwhile; reload and try again."))
    session.add(CommissionStateChange(
        commission=commission, from_state=current, to_state=target,
        changed_by_id=actor_id(actor), note=note, changed_at=at or utcnow(),
    ))


def record_creation(session: Session, commission: Commission, *, actor: Any = None,
                    note: str | None = None) -> None:
    """The first history row of a commission: created in its initial state."""
    session.add(CommissionStateChange(
        commission=commission, from_state=None, to_state=commission.state,
        changed_by_id=actor_id(actor), note=note, changed_at=utcnow(),
    ))


def move_item(session: Session, item: CommissionItem, target: ItemState, **values: Any) -> None:
    """Move a delegated item to ``target`` (with ``values``) or raise TransitionRefused."""
    current = item.state
    check_move(item, target)
    _compare_and_set(session, item, current, target, values, _(
        "The item was changed by someone else meanwhile; reload and try again."))


def _compare_and_set(session: Session, obj: Any, current: Any, target: Any,
                     values: dict[str, Any], stale_message: object) -> None:
    """UPDATE the row to ``target`` (and ``values``) only if it is still in ``current``."""
    session.flush()  # a new row needs its id; pending changes go first
    model = type(obj)
    result = session.execute(
        sa.update(model)
        .where(model.id == obj.id, model.state == current)
        .values(state=target, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise TransitionRefused(stale_message)
    # keep the loaded object in step without expiring its other pending changes
    for name, value in {"state": target, **values}.items():
        set_committed_value(obj, name, value)


def require(condition: bool, message: object) -> None:
    """Raise a DomainError with ``message`` unless ``condition`` holds."""
    if not condition:
        raise DomainError(message)
