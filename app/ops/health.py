"""The health check behind ``/health``: is the database answering?

A load balancer or a monitoring probe asks every few seconds, so the check is one trivial
query on a pooled connection. The answer names each part and its state, never an error
text (it could hold a host name or a user): the reason goes to the log.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

import sqlalchemy as sa

log = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class HealthReport:
    """The state of each part; healthy when every part is ``ok``."""

    parts: dict[str, str] = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        return all(state == OK for state in self.parts.values())

    def as_json(self) -> dict[str, str]:
        """``{"status": "ok"|"error", <part>: <state>, ...}``."""
        return {"status": OK if self.healthy else "error", **self.parts}


def check_database(engine: sa.Engine) -> str:
    """``ok`` when ``SELECT 1`` answers, else ``unavailable`` (the reason is logged)."""
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1")).scalar_one()
    except Exception:  # any failure means "not healthy"; the probe must get an answer
        log.warning("health check: the database does not answer", exc_info=True)
        return UNAVAILABLE
    return OK


def check(engine: sa.Engine) -> HealthReport:
    """Every part the app needs to serve requests (today: the database)."""
    return HealthReport({"database": check_database(engine)})
