"""The demo district: a realistic, deterministic data set on top of the reference data.

``seed_demo(session, anchor)`` adds everything in the caller's transaction (flushes, never
commits) and returns False, changing nothing, when the demo is already there. All dates
are relative to ``anchor`` (the demo's "today"), never to the real date, and all choices
come from one seeded random generator: the same anchor gives the same data.

What the lifecycle owns is not written here: the cases are planned as timelines of steps
and replayed through the product (app/seed/replay.py, R-16.1), so the demo shows only what
the product computes. The rest (units, projects, staff, casework, meetings, revisits,
trainings) is added as its screens add it, from what the replay made.
"""
from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from app.domain.numbering import DEFAULT_FORMAT
from app.domain.workdays import load_calendar
from app.models import ApprovalItem, Department, Town, Unit
from app.seed.cases import plan_commissions, plan_enquiries
from app.seed.casework import write_casework
from app.seed.clients import FIRST_UNIT, seed_projects, seed_units
from app.seed.closing import plan_closing
from app.seed.context import DemoContext
from app.seed.items import plan_items, write_joint_approvals
from app.seed.people import plan_roster, seed_roster
from app.seed.reference import seed_reference
from app.seed.replay import Replay
from app.seed.scenario import plan_cases, schedule_cases
from app.seed.supervision import write_supervision
from app.seed.team import seed_calendar, write_trainings

DEMO_ANCHOR = dt.date(2026, 11, 27)
RANDOM_SEED = 441702


def demo_present(session: Session) -> bool:
    """True when the demo data set has been loaded (its first unit exists)."""
    return session.scalar(sa.select(Unit.id).where(Unit.name == FIRST_UNIT)) is not None


def seed_demo(session: Session, anchor: dt.date = DEMO_ANCHOR, *, confirm_days: int = 5,
              number_format: str = DEFAULT_FORMAT) -> bool:
    """Fill the demo district; False (and nothing changed) when it is already there."""
    if demo_present(session):
        return False
    seed_reference(session)
    seed_calendar(session)
    session.flush()
    rng = random.Random(RANDOM_SEED)
    departments = {d.name: d for d in session.scalars(sa.select(Department))}
    cal = load_calendar(session)
    replay = Replay(session, cal, _settings(confirm_days, number_format), anchor)
    ctx = DemoContext(
        session=session, anchor=anchor, cal=cal, rng=rng,
        roster=seed_roster(session, departments, anchor), departments=departments,
        replay=replay,
    )
    units = seed_units(session, rng)
    towns = {t.code: t for t in session.scalars(sa.select(Town))}
    projects = seed_projects(session, rng, units, towns)
    session.flush()
    catalogue = {i.name: i for i in session.scalars(sa.select(ApprovalItem))}
    cases = plan_cases(projects, catalogue, rng)
    schedule_cases(cases, anchor, ctx.cal, rng, confirm_days=confirm_days)
    plan_roster(replay, ctx.roster, departments, anchor)
    plan_commissions(ctx, cases)
    for built in ctx.built:
        plan_items(ctx, built)
        plan_closing(ctx, built)
    plan_enquiries(ctx)
    replay.run()
    ctx.collect()
    write_joint_approvals(ctx)
    write_casework(ctx)
    write_supervision(ctx)
    write_trainings(ctx)
    session.flush()
    return True


def _settings(confirm_days: int, number_format: str) -> dict:
    """What the steps read from the configuration: the app's, with the seed's arguments."""
    config = dict(current_app.config) if has_app_context() else {}
    config.setdefault("ROSTER_NOTICE_WORKING_DAYS", 1)
    config.update(TERMINATION_CONFIRM_DAYS=confirm_days, APPLICATION_NO_FORMAT=number_format)
    return config
