"""The API's OpenAPI 3 document at /api/v1/_openapi: FAB's, completed here (R-19.1).

This is the one place where the document FAB generates is corrected. FAB's document was not
valid (the login had no responses) and contradicted the answers in places: ``ids`` declared as
strings, ``add_columns`` as an object, ``id`` as a string, no 403 where permissions are
checked, 422 for token problems that now answer 401 (app/api/errors.py), one loose ``q``
schema for every resource, an ``api_key`` scheme that is not enabled. ``complete`` rewrites
those parts from what the API really does: the row schemas come from app/api/schema.py, the
``q`` schemas from app/api/query.py (the ones the API enforces).

The document is public (no token): the city's platform generates its client from it, and it
describes the shape of the API, no data. ``/api/{version}/_openapi`` knows ``v1`` only; any
other version answers a JSON 404.
"""
from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from flask import current_app
from flask_appbuilder.api import BaseApi, expose, safe
from flask_appbuilder.api.manager import OpenApi as FabOpenApi

from app.api.base import ReadOnlyApi
from app.api.query import MAX_INT, TEXT

#: the API versions served (FAB's ``BaseApi.version``)
VERSIONS = ("v1",)
#: error statuses every document lists, each with the body ``{"message": …}``
ERRORS = (400, 401, 403, 404, 405, 422, 429, 500)
_STRINGS = {"type": "array", "items": {"type": "string"}}
_TEXTS_BY_COLUMN = {"type": "object", "additionalProperties": {"type": "string"}}
_AUTH_TEXT = (
    "Read-only API of the Jiangcheng approval-assistance system. Authenticate with "
    "POST /api/v1/security/login (JSON username, password, provider \"db\"); send the "
    "access_token as `Authorization: Bearer <token>`. Every token problem answers 401. "
    "Errors are JSON {\"message\": ...}. Date-times are ISO 8601 in UTC with their offset "
    "(+00:00); dates are YYYY-MM-DD. `q` is FAB's Rison or JSON, per the schema given."
)


class OpenApi(FabOpenApi):
    """FAB's OpenAPI view, without a token and completed by :func:`complete`.

    The class keeps FAB's name, so the endpoint stays ``OpenApi.get``.
    """

    @expose("/<version>/_openapi")
    @safe
    def get(self, version: str):
        """The OpenAPI document of ``version`` (public)."""
        if version not in VERSIONS:
            return self.response_404()
        spec = self._create_api_spec(version)
        apis = [view for view in current_app.appbuilder.baseviews
                if isinstance(view, BaseApi) and view.version == version]
        for api in apis:
            api.add_api_spec(spec)
        return self.response(200, **complete(spec.to_dict(), apis, version))


def complete(document: dict[str, Any], apis: list[BaseApi], version: str) -> dict[str, Any]:
    """``document`` (FAB's, as a dict) corrected to match what ``apis`` answer."""
    document["info"]["description"] = _AUTH_TEXT
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Error"] = {"type": "object", "properties": {"message": {"type": "string"}},
                        "required": ["message"]}
    components["responses"] = {
        str(status): {"description": HTTPStatus(status).phrase,
                      "content": {"application/json": {"schema": _ref("Error")}}}
        for status in ERRORS
    }
    _security_schemes(components)
    paths = document["paths"]
    for operations in paths.values():
        for operation in operations.values():
            _protected_responses(operation)
    for api in apis:
        if isinstance(api, ReadOnlyApi):
            _resource(paths, schemas, api, f"/api/{version}/{api.resource_name}")
            _unused_write_schemas(schemas, type(api).__name__)
    for schema in schemas.values():
        _null_or_row(schema)
    _security_api(paths, version)
    paths["/api/{version}/_openapi"] = {"get": _document_operation()}
    _unreferenced_query_schemas(document)
    return document


def _ref(name: str, kind: str = "schemas") -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _responses(*statuses: int) -> dict[str, Any]:
    return {str(status): _ref(str(status), "responses") for status in statuses}


def _security_schemes(components: dict[str, Any]) -> None:
    """Only the schemes that work: FAB lists ``api_key`` even when it is not enabled."""
    if current_app.config.get("FAB_API_KEY_ENABLED", False):
        return
    components.get("securitySchemes", {}).pop("api_key", None)


def _protected_responses(operation: dict[str, Any]) -> None:
    """An operation that needs a token answers 401 (no or bad token) and 403 (no right);
    no token problem answers 422 any more."""
    security = operation.get("security")
    if not security:
        return
    operation["security"] = [item for item in security if "api_key" not in item
                             or current_app.config.get("FAB_API_KEY_ENABLED", False)]
    responses = operation.setdefault("responses", {})
    responses.pop("422", None)
    responses.update(_responses(401, 403, 500))


def _resource(paths: dict, schemas: dict, api: ReadOnlyApi, base: str) -> None:
    """The three reads of one resource: list, one row, metadata."""
    name = type(api).__name__
    for operation, path in (("get_list", f"{base}/"), ("get", base + "/{pk}"),
                            ("info", f"{base}/_info")):
        spec = paths[path]["get"]
        query = f"{name}.{operation}.q"
        schemas[query] = api.query_schemas[operation]
        spec["parameters"] = [p for p in spec.get("parameters", ()) if p["name"] != "q"]
        spec["parameters"].append({
            "in": "query", "name": "q", "required": False,
            "description": "Rison or JSON, e.g. (page:0,page_size:20)",
            "content": {"application/json": {"schema": _ref(query)}},
        })
        spec["responses"]["200"] = {
            "description": "OK",
            "content": {"application/json": {"schema": _answer(name, operation)}},
        }
        spec["responses"].update(_responses(400))
        if operation == "get":
            spec["responses"].update(_responses(404))
            for parameter in spec["parameters"]:
                if parameter["name"] == "pk":
                    parameter["schema"] = {"type": "integer", "minimum": 1,
                                           "maximum": MAX_INT}


def _unused_write_schemas(schemas: dict[str, Any], name: str) -> None:
    """FAB describes POST/PUT bodies even when those methods are not routed: drop them."""
    for key in [key for key in schemas if key.startswith((f"{name}.post", f"{name}.put"))]:
        del schemas[key]


def _unreferenced_query_schemas(document: dict[str, Any]) -> None:
    """FAB's loose ``q`` schemas, once every ``q`` names its resource's own."""
    text = json.dumps(document["paths"])
    for name in ("get_list_schema", "get_item_schema", "get_info_schema"):
        if f"#/components/schemas/{name}" not in text:
            document["components"]["schemas"].pop(name, None)


def _null_or_row(schema: dict[str, Any]) -> None:
    """A nullable relation is ``null`` or its row. apispec writes "any object or its row"
    (``anyOf: [{type: object, nullable: true}, {$ref}]``), which accepts any object."""
    for prop in schema.get("properties", {}).values():
        choices = prop.get("anyOf", [])
        for choice in choices:
            if choice == {"nullable": True, "type": "object"}:
                choice["enum"] = [None]


def _answer(name: str, operation: str) -> dict[str, Any]:
    """The 200 body of a read: FAB's envelope around the row schema."""
    if operation == "get_list":
        properties = {
            "count": {"type": "integer", "minimum": 0},
            "ids": {"type": "array", "items": {"type": "integer"}},
            "result": {"type": "array", "items": _ref(f"{name}.get_list")},
            "list_columns": _STRINGS, "order_columns": _STRINGS,
            "label_columns": _TEXTS_BY_COLUMN, "description_columns": _TEXTS_BY_COLUMN,
            "list_title": {"type": "string"},
        }
        required = ["count", "ids", "result"]
    elif operation == "get":
        properties = {
            "id": {"type": "integer"},
            "result": _ref(f"{name}.get"),
            "show_columns": _STRINGS,
            "label_columns": _TEXTS_BY_COLUMN, "description_columns": _TEXTS_BY_COLUMN,
            "show_title": {"type": "string"},
        }
        required = ["id", "result"]
    else:
        filters = {"type": "object", "properties": {"name": {"type": "string"},
                                                    "operator": {"type": "string"}},
                   "required": ["name", "operator"]}
        properties = {
            # nothing is added or edited through this API: always empty lists
            "add_columns": {"type": "array", "items": {"type": "object"}, "maxItems": 0},
            "edit_columns": {"type": "array", "items": {"type": "object"}, "maxItems": 0},
            "filters": {"type": "object",
                        "additionalProperties": {"type": "array", "items": filters}},
            "permissions": _STRINGS,
            "add_title": {"type": "string"}, "edit_title": {"type": "string"},
        }
        required = []
    answer = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        answer["required"] = required
    return answer


def _security_api(paths: dict[str, Any], version: str) -> None:
    """The login (FAB documents no request and no response for it) and the refresh."""
    token = {"type": "string", "description": "a JWT"}
    paths[f"/api/{version}/security/login"] = {"post": {
        "tags": ["Security"],
        "summary": "Log in for an access token (and a refresh token with refresh: true)",
        "security": [],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object",
            "properties": {
                "username": dict(TEXT, minLength=1),
                "password": dict(TEXT, minLength=1),
                "provider": {"type": "string", "enum": ["db"]},
                "refresh": {"type": "boolean"},
            },
            "required": ["username", "password", "provider"],
            "additionalProperties": False,
        }}}},
        "responses": {
            "200": {"description": "Logged in", "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"access_token": token, "refresh_token": token},
                "required": ["access_token"], "additionalProperties": False}}}},
            **_responses(400),
            **_responses(401),
            "403": {"description": "The password must be changed on the web page first",
                    "content": {"application/json": {"schema": _ref("Error")}}},
            **_responses(429, 500),
        },
    }}
    refresh = paths.get(f"/api/{version}/security/refresh", {}).get("post")
    if refresh is not None:
        refresh["responses"].pop("403", None)  # any refresh token may refresh


def _document_operation() -> dict[str, Any]:
    """``GET /api/{version}/_openapi``: this document, without a token."""
    return {
        "tags": ["OpenApi"],
        "summary": "This OpenAPI document (public)",
        "security": [],
        "parameters": [{"in": "path", "name": "version", "required": True,
                        "schema": {"type": "string", "enum": list(VERSIONS)}}],
        "responses": {
            "200": {"description": "The OpenAPI document",
                    "content": {"application/json": {"schema": {"type": "object"}}}},
            **_responses(404, 500),
        },
    }
