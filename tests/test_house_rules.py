"""The house rules a newcomer relies on (issue 11, item 9): our own deprecations fail."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest


@pytest.mark.parametrize("module", ["app", "app.views.commission", "tests.factories",
                                    "test_house_rules", "conftest"])
def test_our_own_deprecation_warnings_are_errors(module):
    """pyproject.toml's filterwarnings: a DeprecationWarning raised from app/ or tests/ fails."""
    with pytest.raises(DeprecationWarning):
        warnings.warn_explicit("old", DeprecationWarning, "x.py", 1, module=module)


@pytest.mark.parametrize("module", ["flask_appbuilder.views", "marshmallow.fields", "apple"])
def test_third_party_deprecation_warnings_are_not_errors(module):
    warnings.warn_explicit("old", DeprecationWarning, "x.py", 1, module=module)


def test_bare_pytest_tests_this_checkout(request):
    """pyproject.toml's pythonpath: `pytest` from the checkout imports its own app/ (not an
    installed copy), and tests/conftest.py has compiled the catalogue (missing or stale)."""
    import app

    root = request.config.rootpath
    assert Path(app.__file__).resolve().is_relative_to(root)
    po = root / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime
