"""Issuing documents and keeping them as issued (R-15.3).

``issue`` renders a document of a record and archives it: the PDF under DOCUMENTS_DIR
(config; default <INSTANCE_DIR>/documents, outside the static folder), its SHA-256, the
next version number, who and when. When the record has not changed since the newest
version (same rendered source), that version is returned and nothing new is written:
reissuing after a change makes a new version, the old ones stay.

Everything happens in the caller's transaction: the row is flushed, the file written,
the caller commits. A failed render raises RenderError (a DomainError) before any change.
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit
from app.audit import AuditAction
from app.clock import utc_now
from app.config import INSTANCE_DIR
from app.instance import private_dir
from app.documents import content, render
from app.documents.fonts import find_font
from app.domain.errors import DomainError
from app.domain.workdays import load_calendar
from app.models import Commission, DocumentKind, IssuedDocument

log = logging.getLogger(__name__)


def documents_dir() -> Path:
    """Where issued PDFs are kept: DOCUMENTS_DIR, default <INSTANCE_DIR>/documents."""
    configured = current_app.config.get("DOCUMENTS_DIR")
    return Path(configured) if configured else Path(INSTANCE_DIR) / "documents"


def file_of(document: IssuedDocument) -> Path:
    """The archived file of ``document``."""
    return documents_dir() / document.file_path


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def intact(document: IssuedDocument) -> bool:
    """The archived file exists and still has the hash recorded when it was issued."""
    path = file_of(document)
    return path.is_file() and sha256(path.read_bytes()) == document.sha256


def _one_document(kind: DocumentKind, commission_id: int | None,
                  record_id: int | None) -> sa.Select:
    """The versions of one document, newest first (``commission_id`` None: a meeting's own
    minutes, R-15.4)."""
    record_clause = (IssuedDocument.record_id.is_(None) if record_id is None
                     else IssuedDocument.record_id == record_id)
    commission_clause = (IssuedDocument.commission_id.is_(None) if commission_id is None
                         else IssuedDocument.commission_id == commission_id)
    return sa.select(IssuedDocument).where(
        IssuedDocument.kind == kind, commission_clause,
        record_clause).order_by(IssuedDocument.version.desc())


def versions(session: Session, kind: DocumentKind, commission_id: int | None,
             record_id: int | None) -> list[IssuedDocument]:
    """Every issued version of one document, newest first (``commission_id`` None: a
    meeting's own minutes, R-15.4)."""
    return list(session.scalars(_one_document(kind, commission_id, record_id)))


def newest(session: Session, kind: DocumentKind, commission_id: int | None,
           record_id: int | None) -> IssuedDocument | None:
    """The newest issued version of one document, or None (one row, however many)."""
    return session.scalars(_one_document(kind, commission_id, record_id).limit(1)).first()


def _write(path: Path, data: bytes) -> None:
    """Write atomically: a reader never sees half a file."""
    private_dir(path.parent)  # 0700, like the files mkstemp makes 0600
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".issuing-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: a download is an export of an archived file (the trail has no action of its own for it)
DOWNLOADED = AuditAction.export


def record_event(action: AuditAction, document: IssuedDocument, user: Any, *,
                 session: Session | None = None, **detail: Any) -> None:
    """Audit an issue or a download of ``document`` (R-14.4) in the current transaction
    (of ``session``; default: the app's)."""
    audit.record(action, object_type=IssuedDocument, object_id=document.id, user=user,
                 session=session,
                 detail={"kind": document.kind.value, "commission_id": document.commission_id,
                         "record_id": document.record_id, "version": document.version,
                         "sha256": document.sha256, **detail})


def issue(session: Session, kind: DocumentKind, commission: Commission | None,
          record: Any = None, *, actor: Any = None) -> tuple[IssuedDocument, bool]:
    """Render and archive ``kind`` of ``commission`` (and ``record``); ``commission`` None:
    a meeting's minutes printed from the meeting itself (R-15.4).

    Returns (document, created): the new version, or the newest one when nothing changed;
    either way its archived file is intact (just written, or checked against its hash).
    """
    font = find_font()
    spec = content.SPECS[kind]
    data = content.context(kind, commission, record, load_calendar(session))
    # The record's own content decides whether this is a new version; the paper also says
    # when it was issued (Beijing time), which is not part of that comparison.
    source = sha256(render.render_html(spec.template, data, font).encode("utf-8"))
    record_id = record.id if record is not None else None
    commission_id = commission.id if commission is not None else None
    latest = newest(session, kind, commission_id, record_id)
    if latest is not None and latest.source_sha256 == source and intact(latest):
        return latest, False
    issued_at = utc_now()
    pdf = render.html_to_pdf(
        render.render_html(spec.template, {**data, "issued_at": issued_at}, font), font)
    digest = sha256(pdf)
    version = latest.version + 1 if latest is not None else 1
    for _attempt in range(3):
        name = f"{kind.value}{f'-{record_id}' if record_id else ''}-v{version}-{digest[:16]}.pdf"
        document = IssuedDocument(
            kind=kind, commission_id=commission_id, record_id=record_id,
            title=content.title(kind, record), version=version, sha256=digest,
            source_sha256=source, file_path=f"{commission_id or 'meetings'}/{name}",
            size=len(pdf),
            font=font.name, issued_by_id=getattr(actor, "id", None), issued_at=issued_at)
        try:
            with session.begin_nested():  # someone issued the same version just now: next
                session.add(document)
                session.flush()
        except IntegrityError:
            version += 1
            continue
        break
    else:
        raise DomainError(_("The document is being issued by someone else; try again."))
    try:
        _write(file_of(document), pdf)
    except OSError as exc:
        log.exception("cannot write %s", file_of(document))
        raise DomainError(_("The document could not be archived (storage not writable); "
                            "nothing was issued.")) from exc
    record_event(AuditAction.document_issued, document, actor, session=session)
    return document, True
