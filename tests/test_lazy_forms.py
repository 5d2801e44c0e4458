"""A screen's add and edit forms are built when first used, not with the screen (issue 16, a
worker's memory: the 41 screens' 82 forms were about 2 MiB of every worker, most of which
never opens a form); built, they are the same adjusted forms."""
from __future__ import annotations

from app import create_app
from app.config import TestConfig
from app.views.base import AppModelView
from app.views.revisits import RevisitView


def test_forms_are_built_on_first_use():
    built = create_app(TestConfig(), {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    views = [v for v in built.appbuilder.baseviews if isinstance(v, AppModelView)]
    assert len(views) > 30
    assert not any("_xb_form_add" in vars(v) or "_xb_form_edit" in vars(v) for v in views)
    revisit = next(v for v in views if isinstance(v, RevisitView))
    assert "add_form" not in dir(revisit)  # FAB's scan of the view's attributes skips them
    add = revisit.add_form
    assert add is revisit.add_form  # built once
    # the app's wrapping (its checks run on validate) and the view's own adjustment
    assert "_wrap_form" in add.validate.__qualname__
    assert "method" in vars(add) and "method" in vars(revisit.edit_form)
