"""QR codes on the printed 申请表 and 办结单 (R-17.5): they open the unit's look-up page with
the application number filled in (PUBLIC_BASE_URL, app/domain/online_links.py).

The code is a PNG data URI (segno, no network, no file): xhtml2pdf embeds it as it is, and
the same number and address always give the same image, so an unchanged form is not
reissued as a new version (app/documents/archive.py compares the rendered source).
"""
from __future__ import annotations

import base64
import io
from functools import lru_cache
from typing import Any

from flask import current_app

from app.domain.online_links import lookup_url


@lru_cache(maxsize=256)
def data_uri(text: str) -> str:
    """``text`` as a QR code, a PNG data URI (error correction M, quiet zone of 2 modules).

    Remembered per text (the image depends on nothing else): a form printed again does not
    draw its code again. segno loads with the first code: a worker serving pages never
    needs it (issue 16, worker memory)."""
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=4, border=2)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def lookup_qr(application_no: str | None) -> dict[str, Any] | None:
    """The look-up page of ``application_no`` as a QR code ({"url", "image"}); None without
    a number (a blank form, or a commission not accepted yet)."""
    if not application_no:
        return None
    url = lookup_url(current_app.config.get("PUBLIC_BASE_URL", ""), application_no)
    return {"url": url, "image": data_uri(url)}
