"""The accounts the test session creates."""

ADMIN_USER = "admin"
ADMIN_PASSWORD = "Xieban#Pass2026"  # rules: not containing the user name
