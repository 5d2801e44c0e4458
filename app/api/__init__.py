"""The read-only REST API for external systems (R-14.1, R-14.2, R-19.1; see README, REST API).

``register(appbuilder)`` adds one ModelRestApi per resource, the public OpenAPI document
(/api/v1/_openapi, app/api/openapi.py) and FAB's Swagger UI (/swagger/v1, FAB's bundled
assets, nothing from the internet), and makes every /api/ error JSON (app/api/errors.py).
FAB's own OpenAPI views are off (``FAB_ADD_OPENAPI_VIEWS = False`` in app/config.py): ours
replaces FAB's on the same URL.
"""
from __future__ import annotations

from flask import current_app
from flask_appbuilder.api.manager import SwaggerView

from app.api.commission import CommissionApi
from app.api.errors import init_api_errors
from app.api.history import CommissionHistoryApi
from app.api.items import CommissionItemApi
from app.api.openapi import OpenApi

APIS = (CommissionApi, CommissionItemApi, CommissionHistoryApi)


def register(appbuilder) -> None:
    """Register the APIs, the OpenAPI document, the Swagger page and the JSON errors."""
    for api in APIS:
        appbuilder.add_api(api)
    appbuilder.add_api(OpenApi)
    appbuilder.add_view_no_menu(SwaggerView)
    init_api_errors(current_app._get_current_object())  # called inside the app context


__all__ = ["APIS", "register"]
