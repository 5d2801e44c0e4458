"""Login, session and HTTP-header protections (being written)."""
from __future__ import annotations

from flask import Flask


def init_web_security(app: Flask) -> None:
    """Attach the request hooks that protect sessions and responses (being written)."""
