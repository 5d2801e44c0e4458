"""Flask extensions, created unbound here and initialised in create_app()."""
from __future__ import annotations

from flask_appbuilder import Model
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

# Bound to FAB's declarative base so that our tables and FAB's ab_* tables share one
# metadata: Alembic sees both (architecture.md, "Migrations").
db = SQLAlchemy(model_class=Model)
migrate = Migrate()
csrf = CSRFProtect()
