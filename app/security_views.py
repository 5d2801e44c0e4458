"""FAB's login, user and password screens with our password rules and lockout (R-14.1).

The classes keep FAB's names (AuthDBView, UserDBModelView, ResetPasswordView, ...) on
purpose: FAB derives endpoints and permission names from the class name, so roles and URLs
stay exactly those of stock FAB. app/security.py plugs them into the security manager.
"""
from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, request
from flask_appbuilder._compat import as_unicode
from flask_appbuilder.actions import action
from flask_appbuilder.api import safe
from flask_appbuilder.const import (
    API_SECURITY_ACCESS_TOKEN_KEY,
    API_SECURITY_PROVIDER_DB,
    API_SECURITY_REFRESH_TOKEN_KEY,
)
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.security.api import SecurityApi as FabSecurityApi
from flask_appbuilder.security.decorators import no_cache
from flask_appbuilder.security.forms import DynamicForm, LoginForm_db
from flask_appbuilder.security.schemas import login_post
from flask_appbuilder.security.views import AuthDBView as FabAuthDBView
from flask_appbuilder.security.views import ResetMyPasswordView as FabResetMyPasswordView
from flask_appbuilder.security.views import ResetPasswordView as FabResetPasswordView
from flask_appbuilder.security.views import UserDBModelView as FabUserDBModelView
from flask_appbuilder.views import expose
from flask_babel import lazy_gettext as _
from flask_jwt_extended import (
    create_access_token,
    create_refresh_token,
    get_jwt,
    get_jwt_identity,
    jwt_required,
)
from flask_login import login_user, logout_user
from marshmallow import ValidationError as SchemaError
from werkzeug.security import check_password_hash
from wtforms import PasswordField, ValidationError
from wtforms.validators import DataRequired, EqualTo

from app.domain.passwords import RULES_TEXT, password_problems
from app.security_screens import ChineseSecurityScreen
from app.timefmt import show_server_time
from app.web_security import safe_next_url

#: the JWT claim holding the account's session version (R-14.6; app/security.py checks it)
SESSION_VERSION_CLAIM = "sv"


class PasswordRules:
    """WTForms validator: the password rules, with the user name the form is about."""

    def __init__(self, username_of) -> None:
        self.username_of = username_of

    def __call__(self, form, field) -> None:
        problems = password_problems(field.data, self.username_of(form),
                                     current_app.config["PASSWORD_MIN_LENGTH"])
        if problems:
            raise ValidationError("；".join(str(p) for p in problems))


def _password_field(username_of) -> PasswordField:
    return PasswordField(_("Password"), description=RULES_TEXT,
                         validators=[DataRequired(), PasswordRules(username_of)],
                         widget=BS3PasswordFieldWidget())


def _confirm_field() -> PasswordField:
    return PasswordField(_("Confirm Password"),
                         description=_("Please rewrite the password to confirm"),
                         validators=[DataRequired(),
                                     EqualTo("password", message=_("Passwords must match"))],
                         widget=BS3PasswordFieldWidget())


def _target_user():
    """The account ``/resetpassword/form?pk=`` is about, or 404."""
    pk = request.args.get("pk", type=int)
    user = current_app.appbuilder.sm.get_user_by_id(pk) if pk else None
    if user is None:
        abort(404)
    return user


class ResetPasswordForm(DynamicForm):
    """An administrator sets another account's password (the owner changes it at login)."""

    password = _password_field(lambda form: _target_user().username)
    conf_password = _confirm_field()


def _not_the_current_password(form, field) -> None:
    if field.data and check_password_hash(g.user.password, field.data):
        raise ValidationError(_("The new password must differ from the current one."))


def _current_password_matches(form, field) -> None:
    if not check_password_hash(g.user.password, field.data or ""):
        raise ValidationError(_("The current password is wrong."))


class ChangeMyPasswordForm(DynamicForm):
    """A user changes their own password: the current one first, then the new one twice."""

    old_password = PasswordField(_("Current password"), validators=[DataRequired(),
                                 _current_password_matches], widget=BS3PasswordFieldWidget())
    password = PasswordField(_("New password"), description=RULES_TEXT,
                             validators=[DataRequired(),
                                         PasswordRules(lambda form: g.user.username),
                                         _not_the_current_password],
                             widget=BS3PasswordFieldWidget())
    conf_password = _confirm_field()


class ResetMyPasswordView(FabResetMyPasswordView):
    """Change my password; also the page a due or first-login password change leads to."""

    form = ChangeMyPasswordForm
    form_title = _("Change password")

    def form_post(self, form: DynamicForm) -> None:
        self.appbuilder.sm.reset_password(g.user.id, form.password.data, chosen=True)
        flash(as_unicode(self.message), "info")


class ResetPasswordView(FabResetPasswordView):
    """An administrator resets a user's password; the user must change it at next login."""

    form = ResetPasswordForm

    def form_post(self, form: DynamicForm) -> None:
        self.appbuilder.sm.reset_password(_target_user().id, form.password.data)
        flash(as_unicode(self.message), "info")


class UserDBModelView(ChineseSecurityScreen, FabUserDBModelView):
    """FAB's user screen: our password rules on add, a new account changes it at first login,
    and an unlock action for accounts locked by failed logins; roles, yes/no and empty
    values read in Chinese (app/security_screens.py)."""

    add_form_extra_fields = {
        "password": _password_field(lambda form: form.username.data),
        "conf_password": _confirm_field(),
    }
    # Beijing time to the minute, like every screen.
    formatters_columns = {col: show_server_time
                          for col in ("last_login", "created_on", "changed_on")}

    def post_add(self, item) -> None:
        self.appbuilder.sm.account_created(item)

    def post_update(self, item) -> None:
        # Deactivation ends the account's sessions for good: switching it on again
        # does not bring them back.
        if not item.active:
            self.appbuilder.sm.account_deactivated(item)

    @action("unlock", _("Unlock account"), _("Unlock the selected accounts?"), "fa-unlock",
            multiple=True)
    def unlock(self, items):
        """Lift the lock of failed logins now (audited)."""
        items = items if isinstance(items, list) else [items]
        for item in items:
            self.appbuilder.sm.unlock_account(item)
        flash(as_unicode(_("Account unlocked.")), "info")
        self.update_redirect()
        return redirect(self.get_redirect())


class AuthDBView(FabAuthDBView):
    """FAB's login form with a strict ``next`` and one message for every refusal."""

    @property
    def invalid_login_message(self):
        config = current_app.config
        # The same words for a wrong name, a wrong password and a locked account, so that
        # the message does not tell which accounts exist.
        return _("Wrong user name or password. After %(n)d failed attempts an account is "
                 "locked for %(m)d minutes.", n=config["AUTH_MAX_FAILED_LOGINS"],
                 m=config["AUTH_LOCKOUT_MINUTES"])

    def _get_safe_next_url(self) -> str:
        return safe_next_url(request.args.get("next"))

    @expose("/login/", methods=["GET", "POST"])
    @no_cache
    def login(self):
        if g.user is not None and g.user.is_authenticated:
            return redirect(self._get_safe_next_url())
        form = LoginForm_db()
        if form.validate_on_submit():
            next_url = self._get_safe_next_url()
            user = self.appbuilder.sm.auth_user_db(form.username.data, form.password.data)
            if not user:
                flash(as_unicode(self.invalid_login_message), "warning")
                return redirect(self.appbuilder.get_url_for_login_with(next_url))
            login_user(user, remember=False)
            return redirect(next_url)
        return self.render_template(self.login_template, title=self.title, form=form,
                                    appbuilder=self.appbuilder)

    @expose("/logout/", methods=["GET", "POST"])
    @no_cache
    def logout(self):
        """Logout is a POST with the CSRF token (R-14.6): another site cannot sign a user
        out. It ends every session and API token of the account. A GET (an old bookmark)
        shows the button instead of acting."""
        if request.method != "POST":
            if g.user is None or not g.user.is_authenticated:
                return redirect(self.appbuilder.get_url_for_login)
            return self.render_template("logout.html", appbuilder=self.appbuilder)
        user = self._get_authenticated_user()
        logout_user()
        if user is not None:
            self.appbuilder.sm.on_user_logout(user)
        return redirect(self.appbuilder.get_url_for_login)


class SecurityApi(FabSecurityApi):
    """FAB's API login (JWT): locked accounts and passwords due for a change are refused."""

    @expose("/login", methods=["POST"])
    @safe
    def login(self):
        if not request.is_json:
            return self.response_400(message="Request payload is not JSON")
        try:
            payload = login_post.load(request.json)
        except SchemaError as error:
            return self.response_400(message=_schema_error_text(error.messages))
        if payload.get("provider") != API_SECURITY_PROVIDER_DB:
            return self.response_400(message="Only the db provider is enabled")
        if "\x00" in payload["username"] + payload["password"]:
            # PostgreSQL refuses NUL in text: a 500 instead of an answer
            return self.response_400(message="username, password: NUL is not allowed")
        sm = self.appbuilder.sm
        user = sm.auth_user_db(payload["username"], payload["password"])
        if not user:
            return self.response_401()
        if sm.password_change_due(user):
            return self.response(403, message=str(_("Change your password on the web page "
                                                    "before using the API.")))
        claims = sm.token_claims(user)  # the session version: logout etc. revoke the tokens
        response = {API_SECURITY_ACCESS_TOKEN_KEY: create_access_token(
            identity=str(user.id), fresh=True, additional_claims=claims)}
        if payload.get("refresh"):
            response[API_SECURITY_REFRESH_TOKEN_KEY] = create_refresh_token(
                identity=str(user.id), additional_claims=claims)
        return self.response(200, **response)

    @expose("/refresh", methods=["POST"])
    @jwt_required(refresh=True)
    @safe
    def refresh(self):
        """A new access token for a refresh token whose session version still holds (the
        security manager refuses a revoked one before this runs; R-14.6).
        ---
        post:
          description: >-
            Use the refresh token to get a new JWT access token
          responses:
            200:
              description: Refresh Successful
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      access_token:
                        description: A new refreshed access token
                        type: string
            401:
              $ref: '#/components/responses/401'
            500:
              $ref: '#/components/responses/500'
          security:
            - jwt_refresh: []
        """
        claims = {SESSION_VERSION_CLAIM: get_jwt().get(SESSION_VERSION_CLAIM)}
        token = create_access_token(identity=get_jwt_identity(), fresh=False,
                                    additional_claims=claims)
        return self.response(200, **{API_SECURITY_ACCESS_TOKEN_KEY: token})


def _schema_error_text(messages) -> str:
    """marshmallow's messages ({"field": ["why"]}) as one line: the API's errors are text."""
    if isinstance(messages, dict):
        return "; ".join(f"{field}: {' '.join(map(str, why)) if isinstance(why, list) else why}"
                         for field, why in messages.items())
    return str(messages)
