"""Our security manager: FAB's, with the hooks the project needs in one place."""
from __future__ import annotations

from flask_appbuilder.security.sqla.manager import SecurityManager


class AppSecurityManager(SecurityManager):
    """FAB's SQLA security manager; roles and permissions are synced by ``flask sync-perms``."""
