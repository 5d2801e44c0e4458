"""Our security manager: FAB's, with the hooks the project needs in one place."""
from __future__ import annotations

from flask import has_request_context, request
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import (
    Permission,
    PermissionView,
    ViewMenu,
    assoc_permissionview_role,
)


class AppSecurityManager(SecurityManager):
    """FAB's SQLA security manager; roles and permissions are synced by ``flask sync-perms``.

    FAB asks the database once per permission check (one per menu entry, button and
    action: about 20–90 a page). Within a request the answer comes from the role's
    permission set, loaded once.
    """

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

    def exist_permission_on_roles(self, view_name: str, permission_name: str,
                                  role_ids: list[int]) -> bool:
        if not has_request_context():
            return super().exist_permission_on_roles(view_name, permission_name, role_ids)
        key = tuple(sorted(role_ids))
        # On the request, not on g: an app context can outlive one request (tests, CLI).
        holder = request._get_current_object()
        cache = holder.__dict__.setdefault("_xb_permissions", {})
        if key not in cache:
            cache[key] = self._role_permissions(list(key))
        return (view_name, permission_name) in cache[key]
