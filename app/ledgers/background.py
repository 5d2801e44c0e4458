"""Large exports in the background (issue 14, item 6).

A list whose filtered rows exceed EXPORT_BACKGROUND_ROWS is not written while the browser
waits (10,000 commissions take seconds): the screen records an ``ExportJob`` and hands the
list's SQL statement — its filters and the user's row scope already bound into it (R-14.2)
— to a worker thread of the same process, which writes the workbook under EXPORTS_DIR and
audits the export as every export is (R-14.4, with the asker's account and address). The
clerk's page polls the job and offers the file once it is there; only the account that
asked may see the job or fetch its file.

No queue to run beside the server: the thread lives in the worker that took the request. If
that worker stops, the job is found stale (STALE_AFTER) and reported as failed; the clerk
asks again. Files are removed after EXPORT_KEEP_HOURS, when a later job starts.
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from app.clock import utc_now
from app.instance import private_dir
from app.extensions import db
from app.ledgers import LEDGERS, export_failed, export_rows, reading
from app.models import ExportJob, ExportStatus

log = logging.getLogger(__name__)

#: a job still unfinished after this long lost its worker
STALE_AFTER = dt.timedelta(minutes=30)
#: the app's running export threads (tests wait for them: ``wait``)
THREADS = "xb_export_threads"


def folder(app: Flask) -> Path:
    """EXPORTS_DIR, created private (0700) when missing."""
    return private_dir(app.config["EXPORTS_DIR"])


def start(app: Flask, *, ledger_key: str, statement: Any, user: Any, filters: dict[str, Any],
          rows: int, download_name: str, ip: str | None) -> ExportJob:
    """Record the job (committed) and start its thread; return the job."""
    job = ExportJob(user_id=user.id, ledger=ledger_key, filters=filters, rows=rows,
                    download_name=download_name, status=ExportStatus.queued)
    db.session.add(job)
    db.session.commit()
    remove_old_files(app)
    thread = threading.Thread(target=_run, name=f"export-{job.id}", daemon=True,
                              args=(app, job.id, statement, ip))
    app.extensions.setdefault(THREADS, []).append(thread)
    thread.start()
    return job


def _run(app: Flask, job_id: int, statement: Any, ip: str | None) -> None:
    """The thread: write the workbook, audit the export, mark the job; never raises."""
    with app.app_context():
        job = db.session.get(ExportJob, job_id)
        ledger = LEDGERS[job.ledger]
        user = app.appbuilder.sm.get_user_by_id(job.user_id)
        job.status = ExportStatus.running
        db.session.commit()
        stored = f"{job_id}-{secrets.token_hex(16)}.xlsx"
        path = folder(app) / stored
        rows = None
        try:
            rows = reading.rows(db.session, ledger, statement)
            with open(path, "wb") as target:
                count = export_rows(ledger, rows, user, target, filters=job.filters,
                                    ip=ip, detail={"background": job_id})
            job.status, job.rows, job.stored_name = ExportStatus.done, count, stored
            job.finished_at = utc_now()
            db.session.commit()
        except Exception:  # the job says it failed; the thread must not die silently
            log.exception("background export %s failed", job_id)
            if rows is not None:
                rows.close()  # an unread cursor would hold SQLite's read lock
            db.session.rollback()
            path.unlink(missing_ok=True)
            job = db.session.get(ExportJob, job_id)
            job.status, job.finished_at = ExportStatus.failed, utc_now()
            export_failed(ledger, user, filters=job.filters)
            db.session.commit()
        finally:
            db.session.remove()


def status(job: ExportJob) -> ExportStatus:
    """The job's status; an unfinished job whose worker is gone counts as failed."""
    if job.status in (ExportStatus.queued, ExportStatus.running) and \
            utc_now() - job.created_at > STALE_AFTER:
        return ExportStatus.failed
    return job.status


def file_of(app: Flask, job: ExportJob) -> Path | None:
    """The job's file, if it is still there."""
    if job.status != ExportStatus.done or not job.stored_name:
        return None
    path = folder(app) / job.stored_name
    return path if path.is_file() else None


def remove_old_files(app: Flask) -> None:
    """Delete the files of jobs finished more than EXPORT_KEEP_HOURS ago."""
    before = utc_now() - dt.timedelta(hours=app.config.get("EXPORT_KEEP_HOURS", 24))
    old = db.session.scalars(sa.select(ExportJob).where(
        ExportJob.stored_name.is_not(None), ExportJob.finished_at < before)).all()
    for job in old:
        (folder(app) / job.stored_name).unlink(missing_ok=True)
        job.stored_name = None
    if old:
        db.session.commit()


def wait(app: Flask, timeout: float = 60) -> None:
    """Wait for the app's export threads to finish (tests, shutdown)."""
    for thread in app.extensions.get(THREADS, []):
        thread.join(timeout)
    app.extensions[THREADS] = [t for t in app.extensions.get(THREADS, []) if t.is_alive()]
