"""Does a page get slower with the number of rows? The same pages on two sizes of the data
set, requested alternately (small, large, small, ...) in one process, so that the machine's
drift and noise fall on both alike; medians side by side.
"""
from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass
from typing import Any

from bench import database, pages


@dataclass(frozen=True)
class Growth:
    name: str
    small_ms: float
    large_ms: float


def _client_and_pages(url: str) -> tuple[Any, list[pages.Page]]:
    app = database.serving_app(url, WTF_CSRF_ENABLED=False)
    with app.app_context():
        from app.extensions import db

        user_id = database.ensure_admin(app)
        with db.engine.connect() as conn:
            found = pages.list_pages(conn, 1) + pages.case_pages(conn, 1, app)
        db.engine.dispose()
    return pages.signed_in_client(app, user_id), found


def _timed(client: Any, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    response.get_data()
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return (time.perf_counter() - started) * 1000


def run(small_url: str, large_url: str, runs: int) -> list[Growth]:
    """Median server time of each list and case page on both databases (same page kinds;
    the case page is the middle commission in progress of each)."""
    small, large = _client_and_pages(small_url), _client_and_pages(large_url)
    times: dict[tuple[int, int], list[float]] = {}
    for run_ in range(runs + 1):
        for index in range(len(small[1])):
            for side, (client, found) in enumerate((small, large)):
                if found[index].before is not None:
                    found[index].before()
                elapsed = _timed(client, found[index].url)
                if run_:  # the first round warms both up
                    times.setdefault((index, side), []).append(elapsed)
    return [Growth(_generic(page.name), statistics.median(times[(index, 0)]),
                   statistics.median(times[(index, 1)]))
            for index, page in enumerate(large[1])]


def _generic(name: str) -> str:
    """A page's name without what differs between the sizes (page numbers, ids)."""
    name = re.sub(r" \(#\d+\)", "", name)
    return re.sub(r"\(\d+ of \d+\)", "(the last)", name)
