"""The period screen of 考核评价 (R-13.3): figures computed per department and coordinator,
a score and remarks per row, saved (frozen) for the period; exported to Excel.

Routes (AssessmentPeriodView, permissions can_compute / can_save / can_export):
- GET  /assessment/compute?start=YYYY-MM-DD&end=YYYY-MM-DD  the table (default: last quarter)
- POST /assessment/save                                     freeze the figures with the scores
- GET  /assessment/export?start=…&end=…                     the same table as .xlsx
"""
from __future__ import annotations

import datetime as dt
import re
from operator import itemgetter
from typing import Any, Mapping

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from sqlalchemy.exc import IntegrityError

from app.choices import AssessmentSubject
from app.domain.assessment import check_period
from app.domain.assessment_period import (
    ROW_COLUMNS,
    Entry,
    FlagRule,
    SubjectKey,
    assessment_rows,
    parse_score,
    period_rows,
    save_period,
)
from app.clock import office_today
from app.domain.errors import DomainError
from app.extensions import db
from app.models import Assessment
from app.views.ledgers import send_export
from app.views.menu import SUPERVISION, add
from app.views.transaction import run_in_transaction


_FIELD = re.compile(r"^(score|remarks)-(department|coordinator)-(\d+)$")


def last_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar quarter before the one holding ``today``."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    end = dt.date(today.year, first_month, 1) - dt.timedelta(days=1)
    return dt.date(end.year, end.month - 2, 1), end


def read_period(args: Mapping[str, str]) -> tuple[dt.date | None, dt.date | None, Any]:
    """(start, end, error) from the request; no dates at all means the last quarter."""
    raw_start, raw_end = (args.get("start") or "").strip(), (args.get("end") or "").strip()
    if not raw_start and not raw_end:
        return (*last_quarter(office_today()), None)
    try:
        start = dt.date.fromisoformat(raw_start) if raw_start else None
        end = dt.date.fromisoformat(raw_end) if raw_end else None
    except ValueError:
        return None, None, _("Enter the dates as YYYY-MM-DD.")
    try:
        check_period(start, end)
    except DomainError as error:
        return start, end, error.message
    return start, end, None


def read_entries(form: Mapping[str, str]) -> tuple[dict[SubjectKey, Entry], dict[str, str]]:
    """Scores and remarks typed per row, and the errors by field name."""
    typed: dict[SubjectKey, dict[str, str]] = {}
    for name in form:
        match = _FIELD.match(name)
        if match:
            kind, subject, pk = match.groups()
            typed.setdefault((AssessmentSubject(subject), int(pk)), {})[kind] = form[name]
    entries, errors = {}, {}
    for key, values in typed.items():
        try:
            score = parse_score(values.get("score"))
        except DomainError as error:
            errors[f"score-{key[0].value}-{key[1]}"] = str(error)
            continue
        entries[key] = Entry(score, (values.get("remarks") or "")[:2000])
    return entries, errors


class AssessmentPeriodView(BaseView):
    """考核评价 of a period: compute, score, save, export."""

    route_base = "/assessment"
    default_view = "compute"

    @expose("/compute")
    @has_access
    def compute(self):
        """The table of the period in the query string."""
        start, end, error = read_period(request.args)
        return self._render(start, end, error)

    @expose("/save", methods=["POST"])
    @has_access
    def save(self):
        """Freeze the period's figures with the typed scores and remarks."""
        if not (request.form.get("start") and request.form.get("end")):
            # No default period here: a save names the period it freezes.
            return self._render(None, None, _("Give the first and the last day of the period."))
        start, end, error = read_period(request.form)
        if error:
            return self._render(start, end, error)
        entries, errors = read_entries(request.form)
        if errors:
            return self._render(start, end, _("Some scores are not valid; nothing was saved."),
                                errors=errors, typed=request.form)
        outcome = run_in_transaction(
            save_period, db.session, start, end, entries, today=office_today(),
            # Two supervisors saving the same period at once: one wins, the other is told.
            on_error={IntegrityError: _("This period was saved by someone else at the same "
                                        "time; check the table and save again.")})
        if outcome.refused:
            typed = None if isinstance(outcome.error, IntegrityError) else request.form
            return self._render(start, end, outcome.message, typed=typed)
        flash(str(_("The assessment of %(start)s – %(end)s is saved (%(n)d rows).",
                    start=start.isoformat(), end=end.isoformat(), n=len(outcome.value))),
              "success")
        return redirect(url_for(".compute", start=start.isoformat(), end=end.isoformat()))

    @expose("/export")
    @has_access
    def export(self):
        """The period's table as an .xlsx file (the ledger writer: safe cells)."""
        start, end, error = read_period(request.args)
        if error:
            flash(str(error), "danger")
            return redirect(url_for(".compute"))
        from app import ledgers  # openpyxl only when exporting
        from app.ledgers.spec import Column, Ledger

        ledger = Ledger(key="assessment-period", title=_("Assessment ledger"), model=Assessment,
                        columns=tuple(Column(header, itemgetter(key))
                                      for key, header in ROW_COLUMNS))
        period = {"start": start, "end": end}
        # Audited like every ledger export; the rows carry no phone numbers.
        return send_export(
            ledger, lambda target: ledgers.export_rows(
                ledger, assessment_rows(db.session, start, end), g.user, target,
                filters=period),
            filters=period, download_name=f"{ledger.title}_{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
            back=url_for(".compute", start=start.isoformat(), end=end.isoformat()))

    def _render(self, start: dt.date | None, end: dt.date | None, error: Any = None, *,
                errors: Mapping[str, str] | None = None, typed: Mapping[str, str] | None = None):
        today = office_today()
        valid = start is not None and end is not None and end >= start
        rows = period_rows(db.session, start, end, FlagRule.from_config()) if valid else []
        return self.render_template(
            "assessment_period.html", title=_("Assessment by period"), start=start, end=end,
            error=error, errors=errors or {}, typed=typed or {}, rows=rows,
            labels=dict(ROW_COLUMNS),
            running=bool(end and end >= today), rule=FlagRule.from_config(),
            saved=any(row.saved for row in rows),
            departments=[r for r in rows if r.subject == AssessmentSubject.department],
            coordinators=[r for r in rows if r.subject == AssessmentSubject.coordinator],
        )


def register(appbuilder) -> None:
    """Menu entry of the period screen."""
    add(appbuilder, AssessmentPeriodView, "Assessment by period", _("Assessment by period"),
        SUPERVISION, "fa-calculator")
