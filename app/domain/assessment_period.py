"""A period's 考核评价: the rows a supervisor scores, the 通报 flag rule, saving (R-13.3).

Saving freezes the computed figures into one Assessment row per subject and period. Saving
the same period again keeps the frozen figures and changes only the score and remarks (and
so the flag); a subject without a row yet (e.g. a coordinator who joined the roster later)
gets one with the figures computed then. To compute a period afresh, delete its rows.

A subject is flagged for the district report (通报) when any configured threshold is
crossed: on-time rate below ASSESSMENT_FLAG_ON_TIME_BELOW (%, default 80), average rating
below ASSESSMENT_FLAG_AVG_RATING_BELOW (default 3.0), score below
ASSESSMENT_FLAG_SCORE_BELOW (default 60). An empty figure crosses nothing; a threshold
set to "" or None is off.
"""
from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from typing import Any, Mapping

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app.choices import AssessmentSubject
from app.domain.assessment import FROZEN, Figures, check_period, compute
from app.domain.errors import DomainError
from app.models.assessment import Assessment

SubjectKey = tuple[AssessmentSubject, int]

#: config key → default of each threshold of the flag rule
FLAG_DEFAULTS = {
    "ASSESSMENT_FLAG_ON_TIME_BELOW": "80",
    "ASSESSMENT_FLAG_AVG_RATING_BELOW": "3.0",
    "ASSESSMENT_FLAG_SCORE_BELOW": "60",
}

#: The columns of a period's table (key of assessment_rows' dicts, Chinese header).
ROW_COLUMNS = [
    ("subject", _("Assessed subject")),
    ("name", _("Department or coordinator")),
    ("commissions_handled", _("Commissions handled")),
    ("on_time_rate", _("On-time rate (%)")),
    ("item_on_time_rate", _("Items decided on time (%)")),
    ("contact_on_time_rate", _("Contacts made on time (%)")),
    ("overdue_count", _("Overdue count")),
    ("refusals", _("Refusals")),
    ("average_rating", _("Average rating")),
    ("open_escalations", _("Open escalations")),
    ("score", _("Score")),
    ("remarks", _("Remarks")),
    ("flagged", _("Flagged for the district report")),
    ("flag_reasons", _("Reasons for the flag")),
    # When the figures were frozen (R-16.4: Beijing time in the ledger); empty: not saved.
    ("frozen_at", _("Figures frozen at")),
]


def _threshold(value: Any) -> decimal.Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return decimal.Decimal(str(value).strip())


@dataclass(frozen=True)
class FlagRule:
    """Thresholds below which a subject is flagged for the 通报; None switches one off."""

    on_time_below: decimal.Decimal | None = decimal.Decimal("80")
    avg_rating_below: decimal.Decimal | None = decimal.Decimal("3.0")
    score_below: decimal.Decimal | None = decimal.Decimal("60")

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None = None) -> "FlagRule":
        """The rule from the app's config (the defaults outside an app context)."""
        if config is None:
            config = current_app.config if has_app_context() else {}
        on_time, rating, score = (_threshold(config.get(key, default))
                                  for key, default in FLAG_DEFAULTS.items())
        return cls(on_time, rating, score)

    def reasons(self, on_time_rate: decimal.Decimal | None,
                average_rating: decimal.Decimal | None,
                score: decimal.Decimal | None) -> list[str]:
        """Why the figures cross the rule (Chinese sentences); [] when they do not."""
        found: list[str] = []
        if _below(on_time_rate, self.on_time_below):
            found.append(str(_("On-time rate %(value)s%% is below %(limit)s%%",
                               value=on_time_rate, limit=self.on_time_below)))
        if _below(average_rating, self.avg_rating_below):
            found.append(str(_("Average rating %(value)s is below %(limit)s",
                               value=average_rating, limit=self.avg_rating_below)))
        if _below(score, self.score_below):
            found.append(str(_("Score %(value)s is below %(limit)s",
                               value=score, limit=self.score_below)))
        return found

    def apply(self, row: Assessment) -> list[str]:
        """Set ``row.flagged`` from its frozen figures and score; returns the reasons."""
        found = self.reasons(row.on_time_rate, row.average_rating, row.score)
        row.flagged = bool(found)
        return found


def _below(value: decimal.Decimal | None, limit: decimal.Decimal | None) -> bool:
    return value is not None and limit is not None and decimal.Decimal(value) < limit


def parse_score(text: Any) -> decimal.Decimal | None:
    """A score typed on the screen: empty → None; else a number in 0–100, two decimals."""
    if text is None or not str(text).strip():
        return None
    try:
        value = decimal.Decimal(str(text).strip())
    except decimal.InvalidOperation:
        raise DomainError(_("The score must be a number.")) from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise DomainError(_("The score lies between 0 and 100."))
    return value.quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)


@dataclass
class PeriodRow:
    """One line of a period's table: frozen figures when saved, else computed ones."""

    subject: AssessmentSubject
    subject_id: int
    name: str
    values: dict[str, Any]
    figures: Figures | None = None  # the live breakdown, when not saved
    saved: Assessment | None = None
    score: decimal.Decimal | None = None
    remarks: str | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def key(self) -> SubjectKey:
        return (self.subject, self.subject_id)

    @property
    def flagged(self) -> bool:
        """As saved (the rule in force then), else as the rule says now."""
        return self.saved.flagged if self.saved is not None else bool(self.reasons)

    def as_dict(self) -> dict[str, Any]:
        """The row under ROW_COLUMNS' keys (labels as text), for tables and ledgers."""
        live = self.figures
        return {
            "subject": str(self.subject), "name": self.name, **self.values,
            "item_on_time_rate": live.item_on_time_rate if live else None,
            "contact_on_time_rate": live.contact_on_time_rate if live else None,
            "score": self.score, "remarks": self.remarks, "flagged": self.flagged,
            "flag_reasons": "；".join(self.reasons),
            "frozen_at": self.saved.created_at if self.saved is not None else None,
        }


def saved_rows(session: Session, start: dt.date, end: dt.date) -> dict[SubjectKey, Assessment]:
    """The period's saved assessments by subject."""
    rows = session.scalars(sa.select(Assessment).where(
        Assessment.period_start == start, Assessment.period_end == end))
    return {(r.subject, r.department_id or r.staff_id): r for r in rows}


def period_rows(session: Session, start: dt.date, end: dt.date,
                rule: FlagRule | None = None) -> list[PeriodRow]:
    """Every subject of the period: departments first, then coordinators."""
    rule = rule or FlagRule.from_config()
    saved = saved_rows(session, start, end)
    rows: list[PeriodRow] = []
    for figures in compute(session, start, end):
        key = (figures.subject, figures.subject_id)
        row = saved.pop(key, None)
        rows.append(_row(figures.subject, figures.subject_id, figures.name, rule,
                         figures=None if row else figures, saved=row))
    for key, row in saved.items():  # saved subjects no longer listed (e.g. deactivated)
        rows.append(_row(key[0], key[1], str(row.department or row.staff), rule, saved=row))
    rows.sort(key=lambda r: r.subject != AssessmentSubject.department)
    return rows


def _row(subject: AssessmentSubject, subject_id: int, name: str, rule: FlagRule, *,
         figures: Figures | None = None, saved: Assessment | None = None) -> PeriodRow:
    if saved is not None:
        values = {col: getattr(saved, col) for col in FROZEN}
        score, remarks = saved.score, saved.remarks
    else:
        values, score, remarks = figures.frozen(), None, None
    row = PeriodRow(subject, subject_id, name, values, figures, saved, score, remarks)
    row.reasons = rule.reasons(values["on_time_rate"], values["average_rating"], score)
    if saved is not None and saved.flagged != bool(row.reasons):
        # The thresholds changed since the period was saved: the saved flag stands (saving
        # again re-applies the rule in force).
        row.reasons = ([str(_("Flagged under the thresholds in force when it was saved"))]
                       if saved.flagged else [])
    return row


def assessment_rows(session: Session, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The period's table as plain dicts under ROW_COLUMNS' keys (for the Excel ledger)."""
    return [row.as_dict() for row in period_rows(session, start, end)]


@dataclass(frozen=True)
class Entry:
    """What the supervisor typed for one subject."""

    score: decimal.Decimal | None
    remarks: str | None


def save_period(session: Session, start: dt.date, end: dt.date,
                entries: Mapping[SubjectKey, Entry], *, today: dt.date,
                rule: FlagRule | None = None) -> list[Assessment]:
    """Freeze the period's figures with the scores and remarks; flush, do not commit.

    Refuses a period that has not ended by ``today`` (its figures would still change).
    """
    check_period(start, end)
    if end >= today:
        raise DomainError(_("The period has not ended yet: its assessment can be saved from "
                            "the day after its last day."))
    rule = rule or FlagRule.from_config()
    result: list[Assessment] = []
    for row in period_rows(session, start, end, rule):
        entry = entries.get(row.key, Entry(row.score, row.remarks))
        remarks = (entry.remarks or "").strip() or None
        assessment = row.saved
        if assessment is None:
            party = ({"department_id": row.subject_id}
                     if row.subject == AssessmentSubject.department
                     else {"staff_id": row.subject_id})
            assessment = Assessment(period_start=start, period_end=end, subject=row.subject,
                                    **party, **row.values)
            session.add(assessment)
        assessment.score, assessment.remarks = entry.score, remarks
        rule.apply(assessment)
        result.append(assessment)
    session.flush()
    return result
