"""Writing audit rows: ``record()`` for explicit events, ``row()`` for the listeners."""
from __future__ import annotations

from typing import Any

from app.audit.context import client_ip, user_fields
from app.audit.values import jsonable
from app.extensions import db
from app.models.audit import AuditAction, AuditLog, AuditResult
from app.models.mixins import utcnow


def type_name(object_type: Any) -> str | None:
    """A model class, an instance or a name, as the stored object type (the class name)."""
    if object_type is None or isinstance(object_type, str):
        return object_type
    cls = object_type if isinstance(object_type, type) else type(object_type)
    return cls.__name__


def row(action: AuditAction | str, *, object_type: Any = None, object_id: Any = None,
        result: AuditResult | str = AuditResult.ok, detail: Any = None,
        user: Any = None, ip: str | None = None) -> dict[str, Any]:
    """The column values of one audit row (who and where from the request, if any; ``ip``:
    the address of a request that work outside it is done for, a background export)."""
    return {
        "at": utcnow(),
        **user_fields(user),
        "ip": ip if ip is not None else client_ip(),
        "action": AuditAction(action),
        "object_type": type_name(object_type),
        "object_id": None if object_id is None else str(object_id)[:64],
        "result": AuditResult(result),
        "detail": jsonable(detail),
    }


def record(action: AuditAction | str, *, object_type: Any = None, object_id: Any = None,
           result: AuditResult | str = AuditResult.ok, detail: Any = None, user: Any = None,
           session: Any = None, ip: str | None = None) -> AuditLog:
    """Append one audit row to the current transaction of ``session`` (default: the app's).

    The row is written when the caller commits, together with the change it describes;
    a request that only reads (a download, an export) must commit after calling this.
    ``action`` and ``result`` are AuditAction / AuditResult members or their codes.
    """
    entry = AuditLog(**row(action, object_type=object_type, object_id=object_id,
                           result=result, detail=detail, user=user, ip=ip))
    (session or db.session).add(entry)
    return entry


def record_now(action: AuditAction | str, **kwargs: Any) -> AuditLog:
    """``record()`` and commit at once: for events that change nothing else (a login, a
    download, an export), where no later commit would write the row."""
    entry = record(action, **kwargs)
    (kwargs.get("session") or db.session).commit()
    return entry
