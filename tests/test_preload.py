"""gunicorn's master loads what every worker needs before it forks them (issue 16, item 8:
workers share it instead of each loading it; app/ops/preload.py)."""
from __future__ import annotations

import gc

from app import pinyin_table
from app.ops.preload import YOUNG_OBJECTS, preload


def test_preload_loads_the_pinyin_table_and_freezes_it():
    """The table, not pypinyin's dictionaries (issue 16; that a worker never imports them is
    tests/test_worker_imports.py's); the collector's youngest generation sized for a page."""
    pinyin_table._table.cache_clear()
    thresholds = gc.get_threshold()
    try:
        preload()
        assert pinyin_table._table.cache_info().currsize == 1
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_OBJECTS, *thresholds[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
