"""申报材料: accepting an uploaded file, and who may open a confidential one (R-14.3, Art.5).

The checks and the disk live in app/storage.py; the rule of who may open a material marked
商业秘密 / 技术秘密 / 个人隐私 lives in app/access.py (``can_open_confidential``). Every
opening of a confidential material, allowed or refused, goes into the audit trail.
"""
from __future__ import annotations

from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from app import access, storage
from app.audit import AuditAction, AuditResult, record
from app.models import Material


def check_upload(stream: BinaryIO, filename: str | None, limit: int) -> storage.CheckedFile:
    """Accept the upload (type, signature, size) or raise storage.FileRejected."""
    return storage.check(stream, filename, limit)


def attach_file(material: Material, stream: BinaryIO, filename: str | None, *, actor: Any,
                limit: int) -> storage.StoredFile:
    """Check and store the upload, and fill ``material``'s file columns from it.

    Raises storage.FileRejected (nothing stored). The caller adds and commits the row, and
    removes the stored file (``storage.remove(material.stored_name)``) if that fails.
    """
    checked = storage.check(stream, filename, limit)
    stored = storage.store(stream, limit)
    material.original_name = checked.name
    material.content_type = checked.content_type
    material.stored_name = stored.name
    material.size = stored.size
    material.sha256 = stored.sha256
    material.uploaded_by_id = getattr(actor, "id", None)
    return stored


def may_open(user: Any, material: Material) -> bool:
    """Anyone who may see the row may open an ordinary material; a confidential one only
    those ``access.can_open_confidential`` allows for its commission."""
    if not material.is_confidential:
        return True
    return access.can_open_confidential(user, material.commission)


def open_material(user: Any, material: Material, action: AuditAction) -> bool:
    """Whether ``user`` may open ``material`` now; records the attempt if it is confidential.

    ``action`` is AuditAction.confidential_view or .confidential_download. The audit row is
    added to the session; the caller commits (also when refusing).
    """
    allowed = may_open(user, material)
    if material.is_confidential:
        record(action, object_type=Material, object_id=material.id, user=user,
               result=AuditResult.ok if allowed else AuditResult.denied,
               detail={"commission_id": material.commission_id,
                       "commission_item_id": material.commission_item_id,
                       "confidentiality": material.confidentiality,
                       "name": material.original_name, "sha256": material.sha256})
    return allowed


#: why an attempt at a material never reached it
OUTSIDE_ROW_SCOPE = "row_scope"   # answered 404: the row is not the user's to see
NO_PERMISSION = "permission"      # answered 403: the user's roles do not open materials


def record_refused(session: Session, user: Any, pk: Any, action: AuditAction,
                   reason: str) -> None:
    """Record a refused attempt at a confidential material the user never reached (R-14.3).

    ``pk`` is the id the request asked for; nothing is recorded for an unknown id or an
    ordinary material. The detail names the commission and the confidentiality, not the
    material's title or file name. The caller commits.
    """
    try:
        material_id = int(pk)
    except (TypeError, ValueError):
        return
    if not 0 < material_id < 2 ** 63:
        return
    material = session.get(Material, material_id)
    if material is None or not material.is_confidential:
        return
    record(action, object_type=Material, object_id=material.id, user=user,
           result=AuditResult.denied,
           detail={"commission_id": material.commission_id,
                   "confidentiality": material.confidentiality, "refused": reason})
