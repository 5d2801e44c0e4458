"""Documents on screen (R-15): print, download, the archive list, the commission's print actions.

Thin adapters over app/documents: every route loads the commission through the user's row
filter (``workflow.load``: 404 for someone else's case), calls the archive, commits, audits
and sends the file. Printing is part of seeing a commission, so the routes and actions ask
for the commission screen's permissions (can_show to read and download, can_edit to issue
a version); only the archive list (IssuedDocumentView) has permissions of its own.
"""
from __future__ import annotations

import functools
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from flask import abort, flash, g, redirect, request, send_file, url_for
from flask_appbuilder import BaseView, action, expose
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _
from flask_login import current_user
from markupsafe import Markup

from app import access
from app.documents import archive, content, render
from app.documents.fonts import find_font
from app.clock import office_today
from app.domain.errors import DomainError
from app.extensions import db
from app.models import Commission, CoordinationMeeting, DocumentKind, IssuedDocument
from app.views.base import AppInterface, AppModelView
from app.views.transaction import run_in_transaction, transaction
from app.views.workflow import load

PDF = "application/pdf"
#: the commission screen's permissions these routes and actions require: seeing a
#: commission lets one read its documents; issuing a (new version of a) document writes to
#: the archive, as editing the commission does
SEE, ISSUE = "show", "edit"
COMMISSION_VIEW = "CommissionView"


def commission_permission(name: str) -> Callable:
    """Route guard: the user holds ``can_<name>`` on the commission screen (not a permission
    of its own: printing is part of seeing / handling a commission)."""
    def wrap(method: Callable) -> Callable:
        @functools.wraps(method)
        def guarded(self, *args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return redirect(url_for(f"{type(self.appbuilder.sm.auth_view).__name__}.login",
                                        next=request.url))
            if not self.appbuilder.sm.has_access(f"can_{name}", COMMISSION_VIEW):
                abort(403)
            return method(self, *args, **kwargs)
        return guarded
    return wrap


class VisibleCommissionFilter(BaseFilter):
    """Documents of the commissions the current user may see (R-14.2)."""

    name = _("Visible to me")

    def apply(self, query: Any, value: Any) -> Any:
        clause = access.commission_scope(current_user)
        return query if clause is None else query.filter(IssuedDocument.commission.has(clause))


def _download_link(pk: Any) -> Markup:
    return Markup('<a href="{}"><i class="fa fa-download"></i> {}</a>').format(
        url_for("DocumentsView.download", doc_id=pk), _("Download"))


class IssuedDocumentView(AppModelView):
    """文书: the archive, read-only; on the commission's page, its documents (R-15.3)."""

    datamodel = AppInterface(IssuedDocument)
    base_permissions = ["can_list", "can_show"]
    base_filters = [["id", VisibleCommissionFilter, None]]
    list_title = _("Issued documents")
    show_title = _("Issued document")
    label_columns = {
        "id": _("File"), "kind": _("Document"), "title": _("Title"),
        "commission": _("Commission"), "version": _("Version"), "sha256": _("SHA-256"),
        "size": _("Size (bytes)"), "font": _("Font"), "issued_by": _("Issued by"),
        "issued_at": _("Issued at"),
    }
    list_columns = ["title", "version", "issued_at", "issued_by", "id"]
    show_columns = ["commission", "kind", "title", "version", "issued_at", "issued_by", "size",
                    "font", "sha256", "id"]
    formatters_columns = {"id": _download_link}
    search_columns = ["kind", "issued_at"]
    base_order = ("issued_at", "desc")


#: said when an archived file no longer has the hash it was issued with
ALTERED = _("The archived file of this document is missing or was altered since it was "
            "issued; it is not served. Tell the administrator.")


def _back(document: IssuedDocument) -> str:
    """Where a refused download returns: the commission's print page, or the meeting."""
    if document.commission_id is None:
        return url_for("CoordinationMeetingView.show", pk=document.record_id)
    return url_for("DocumentsView.commission", pk=document.commission_id)


def send_document(document: IssuedDocument, via: str) -> Any:
    """Send an archived file, audited; a file changed since it was issued is refused."""
    if not archive.intact(document):
        flash(str(ALTERED), "danger")
        return redirect(_back(document))
    with transaction() as outcome:
        handout = hand_out(document, via)
    if outcome.refused:
        flash(outcome.message, "danger")
        return redirect(_back(document))
    return send_handout(handout)


@dataclass(frozen=True)
class Handout:
    """An archived file on its way to the browser: where it is, the name it is saved as."""

    path: Path
    name: str


def hand_out(document: IssuedDocument, via: str) -> Handout:
    """Audit the download of ``document`` in the current transaction, and read what sending
    it needs before the commit expires the rows (no statement after it)."""
    archive.record_event(archive.DOWNLOADED, document, g.user, via=via)
    return Handout(archive.file_of(document), _file_name(document))


def send_handout(handout: Handout) -> Any:
    """The file of ``handout`` as a download."""
    return send_file(handout.path, mimetype=PDF, as_attachment=True,
                     download_name=handout.name)


def _file_name(document: IssuedDocument) -> str:
    name = f"{document.title}-v{document.version}.pdf"
    if document.commission is not None:  # (a meeting's own minutes have none, R-15.4)
        name = f"{document.commission.application_no or f'#{document.commission_id}'}-{name}"
    return name.replace("/", "／").replace("\\", "＼")  # a meeting's title may hold a slash


def issue(commission: Commission | None, kind: DocumentKind, record: Any) -> IssuedDocument:
    """Issue ``kind`` of ``record`` as the signed-in user, in the caller's transaction: a new
    version only if the record changed. The version returned has an intact file (just
    written, or checked), so it is not read again."""
    document, _created = archive.issue(db.session, kind, commission, record, actor=g.user)
    return document


def print_one(commission: Commission | None, kind: DocumentKind, record: Any) -> Handout:
    """Issue ``kind`` and audit its download in the caller's transaction: one print, one
    commit."""
    return hand_out(issue(commission, kind, record), "print")


class DocumentsView(BaseView):
    """``/documents``: the blank form, a commission's print page, printing and downloads."""

    route_base = "/documents"
    default_view = "blank"

    @expose("/blank")
    @commission_permission(SEE)
    def blank(self):
        """R-15.2: the application form, blank, for walk-in units (nothing archived)."""
        try:
            pdf = render.render_pdf(content.SPECS[DocumentKind.application].template,
                                    content.context(DocumentKind.application, None),
                                    find_font())
        except DomainError as exc:
            flash(str(exc), "danger")
            return redirect(url_for("CommissionView.list"))
        return send_file(io.BytesIO(pdf), mimetype=PDF, as_attachment=True,
                         download_name=f"{content.PREFIX}委托协办申请表（空白）.pdf")

    @expose("/<int:doc_id>")
    @commission_permission(SEE)
    def download(self, doc_id: int):
        """One archived version, as issued, to those who may see its commission."""
        document = db.session.get(IssuedDocument, doc_id)
        if document is None:
            abort(404)
        if document.commission_id is None:  # a meeting's minutes: the meeting's scope
            if access.visible(current_user, CoordinationMeeting, document.record_id) is None:
                abort(404)
        else:
            load("commission", document.commission_id)  # 404 for someone else's case
        return send_document(document, "download")

    @expose("/commission/<int:pk>")
    @commission_permission(SEE)
    def commission(self, pk: int):
        """The print page: every document of the commission, and its archived versions."""
        commission = load("commission", pk)
        rows = []
        for kind, record in content.records(db.session, commission):
            record_id = record.id if record is not None else None
            rows.append({"kind": kind, "record_id": record_id,
                         "title": content.title(kind, record),
                         "versions": archive.versions(db.session, kind, commission.id,
                                                      record_id)})
        may_issue = self.appbuilder.sm.has_access(f"can_{ISSUE}", COMMISSION_VIEW)
        return self.render_template("documents/print_page.html", commission=commission,
                                    rows=rows, may_issue=may_issue, title=_("Documents"))

    @expose("/commission/<int:pk>/print/<kind>", methods=["POST"])
    @expose("/commission/<int:pk>/print/<kind>/<int:record_id>", methods=["POST"])
    @commission_permission(ISSUE)
    def print_document(self, pk: int, kind: str, record_id: int | None = None):
        """Issue (a new version only if the record changed) and send one document."""
        commission = load("commission", pk)
        try:
            doc_kind = DocumentKind(kind)
        except ValueError:
            abort(404)
        record = content.record_of(db.session, doc_kind, commission, record_id)
        needs_record = content.SPECS[doc_kind].record_model is not None
        if (needs_record and record is None) or (record_id is not None and not needs_record):
            abort(404)
        back = url_for("DocumentsView.commission", pk=pk)
        if not needs_record and not content.available(doc_kind, commission):
            flash(str(_("This document does not exist yet in the commission's state.")),
                  "warning")
            return redirect(back)
        outcome = run_in_transaction(print_one, commission, doc_kind, record)
        if outcome.refused:
            flash(outcome.message, "danger")
            return redirect(back)
        return send_handout(outcome.value)


#: the print actions on the commission list and page (they issue: can_edit)
PRINT_ACTIONS = ("print_application", "print_plan", "print_completion", "print_termination",
                 "print_all")


class DocumentActions:
    """Print actions for CommissionView (one row: the PDF; several: a ZIP of PDFs).

    The rows arrive re-loaded through the view's row filter (AppModelView.action and
    action_post: FAB's own actions skip base_filters). Printing may issue a new version, so
    it asks for the screen's can_edit; opening the print page ("documents") its can_show.
    """

    def __init__(self, **kwargs: Any) -> None:
        # The actions need the screen's own permissions, not one each to grant.
        mapped = {**{name: ISSUE for name in PRINT_ACTIONS}, "documents": SEE}
        self.method_permission_name = {**mapped, **(self.method_permission_name or {})}
        super().__init__(**kwargs)

    #: print action → the documents it prints
    PRINTS: dict[str, tuple[DocumentKind, ...]] = {
        "print_application": (DocumentKind.application,),
        "print_plan": (DocumentKind.approval_plan,),
        "print_completion": (DocumentKind.completion,),
        "print_termination": (DocumentKind.termination,),
        "print_all": tuple(DocumentKind),
    }

    def action_usable(self, name: str, item: Any) -> bool:
        """A print button shows on the case page only when the commission has the document
        now (the same answer ``_print`` acts on: ``content.printable``)."""
        kinds = self.PRINTS.get(name)
        if kinds is None:
            return super().action_usable(name, item)
        return any(content.printable(db.session, item, kind) for kind in kinds)

    def _print(self, items: Any, kinds: tuple[DocumentKind, ...], zip_always: bool = False):
        commissions = items if isinstance(items, list) else [items]
        with transaction() as outcome:
            documents = [issue(c, k, r) for c in commissions for kind in kinds
                         for k, r in content.printable(db.session, c, kind)]
            # one document: printed as print_one prints, its download audited with it
            single = (hand_out(documents[0], "print")
                      if len(documents) == 1 and not zip_always else None)
        if outcome.refused:
            flash(outcome.message, "danger")
            return redirect(request.referrer or url_for("CommissionView.list"))
        if not documents:
            flash(str(_("None of the chosen commissions has this document yet.")), "warning")
            return redirect(request.referrer or url_for("CommissionView.list"))
        if single is not None:
            return send_handout(single)
        if not all(archive.intact(d) for d in documents):
            flash(str(ALTERED), "danger")
            return redirect(request.referrer or url_for("CommissionView.list"))
        return _zip(documents)

    @action("print_application", _("Print application form"), icon="fa-print")
    def print_application(self, items: Any):
        return self._print(items, self.PRINTS["print_application"])

    @action("print_plan", _("Print approval schedule"), icon="fa-print")
    def print_plan(self, items: Any):
        return self._print(items, self.PRINTS["print_plan"])

    @action("print_completion", _("Print completion form"), icon="fa-print")
    def print_completion(self, items: Any):
        return self._print(items, self.PRINTS["print_completion"])

    @action("print_termination", _("Print termination form"), icon="fa-print")
    def print_termination(self, items: Any):
        return self._print(items, self.PRINTS["print_termination"])

    @action("print_all", _("Print all documents (ZIP)"), icon="fa-file-archive-o")
    def print_all(self, items: Any):
        return self._print(items, self.PRINTS["print_all"], zip_always=True)

    @action("documents", _("Documents"), icon="fa-file-pdf-o", multiple=False)
    def documents(self, item: Any):
        return redirect(url_for("DocumentsView.commission", pk=item.id))


def _zip(documents: list[IssuedDocument]) -> Any:
    """The archived files in one ZIP, one folder per commission; each download audited."""
    buffer = io.BytesIO()
    with transaction() as outcome, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for document in documents:
            folder = document.commission.application_no or f"#{document.commission_id}"
            bundle.write(archive.file_of(document), f"{folder}/{_file_name(document)}")
            archive.record_event(archive.DOWNLOADED, document, g.user, via="zip")
    if outcome.refused:
        flash(outcome.message, "danger")
        return redirect(request.referrer or url_for("CommissionView.list"))
    buffer.seek(0)
    return send_file(buffer, mimetype="application/zip", as_attachment=True,
                     download_name=f"协办文书-{office_today():%Y%m%d}.zip")


def register(appbuilder) -> None:
    """No menu: the archive shows on the commission's page, printing through its actions."""
    appbuilder.add_view_no_menu(IssuedDocumentView)
    appbuilder.add_view_no_menu(DocumentsView)
