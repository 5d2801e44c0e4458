"""Our security manager: FAB's, with the hooks the project needs in one place.

- the signed-in user's roles and their permission set kept per process, keyed by the
  session version and the role definitions' version (both read with the user, in the one
  statement a request spends on them): a page checks permissions with no statement, and
  a revocation or any change to roles, permissions or a user's roles drops the kept sets;
- password rules on every path that sets a password (R-14.1): ``add_user``,
  ``reset_password`` and, through them, FAB's CLI, our ``ensure-admin`` and the screens;
- failed-login lockout (lock and unlock audited), password expiry and forced change
  (等保 level 3);
- the login screens and the API login of app/security_views.py, the API login rate limited;
- revocation (R-14.6): each account has a session version that every web session and API
  token carries; logout, a password change or reset, a lock and a deactivation raise it,
  and a session or token of an older version is refused on its next request.
"""
from __future__ import annotations

import datetime as dt
import functools

import click
import sqlalchemy as sa
from flask import current_app, g, has_request_context, request
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import (
    Group,
    Permission,
    PermissionView,
    Role,
    User,
    ViewMenu,
    assoc_permissionview_role,
)
from flask_login import current_user
from sqlalchemy.orm import Session, attributes
from werkzeug.security import check_password_hash

from app import audit, clock, security_screens, security_views, web_security
from app.domain import logins
from app.domain.passwords import PasswordRejected as DomainPasswordRejected
from app.domain.passwords import check_password
from app.models.account import AccountSecurity, RoleDefinitions
from app.models.audit import AuditAction


# The audited object type of accounts (FAB's User model, as the audit trail names it).
USER = "User"
SESSION_VERSION_CLAIM = security_views.SESSION_VERSION_CLAIM
# Where load_user leaves the version it read with the user (one statement, not two).
_VERSION_ATTR = "_xb_session_version"
# ... and the role definitions' version read in the same statement.
_DEFINITIONS_ATTR = "_xb_role_definitions"
#: kept role lists and permission sets above this many entries are dropped and rebuilt
KEPT_LIMIT = 10_000


class KeptRole(tuple):
    """A role as kept between requests: its id and name, what permission checks read."""

    __slots__ = ()

    def __new__(cls, role_id: int, name: str) -> "KeptRole":
        return super().__new__(cls, (role_id, name))

    id = property(lambda self: self[0])
    name = property(lambda self: self[1])

    def __str__(self) -> str:
        return self.name


def keep(store: dict, key, value, limit: int = KEPT_LIMIT):
    """``store[key] = value``, the store emptied first when it holds ``limit`` entries (what
    is kept per role definitions' version piles up as versions change); returns ``value``."""
    if len(store) >= limit:
        store.clear()
    store[key] = value
    return value


def _per_request(name: str) -> dict:
    """A store kept on the current request, by ``name``. On the request, not on g: an app
    context can outlive one request (tests, CLI)."""
    return request._get_current_object().__dict__.setdefault(name, {})


#: (user id, session version, definitions version) → the user's (direct, all) roles
_kept_roles: dict[tuple, tuple[tuple[KeptRole, ...], tuple[KeptRole, ...]]] = {}
#: (role ids, definitions version) → their (view, permission) set
_kept_permissions: dict[tuple, frozenset[tuple[str, str]]] = {}


class PasswordRejected(DomainPasswordRejected, click.ClickException):
    """A password that breaks the rules: a Chinese reason, and exit status 1 in a command."""


class AppSecurityManager(SecurityManager):
    """FAB's SQLA security manager; roles and permissions are synced by ``flask sync-perms``.

    FAB asks the database once per permission check (one per menu entry, button and
    action: about 20–90 a page). Within a request the answer comes from the role's
    permission set, loaded once.
    """

    authdbview = security_views.AuthDBView
    userdbmodelview = security_views.UserDBModelView
    resetpasswordview = security_views.ResetPasswordView
    resetmypasswordview = security_views.ResetMyPasswordView
    security_api = security_views.SecurityApi
    # Role, permission and group screens that read in Chinese (app/security_screens.py).
    rolemodelview = security_screens.RoleModelView
    permissionmodelview = security_screens.PermissionModelView
    viewmenumodelview = security_screens.ViewMenuModelView
    permissionviewmodelview = security_screens.PermissionViewModelView
    groupmodelview = security_screens.UserGroupModelView
    # FAB's user statistics chart loads Google Charts from the internet (none here).
    userstatschartview = None

    # --- permissions, cached per request -------------------------------------------------

    def _role_permissions(self, role_ids: list[int]) -> frozenset[tuple[str, str]]:
        rows = (
            self.session.query(ViewMenu.name, Permission.name)
            .join(PermissionView, PermissionView.view_menu_id == ViewMenu.id)
            .join(Permission, PermissionView.permission_id == Permission.id)
            .join(assoc_permissionview_role,
                  assoc_permissionview_role.c.permission_view_id == PermissionView.id)
            .filter(assoc_permissionview_role.c.role_id.in_(role_ids))
            .all()
        )
        return frozenset((view, perm) for view, perm in rows)

    def has_access(self, permission_name: str, view_name: str) -> bool:
        """FAB's answer, worked out once per request for each signed-in user and pair: a
        page asks the same (its buttons, related lists, menu) many times."""
        if not has_request_context() or getattr(g, "_api_key_user", False):
            return super().has_access(permission_name, view_name)
        user = current_user._get_current_object()
        if not user.is_authenticated:
            return super().has_access(permission_name, view_name)
        answers = _per_request("_xb_access")
        key = (id(user), permission_name, view_name)
        answer = answers.get(key)
        if answer is None:
            answer = answers[key] = super().has_access(permission_name, view_name)
        return answer

    def exist_permission_on_roles(self, view_name: str, permission_name: str,
                                  role_ids: list[int]) -> bool:
        if not has_request_context():
            return super().exist_permission_on_roles(view_name, permission_name, role_ids)
        key = tuple(sorted(role_ids))
        cache = _per_request("_xb_permissions")
        if key not in cache:
            version = _request_definitions()
            kept = _kept_permissions.get((key, version)) if version is not None else None
            if kept is None:
                kept = self._role_permissions(list(key))
                if version is not None:
                    keep(_kept_permissions, (key, version), kept)
            cache[key] = kept
        return (view_name, permission_name) in cache[key]

    def get_user_roles(self, user) -> list:
        """The user's roles (direct and through groups), kept per session version and role
        definitions' version: no statement once a session's first page has loaded them."""
        kept = self._kept_roles(user)
        return super().get_user_roles(user) if kept is None else list(kept[1])

    def role_names(self, user) -> frozenset[str]:
        """The names of the roles given to ``user`` itself (not through groups), kept as
        :meth:`get_user_roles` keeps them."""
        kept = self._kept_roles(user)
        roles = kept[0] if kept is not None else (getattr(user, "roles", None) or ())
        return frozenset(role.name for role in roles)

    def _kept_roles(self, user) -> tuple[tuple[KeptRole, ...], tuple[KeptRole, ...]] | None:
        """(direct roles, all roles) of a user loaded by :meth:`load_user`, else None."""
        version = getattr(user, _DEFINITIONS_ATTR, None) if user.is_authenticated else None
        if version is None:
            return None
        key = (user.id, getattr(user, _VERSION_ATTR, None), version)
        kept = _kept_roles.get(key)
        if kept is None:
            direct = tuple(KeptRole(role.id, role.name) for role in user.roles)
            every = tuple(KeptRole(role.id, role.name)
                          for role in super().get_user_roles(user))
            kept = keep(_kept_roles, key, (direct, every))
        return kept

    # --- views -----------------------------------------------------------------------------

    def register_views(self) -> None:
        super().register_views()
        if self.is_auth_limited:
            # FAB limits only the login form's blueprint; the API login needs the same.
            for view in self.appbuilder.baseviews:
                if isinstance(view, self.security_api):
                    self.limiter.limit(self.auth_rate_limit, methods=["POST"])(view.blueprint)

    # --- sessions and tokens (R-14.6) ---------------------------------------------------

    def load_user(self, pk):
        """The signed-in user of a session (or a JWT), read with the account's session
        version in the same statement; None for an unknown or inactive account."""
        try:
            user_id = int(pk)
        except (TypeError, ValueError):
            return None
        row = self.session.execute(self._signed_in_statement, {"user_id": user_id}).first()
        if row is None or not row[0].is_active:
            return None
        user, version, definitions_version = row
        setattr(user, _VERSION_ATTR, version or 0)
        setattr(user, _DEFINITIONS_ATTR, definitions_version)
        return user

    @functools.cached_property
    def _signed_in_statement(self):
        """``load_user``'s statement, built once: the same object every request, so its
        cache key is not worked out again to find the compiled SQL."""
        definitions = (sa.select(RoleDefinitions.version)
                       .where(RoleDefinitions.id == 1).scalar_subquery())
        return (sa.select(self.user_model, AccountSecurity.session_version, definitions)
                .outerjoin(AccountSecurity, AccountSecurity.user_id == self.user_model.id)
                .where(self.user_model.id == sa.bindparam("user_id")))

    def session_version(self, user) -> int:
        """The current session version of ``user``'s account (0 before any bump)."""
        version = getattr(user, _VERSION_ATTR, None)
        if version is None:
            version = self.session.scalar(
                sa.select(AccountSecurity.session_version)
                .where(AccountSecurity.user_id == user.id)) or 0
        return version

    def end_sessions(self, user, *, keep_current: bool = False) -> int:
        """End every web session and API token of ``user`` (the caller commits).

        ``keep_current``: the signed-in request is ``user``'s own (a password change) and
        carries on under the new version; every other session of the account ends."""
        version = logins.end_sessions(self.session, user.id, self.now())
        setattr(user, _VERSION_ATTR, version)
        if keep_current and has_request_context() and _signed_in_user_id() == user.id:
            web_security.set_session_version(version)
        return version

    def create_jwt_manager(self, app):
        """FAB's JWT manager, refusing tokens issued under an older session version."""
        jwt_manager = super().create_jwt_manager(app)
        jwt_manager.token_in_blocklist_loader(self._token_revoked)
        return jwt_manager

    def _token_revoked(self, _jwt_header, jwt_data) -> bool:
        try:
            user_id = int(jwt_data["sub"])
        except (KeyError, TypeError, ValueError):
            return True
        current = self.session.scalar(
            sa.select(AccountSecurity.session_version)
            .where(AccountSecurity.user_id == user_id)) or 0
        return jwt_data.get(SESSION_VERSION_CLAIM) != current

    def token_claims(self, user) -> dict:
        """The claims every API token of ``user`` carries (its session version)."""
        return {SESSION_VERSION_CLAIM: self.session_version(user)}

    def account_deactivated(self, user) -> None:
        """An administrator switched the account off: its sessions end now and stay ended
        if it is switched on again."""
        self.end_sessions(user)
        self.session.commit()

    # --- clock and policy ------------------------------------------------------------------

    def now(self) -> dt.datetime:
        """The current time, aware UTC (tests replace this method to freeze the clock)."""
        return clock.utc_now()

    @property
    def login_policy(self) -> logins.Policy:
        return logins.Policy.from_config(current_app.config)

    # --- setting passwords ---------------------------------------------------------------

    def check_new_password(self, password: str | None, username: str | None) -> None:
        """Raise :class:`PasswordRejected` when ``password`` breaks the rules."""
        try:
            check_password(password, username, current_app.config["PASSWORD_MIN_LENGTH"])
        except DomainPasswordRejected as exc:
            raise PasswordRejected(exc.message) from None

    def add_user(self, username, first_name, last_name, email, role=None, password="",
                 hashed_password="", groups=None, commit=True, *, password_chosen=False):
        """FAB's add_user, refusing weak passwords; the new account changes its password at
        first login unless ``password_chosen`` (e.g. the operator's ADMIN_PASSWORD)."""
        if not hashed_password:
            self.check_new_password(password, username)
        user = super().add_user(username, first_name, last_name, email, role,
                                password=password, hashed_password=hashed_password,
                                groups=groups, commit=commit)
        if user:
            self._record_password(user, chosen=password_chosen)
            if commit:
                self.session.commit()
        return user

    def account_created(self, user) -> None:
        """An account added on the user screen: its password was set by an administrator."""
        self._record_password(user, chosen=False)
        self.session.commit()

    def reset_password(self, userid, password, *, chosen: bool | None = None) -> None:
        """Set a password after checking the rules. ``chosen`` defaults to "the signed-in
        user changes their own"; a password set by anyone else must be changed at login."""
        user = self.get_user_by_id(userid)
        if user is None:
            raise LookupError(f"no user {userid}")
        self.check_new_password(password, user.username)
        if chosen is None:
            chosen = _signed_in_user_id() == user.id
        super().reset_password(user.id, password)
        # The audit trail records this as the update of ab_user's (redacted) password.
        account = self._record_password(user, chosen=chosen)
        # Every other session of the account ends; the owner's own change carries on.
        self.end_sessions(user, keep_current=True)
        self.session.commit()
        if chosen and has_request_context() and _signed_in_user_id() == user.id:
            web_security.set_password_due(
                _timestamp(logins.change_due_at(account, self.login_policy)))

    def _record_password(self, user, *, chosen: bool):
        if not current_app.config["PASSWORD_CHANGE_AT_FIRST_LOGIN"]:
            chosen = True
        return logins.password_set(self.session, user.id, self.now(), chosen=chosen)

    # --- logging in ------------------------------------------------------------------------

    def _login_user_lookup(self, username):
        user = self.find_user(username=username)
        return user if user is not None else self.find_user(email=username)

    def auth_user_db(self, username, password):
        """FAB's check, behind the failed-login lock.

        Logins and refused logins are audited by app/audit/login.py (it wraps this method);
        the lock and unlock are audited here."""
        if not username:
            return None
        user = self._login_user_lookup(username)
        if user is not None and user.is_active:
            now = self.now()
            account = logins.account_for(self.session, user.id, now)
            if logins.release_expired_lock(account, now):
                audit.record(AuditAction.unlock, object_type=USER, object_id=user.id,
                             user=user, detail={"reason": "lock expired"})
            self.session.commit()
            if logins.is_locked(account, now):
                # Same work as a real check, so the answer's timing does not tell the lock.
                check_password_hash(user.password, password or "")
                return None
        return super().auth_user_db(username, password)

    def on_user_login(self, user) -> None:
        """Success: clear the failures, start the session's clocks."""
        now = self.now()
        account = logins.account_for(self.session, user.id, now)
        logins.register_success(account)
        self.session.commit()
        if has_request_context():
            web_security.start_session(now.timestamp(),
                                       _timestamp(logins.change_due_at(account, self.login_policy)),
                                       account.session_version)

    def on_user_login_failed(self, user) -> None:
        """A wrong password: count it, lock at the limit (the lock is audited)."""
        now = self.now()
        account = logins.account_for(self.session, user.id, now)
        locked = logins.register_failure(self.session, account, now, self.login_policy)
        if locked:
            audit.record(AuditAction.lock, object_type=USER, object_id=user.id, user=user,
                         detail={"failures": account.failed_logins,
                                 "until": account.locked_until.isoformat()})
            # Whoever is guessing may already hold a session or a refresh token: end them.
            self.end_sessions(user)
        self.session.commit()

    def on_user_logout(self, user) -> None:
        """Logout ends every session and API token of the account (R-14.6)."""
        self.end_sessions(user)
        self.session.commit()
        web_security.end_session()

    def unlock_account(self, user) -> None:
        """An administrator lifts a failed-login lock (audited)."""
        account = logins.account_for(self.session, user.id, self.now())
        if logins.unlock(account):
            audit.record(AuditAction.unlock, object_type=USER, object_id=user.id,
                         detail={"reason": "administrator"})
        self.session.commit()

    # --- password age ----------------------------------------------------------------------

    def password_change_due(self, user) -> bool:
        """Whether ``user`` must change the password before working (first login, expiry)."""
        due = self.password_due_timestamp(user)
        return due is not None and self.now().timestamp() >= due

    def password_due_timestamp(self, user) -> float | None:
        """When ``user``'s password falls due, epoch seconds; None: never."""
        account = logins.account_for(self.session, user.id, self.now())
        self.session.commit()
        return _timestamp(logins.change_due_at(account, self.login_policy))


def definitions_version(user) -> int | None:
    """The role definitions' version read with ``user`` when it signed in to this request
    (None: an anonymous visitor, or a user not loaded by ``load_user``)."""
    return getattr(user, _DEFINITIONS_ATTR, None)


def _request_definitions() -> int | None:
    """The role definitions' version read with the signed-in user (None: not read)."""
    return definitions_version(current_user._get_current_object() if current_user else None)


_DEFINITION_MODELS = (Role, Permission, ViewMenu, PermissionView, Group)


def _raise_definitions_version(session: Session, _context, _instances) -> None:
    """Before a flush that changes roles, permissions, groups or a user's roles or groups:
    raise the role definitions' version in the same transaction (kept sets are dropped)."""
    changed = False
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _DEFINITION_MODELS):
            changed = True
        elif isinstance(obj, User) and obj not in session.new:
            changed = any(attributes.get_history(obj, name).has_changes()
                          for name in ("roles", "groups", "active"))
        if changed:
            break
    if changed:
        table = RoleDefinitions.__table__
        connection = session.connection()
        raised = connection.execute(
            table.update().where(table.c.id == 1).values(version=table.c.version + 1))
        if not raised.rowcount:  # the row is gone (a restore without it): start again
            connection.execute(table.insert().values(id=1, version=1))


sa.event.listen(Session, "before_flush", _raise_definitions_version)


def _timestamp(moment: dt.datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def _signed_in_user_id() -> int | None:
    if not has_request_context() or not current_user.is_authenticated:
        return None
    return current_user.id
