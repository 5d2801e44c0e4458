"""文书: every PDF the window issues, archived as issued (R-15.3).

A row is one version of one document of one record: the file (stored under DOCUMENTS_DIR,
outside the static folder), its SHA-256, who issued it and when. Reissuing after the
record changed adds a version; the older versions and their files stay.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.labels import LabelledEnum, _, enum_column_type
from app.models.commission import Commission
from app.models.mixins import UTCDateTime, utcnow


class DocumentKind(LabelledEnum):
    """The documents the system prints: the policy's three attached forms and the papers."""

    application = ("application", _("Commission application form"))
    completion = ("completion", _("Completion form"))
    termination = ("termination", _("Termination form"))
    approval_plan = ("approval_plan", _("Approval schedule"))
    material_notice = ("material_notice", _("One-time notice of missing materials"))
    delivery_receipt = ("delivery_receipt", _("Delivery receipt"))
    meeting_minutes = ("meeting_minutes", _("Coordination meeting minutes"))
    revisit_record = ("revisit_record", _("Revisit record"))


class IssuedDocument(Model):
    """One issued version of a document of a commission (and of one of its records)."""

    __tablename__ = "issued_document"
    # Issuing is audited as its own event (document_issued, app/documents/archive.py), with
    # the hash and version; the generic insert record would say the same twice.
    __audit__ = False
    __table_args__ = (
        sa.UniqueConstraint("kind", "commission_id", "record_id", "version",
                            name="uq_issued_document_version"),
        # NULLs are distinct in a unique constraint: commission-level documents
        # (no record_id) get their own partial index.
        sa.Index("uq_issued_document_version_norecord", "kind", "commission_id", "version",
                 unique=True, sqlite_where=sa.text("record_id IS NULL"),
                 postgresql_where=sa.text("record_id IS NULL")),
        # Minutes of a meeting printed from the meeting itself: no commission.
        sa.Index("uq_issued_document_version_nocommission", "kind", "record_id", "version",
                 unique=True, sqlite_where=sa.text("commission_id IS NULL"),
                 postgresql_where=sa.text("commission_id IS NULL")),
        sa.CheckConstraint("version >= 1", name="ck_issued_document_version"),
        sa.CheckConstraint("size >= 0", name="ck_issued_document_size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DocumentKind] = mapped_column(
        enum_column_type(DocumentKind, "document_kind"), index=True
    )
    # No ON DELETE CASCADE: the archive outlives an attempt to delete its commission.
    # None: a meeting's minutes printed from the meeting, whatever it discussed.
    commission_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("commission.id"),
                                                         index=True)
    #: the plan version, notice, delivery, meeting or revisit printed (None: the commission)
    record_id: Mapped[Optional[int]] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(200))
    version: Mapped[int] = mapped_column(default=1)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    #: hash of the rendered source: an unchanged record is not issued again
    source_sha256: Mapped[str] = mapped_column(sa.String(64))
    #: relative to DOCUMENTS_DIR, so the archive can move as a whole
    file_path: Mapped[str] = mapped_column(sa.String(300), unique=True)
    size: Mapped[int] = mapped_column()
    #: the font the text was drawn with (an embedded TrueType face or STSong-Light)
    font: Mapped[str] = mapped_column(sa.String(100))
    issued_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("ab_user.id"))
    issued_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, index=True
    )

    commission: Mapped[Optional[Commission]] = relationship()
    issued_by = relationship("User", lazy="selectin")

    def __repr__(self) -> str:
        return f"{self.title} v{self.version}"
