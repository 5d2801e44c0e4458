"""The accounts the test session creates."""

ADMIN_USER = "admin"
ADMIN_PASSWORD = "Admin#Pass2026"
