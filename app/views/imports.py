"""The import screen (R-18.1): templates, upload → dry run → preview → confirm.

Routes (ImportView, one permission ``can_import``: the administrator and the window
supervisor, app/roles.py):
- GET  /imports/                          the kinds, their templates and the upload form
- GET  /imports/template/<kind>.xlsx      a kind's template
- POST /imports/upload                    check the file (type, size), store it, dry run
- GET  /imports/preview/<kind>/<sha256>   the dry run's per-row preview
- GET  /imports/report/<kind>/<sha256>.xlsx  the same report as a workbook
- POST /imports/confirm/<kind>/<sha256>   import the stored file: all rows or none
- GET  /imports/done/<kind>/<sha256>      what the import did (or back to the problems)

The upload and the confirmation answer with a page that shows the rows read so far while
the run goes on (streamed: no job queue, nothing for another worker to find), then moves on
to the preview or the result.

The uploaded file is kept under IMPORTS_DIR by its SHA-256 between the dry run and the
confirmation, so the import runs on exactly the file previewed. A bad file, a refused row
or a database refusal is a Chinese message, never a 500; nothing is saved but the audit row.
"""
from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path
from typing import Any, Iterator

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    request,
    send_file,
    stream_template,
    stream_with_context,
    url_for,
)
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _

from app import imports, storage
from app.clock import office_today
from app.domain.workdays import load_calendar
from app.extensions import db
from app.imports.run import (
    ImportFileError,
    Report,
    import_steps,
    open_workbook,
    run_import,
    sha256,
)
from app.instance import private_dir
from app.views.ledgers import XLSX
from app.views.menu import REFERENCE, add
from app.views.roster_forms import user_display_name
from app.views.transaction import run_in_transaction, transaction

_SHA = re.compile(r"[0-9a-f]{64}")
#: rows the preview page lists (refused rows first); the report workbook has them all
PREVIEW_ROWS = 500
NO_FILE = _("Choose an .xlsx file to upload.")
NOT_XLSX = _("Only Excel workbooks (.xlsx) can be imported.")
GONE = _("The uploaded file is no longer available; upload it again.")


def imports_dir() -> Path:
    """IMPORTS_DIR (default <INSTANCE_DIR>/imports), 0700, created on first use."""
    configured = current_app.config.get("IMPORTS_DIR")
    return private_dir(configured or Path(current_app.instance_path) / "imports")


#: a previewed file never confirmed is forgotten after this long
KEEP_SECONDS = 2 * 24 * 3600


def _forget_old() -> None:
    """Drop uploads (and their reports) previewed but never confirmed within KEEP_SECONDS."""
    cutoff = time.time() - KEEP_SECONDS
    for path in imports_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _paths(kind: str, sha: str) -> tuple[Path, Path]:
    if kind not in imports.KIND_MODULES or not _SHA.fullmatch(sha):
        abort(404)
    folder = imports_dir()
    return folder / f"{sha}.xlsx", folder / f"{sha}-{kind}.json"


def _options(filename: str, dry_run: bool) -> dict[str, Any]:
    """What a run on the screen is run with: the signed-in user, today, the calendar."""
    return {"filename": filename, "actor": g.user, "actor_name": user_display_name(g.user),
            "today": office_today(), "cal": load_calendar(db.session),
            "config": current_app.config, "dry_run": dry_run}


def _refused(kind: str, filename: str, dry_run: bool, message: str) -> Report:
    """The database refused the flush or the audit row: nothing was saved."""
    report = Report(kind=kind, filename=filename, sha256="", dry_run=dry_run)
    report.file_problems.append(message)
    return report


def _run(kind: str, data: bytes, filename: str, dry_run: bool) -> Report:
    """Run the import inside the one transaction helper (its audit row is committed)."""
    outcome = run_in_transaction(run_import, db.session, imports.kind(kind), data,
                                 **_options(filename, dry_run))
    if outcome.refused:
        return _refused(kind, filename, dry_run, outcome.message)
    return outcome.value


def _steps(kind: str, data: bytes, filename: str, dry_run: bool, sha: str,
           then: str) -> Iterator[tuple[int, int] | str]:
    """The run inside the one transaction helper, as it goes: (rows read, rows) pairs, then
    the address to go on to, once the report is kept beside the file."""
    report = None
    with transaction() as outcome:
        for step in import_steps(db.session, imports.kind(kind), data,
                                 **_options(filename, dry_run)):
            if isinstance(step, Report):
                report = step
            else:
                yield step
    if outcome.refused or report is None:
        report = _refused(kind, filename, dry_run, outcome.message or "")
    report.sha256 = sha
    _keep(kind, sha, report)
    yield then


def _keep(kind: str, sha: str, report: Report) -> None:
    _file, report_path = _paths(kind, sha)
    report_path.write_text(json.dumps(report.as_dict(), ensure_ascii=False), "utf-8")


def _send_workbook(write: Any, download_name: str) -> Any:
    """The workbook ``write(target)`` writes, as a download."""
    target = io.BytesIO()
    write(target)
    target.seek(0)
    return send_file(target, mimetype=XLSX, as_attachment=True, max_age=0,
                     download_name=download_name)


class ImportView(BaseView):
    """Excel import of units, projects, the roster, the catalogue and past commissions."""

    route_base = "/imports"
    default_view = "index"

    @expose("/")
    @has_access
    @permission_name("import")
    def index(self):
        """The kinds with their templates, and the upload form."""
        return self._index()

    def _index(self, error: Any = None, kind: str | None = None, status: int = 200):
        return self.render_template(
            "imports/index.html", title=_("Excel import"), kinds=imports.kinds(),
            error=error, chosen=kind, limit=storage.max_bytes() // (1024 * 1024)), status

    @expose("/template/<kind>.xlsx")
    @has_access
    @permission_name("import")
    def template(self, kind: str):
        """The template of ``kind``."""
        spec = imports.kind(kind)
        if spec is None:
            abort(404)
        from app.imports.workbooks import write_template  # openpyxl only when used

        return _send_workbook(lambda target: write_template(spec, target),
                              f"{spec.label}导入模板.xlsx")

    @expose("/upload", methods=["POST"])
    @has_access
    @permission_name("import")
    def upload(self):
        """Check the file, keep it by its hash, dry-run it and show the preview."""
        kind = request.form.get("kind", "")
        if imports.kind(kind) is None:
            return self._index(_("Choose what to import."), status=400)
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            return self._index(NO_FILE, kind, status=400)
        name = storage.safe_name(upload.filename)
        if not name.lower().endswith(".xlsx"):
            return self._index(NOT_XLSX, kind, status=400)
        limit = storage.max_bytes()
        data = upload.stream.read(limit + 1)
        if len(data) > limit:
            return self._index(_("The file is larger than %(limit)s MB.",
                                 limit=f"{limit / 1024 / 1024:g}"), kind, status=400)
        try:
            open_workbook(data)
        except ImportFileError:  # not a workbook at all: said at once (and audited)
            report = _run(kind, data, name, dry_run=True)
            return self._index(report.file_problems[0], kind, status=400)
        sha = sha256(data)
        _forget_old()
        file_path, _report = _paths(kind, sha)
        file_path.write_bytes(data)
        return self._progress(kind, _steps(kind, data, name, True, sha,
                                           url_for(".preview", kind=kind, sha=sha)))

    def _progress(self, kind: str, steps: Iterator[Any]) -> Response:
        """A page that shows the rows read so far while the run goes on, then moves on."""
        page = stream_template(
            "imports/running.html", title=_("Excel import"), spec=imports.kind(kind),
            steps=steps, base_template=self.appbuilder.base_template,
            appbuilder=self.appbuilder, current_app=current_app)
        response = Response(stream_with_context(page), mimetype="text/html")
        response.headers["X-Accel-Buffering"] = "no"  # a proxy passes each line on at once
        response.headers["Cache-Control"] = "no-store"
        return response

    def _stored(self, kind: str, sha: str) -> tuple[Path, Report | None]:
        file_path, report_path = _paths(kind, sha)
        if not file_path.exists() or not report_path.exists():
            return file_path, None
        return file_path, Report.from_dict(json.loads(report_path.read_text("utf-8")))

    @expose("/preview/<kind>/<sha>")
    @has_access
    @permission_name("import")
    def preview(self, kind: str, sha: str):
        """The dry run's result, row by row (refused rows first)."""
        _file, report = self._stored(kind, sha)
        if report is None:
            return self._index(GONE, kind, status=404)
        rows = sorted(report.rows, key=lambda r: (r.action.value != "refuse", r.sheet, r.row))
        return self.render_template(
            "imports/preview.html", title=_("Import preview"), report=report,
            spec=imports.kind(kind), rows=rows[:PREVIEW_ROWS], hidden=len(rows) - PREVIEW_ROWS,
            counts=report.counts)

    @expose("/report/<kind>/<sha>.xlsx")
    @has_access
    @permission_name("import")
    def report(self, kind: str, sha: str):
        """The dry run's report as a workbook with a problems column."""
        _file, report = self._stored(kind, sha)
        if report is None:
            abort(404)
        from app.imports.workbooks import write_report

        return _send_workbook(lambda target: write_report(report, target),
                              f"导入报告_{Path(report.filename).stem}.xlsx")

    @expose("/confirm/<kind>/<sha>", methods=["POST"])
    @has_access
    @permission_name("import")
    def confirm(self, kind: str, sha: str):
        """Import the previewed file in one transaction: all rows, or none with the reasons."""
        file_path, stored = self._stored(kind, sha)
        if stored is None:
            return self._index(GONE, kind, status=404)
        return self._progress(kind, _steps(kind, file_path.read_bytes(), stored.filename,
                                           False, sha, url_for(".done", kind=kind, sha=sha)))

    @expose("/done/<kind>/<sha>")
    @has_access
    @permission_name("import")
    def done(self, kind: str, sha: str):
        """After the import: what it did, or — refused — back to the problems."""
        _file, report = self._stored(kind, sha)
        if report is None:
            return self._index(GONE, kind, status=404)
        if not report.committed:
            report.dry_run = True
            _keep(kind, sha, report)
            flash(str(_("Rows were refused: nothing was imported. See the problems below.")),
                  "danger")
            return redirect(url_for(".preview", kind=kind, sha=sha))
        counts = report.counts
        flash(str(_("Imported: %(created)d created, %(updated)d updated, %(same)d unchanged.",
                    created=counts["create"], updated=counts["update"],
                    same=counts["unchanged"])), "success")
        for path in _paths(kind, sha):
            path.unlink(missing_ok=True)
        return redirect(url_for(".index"))


def register(appbuilder) -> None:
    """Menu entry of the import screen."""
    add(appbuilder, ImportView, "Excel import", _("Excel import"), REFERENCE, "fa-upload")
