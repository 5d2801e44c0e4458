"""``flask --app app dispatch [--loop SECONDS]``: send the outbox's due messages (R-11.1).

Run it from cron every minute, or once with ``--loop 30`` as a long-lived process; several
at once (or on several servers) are safe, see :mod:`app.notify.dispatch`.
"""
from __future__ import annotations

import logging
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from app.clock import utc_now
from app.extensions import db
from app.notify.channels import channels_from_config
from app.notify.dispatch import DispatchResult, dispatch_pending

log = logging.getLogger(__name__)


@click.command("dispatch")
@click.option("--loop", "loop_seconds", type=click.FloatRange(min=0.1), default=None,
              metavar="SECONDS", help="Keep running, looking for due messages every SECONDS.")
@click.option("--batch", type=click.IntRange(min=1), default=None,
              help="At most this many messages per run (default NOTIFY_BATCH or 100).")
@with_appcontext
def dispatch_command(loop_seconds: float | None, batch: int | None) -> None:
    """Send pending notifications through the configured channels."""
    config = current_app.config
    channels = channels_from_config(config)
    batch = batch or int(config.get("NOTIFY_BATCH", 100))
    max_attempts = int(config.get("NOTIFY_MAX_ATTEMPTS", 8))
    while True:
        try:
            result = dispatch_pending(db.session, channels, now=utc_now(),
                                      batch=batch, max_attempts=max_attempts)
        except Exception:
            if loop_seconds is None:
                raise
            # A lost database connection must not end the long-lived loop; the next round
            # starts with a fresh session.
            log.exception("dispatch round failed")
            result = DispatchResult()
        finally:
            db.session.remove()
        if loop_seconds is None:
            click.echo(_summary(result))
            return
        if result != DispatchResult():  # a quiet loop prints nothing
            click.echo(_summary(result))
        if result.sent + result.failed + result.retried < batch:
            time.sleep(loop_seconds)  # a full batch means more may be due: go on at once


def _summary(result: DispatchResult) -> str:
    return (f"已发送 sent: {result.sent}, 待重试 retried: {result.retried}, "
            f"已失败 failed: {result.failed}")
