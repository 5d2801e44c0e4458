"""申报材料: upload a file to a commission or item, list, open and download (R-14.3, Art.5).

The upload is checked (extension and content signature, size) before anything is written;
a refused file shows its reason on the form and leaves no row and no file. Downloads carry
the original name safely (RFC 5987 ``filename*``; no path part). A confidential material's
name, page and file are shown only to those allowed to open it; every view and download of
one, allowed or refused, is recorded in the audit trail.
"""
from __future__ import annotations

import functools
from typing import Any

from flask import abort, g, request, send_file, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import LazyString, gettext, lazy_gettext as _
from flask_wtf.file import FileField
from markupsafe import Markup
from werkzeug.exceptions import Forbidden

from app import storage
from app.domain import materials
from app.models import AuditAction, Material
from app.views.base import AppInterface, AppModelView, SaveError
from app.views.menu import CASEWORK, add
from app.views.rules import NOT_THIS_COMMISSION, same_commission
from app.views.transaction import run_in_transaction

FILE_FIELD = "file"


def audit_forbidden(action: AuditAction):
    """Around FAB's ``has_access``: a 403 (the user's roles do not open materials) on a
    confidential material is recorded as a refused attempt before it is answered."""
    def decorate(view_method):
        @functools.wraps(view_method)
        def wrapper(self, pk, *args, **kwargs):
            try:
                return view_method(self, pk, *args, **kwargs)
            except Forbidden:
                run_in_transaction(materials.record_refused, self.datamodel.session, g.user,
                                   pk, action, materials.NO_PERMISSION)
                raise
        return wrapper
    return decorate


def _limit_text() -> str:
    mb = storage.max_bytes() / 1024 / 1024
    return gettext("Accepted: PDF, JPG, PNG, OFD, DOC, DOCX, XLS, XLSX, ZIP; at most %(mb)s MB.",
                   mb=f"{mb:g}")


def human_size(size: Any) -> str:
    """Bytes as B / KB / MB."""
    if not isinstance(size, int):
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _may_open(material: Material) -> bool:
    """materials.may_open, asked once per commission and request (a list of 20 rows)."""
    if not material.is_confidential:
        return True
    cache = g.setdefault("_xb_material_open", {})
    if material.commission_id not in cache:
        cache[material.commission_id] = materials.may_open(g.user, material)
    return cache[material.commission_id]


class MaterialInterface(AppInterface):
    """Rows and files together: a refused save removes the file it stored; cells show the
    name as a download link, or only that a confidential material exists."""

    def add(self, item: Material, commit: bool = True) -> None:
        try:
            super().add(item, commit)
        except SaveError:
            storage.remove(item.stored_name)
            raise

    @staticmethod
    def _get_attr_value(item: Any, col: str) -> Any:
        if isinstance(item, Material) and col == "original_name":
            return _name_cell(item)
        if isinstance(item, Material) and col == "title" and not _may_open(item):
            return ""  # a confidential material's title may say too much
        return AppInterface._get_attr_value(item, col)


def _name_cell(material: Material) -> Markup:
    if not _may_open(material):
        return Markup('<span class="text-muted"><i class="fa fa-lock"></i> {}</span>').format(
            gettext("Confidential material (%(kind)s)", kind=str(material.confidentiality)))
    link = url_for("MaterialView.file", pk=material.id)
    lock = '<i class="fa fa-lock"></i> ' if material.is_confidential else ""
    return Markup('{lock}<a href="{href}">{name}</a>').format(
        lock=Markup(lock), href=link, name=material.original_name)


class MaterialView(AppModelView):
    """申报材料 of a commission or one of its items."""

    datamodel = MaterialInterface(Material, eager=("commission_item",))
    list_title = _("Materials")
    show_title = _("Material")
    add_title = _("Upload material")
    edit_title = _("Edit material")
    label_columns = {
        "commission": _("Commission"),
        "commission_item": _("Related item"),
        "title": _("Material name"),
        "original_name": _("File"),
        "size": _("Size"),
        "content_type": _("File type"),
        "sha256": _("SHA-256"),
        "confidentiality": _("Confidentiality"),
        "uploaded_by": _("Uploaded by"),
        "uploaded_at": _("Uploaded at"),
        FILE_FIELD: _("File"),
    }
    description_columns = {
        "confidentiality": _("Trade secrets, technical secrets and personal privacy open only "
                             "to the commission's coordinator, the specialists of its items "
                             "and supervisors; every opening is logged."),
    }
    list_columns = ["uploaded_at", "commission", "commission_item", "title", "original_name",
                    "confidentiality", "size", "uploaded_by"]
    show_columns = ["commission", "commission_item", "title", "original_name", "confidentiality",
                    "size", "content_type", "sha256", "uploaded_by", "uploaded_at"]
    add_columns = ["commission", "commission_item", "title", "confidentiality", FILE_FIELD]
    edit_columns = ["title", "confidentiality"]
    add_form_extra_fields = {
        FILE_FIELD: FileField(_("File"), description=LazyString(_limit_text)),
    }
    search_columns = ["title", "confidentiality", "uploaded_at", "content_type"]
    order_columns = ["uploaded_at", "title", "size"]
    base_order = ("id", "desc")
    lookup_columns = {"commission": "commission", "commission_item": "commission_item"}
    formatters_columns = {"size": human_size}
    exclude_route_methods = {"download"}  # FAB's FileColumn route; files go through file()

    # ---- upload ------------------------------------------------------------------
    def check_form(self, form: Any) -> dict[str, object]:
        """The item belongs to the commission; the upload is an accepted file."""
        errors = same_commission("commission", "commission_item", NOT_THIS_COMMISSION)(form)
        field = getattr(form, FILE_FIELD, None)
        if field is None:  # the edit form
            return errors
        upload = request.files.get(FILE_FIELD)
        if upload is None or not upload.filename:
            errors[FILE_FIELD] = _("Choose a file to upload.")
            return errors
        try:
            materials.check_upload(upload.stream, upload.filename, storage.max_bytes())
        except storage.FileRejected as exc:
            errors[FILE_FIELD] = exc.message
        return errors

    def process_form(self, form: Any, is_created: bool) -> None:
        # The file is not a column: keep populate_obj from setting it on the row.
        if is_created and FILE_FIELD in form:
            del form[FILE_FIELD]

    def pre_add(self, item: Material) -> None:
        super().pre_add(item)
        upload = request.files[FILE_FIELD]
        materials.attach_file(item, upload.stream, upload.filename, actor=g.user,
                              limit=storage.max_bytes())

    def pre_delete(self, item: Material) -> None:
        # Kept for post_delete: the row is gone by then.
        g._xb_material_doomed = item.stored_name

    def post_delete(self, item: Material) -> None:
        storage.remove(g.pop("_xb_material_doomed", None) or "")

    # ---- opening -----------------------------------------------------------------
    def _allowed(self, pk: Any, action: AuditAction) -> Material:
        """The row through the screen's filters, if the user may open it (else 404);
        confidential ones are audited either way."""
        material = self.datamodel.get(pk, self._base_filters)
        if material is None:
            # Outside the user's row scope (or no such row): a confidential one is recorded.
            run_in_transaction(materials.record_refused, self.datamodel.session, g.user, pk,
                               action, materials.OUTSIDE_ROW_SCOPE)
            abort(404)
        outcome = run_in_transaction(materials.open_material, g.user, material, action)
        if outcome.refused or not outcome.value:
            # An audit row that cannot be written: the confidential file is not served.
            abort(404)
        return material

    def _show(self, pk: Any) -> Any:
        self._allowed(pk, AuditAction.confidential_view)
        return super()._show(pk)

    @expose("/show/<pk>", methods=["GET"])
    @audit_forbidden(AuditAction.confidential_view)
    @has_access
    def show(self, pk: Any) -> Any:
        """FAB's show page; a refusal by permission is audited too."""
        return super().show(pk)

    @expose("/file/<int:pk>")
    @audit_forbidden(AuditAction.confidential_download)
    @has_access
    @permission_name("show")
    def file(self, pk: int) -> Any:
        """The stored file, as an attachment under its original name."""
        material = self._allowed(pk, AuditAction.confidential_download)
        try:
            path = storage.path_of(material.stored_name)
        except FileNotFoundError:
            abort(404)
        if not path.is_file():
            abort(404)
        response = send_file(path, mimetype=material.content_type, as_attachment=True,
                             download_name=material.original_name, conditional=False,
                             etag=False, max_age=0)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, no-store"
        return response


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, MaterialView, "Materials", _("Materials"), CASEWORK, "fa-paperclip")

