"""The house rules a newcomer relies on (issue 11, item 9): our own deprecations fail, a bare
`pytest` tests this checkout, the architecture page and the README's layout table keep up."""
from __future__ import annotations

import ast
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
    po = root / "app" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
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


# ---- one set of row builders, and it drives the steps (R-16.1) ---------------------------

#: test modules that write lifecycle-owned rows themselves, and why
RAW_ROWS_ALLOWED = {
    # the one set of builders: a further item as the item screen adds it, pending items of
    # no commission for the (pure) plan schedule, an enquiry as its screen records it
    "factories.py": "the builders",
    # the schema's own tests insert one raw row of every model, below the domain, so that
    # each NOT NULL, foreign key, CHECK and unique index is tried by the database itself
    "test_models.py": "the schema's constraints",
}
#: single tests that write a lifecycle-owned row behind the steps' back, and why
RAW_ROWS_ALLOWED_IN = {
    ("test_lifecycle.py", "test_stale_state_loses_the_race"):
        "plays the other clerk, whose committed move makes this clerk's page stale",
    ("test_ledgers.py", "test_large_export_streams"):
        "3,000 rows for the export's size test; through the steps they would take minutes",
}


def _lifecycle_owned() -> set[str]:
    """The models the lifecycle alone writes: those its steps move (commission, item,
    pre-review) and those of its read-only screens (terminations, plans, assignments, ...)."""
    import app.views.commission  # noqa: F401  (imports every screen under a commission)
    from app.lifecycle import LIFECYCLES
    from app.roles import LIFECYCLE_VIEWS
    from app.views.base import LifecycleRecordView

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    screens = {view.__name__: view.datamodel.obj for view in below(LifecycleRecordView)}
    assert set(screens) == set(LIFECYCLE_VIEWS)
    return ({life.model.__name__ for life in LIFECYCLES.values()}
            | {model.__name__ for model in screens.values()})


def _name(node) -> str | None:
    return node.id if isinstance(node, ast.Name) else (
        node.attr if isinstance(node, ast.Attribute) else None)


def _raw_writes(source: str, owned: set[str]):
    """(function, line, model) of each ``Model(...)``, ``sa.insert(Model)`` or
    ``sa.update(Model)`` of an owned model in ``source``."""
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                else function
            if isinstance(child, ast.Call):
                called = _name(child.func)
                if called in owned:
                    found.append((function, child.lineno, called))
                elif called in ("insert", "update") and child.args \
                        and _name(child.args[0]) in owned:
                    found.append((function, child.lineno, _name(child.args[0])))
            visit(child, inner)

    visit(ast.parse(source), "<module>")
    return found


def test_tests_build_lifecycle_records_only_through_the_steps_R_16_1():
    """R-16.1 for the tests: one set of row builders (tests/factories.py) takes a commission
    or an item to a state by the steps the buttons call; no other test module constructs a
    lifecycle-owned row (Commission(, CommissionItem(, Termination(, PlanVersion(, ...) or
    inserts or updates one in bulk, except the schema tests and the named tests above."""
    owned = _lifecycle_owned()
    assert {"Commission", "CommissionItem", "PreReview", "Termination", "Announcement",
            "PlanVersion", "PlanStep", "ItemSupplement", "CoordinatorAssignment",
            "CommissionStateChange"} <= owned
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path.name in RAW_ROWS_ALLOWED:
            continue
        for function, line, model in _raw_writes(path.read_text(encoding="utf-8"), owned):
            if (path.name, function) not in RAW_ROWS_ALLOWED_IN:
                offenders.append(f"{path.relative_to(ROOT)}:{line} {function}: {model}(")
    assert not offenders, ("build these through tests/factories.py (case, advance, item_in, "
                           "advance_item, add_item, pre_review):\n" + "\n".join(offenders))


def test_the_raw_row_rule_sees_what_it_forbids():
    """The rule above finds constructors, bulk inserts and updates, wherever they stand."""
    source = '''
import sqlalchemy as sa
from app import models
X = Commission(state="in_progress")
def helper():
    db.session.add(models.Termination(reason="other"))
    db.session.execute(sa.insert(PlanVersion), [])
    db.session.execute(sa.update(Commission).values(state="completed"))
    Revisit(rating="satisfied")
'''
    assert _raw_writes(source, {"Commission", "Termination", "PlanVersion"}) == [
        ("<module>", 4, "Commission"), ("helper", 6, "Termination"), ("helper", 7, "PlanVersion"),
        ("helper", 8, "Commission")]
