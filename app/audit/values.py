"""Values as the audit trail stores them: JSON-safe, short, stable codes (not labels)."""
from __future__ import annotations

import datetime as dt
import decimal
import enum
from typing import Any

from app.audit.policy import MAX_TEXT


def jsonable(value: Any) -> Any:
    """``value`` in a form JSON can hold; records are shown as their text and id."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "…"
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(value)} bytes>"
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if hasattr(value, "__table__"):
        return reference(value)
    return jsonable(str(value))


def reference(obj: Any) -> str:
    """A related record as "text (#id)"."""
    try:
        text = repr(obj)
    except Exception:  # noqa: BLE001  (a repr needing a lazy load must not break a save)
        text = type(obj).__name__
    ident = getattr(obj, "id", None)
    return f"{text} (#{ident})" if ident is not None else text
