"""Excel ledgers (台账, R-13.6): the rows of a list, as an .xlsx file with Chinese headers.

- ``definitions``: the five ledgers (columns as data); a list view names its ledger with
  ``ledger = "<key>"`` and its page shows the export button;
- ``xlsx``: the streaming writer (formula neutralisation, dates, labels), its data rows
  written as XML text by ``sheetxml``;
- ``export()``: writes the rows of a query (the list's filters and row-level access already
  applied by the caller, app/views/ledgers.py), masks personal phone numbers for users who
  do not handle the case (R-14.5) and records the export in the audit trail (R-14.4);
  ``export_failed()`` records an export that broke off.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from app import access, audit
from app.domain.validators import mask_phone
from app.ledgers import reading
from app.ledgers.definitions import ALL
from app.ledgers.spec import Column, Ledger
from app.models.audit import AuditAction, AuditResult

#: key → ledger
LEDGERS: dict[str, Ledger] = {ledger.key: ledger for ledger in ALL}


def filename(ledger: Ledger, today: dt.date) -> str:
    """The download name, e.g. 委托协办台账_20251015.xlsx."""
    return f"{ledger.title}_{today:%Y%m%d}.xlsx"


def export(ledger: Ledger, query: Any, user: Any, target: Any, *,
           filters: dict[str, Any] | None = None) -> int:
    """Write the rows of ``query`` (a SQLAlchemy Query over ``ledger.model``) to ``target``
    and add the export's audit row to the session; return the number of rows.

    The rows are read as plain columns where the ledger allows and streamed
    (app/ledgers/reading.py): the caller commits the audit row.
    """
    rows = reading.rows(query.session, ledger, query.statement)
    try:
        return export_rows(ledger, rows, user, target, filters=filters)
    finally:
        rows.close()


def export_rows(ledger: Ledger, rows: Any, user: Any, target: Any, *,
                filters: dict[str, Any] | None = None, ip: str | None = None,
                detail: dict[str, Any] | None = None) -> int:
    """Write ``rows`` (already within the user's row scope) to ``target`` and add the
    export's audit row to the session; return the number of rows. The caller commits.
    ``ip`` and ``detail``: the asking request's address and more to record, for an export
    written in the background (app/ledgers/background.py)."""
    # Every row passed the user's row filter: whether phones show in full depends on the
    # user only (access.display_phone without a commission), so it is decided once.
    full = access.handles_records(user)
    from app.ledgers import xlsx  # openpyxl (~10 MiB) only in a process that exports

    count = xlsx.write(ledger, rows, target,
                       mask=(lambda phone: phone) if full else mask_phone)
    audit.record(action=AuditAction.export, object_type=ledger.model.__name__,
                 detail={"ledger": ledger.key, "rows": count, "filters": filters or {},
                         **(detail or {})},
                 user=user, ip=ip)
    return count


def export_failed(ledger: Ledger, user: Any, *, filters: dict[str, Any] | None = None) -> None:
    """Add the audit row of an export that failed (nothing was downloaded)."""
    audit.record(action=AuditAction.export, object_type=ledger.model.__name__,
                 result=AuditResult.failed,
                 detail={"ledger": ledger.key, "filters": filters or {}}, user=user)


__all__ = ["Column", "LEDGERS", "Ledger", "export", "export_failed", "export_rows",
           "filename"]
