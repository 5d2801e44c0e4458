"""app/lazy_imports.py: a deferred module runs on its first use, once, whole, in the object its
importers hold; a package runs before its submodules unless it is one of SUBMODULES_ALONE.
The real DEFERRED modules work when used (in a fresh interpreter, as a worker has them)."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from app import lazy_imports

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def packages(tmp_path, monkeypatch):
    """Two packages, ``lz_alone`` (SUBMODULES_ALONE) and ``lz_pkg``, each with a submodule
    ``sub``, deferred; each module appends its name to ``lz_log.runs`` when it runs."""
    (tmp_path / "lz_log.py").write_text("runs = []\n")
    for name in ("lz_alone", "lz_pkg"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text(textwrap.dedent(f"""
            import time
            import lz_log
            time.sleep(0.2)  # a slow first run, for the threads below
            lz_log.runs.append("{name}")
            value = 42
        """))
        (tmp_path / name / "sub.py").write_text(
            f"import lz_log\nlz_log.runs.append('{name}.sub')\nvalue = 7\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(lazy_imports, "DEFERRED", frozenset({"lz_alone", "lz_pkg"}))
    monkeypatch.setattr(lazy_imports, "SUBMODULES_ALONE", frozenset({"lz_alone"}))
    lazy_imports.install()
    yield __import__("lz_log").runs
    for name in ("lz_log", "lz_alone", "lz_alone.sub", "lz_pkg", "lz_pkg.sub"):
        sys.modules.pop(name, None)


def test_a_deferred_module_runs_on_its_first_use_once(packages):
    import inspect

    import lz_pkg

    assert lz_pkg.__file__.endswith("__init__.py")
    inspect.getmodule(test_a_deferred_module_runs_on_its_first_use_once.__code__)  # all modules
    assert packages == []
    assert lz_pkg.value == 42
    assert lz_pkg.value == 42
    assert packages == ["lz_pkg"]
    assert sys.modules["lz_pkg"] is lz_pkg
    assert lazy_imports.ran() == {"lz_pkg"}


def test_a_run_module_has_its_own_loader_again(packages):
    import lz_pkg

    assert lz_pkg.__loader__.get_source("lz_pkg")  # the file's loader answers, even before
    assert lz_pkg.value == 42
    assert type(lz_pkg.__loader__).__name__ == "SourceFileLoader"
    assert lz_pkg.__spec__.loader is lz_pkg.__loader__


def test_a_package_runs_before_its_submodule(packages):
    import lz_pkg.sub

    assert packages == ["lz_pkg", "lz_pkg.sub"]
    assert lz_pkg.sub.value == 7


def test_a_submodule_alone_leaves_its_package_unrun(packages):
    import lz_alone.sub

    assert sys.modules["lz_alone.sub"].value == 7
    assert packages == ["lz_alone.sub"]

    assert lz_alone.value == 42
    assert packages == ["lz_alone.sub", "lz_alone"]


def test_threads_using_it_first_all_see_it_whole(packages):
    import lz_pkg

    seen = []
    threads = [threading.Thread(target=lambda: seen.append(lz_pkg.value)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [42] * 4
    assert packages == ["lz_pkg"]


PROBE = """
import json, sys
import app
from flask_appbuilder import ModelRestApi  # noqa: F401  (FAB imports them, deferred)
from flask_appbuilder import filemanager  # noqa: F401
from app import lazy_imports

before = sorted(lazy_imports.ran())
import dateutil.parser, jsonschema, limits.aio, pdb, sqlalchemy_utils, yaml
from apispec import yaml_utils
from PIL import Image, ImageOps
from flask_appbuilder.models.sqla.interface import UUIDType

used = {
    "sqlalchemy_utils": sqlalchemy_utils.UUIDType is UUIDType,
    "PIL": ImageOps.fit(Image.new("RGB", (8, 6)), (4, 4)).size == (4, 4),
    "yaml": yaml.safe_load("a: 1") == {"a": 1},
    "apispec": yaml_utils.load_operations_from_docstring("x\\n---\\nget: {}") == {"get": {}},
    "jsonschema": jsonschema.Draft4Validator({"type": "integer"}).is_valid(3),
    "dateutil": dateutil.parser.parse("2026-12-03").day == 3,
    "pdb": pdb.Pdb is not None,
    "limits": limits.aio.storage.MemoryStorage is not None,
}
print(json.dumps({"before": before, "used": used, "ran": sorted(lazy_imports.ran())}))
"""


def test_the_deferred_modules_work_when_used():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={"PYTHONPATH": str(ROOT),
                                                       "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.splitlines()[-1])
    assert answer["before"] == []
    assert all(answer["used"].values()), answer["used"]
    assert set(answer["ran"]) == lazy_imports.DEFERRED
