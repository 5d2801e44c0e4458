"""Tells the page that a download has started (issue 14, item 6: spinners while exports,
ZIPs and prints run; static/js/busy.js).

A busy button sends a token (``xb_dl``) with its request; when the answer is a file
(``Content-Disposition: attachment``) it carries a short-lived cookie holding that token,
which the page waits for to give the button back. No state on the server.
"""
from __future__ import annotations

import re

from flask import current_app, request

COOKIE = "xb_dl"
_TOKEN = re.compile(r"^[0-9a-z]{1,40}$")


def mark_download(response):
    """after_request: a file answering a busy button's request names its token."""
    # Only a file answer reads the form: a refused request (413: too large) is never parsed.
    if not response.headers.get("Content-Disposition", "").startswith("attachment"):
        return response
    token = request.args.get(COOKIE) or (
        request.form.get(COOKIE) if request.method == "POST" and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data") else None)
    if token and _TOKEN.match(token):
        response.set_cookie(COOKIE, token, max_age=120, path="/", samesite="Strict",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def register(appbuilder) -> None:
    """No view: the after-request hook."""
    current_app.after_request(mark_download)
