"""Application numbers (申请编号, R-4.2): unique, sequential per year, safe under concurrency.

The counter row of the year is incremented with one UPDATE ... RETURNING statement, which
PostgreSQL serialises with a row lock and SQLite with its write lock, so two requests can
never read the same value. The number is taken inside the caller's transaction: if that
transaction rolls back, so does the increment (no gap is left by a failed acceptance).
"""
from __future__ import annotations

import re
import string

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.models.counter import ApplicationCounter

DEFAULT_FORMAT = "JCXB-{year}-{seq:04d}"


def _ensure_counter(session: Session, year: int) -> None:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(ApplicationCounter)
        .values(year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )


def next_sequence(session: Session, year: int) -> int:
    """Reserve and return the next sequence number of ``year``."""
    _ensure_counter(session, year)
    return session.execute(
        sa.update(ApplicationCounter)
        .where(ApplicationCounter.year == year)
        .values(last_value=ApplicationCounter.last_value + 1)
        .returning(ApplicationCounter.last_value)
    ).scalar_one()


def next_application_no(session: Session, year: int, fmt: str = DEFAULT_FORMAT) -> str:
    """The next application number of ``year`` in format ``fmt`` ({year}, {seq})."""
    return fmt.format(year=year, seq=next_sequence(session, year))


def reserve_up_to(session: Session, year: int, last_value: int) -> None:
    """Make sure the counter of ``year`` is at least ``last_value`` (for imports and seeds)."""
    _ensure_counter(session, year)
    session.execute(
        sa.update(ApplicationCounter)
        .where(ApplicationCounter.year == year, ApplicationCounter.last_value < last_value)
        .values(last_value=last_value)
    )


def parse_application_no(number: str, fmt: str = DEFAULT_FORMAT) -> tuple[int, int] | None:
    """(year, sequence) of ``number`` when it is written in format ``fmt``, else None."""
    pattern = ""
    for literal, field, _spec, _conv in string.Formatter().parse(fmt):
        pattern += re.escape(literal)
        if field == "year":
            pattern += r"(?P<year>[0-9]{4})"
        elif field == "seq":
            pattern += r"(?P<seq>[0-9]+)"
        elif field is not None:
            return None
    match = re.fullmatch(pattern, number or "")
    if match is None or "year" not in match.groupdict() or "seq" not in match.groupdict():
        return None
    return int(match["year"]), int(match["seq"])
