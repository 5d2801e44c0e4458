"""The house rules a newcomer relies on (issue 11, item 9): our own deprecations fail, a bare
`pytest` tests this checkout, the architecture page and the README's layout table keep up."""
from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


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


def _architecture_doc():
    """scripts/architecture_doc.py, loaded as a module."""
    spec = importlib.util.spec_from_file_location(
        "architecture_doc", ROOT / "scripts" / "architecture_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_architecture_page_has_every_lifecycle_step():
    """docs/architecture.md's lifecycle table is the one app/lifecycle generates: every step
    with its precondition, target state, messages and documents (it cannot drift; after a
    change to a step run `scripts/architecture_doc.py --write`)."""
    from app.lifecycle import LIFECYCLES

    doc = _architecture_doc()
    table = doc.current_table(doc.DOC.read_text(encoding="utf-8"))
    rows = {tuple(cell.strip() for cell in line.split("|")[1:3]) for line in table.splitlines()}
    for target, life in LIFECYCLES.items():
        for step in life.steps:
            assert (target, f"`{step.key}`") in rows, f"{target}.{step.key} is not on the page"
    assert table == doc.lifecycle_table(), "stale: run scripts/architecture_doc.py --write"


def test_readme_layout_lists_every_package_of_app_and_the_architecture_page():
    """The README's layout table names every package of app/ and points to the page."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    packages = sorted(p.parent.name for p in (ROOT / "app").glob("*/__init__.py"))
    assert "lifecycle" in packages
    missing = [name for name in packages if f"`app/{name}/`" not in layout]
    assert not missing, f"README's layout table lacks {missing}"
    assert "docs/architecture.md" in layout
