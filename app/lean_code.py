"""gunicorn's processes load Python modules without their docstrings (issue 16, a worker's
memory): as ``python -OO`` would, but for the modules whose docstrings are read at run time.

Every worker holds whatever the master loaded (preload, gunicorn.conf.py), and about 6 MiB
of it is docstrings: of SQLAlchemy, Flask, Werkzeug, Flask-AppBuilder, the app. No page shows
one. The REST API does: Flask-AppBuilder writes the OpenAPI document (/api/v1/_openapi) from
its endpoints' docstrings, so the modules of KEPT keep theirs. ``python -OO`` itself cannot
tell modules apart, so gunicorn.conf.py asks for this instead (LEAN_CODE=1, read when the app
package is first imported: app/__init__.py), and only gunicorn's processes do; tests, the
``flask`` commands and the scripts load modules as usual.

How: a finder first in ``sys.meta_path`` hands out the modules that Python's own path finder
would load from source (``SourceFileLoader``) with a loader that compiles them as ``-OO``
does (``optimize=2``: no docstrings, no ``assert``) and keeps the code in the same
``__pycache__`` file ``python -OO`` writes (``*.opt-2.pyc``), beside the usual one. A
package is lean whole or not at all: one that was imported before (gunicorn's own, the
standard library's it uses, anything a script imported first) loads its submodules as usual
too, since a library may check its own docstrings with an ``assert`` (SQLAlchemy's events
do: lean events under a usual ``sqlalchemy.event`` fail). Extension modules and packages
installed without source stay as they are.
"""
from __future__ import annotations

import os
import re
import sys
from importlib.abc import MetaPathFinder
from importlib.machinery import PathFinder, SourceFileLoader

#: the environment variable that asks for it (gunicorn.conf.py sets it)
ASKED_BY = "LEAN_CODE"
#: modules (and their submodules) whose docstrings are read at run time: the REST API's
#: endpoints, FAB's and the app's (its sign-in is app/security_views.py's), whose docstrings
#: are their OpenAPI operations (tests/test_lean_code.py: the document served is the same)
KEPT = ("flask_appbuilder.api", "flask_appbuilder.menu", "flask_appbuilder.security.api",
        "flask_appbuilder.security.sqla.apis", "flask_appbuilder.security.decorators",
        "app.api", "app.security_views")
#: the ``__pycache__`` name of code compiled with ``optimize=2``, from any other's
_PYC = re.compile(r"(?:\.opt-[^.]*)?\.pyc$")


def kept(name: str) -> bool:
    """Whether module ``name`` keeps its docstrings."""
    return any(name == prefix or name.startswith(prefix + ".") for prefix in KEPT)


class LeanSourceLoader(SourceFileLoader):
    """Python's source loader, compiling as ``python -OO`` does and caching where it does."""

    def source_to_code(self, data, path, *, _optimize=-1):
        return compile(data, path, "exec", dont_inherit=True, optimize=2)

    def get_data(self, path):
        return super().get_data(_lean_cache(path))

    def set_data(self, path, data, *, _mode=0o666):
        return super().set_data(_lean_cache(path), data, _mode=_mode)


def _lean_cache(path: str) -> str:
    """The ``.opt-2.pyc`` file for the cache file ``path`` (``path`` itself if not one)."""
    return _PYC.sub(".opt-2.pyc", path) if path.endswith(".pyc") else path


class _LeanFinder(MetaPathFinder):
    """Python's path finder, with LeanSourceLoader for the modules it loads from source, of
    the top-level packages first imported since (and of ``lean``)."""

    def __init__(self, lean: tuple[str, ...]) -> None:
        self.lean = set(lean)

    def find_spec(self, fullname, path, target=None):
        top = fullname.partition(".")[0]
        if top == fullname and top not in sys.modules:
            self.lean.add(top)
        if top not in self.lean or kept(fullname):
            return None
        spec = PathFinder.find_spec(fullname, path, target)
        if spec is not None and type(spec.loader) is SourceFileLoader:
            spec.loader = LeanSourceLoader(spec.loader.name, spec.loader.path)
        return spec


def install(lean: tuple[str, ...] = ()) -> None:
    """Load modules lean from now on (once): those of packages not imported yet, and the
    submodules of the packages ``lean`` names (being imported: the app's own)."""
    if not any(isinstance(finder, _LeanFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _LeanFinder(lean))


def install_if_asked(lean: tuple[str, ...] = ()) -> None:
    """``install(lean)`` where the environment asks for it (ASKED_BY=1: gunicorn.conf.py)."""
    if os.environ.get(ASKED_BY, "").strip().lower() in {"1", "true", "yes", "on"}:
        install(lean)
