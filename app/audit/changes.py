"""Business changes, recorded from the ORM session in the transaction that makes them.

- ``after_flush``: every row the flush inserted, updated or deleted becomes an audit row
  (create / update / delete, with the changed fields before and after); an insert into a
  state history (CommissionStateChange) becomes a "transition" of its commission. The
  rows are inserted on the flush's own connection, so they commit or roll back with it.
- ``do_orm_execute``: an ORM ``update()`` / ``delete()`` statement (the compare-and-set of
  app/domain/transitions.py, the sweep) bypasses the flush; it is recorded with the values
  it set and the equality conditions it matched. One that sets ``state`` is a "transition".
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.attributes import NO_VALUE, instance_state
from sqlalchemy.sql import operators, visitors

from app.audit import policy
from app.audit.trail import record, row
from app.audit.values import jsonable, reference
from app.models.audit import AuditAction, AuditLog

# ---- the flush ----------------------------------------------------------------------

#: session.info key: the stored values of columns the session had not loaded, read in
#: before_flush for the rows the flush will update or delete
_STORED = "audit_stored_values"


def before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    """Read the old values a flush is about to overwrite but the session never loaded.

    After a commit every attribute is expired: setting one then records no old value, and
    a foreign key set through a relation is only written during the flush. One SELECT per
    such row keeps "before" exact (a form's edit loads the row first and needs none).
    """
    stored = session.info[_STORED] = {}  # flushes do not nest: start afresh
    for obj in list(session.dirty) + list(session.deleted):
        mapper = _audited_mapper(obj)
        state = instance_state(obj)
        if mapper is None or state.key is None or state in stored:
            continue
        if obj in session.dirty and not session.is_modified(obj):
            continue
        missing = [attr for attr in mapper.column_attrs
                   if attr.key not in state.dict or state.committed_state.get(attr.key, 0)
                   is NO_VALUE]
        if not missing:
            continue
        key_columns = mapper.primary_key
        query = sa.select(*(attr.columns[0] for attr in missing)).where(
            *(column == value for column, value in zip(key_columns, state.key[1])))
        found = session.connection().execute(query).first()
        if found is not None:
            stored[state] = {attr.key: value for attr, value in zip(missing, found)}


def after_flush(session: Session, flush_context: Any) -> None:
    """Record what this flush wrote (the session still shows its pre-flush state)."""
    stored = session.info.pop(_STORED, {})
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        rows += _inserted(obj)
    for obj in session.dirty:
        rows += _updated(obj, stored.get(instance_state(obj), {}))
    for obj in session.deleted:
        rows += _deleted(obj, stored.get(instance_state(obj), {}))
    if rows:
        session.connection().execute(AuditLog.__table__.insert(), rows)


def _audited_mapper(obj: Any) -> Any:
    mapper = sa.inspect(type(obj), raiseerr=False)
    return mapper if mapper is not None and policy.is_audited(mapper) else None


def _object_id(mapper: Any, obj: Any) -> str | None:
    state = instance_state(obj)
    key = state.identity or mapper.primary_key_from_instance(obj)
    values = [v for v in key if v is not None] if key else []
    return "/".join(str(v) for v in values) or None


def _value(mapper: Any, key: str, value: Any) -> Any:
    if key in policy.redacted_columns(mapper) and value is not None:
        return policy.REDACTED
    return jsonable(value)


def _snapshot(obj: Any, mapper: Any, stored: dict[str, Any] | None = None) -> dict[str, Any]:
    """The non-empty column values (loaded, else ``stored``) and many-to-many lists."""
    state = instance_state(obj)
    ignored = policy.ignored_columns(mapper)
    values: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        if attr.key in ignored:
            continue
        value = state.dict.get(attr.key, (stored or {}).get(attr.key))
        if value is not None:
            values[attr.key] = _value(mapper, attr.key, value)
    for rel in mapper.relationships:
        if rel.secondary is not None and rel.key in state.dict and rel.key not in ignored:
            related = state.dict[rel.key] or []
            if related:
                values[rel.key] = sorted(reference(o) for o in related)
    return values


def _inserted(obj: Any) -> list[dict[str, Any]]:
    mapper = _audited_mapper(obj)
    if mapper is None:
        return []
    history = policy.TRANSITION_HISTORY.get(mapper.local_table.name)
    if history is not None:
        object_type, id_column = history
        state = instance_state(obj).dict
        return [row(AuditAction.transition, object_type=object_type,
                    object_id=state.get(id_column),
                    detail={"from": state.get("from_state"), "to": state.get("to_state"),
                            "note": state.get("note")})]
    return [row(AuditAction.create, object_type=obj, object_id=_object_id(mapper, obj),
                detail={"after": _snapshot(obj, mapper)})]


def _updated(obj: Any, stored: dict[str, Any]) -> list[dict[str, Any]]:
    mapper = _audited_mapper(obj)
    if mapper is None:
        return []
    state = instance_state(obj)
    ignored = policy.ignored_columns(mapper)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        if attr.key in ignored:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else stored.get(attr.key)
        new = history.added[0] if history.added else None
        if jsonable(old) != jsonable(new):  # set to the value it had: not a change
            before[attr.key] = _value(mapper, attr.key, old)
            after[attr.key] = _value(mapper, attr.key, new)
    for rel in mapper.relationships:
        if rel.secondary is None or rel.key in ignored:
            continue
        history = state.attrs[rel.key].history
        if history.added or history.deleted:
            kept = [reference(o) for o in history.unchanged or ()]
            before[rel.key] = sorted(kept + [reference(o) for o in history.deleted or ()])
            after[rel.key] = sorted(kept + [reference(o) for o in history.added or ()])
    if not after:
        return []
    return [row(AuditAction.update, object_type=obj, object_id=_object_id(mapper, obj),
                detail={"before": before, "after": after})]


def _deleted(obj: Any, stored: dict[str, Any]) -> list[dict[str, Any]]:
    mapper = _audited_mapper(obj)
    if mapper is None:
        return []
    return [row(AuditAction.delete, object_type=obj, object_id=_object_id(mapper, obj),
                detail={"before": _snapshot(obj, mapper, stored)})]


# ---- UPDATE / DELETE statements -----------------------------------------------------


def on_orm_execute(orm_state: ORMExecuteState) -> Any:
    """Run an ORM UPDATE/DELETE statement and record it if it touched audited rows."""
    if not (orm_state.is_update or orm_state.is_delete):
        return None
    mapper = orm_state.bind_mapper
    if mapper is None or not policy.is_audited(mapper):
        return None
    statement = orm_state.statement
    result = orm_state.invoke_statement()
    if result.rowcount == 0:
        return result
    where = _equalities(statement.whereclause)
    detail: dict[str, Any] = {"where": where, "rows": result.rowcount}
    action = AuditAction.delete
    if orm_state.is_update:
        values = _set_values(mapper, statement)
        table = mapper.local_table.name
        if table in policy.STATE_WITH_HISTORY:
            values.pop(policy.STATE_COLUMN, None)  # recorded from the history row
        if not values:
            return result
        action = (AuditAction.transition if policy.STATE_COLUMN in values
                  else AuditAction.update)
        detail["after"] = values
    record(action, object_type=mapper.class_, object_id=where.get("id"), detail=detail,
           session=orm_state.session)
    return result


def _set_values(mapper: Any, statement: Any) -> dict[str, Any]:
    ignored = policy.ignored_columns(mapper)
    values: dict[str, Any] = {}
    for column, value in (getattr(statement, "_values", None) or {}).items():
        key = getattr(column, "key", str(column))
        if key in ignored:
            continue
        if isinstance(value, sa.BindParameter):
            value = value.value
        elif isinstance(value, sa.ClauseElement):
            value = str(value)  # an expression such as "attempts + 1"
        values[key] = _value(mapper, key, value)
    return values


def _equalities(clause: Any) -> dict[str, Any]:
    """``column = value`` conditions of a WHERE clause (the row's id, the expected state)."""
    found: dict[str, Any] = {}
    if clause is None:
        return found
    for element in visitors.iterate(clause):
        if (isinstance(element, sa.BinaryExpression) and element.operator is operators.eq
                and isinstance(element.right, sa.BindParameter)
                and getattr(element.left, "key", None)):
            found[element.left.key] = jsonable(element.right.value)
    return found
