"""What gunicorn's master loads before it forks the workers (gunicorn.conf.py, ``when_ready``).

The workers are forked from the master (``preload_app``), so what the master holds they
share, page for page, until one writes to it. The app's modules are loaded by then; the
pinyin table (app/pinyin_table.py, about 0.7 MiB), which every page with a select of names or
of fixed choices reads, is loaded here once for all of them. Then ``gc.freeze()`` moves
everything built so far out of the collector's sight: a full collection in a worker would
otherwise walk, and so touch and copy, every shared object (the app's modules, FAB's views,
SQLAlchemy's mappers), tens of ms inside some request.
"""
from __future__ import annotations

import gc


def preload() -> None:
    """Load what every worker needs, then freeze the collector's view of it."""
    from app import pinyin_table

    pinyin_table.load()
    gc.freeze()
