"""An Excel export run in the background (issue 14, item 6): a list larger than
EXPORT_BACKGROUND_ROWS is written by a worker thread while the clerk waits on a page that
offers the file when it is ready (app/ledgers/background.py).

Bookkeeping, not a business record: the export itself is audited as every export is (the
ledger, the filters, the rows), when its file is written; the row's changes of status are not.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column

from app.labels import LabelledEnum, _, enum_column_type
from app.models.mixins import UTCDateTime, utcnow


class ExportStatus(LabelledEnum):
    """Where a background export stands."""

    queued = ("queued", _("Waiting"))
    running = ("running", _("Running"))
    done = ("done", _("Ready"))
    failed = ("failed", _("Failed"))


class ExportJob(Model):
    """One background export: who asked, which list with which filters, and its file."""

    __tablename__ = "export_job"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: the row outlives an account, as the audit trail does.
    user_id: Mapped[int] = mapped_column(index=True)
    ledger: Mapped[str] = mapped_column(sa.String(40))
    #: the list's filter and order arguments, as the audit row records them
    filters: Mapped[Optional[Any]] = mapped_column(sa.JSON)
    status: Mapped[ExportStatus] = mapped_column(
        enum_column_type(ExportStatus, "export_status"), default=ExportStatus.queued)
    #: rows counted when it was asked for, then rows written
    rows: Mapped[Optional[int]] = mapped_column()
    download_name: Mapped[str] = mapped_column(sa.String(200))
    #: the file's name under EXPORTS_DIR (random); None until written, or once removed
    stored_name: Mapped[Optional[str]] = mapped_column(sa.String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"{self.download_name} ({self.status})"
