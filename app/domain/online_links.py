"""The public addresses a construction unit is sent to (R-17): the look-up page (the QR codes
on the printed forms, R-17.5) and the rating link (R-17.4). One place for the paths the
public pages (app/public) are served under, so a link made without a request (the seed, a
step run from the CLI) points where the pages are."""
from __future__ import annotations

from urllib.parse import quote

#: where app/public's blueprint is mounted
PREFIX = "/unit"


def lookup_url(base_url: str, application_no: str | None = None) -> str:
    """The look-up page, with the application number filled in when given."""
    url = f"{base_url.rstrip('/')}{PREFIX}/"
    return f"{url}?no={quote(application_no)}" if application_no else url


def rating_url(base_url: str, token: str) -> str:
    """The 好差评 form of one rating invitation (its signed token)."""
    return f"{base_url.rstrip('/')}{PREFIX}/rate/{token}"
