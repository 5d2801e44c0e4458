"""The read-only REST API for external systems (R-14.1, R-14.2; see app/api/README.md).

``register(appbuilder)`` adds one ModelRestApi per resource, and FAB's OpenAPI spec
(/api/v1/_openapi) and Swagger UI (/swagger/v1, FAB's bundled assets, nothing from the
internet) when FAB has not added them already (``FAB_API_SWAGGER_UI``).
"""
from __future__ import annotations

from flask_appbuilder.api.manager import OpenApi, SwaggerView

from app.api.commission import CommissionApi
from app.api.history import CommissionHistoryApi
from app.api.items import CommissionItemApi

APIS = (CommissionApi, CommissionItemApi, CommissionHistoryApi)


def register(appbuilder) -> None:
    """Register the APIs, the OpenAPI spec and the Swagger page (each once)."""
    for api in APIS:
        appbuilder.add_api(api)
    present = {type(view) for view in appbuilder.baseviews}
    if OpenApi not in present:
        appbuilder.add_api(OpenApi)
    if SwaggerView not in present:
        appbuilder.add_view_no_menu(SwaggerView)


__all__ = ["APIS", "register"]
