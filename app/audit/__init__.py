"""The audit trail (R-14.4): being written.

The interface other modules code against:
- ``record(action, *, object_type=None, object_id=None, result="ok", detail=None, user=None)``
  appends one audit row (who, when, IP, object, action, result) in the current transaction;
- ``init_audit(app)`` attaches the listeners that record every business change.
"""
from __future__ import annotations

from flask import Flask


def init_audit(app: Flask) -> None:
    """Attach the audit listeners to ``app`` (being written)."""
