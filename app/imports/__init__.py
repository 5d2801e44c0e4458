"""Excel import of the records a district already has (R-18.1): units, projects, the staff
roster, the approval catalogue and past commissions (the paper ledger).

- ``spec``: columns, sheets and kinds; ``cells``: reading one cell with the screens' rules;
- ``run``: the dry run and the import (one transaction, all rows or none, audited);
- ``workbooks``: the template of a kind and the report of a run;
- one module per kind (``units``, ``projects``, ``staff``, ``catalogue``, ``commissions``).

The screen is app/views/imports.py, the command ``flask import`` app/imports/cli.py.
"""
from __future__ import annotations

from importlib import import_module

#: kind key → module holding its ``KIND``, in the order a district imports them
KIND_MODULES = {
    "units": "app.imports.units",
    "projects": "app.imports.projects",
    "staff": "app.imports.staff",
    "catalogue": "app.imports.catalogue",
    "commissions": "app.imports.commissions",
}


def kinds() -> dict[str, object]:
    """Every kind of import, by key."""
    return {key: import_module(name).KIND for key, name in KIND_MODULES.items()}


def kind(key: str):
    """The kind ``key``, or None."""
    return kinds().get(key)
