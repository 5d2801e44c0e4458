"""Errors of the REST API as JSON, and 401 for every token problem (R-19.1).

Two gaps between FAB and the API's contract are closed here:

- Flask-JWT-Extended answers a malformed token (``Not enough segments``), a token of the
  wrong kind or a bad Authorization header with 422 ``{"msg": …}``. Every token problem —
  missing, malformed, expired, revoked, of the wrong kind, for a user who no longer exists —
  answers 401 ``{"message": …}`` here, like FAB's own errors.
- Errors that Flask or Werkzeug raise before a view runs (an unknown URL or id under /api/,
  a method not allowed, a CSRF refusal, an error page of the web layer such as the 429 page)
  were HTML pages. Any error answer on an /api/ path that is not JSON is rewritten into
  ``{"message": "<HTTP reason>"}`` with its status and headers (``Allow``, ``Retry-After``)
  kept. This is an ``after_request`` hook, so it also covers error pages registered later.
"""
from __future__ import annotations

from http import HTTPStatus

from flask import Flask, Response, jsonify, request

#: where the API lives (FAB's APIs, the OpenAPI document)
API_PREFIX = "/api/"


def init_api_errors(app: Flask) -> None:
    """Make every /api/ error JSON and every token problem a 401 (call after AppBuilder)."""
    jwt = app.extensions["flask-jwt-extended"]
    jwt.unauthorized_loader(_unauthorized)
    jwt.invalid_token_loader(_unauthorized)
    jwt.expired_token_loader(_expired)
    for loader in (jwt.revoked_token_loader, jwt.needs_fresh_token_loader,
                   jwt.token_verification_failed_loader, jwt.user_lookup_error_loader):
        loader(_token_refused)
    app.after_request(json_errors_on_api)


def is_api_request() -> bool:
    """Whether this request is for the REST API (an /api/ path)."""
    return request.path == API_PREFIX.rstrip("/") or request.path.startswith(API_PREFIX)


def error_response(status: int, message: str) -> Response:
    """The API's error body: ``{"message": …}`` with ``status``."""
    response = jsonify(message=message)
    response.status_code = status
    return response


def _unauthorized(reason: str) -> Response:
    """No token, or one that cannot be read (malformed, wrong kind, bad header)."""
    return error_response(401, reason or HTTPStatus.UNAUTHORIZED.phrase)


def _expired(jwt_header: dict, jwt_payload: dict) -> Response:
    """A token past its lifetime (JWT_ACCESS_TOKEN_EXPIRES)."""
    return error_response(401, "Token has expired")


def _token_refused(jwt_header: dict, jwt_payload: dict) -> Response:
    """A readable token that is refused: revoked, not fresh, or its user is gone."""
    return error_response(401, "Token refused")


def json_errors_on_api(response: Response) -> Response:
    """An error answer on an /api/ path as ``{"message": …}`` when it is not JSON yet."""
    if response.status_code < 400 or response.is_json or not is_api_request():
        return response
    try:
        reason = HTTPStatus(response.status_code).phrase
    except ValueError:
        reason = "Error"
    response.set_data(jsonify(message=reason).get_data())
    response.mimetype = "application/json"
    return response
