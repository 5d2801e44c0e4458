"""The Excel export of a list page (台账, R-13.6): ``/ledger/<key>.xlsx?<the list's filters>``.

The export button on a list (app/templates/xb_list.html) links here with the list page's
query string, so the file holds exactly the rows the list shows under its active filters
(FAB's ``_flt_`` arguments read the same way the list reads them, plus its sort), together
with the list view's base filters: row-level access (R-14.2) applies to exports as it does
to the list. Only a user who may open the list (``can_list``) may export it.

A list of more than EXPORT_BACKGROUND_ROWS rows is written in the background
(app/ledgers/background.py): the clerk is led to the job's page, which reloads itself until
the file is ready and then offers it — to the account that asked, and no other.
"""
from __future__ import annotations

import logging
import tempfile
from typing import Any, Callable

from flask import abort, current_app, flash, g, redirect, request, send_file, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.urltools import get_filter_args, get_order_args
from flask_babel import lazy_gettext as _

from app import ledgers
from app.clock import office_today
from app.extensions import db
from app.ledgers import background
from app.models import ExportJob, ExportStatus
from app.views.base import AppModelView
from app.views.transaction import run_in_transaction

log = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FAILED = _("The export failed; nothing was downloaded. Please try again.")


def source_view(appbuilder: Any, key: str) -> AppModelView | None:
    """The registered list view that declares ledger ``key``."""
    for view in appbuilder.baseviews:
        if isinstance(view, AppModelView) and view.ledger == key:
            return view
    return None


def list_query(view: AppModelView) -> Any:
    """The query of ``view``'s list under this request's filter and sort arguments, with the
    view's base filters (row-level access), without paging."""
    filters = view.datamodel.get_filters(view.search_columns)
    get_filter_args(filters)
    order_column, order_direction = get_order_args().get(type(view).__name__, ("", ""))
    if order_column not in view.order_columns:
        order_column, order_direction = view.base_order or ("", "")
    joined = filters.get_joined_filters(view._base_filters)
    datamodel = view.datamodel
    return datamodel.apply_all(datamodel.session.query(datamodel.obj), joined,
                               order_column, order_direction)


def _filter_args() -> dict[str, list[str]]:
    """The list arguments the export applied, for the audit row."""
    return {name: request.args.getlist(name) for name in request.args
            if name.startswith(("_flt_", "_oc_", "_od_"))}


class LedgerView(BaseView):
    """Exports of the list pages that declare a ledger."""

    route_base = "/ledger"
    default_view = "export"
    # Following a background export is part of exporting: the same permission.
    method_permission_name = {"export": "export", "job": "export", "job_file": "export"}

    @expose("/<key>.xlsx")
    @has_access
    def export(self, key: str):
        """Stream the ledger ``key`` as an .xlsx download."""
        ledger = ledgers.LEDGERS.get(key)
        view = source_view(self.appbuilder, key) if ledger is not None else None
        if view is None:
            abort(404)
        if not self.appbuilder.sm.has_access("can_list", view.class_permission_name):
            abort(403)
        filters = _filter_args()
        # back to the list as it was (same filters)
        back = url_for(f"{type(view).__name__}.list", **request.args.to_dict(flat=False))
        query = list_query(view)
        threshold = current_app.config.get("EXPORT_BACKGROUND_ROWS", 0)
        if threshold > 0:
            rows = query.order_by(None).count()
            if rows > threshold:  # written in the background, offered when ready
                job = background.start(
                    current_app._get_current_object(), ledger_key=key,
                    statement=query.statement, user=g.user, filters=filters, rows=rows,
                    download_name=ledgers.filename(ledger, office_today()),
                    ip=request.remote_addr)
                return redirect(url_for("LedgerView.job", pk=job.id))
        return send_export(
            ledger, lambda target: ledgers.export(ledger, query, g.user, target,
                                                  filters=filters),
            filters=filters, download_name=ledgers.filename(ledger, office_today()), back=back)


    def _own_job(self, pk: int) -> ExportJob:
        """The job ``pk`` if the signed-in user asked for it, else 404 (it is theirs alone)."""
        job = db.session.get(ExportJob, pk)
        if job is None or job.user_id != g.user.id:
            abort(404)
        return job

    @expose("/jobs/<int:pk>")
    @has_access
    def job(self, pk: int):
        """A background export: waiting (the page reloads itself), ready, or failed."""
        job = self._own_job(pk)
        state = background.status(job)
        ready = background.file_of(current_app, job) is not None
        return self.render_template(
            "export_job.html", job=job, state=state, ready=ready, done=ExportStatus.done,
            failed=ExportStatus.failed, title=_("Excel export"))

    @expose("/jobs/<int:pk>/file")
    @has_access
    def job_file(self, pk: int):
        """The file of a finished background export, to the account that asked for it."""
        job = self._own_job(pk)
        path = background.file_of(current_app, job)
        if path is None:
            flash(str(_("This export's file is no longer kept: export the list again.")),
                  "warning")
            return redirect(url_for("LedgerView.job", pk=pk))
        return send_file(path, mimetype=XLSX, as_attachment=True,
                         download_name=job.download_name, max_age=0)


def send_export(ledger: Any, write: Callable[[Any], Any], *, filters: dict[str, Any],
                download_name: str, back: str) -> Any:
    """Send the workbook ``write(target)`` writes (adding its audit row), or lead back.

    The file is an anonymous temporary file (no name on POSIX): nothing is left in the temp
    folder, whether or not the server closes the response. Never a 500: a failure is
    logged, audited as a failed export, and the user is led to ``back`` with a message.
    """
    target = tempfile.TemporaryFile(prefix="ledger-", suffix=".xlsx")
    # The export and its audit row; any failure is told, logged and audited, never a 500.
    outcome = run_in_transaction(write, target, on_error={Exception: EXPORT_FAILED})
    if outcome.refused:
        log.error("export of ledger %s failed", ledger.key, exc_info=outcome.error)
        target.close()
        run_in_transaction(ledgers.export_failed, ledger, g.user, filters=filters)
        flash(outcome.message, "danger")
        return redirect(back)
    target.seek(0)
    return send_file(target, mimetype=XLSX, as_attachment=True, download_name=download_name,
                     max_age=0)


def register(appbuilder) -> None:
    """No menu entry: the export buttons sit on the list pages."""
    appbuilder.add_view_no_menu(LedgerView)
