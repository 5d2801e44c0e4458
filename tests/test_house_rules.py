"""The house rules a newcomer relies on (issue 11, item 9): our own deprecations fail."""
from __future__ import annotations

import warnings

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
