"""The audit trail (R-14.4): being written."""
from __future__ import annotations

from flask import Flask


def init_audit(app: Flask) -> None:
    """Attach the audit listeners to ``app`` (being written)."""
