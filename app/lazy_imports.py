"""Modules that Flask-AppBuilder imports at its top but a worker serving pages never runs:
each is loaded on its first use instead (issue 16, a worker's memory).

Every gunicorn worker holds whatever the master imported (preload, gunicorn.conf.py), so an
import nobody uses costs each worker its size. FAB imports these at module level:
- ``sqlalchemy_utils`` and ``sqlalchemy_utils.types``: FAB's SQLAInterface imports only
  ``sqlalchemy_utils.types.uuid.UUIDType`` (to compare a column's type with it), but the two
  packages' ``__init__`` import every type and helper of the library and, with them,
  SQLAlchemy's Oracle dialect and dateutil's parser. Deferred, only ``types/uuid.py`` runs;
- ``PIL.Image`` and ``PIL.ImageOps``: FAB's image field (filemanager.py) resizes uploads with
  Pillow; no form of ours has an image field (a PDF that embeds an image loads it then);
- ``apispec.yaml_utils`` (and PyYAML): FAB's REST API reads an endpoint's OpenAPI text from
  its docstring with it when the OpenAPI document is built, not when an endpoint answers;
- ``jsonschema`` (with referencing, rpds, attrs): FAB's and our check of an API read's ``q``
  (app/api/query.py builds its checker on the first one);
- ``dateutil.parser``: FAB's date filters parse a typed date with it;
- ``pdb``: click.testing (imported by Flask's test client, which flask_login imports);
- ``limits.aio``: the asyncio half of Flask-Limiter's library; FAB's limiter is synchronous.

How: a finder first in ``sys.meta_path`` hands out these modules (found by the usual finders)
created but not run; the first attribute read runs them, in the module object everyone already
holds, as with ``importlib.util.LazyLoader`` (which, though, runs a module on any read, even
of ``__spec__`` or ``__name__``, and has no SUBMODULES_ALONE). Importing a submodule reads
its package's ``__path__``, which runs the package first, in the usual order; only for the
packages of SUBMODULES_ALONE it does not, which is how ``sqlalchemy_utils.types.uuid`` loads
without its parents' ``__init__`` (they import nothing that ``uuid.py`` needs; another
package's submodules may need their ``__init__`` run first, as jsonschema's do).
``from module import name`` reads the name, so it runs the module as usual (a deferred
package too when the name is a submodule): what stays deferred is ``import module``,
``import package.module`` and ``from package import module`` of a package not deferred.

tests/test_lazy_imports.py holds the mechanism; tests/test_worker_imports.py that a worker
serving pages leaves these modules unrun.
"""
from __future__ import annotations

import sys
import threading
import types
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec

#: run on their first use, not when imported
DEFERRED = frozenset({
    "sqlalchemy_utils", "sqlalchemy_utils.types",
    "PIL.Image", "PIL.ImageOps",
    "apispec.yaml_utils", "yaml",
    "jsonschema",
    "dateutil.parser",
    "pdb",
    "limits.aio",
})
#: packages of DEFERRED whose submodules are imported without running the package first
#: (any other package runs on a submodule's import, before it, as usual)
SUBMODULES_ALONE = frozenset({"sqlalchemy_utils", "sqlalchemy_utils.types"})
#: what the import system reads from a module without running it, and where it comes from
#: (inspect.getmodule reads every module's ``__file__``: that must not run them all)
_IMPORT_ATTRS = frozenset({"__spec__", "__name__", "__loader__", "__package__", "__class__",
                           "__dict__", "__file__", "__cached__"})
_RUN_LOCK = threading.RLock()


class _NotYetRun(types.ModuleType):
    """A module created but not run: its first attribute read (but those of _IMPORT_ATTRS,
    and ``__path__`` for SUBMODULES_ALONE) runs it."""

    def __getattribute__(self, name: str):
        if name not in _IMPORT_ATTRS and not (
                name == "__path__" and self.__name__ in SUBMODULES_ALONE):
            _run(self)
        return types.ModuleType.__getattribute__(self, name)

    def __delattr__(self, name: str) -> None:
        _run(self)
        types.ModuleType.__delattr__(self, name)


def _run(module: types.ModuleType) -> None:
    """Run ``module``'s code once. Another thread's first use waits for it; this thread's
    reads while it runs (a circular import) see it as far as it has run, as usual."""
    with _RUN_LOCK:
        loader = module.__dict__.pop("__deferred_loader__", None)
        if loader is None:
            return  # run already, or running in this thread
        # From now on the module is its own loader's, as if it had never been deferred.
        module.__loader__ = module.__spec__.loader = loader
        try:
            loader.exec_module(module)
        finally:
            module.__class__ = types.ModuleType


class _DeferringLoader(Loader):
    """Creates the module as its own loader would, and leaves it not yet run."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader

    def create_module(self, spec: ModuleSpec):
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        module.__dict__["__deferred_loader__"] = self.loader
        module.__class__ = _NotYetRun

    def __getattr__(self, name: str):
        """The rest is its own loader's (get_source, get_data, get_resource_reader, ...)."""
        return getattr(self.loader, name)


class _DeferringFinder(MetaPathFinder):
    """Finds DEFERRED modules through the other finders and defers their loading."""

    def __init__(self) -> None:
        self._finding = threading.local()  # another finder that asks all finders, as we do

    def find_spec(self, fullname, path, target=None):
        if fullname not in DEFERRED or getattr(self._finding, "name", None) == fullname:
            return None
        self._finding.name = fullname
        try:
            spec = next(filter(None, (finder.find_spec(fullname, path, target)
                                      for finder in sys.meta_path
                                      if finder is not self and hasattr(finder, "find_spec"))),
                        None)
        finally:
            self._finding.name = None
        if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _DeferringLoader(spec.loader)
        return spec


def install() -> None:
    """Defer DEFERRED from now on (once; a module already imported stays as it is)."""
    if not any(isinstance(finder, _DeferringFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _DeferringFinder())


def ran() -> set[str]:
    """The DEFERRED modules this process has imported and run (tests/test_worker_imports.py:
    none, in a worker that served pages)."""
    return {name for name in DEFERRED
            if name in sys.modules and not isinstance(sys.modules[name], _NotYetRun)}
