"""R-18.1 in a browser: the administrator downloads nothing by hand, uploads a roster of
units, reads the dry run's preview in Chinese, confirms, and the units are there."""
from __future__ import annotations

import sqlalchemy as sa
import pytest

from app.extensions import db
from app.imports import units
from app.models import Unit
from tests.import_books import book
from tests.test_imports_units import GOOD_B, unit_row

pytestmark = pytest.mark.browser


def test_dry_run_then_import_in_the_browser(app, page, tmp_path):
    """R-18.1: upload → preview (per row, in Chinese, nothing saved) → a file with a refused
    row offers no confirmation → a clean file is confirmed and imported."""
    with app.app_context():
        bad = book(units.KIND, {"units": [unit_row(), unit_row(name="乙", credit_code="X")]})
        good = book(units.KIND, {"units": [unit_row(), unit_row(name="乙", credit_code=GOOD_B)]})
    (tmp_path / "bad.xlsx").write_bytes(bad)
    (tmp_path / "单位.xlsx").write_bytes(good)

    page.goto("/imports/")
    assert "Excel 导入" in page.inner_text("body")
    page.select_option("#import-kind", "units")
    page.set_input_files("#import-file", str(tmp_path / "bad.xlsx"))
    page.click("#import-dry-run")
    page.wait_for_selector("table.import-preview")
    text = page.inner_text("body")
    assert "拒绝" in text and "统一社会信用代码" in text
    assert page.locator("#import-confirm").count() == 0

    page.goto("/imports/")
    page.set_input_files("#import-file", str(tmp_path / "单位.xlsx"))
    page.click("#import-dry-run")
    page.wait_for_selector("#import-confirm")
    assert page.inner_text("#count-create") == "2"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Unit)) == 0
    page.click("#import-confirm")
    page.wait_for_selector(".alert-success")
    assert "导入完成" in page.inner_text("body")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Unit)) == 2
