"""Add forms open on today where the record is made on the day its step is done (issue 14,
item 1): the enquiry's date, a work-log entry, a notice issued, a receipt, a revisit, a
roster change filed. Planned dates (a training, a meeting, a roster change's effective day)
open empty."""
from __future__ import annotations

import re

import pytest

from app.clock import office_today

TODAY = [
    ("prereviewview", "received_on"), ("worklogentryview", "logged_on"),
    ("consultationview", "asked_on"), ("escalationview", "raised_on"),
    ("materialnoticeview", "issued_on"), ("feenoticeview", "issued_on"),
    ("resultreceiptview", "received_on"), ("deliveryview", "delivered_on"),
    ("revisitview", "visited_on"), ("rosterchangeview", "filed_on"),
]
EMPTY = [("trainingview", "held_on"), ("coordinationmeetingview", "held_on"),
         ("rosterchangeview", "effective_on"), ("consultationview", "answered_on")]


def _value(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, name
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


@pytest.mark.parametrize(("view", "column"), TODAY)
def test_add_form_opens_on_today(client, view, column):
    """Issue 14 item 1: the day the step is done defaults to today (the app's clock)."""
    html = client.get(f"/{view}/add").get_data(as_text=True)
    assert _value(html, column) == office_today().isoformat()


@pytest.mark.parametrize(("view", "column"), EMPTY)
def test_planned_dates_open_empty(client, view, column):
    """Issue 14 item 1: a date that is planned or comes later is left to the clerk."""
    html = client.get(f"/{view}/add").get_data(as_text=True)
    assert _value(html, column) == ""
