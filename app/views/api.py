"""Hooks the REST API (app/api) into the registration of app/views/__init__.py."""
from __future__ import annotations

from app.api import register

__all__ = ["register"]
