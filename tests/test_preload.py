"""gunicorn's master loads what every worker needs before it forks them (issue 16, item 8:
workers share it instead of each loading it; app/ops/preload.py)."""
from __future__ import annotations

import gc
import sys

from app.ops.preload import preload


def test_preload_loads_the_pinyin_dictionaries_and_freezes_them():
    try:
        preload()
        assert "pypinyin" in sys.modules
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
