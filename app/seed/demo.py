"""The demo district: a realistic, deterministic data set on top of the reference data.

``seed_demo(session, anchor)`` adds everything in the caller's transaction (flushes, never
commits) and returns False, changing nothing, when the demo is already there. All dates
are relative to ``anchor`` (the demo's "today"), never to the real date, and all choices
come from one seeded random generator: the same anchor gives the same data.
"""
from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.domain.numbering import DEFAULT_FORMAT
from app.domain.workdays import load_calendar
from app.models import ApprovalItem, Department, Town, Unit
from app.seed.cases import write_cases, write_enquiries
from app.seed.casework import write_casework
from app.seed.clients import FIRST_UNIT, seed_projects, seed_units
from app.seed.closing import write_closing
from app.seed.context import DemoContext
from app.seed.items import write_items
from app.seed.people import seed_roster
from app.seed.reference import seed_reference
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
    ctx = DemoContext(
        session=session, anchor=anchor, cal=load_calendar(session),
        rng=rng, roster=seed_roster(session, departments, anchor), departments=departments,
        confirm_days=confirm_days, number_format=number_format,
    )
    units = seed_units(session, rng)
    towns = {t.code: t for t in session.scalars(sa.select(Town))}
    projects = seed_projects(session, rng, units, towns)
    session.flush()
    catalogue = {i.name: i for i in session.scalars(sa.select(ApprovalItem))}
    cases = plan_cases(projects, catalogue, rng)
    schedule_cases(cases, anchor, ctx.cal, rng, confirm_days=confirm_days)
    write_cases(ctx, cases)
    for built in ctx.built:
        write_items(ctx, built)
    write_casework(ctx)
    write_closing(ctx)
    write_supervision(ctx)
    write_trainings(ctx)
    write_enquiries(ctx)
    session.flush()
    return True

