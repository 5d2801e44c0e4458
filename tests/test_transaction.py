"""The one transaction helper of the screens (app/views/transaction.py): commit, or roll back
with a Chinese reason; never a 500, nothing half-saved."""
from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from app.choices import Stage
from app.domain.errors import DomainError
from app.extensions import db
from app.models import ApprovalItem, Department, ItemMaterial
from app.views.reference import ItemMaterialView
from app.views.transaction import run_in_transaction, transaction
from tests import factories as f

APP_VIEWS = Path(__file__).resolve().parent.parent / "app" / "views"


def _departments() -> list[str]:
    return list(db.session.scalars(sa.select(Department.name).order_by(Department.name)))


def test_commits_the_block(app):
    """R-16.1: the work of the block is saved when nothing refuses it."""
    with app.test_request_context():
        with transaction() as outcome:
            f.department("住建局")
        assert outcome.ok and outcome.message is None
        db.session.remove()
        assert _departments() == ["住建局"]


def test_domain_error_rolls_everything_back(app):
    """R-16.1: a DomainError leaves nothing half-saved and its reason on the outcome."""
    with app.test_request_context():
        with transaction() as outcome:
            f.department("住建局")
            raise DomainError("不能这样做。")
        assert outcome.refused and outcome.message == "不能这样做。"
        assert _departments() == []


def test_integrity_error_becomes_a_chinese_message(app):
    """R-16.1: the database refusing a write (a duplicate key) is a Chinese reason, not a 500;
    what the block wrote before the refusal is gone."""
    with app.test_request_context():
        dept = f.department("住建局")
        item = ApprovalItem(name="施工许可", stage=Stage.s3, department=dept, promised_days=3)
        db.session.add(item)
        db.session.commit()

        def twice() -> None:
            f.department("自然资源局")
            db.session.add_all([ItemMaterial(approval_item=item, name="申请表"),
                                ItemMaterial(approval_item=item, name="申请表")])
            db.session.flush()

        outcome = run_in_transaction(twice)
        assert isinstance(outcome.error, IntegrityError)
        assert "无法保存" in outcome.message and "未作任何修改" in outcome.message
        assert _departments() == ["住建局"]
        assert db.session.scalar(sa.select(sa.func.count(ItemMaterial.id))) == 0


def test_a_refusal_at_commit_is_caught_too(app, monkeypatch):
    """R-16.1: a database that refuses the COMMIT itself (busy, connection lost) is reported
    in Chinese and rolled back."""
    with app.test_request_context():
        def refuse() -> None:
            raise OperationalError("COMMIT", {}, Exception("database is locked"))

        monkeypatch.setattr(db.session, "commit", refuse)
        with transaction() as outcome:
            f.department("住建局")
        monkeypatch.undo()
        assert outcome.refused and "数据库" in outcome.message
        assert _departments() == []


def test_on_error_names_the_reason(app):
    """``on_error`` maps an exception class to the message the screen wants to show."""
    with app.test_request_context():
        outcome = run_in_transaction(lambda: (_ for _ in ()).throw(KeyError("x")),
                                     on_error={KeyError: lambda exc: f"缺少 {exc}"})
        assert outcome.message == "缺少 'x'"


def test_a_bug_is_raised_after_the_rollback(app):
    """A programming error is not dressed up as a refusal: it propagates, nothing saved."""
    with app.test_request_context():
        with pytest.raises(ZeroDivisionError):
            with transaction():
                f.department("住建局")
                _ = 1 / 0
        assert _departments() == []


def test_crud_form_refused_by_the_database_shows_a_chinese_message(app, client, monkeypatch):
    """R-16.1: FAB's add form, when the database refuses the row (two clerks saving the same
    checklist line at once: the form check passed for both), answers with a Chinese message,
    not a 500, and saves nothing."""
    with app.app_context():
        dept = f.department("住建局")
        item = ApprovalItem(name="施工许可", stage=Stage.s3, department=dept, promised_days=3)
        db.session.add(item)
        db.session.add(ItemMaterial(approval_item=item, name="申请表"))
        db.session.commit()
        item_id = item.id
    # The other clerk's row arrived after this form's check ran.
    monkeypatch.setattr(ItemMaterialView, "check_form", lambda self, form: {})
    response = client.post("/itemmaterialview/add", data={
        "approval_item": str(item_id), "name": "申请表", "sort_order": "0"},
        follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "无法保存" in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ItemMaterial.id))) == 1


def test_crud_edit_refused_by_the_database_shows_the_reason(app, client, monkeypatch):
    """R-16.1: FAB's edit form shows the database's refusal in Chinese (FAB's own generic
    'Database Error' is replaced by the reason)."""
    with app.app_context():
        dept = f.department("住建局")
        item = ApprovalItem(name="施工许可", stage=Stage.s3, department=dept, promised_days=3)
        db.session.add(item)
        db.session.add_all([ItemMaterial(approval_item=item, name="申请表"),
                            ItemMaterial(approval_item=item, name="授权书")])
        db.session.commit()
        item_id = item.id
        second = db.session.scalar(sa.select(ItemMaterial.id).where(ItemMaterial.name == "授权书"))
    monkeypatch.setattr(ItemMaterialView, "check_form", lambda self, form: {})
    response = client.post(f"/itemmaterialview/edit/{second}", data={
        "approval_item": str(item_id), "name": "申请表", "sort_order": "0"},
        follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "无法保存" in html and "Database Error" not in html
    with app.app_context():
        assert db.session.get(ItemMaterial, second).name == "授权书"


def test_no_view_module_commits_by_hand():
    """R-16.1: the helper is the only transaction boundary of the screens."""
    offenders = [path.name for path in APP_VIEWS.glob("*.py")
                 if path.name != "transaction.py"
                 and (".commit()" in path.read_text() or ".rollback()" in path.read_text())]
    assert offenders == []
