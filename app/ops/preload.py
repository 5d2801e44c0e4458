"""What gunicorn's master loads before it forks the workers (gunicorn.conf.py, ``when_ready``).

The workers are forked from the master (``preload_app``), so what the master holds they
share, page for page, until one writes to it. The app's modules are loaded by then; the
pinyin table (app/pinyin_table.py, about 0.7 MiB), which every page with a select of names or
of fixed choices reads, is loaded here once for all of them. Then ``gc.freeze()`` moves
everything built so far out of the collector's sight: a full collection in a worker would
otherwise walk, and so touch and copy, every shared object (the app's modules, FAB's views,
SQLAlchemy's mappers), tens of ms inside some request.

The collector's youngest generation is then sized for a page (YOUNG_OBJECTS): Python
collects it once 700 more objects are alive than before, which a list page reaches in the
middle of its work, with all its rows alive: a collection that freed nothing and cost 0.6
ms of a 7 ms list page, and five on the 督办 screen (ten young and one full collection a
page). Pages leave next to nothing in reference cycles (app/views/rendering.py), so a
larger generation holds little garbage for long.
"""
from __future__ import annotations

import gc

#: objects alive beyond the last collection before the youngest generation is collected
#: (Python's default 700): more than a page holds at once, the 督办 screen's but for a few
YOUNG_OBJECTS = 10_000


def preload() -> None:
    """Load what every worker needs, freeze the collector's view of it, and size its
    youngest generation for a page."""
    from app import pinyin_table

    pinyin_table.load()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])
