"""What gunicorn's master loads before it forks the workers (gunicorn.conf.py, ``when_ready``).

The workers are forked from the master (``preload_app``), so what the master holds they
share, page for page, until one writes to it. The app's modules are loaded by then; the
pinyin dictionaries (about 55 MiB), which every page with a select of names or of fixed
choices needs, would be loaded by each worker on its first such page: they are loaded here
once, for all of them. Then ``gc.freeze()`` moves everything built so far out of the
collector's sight: a collection in a worker would otherwise touch, and so copy, every
shared object.
"""
from __future__ import annotations

import gc


def preload() -> None:
    """Load what every worker needs, then freeze the collector's view of it."""
    from app.pinyin import keys

    keys("江城区")  # the pinyin dictionaries load on first use
    gc.freeze()
