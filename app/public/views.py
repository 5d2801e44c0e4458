"""The routes of the unit's pages (``/unit/…``): thin adapters over the domain and the
lifecycle, each write in the one transaction (app/views/transaction.py).

    GET  /unit/                 the look-up form (?no= fills the number in: the QR codes)
    POST /unit/code             a code for the number, sent to the chosen contact's mobile
    GET  /unit/verify           the code form          POST /unit/verify   check the code
    GET  /unit/case             the commission, for 30 minutes after the code
    POST /unit/case/confirm     confirm the plan or the termination (the lifecycle's steps)
    GET  /unit/case/contact     report a new 项目负责人 / 经办人   POST: the report
    GET  /unit/case/document/<id>   a document issued to the unit (its own, else 404)
    POST /unit/logout           end the visit
    GET  /unit/rate/<token>     the 好差评 form of a rating link   POST: the rating

The commission is always the one the visit's cookie was granted, never one named in the
URL or the form, so changing a number in a URL reaches nothing of another commission.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import lazy_gettext as _

from app.audit.context import client_ip
from app.choices import LookupStep, Rating, UnitConfirmationKind, UnitContact
from app.clock import office_today, utc_now
from app.documents import archive
from app.domain import contacts, lookup, ratings
from app.domain.notices import unit_channel
from app.domain.online_links import PREFIX
from app.domain.workdays import load_calendar
from app.extensions import db
from app.lifecycle import online
from app.lifecycle.step import Context
from app.models import Commission
from app.public import case as case_page
from app.public import visit
from app.views.transaction import run_in_transaction

#: the pages' own bundled assets (app/static/public), served under /unit/static
STATIC = Path(__file__).resolve().parent.parent / "static" / "public"

bp = Blueprint("unit", __name__, url_prefix=PREFIX, static_folder=str(STATIC),
               static_url_path="/static")

#: the one answer to a refused code, whatever the reason (R-17.7)
REFUSED = _("The application number or the code is not right, or the code is no longer "
            "valid (a code is valid for 10 minutes and 5 tries). Check them, or ask for a "
            "new code.")
EXPIRED_FORM = _("The page has expired. Please try again.")
#: the messages after a redirect (?done=…), never text from the URL itself
DONE = {
    "plan": _("You confirmed the approval plan. Your coordinator has been told."),
    "termination": _("You confirmed the termination. Your materials will be handed back "
                     "within 1 working day."),
    "contact": _("Your report was sent to your coordinator, who will confirm the change."),
}
#: form values of the two contacts
CONTACTS = {c.value: c for c in UnitContact}
RATINGS = {r.value: r for r in Rating}
MAX_COMMENT = 1000


# ---- every request of these pages --------------------------------------------------------
@bp.url_value_preprocessor
def _no_staff_session(endpoint: str | None, values: dict | None) -> None:
    """Before anything reads the login: the public pages never see a staff session (no FAB
    session here, even in a browser signed in at the window)."""
    g._login_user = current_app.login_manager.anonymous_user()


@bp.before_request
def _who() -> None:
    """The audit trail names the unit (app/audit/context.py)."""
    g.xb_unit_actor = str(_("Construction unit (self-service)"))


@bp.after_request
def _headers(response: Any) -> Any:
    """Own CSP (no script at all, styles only from the bundled sheet), nothing cached or
    framed, no referrer leaving the page; the visit's cookie when it changed."""
    visit.save(response)
    response.headers["Content-Security-Policy"] = "; ".join([
        "default-src 'none'", "style-src 'self'", "img-src 'self' data:",
        "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"])
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def _page(template: str, status: int = 200, **context: Any) -> Any:
    return render_template(f"public/{template}", visit=visit.current(),
                           csrf_field=visit.CSRF_FIELD, **context), status


def _refuse_form() -> Any:
    """A post without this visit's CSRF token: nothing done, the form again."""
    visit.current().changed = True
    return _page("message.html", 400, title=_("Page expired"), message=EXPIRED_FORM,
                 back=url_for("unit.index"))


def _too_many(number: str, step: LookupStep, message: Any) -> Any:
    """429: a rate limit refused the request (audited; the same page for every number)."""
    run_in_transaction(lookup.record_refusal, db.session, number, step)
    return _page("message.html", 429, title=_("Too many requests"), message=message,
                 back=url_for("unit.index"))


def _limits() -> lookup.Limits:
    return lookup.Limits.of(current_app.config)


def _ip() -> str:
    return client_ip() or "unknown"


# ---- look-up: number, code -----------------------------------------------------------------
@bp.get("/")
def index():
    """The number (filled in from ?no=, the QR codes) and whom to send the code to."""
    current = visit.current()
    asked = lookup.normalise_number(request.args.get("no"))
    number = asked or current.number or ""
    if current.granted:
        granted = db.session.get(Commission, current.commission_id)
        if granted is not None and asked in (None, granted.application_no):
            return redirect(url_for("unit.show_case"))
    return _page("lookup.html", title=_("Progress look-up"), number=number,
                 contacts=list(UnitContact), error=None)


@bp.post("/code")
def send_code():
    """Ask for a code: the same answer whether the number is registered or not."""
    if not visit.csrf_ok(request.form):
        return _refuse_form()
    number = lookup.normalise_number(request.form.get("no"))
    contact = CONTACTS.get(request.form.get("contact", ""), UnitContact.handler)
    if number is None:
        return _page("lookup.html", 200, title=_("Progress look-up"),
                     number=request.form.get("no", "")[:40], contacts=list(UnitContact),
                     error=_("Enter the application number printed on your application form "
                             "(for example JCXB-2026-0001)."))
    outcome = run_in_transaction(
        lookup.request_code, db.session, number=number, contact=contact, ip=_ip(),
        now=utc_now(), secret=current_app.secret_key, limits=_limits(), channel=unit_channel())
    if isinstance(outcome.error, lookup.TooManyRequests):
        return _too_many(number, LookupStep.request, outcome.message)
    if outcome.refused:
        return _page("message.html", 400, title=_("Progress look-up"), message=outcome.message,
                     back=url_for("unit.index"))
    visit.asked(number)
    return redirect(url_for("unit.verify"), code=303)


@bp.get("/verify")
def verify():
    """The code form, for the number a code was asked for."""
    current = visit.current()
    if not current.number:
        return redirect(url_for("unit.index"))
    return _page("verify.html", title=_("Enter the code"), number=current.number, error=None,
                 minutes=_limits().code_minutes)


@bp.post("/verify")
def check_code():
    """A verified code grants the commission for 30 minutes; anything else, one answer."""
    if not visit.csrf_ok(request.form):
        return _refuse_form()
    current = visit.current()
    if not current.number:
        return redirect(url_for("unit.index"))
    code = (request.form.get("code") or "")[:20]
    outcome = run_in_transaction(
        lookup.verify_code, db.session, number=current.number, code=code, ip=_ip(),
        now=utc_now(), secret=current_app.secret_key, limits=_limits())
    if isinstance(outcome.error, lookup.TooManyRequests):
        return _too_many(current.number, LookupStep.verify, outcome.message)
    grant = outcome.value
    if outcome.refused or grant is None:
        return _page("verify.html", 200, title=_("Enter the code"), number=current.number,
                     error=outcome.message or REFUSED, minutes=_limits().code_minutes)
    visit.grant(grant.commission_id, grant.contact.value)
    return redirect(url_for("unit.show_case"), code=303)


@bp.post("/logout")
def logout():
    """End the visit (the cookie's grant is gone)."""
    if visit.csrf_ok(request.form):
        visit.forget()
    return redirect(url_for("unit.index"), code=303)


# ---- the commission ----------------------------------------------------------------------
def _granted() -> tuple[Commission, UnitContact] | None:
    """The commission and contact of this visit's grant, or None (back to the look-up)."""
    current = visit.current()
    if not current.granted:
        return None
    commission = db.session.get(Commission, current.commission_id)
    if commission is None or current.contact not in CONTACTS:
        return None
    contact = CONTACTS[current.contact]
    who = contacts.person(commission.project.unit, contact)
    g.xb_unit_actor = f"{_('Construction unit')}：{who.name}（{contact.label}）"
    return commission, contact


def _show(commission: Commission, contact: UnitContact, *, error: Any = None,
          status: int = 200) -> Any:
    page = case_page.build(db.session, commission, contact, today=office_today(),
                           cal=load_calendar(db.session))
    run_in_transaction(lookup.record_view, db.session, commission, "case_viewed")
    done = DONE.get(request.args.get("done", ""))
    return _page("case.html", status, title=commission.application_no, page=page,
                 done=done, error=error, kinds=UnitConfirmationKind)


@bp.get("/case")
def show_case():
    granted = _granted()
    if granted is None:
        return redirect(url_for("unit.index"))
    return _show(*granted)


def _context() -> Context:
    """A step run by the unit: no user (the unit has no account), today, the calendar."""
    return Context(actor=None, today=office_today(), cal=load_calendar(db.session),
                   config=current_app.config)


@bp.post("/case/confirm")
def confirm():
    """The unit confirms the plan (R-17.2) or the termination (R-17.3)."""
    granted = _granted()
    if granted is None:
        return redirect(url_for("unit.index"))
    if not visit.csrf_ok(request.form):
        return _refuse_form()
    commission, contact = granted
    kind = {k.value: k for k in UnitConfirmationKind}.get(request.form.get("kind", ""))
    if kind is None:
        abort(400)
    try:
        plan_id = int(request.form.get("plan_id") or 0)
    except ValueError:
        plan_id = 0
    outcome = run_in_transaction(online.confirm, db.session, commission, kind,
                                 contact=contact, ctx=_context(), at=utc_now(), ip=_ip(),
                                 plan_id=plan_id)
    if outcome.refused:
        db.session.expire_all()
        return _show(db.session.get(Commission, commission.id), contact, error=outcome.message,
                     status=409)
    return redirect(url_for("unit.show_case", done=kind.value), code=303)


@bp.route("/case/contact", methods=["GET", "POST"])
def report_contact():
    """The unit reports a new 项目负责人 or 经办人 (R-17.6); the coordinator decides."""
    granted = _granted()
    if granted is None:
        return redirect(url_for("unit.index"))
    commission, contact = granted
    unit = commission.project.unit
    current = {c: contacts.person(unit, c) for c in UnitContact}
    values = {"contact": request.form.get("contact", UnitContact.handler.value),
              "name": request.form.get("name", ""), "title": request.form.get("title", ""),
              "phone": request.form.get("phone", "")}
    error = None
    if request.method == "POST":
        if not visit.csrf_ok(request.form):
            return _refuse_form()
        role = CONTACTS.get(values["contact"])
        me = current[contact]
        outcome = run_in_transaction(
            contacts.report_change, db.session, commission, role=role or UnitContact.handler,
            name=values["name"], title=values["title"], phone=values["phone"],
            reported_by=f"{me.name}（{contact.label}）", ip=_ip(), at=utc_now())
        if outcome.ok:
            return redirect(url_for("unit.show_case", done="contact"), code=303)
        error = outcome.message
    return _page("contact.html", 200 if error is None else 422, title=_("Report a new contact"),
                 commission=commission, current=current, values=values, error=error)


@bp.get("/case/document/<int:document_id>")
def document(document_id: int):
    """A document issued to the unit, as archived; another commission's answers 404."""
    granted = _granted()
    if granted is None:
        return redirect(url_for("unit.index"))
    commission, _contact = granted
    found = case_page.unit_document(db.session, commission.id, document_id)
    if found is None or not archive.intact(found):
        abort(404)
    outcome = run_in_transaction(archive.record_event, archive.DOWNLOADED, found,
                                 g.xb_unit_actor, via="unit_lookup")
    if outcome.refused:
        abort(503)
    return send_file(archive.file_of(found), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{commission.application_no}-{found.title}-v{found.version}.pdf")


# ---- rating by link (R-17.4) -------------------------------------------------------------------
@bp.route("/rate/<path:token>", methods=["GET", "POST"])
def rate(token: str):
    """The five-level 好差评 form of a signed, single-use, expiring link."""
    try:
        invitation = ratings.open_invitation(db.session, token[:300],
                                             secret=current_app.secret_key, now=utc_now())
    except ratings.LinkRefused as refused:
        return _page("message.html", 410, title=_("Rate our service"), message=str(refused),
                     back=None)
    values = {"rating": request.form.get("rating", ""),
              "comment": (request.form.get("comment") or "")[:MAX_COMMENT]}
    error = None
    if request.method == "POST":
        if not visit.csrf_ok(request.form):
            return _refuse_form()
        rating = RATINGS.get(values["rating"])
        if rating is None:
            error = _("Choose one of the five levels.")
        else:
            outcome = run_in_transaction(ratings.answer, db.session, invitation, rating=rating,
                                         comment=values["comment"], today=office_today(),
                                         now=utc_now())
            if outcome.ok:
                return _page("message.html", 200, title=_("Thank you"),
                             message=_("Thank you for your rating. It has been passed to the "
                                       "assistance window."), back=None)
            error = outcome.message
    return _page("rate.html", 200 if error is None else 422, title=_("Rate our service"),
                 invitation=invitation, ratings=list(Rating), values=values, error=error)
