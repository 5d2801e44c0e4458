"""Configuration: one class that reads the environment, and a test subclass.

Every setting a deployment may change is read from an environment variable here and
nowhere else. See README.md ("Configuration") for the list.
"""
from __future__ import annotations

import os
from pathlib import Path

from flask_appbuilder.security.manager import AUTH_DB

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", BASE_DIR / "instance"))


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one kept in instance/ (created once)."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(os.urandom(32).hex())
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Production and development settings, read from the environment."""

    APP_NAME = "江城区工程建设项目审批协办系统"
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'xieban.db'}"
    )
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Alembic owns the schema (see migrations/); FAB must not create tables behind it,
    # and permissions are synced at deploy time by `flask sync-perms`, not by workers.
    FAB_CREATE_DB = False
    FAB_UPDATE_PERMS = _bool("FAB_UPDATE_PERMS", False)

    AUTH_TYPE = AUTH_DB
    AUTH_USER_REGISTRATION = False
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    FAB_ADD_SECURITY_API = False

    CSRF_ENABLED = True
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None

    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_FOLDER = str(BASE_DIR / "translations")
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = {
        "zh": {"flag": "cn", "name": "简体中文"},
        "en": {"flag": "gb", "name": "English"},
    }

    FAB_BASE_TEMPLATE = "xb_layout.html"
    FAB_API_SWAGGER_UI = False
    PAGE_SIZE = 20

    # Deadline lights: yellow when due within this many working days.
    DEADLINE_WARNING_DAYS = int(os.environ.get("DEADLINE_WARNING_DAYS", "2"))
    # Application numbers: {year} and {seq} are filled in; sequential per year.
    APPLICATION_NO_FORMAT = os.environ.get("APPLICATION_NO_FORMAT", "JCXB-{year}-{seq:04d}")
    # Working days the unit has to confirm a termination before it is announced.
    TERMINATION_CONFIRM_DAYS = int(os.environ.get("TERMINATION_CONFIRM_DAYS", "5"))

    # Messages to units: the channel for SMS-type messages (sms or wechat), the HTTP
    # gateway of the district's SMS/WeChat platform (unset: messages are only logged), SMTP.
    NOTIFY_CHANNEL = os.environ.get("NOTIFY_CHANNEL", "sms")
    NOTIFY_GATEWAY_URL = os.environ.get("NOTIFY_GATEWAY_URL")
    NOTIFY_GATEWAY_SECRET = os.environ.get("NOTIFY_GATEWAY_SECRET")
    NOTIFY_GATEWAY_TIMEOUT = float(os.environ.get("NOTIFY_GATEWAY_TIMEOUT", "10"))
    NOTIFY_BATCH = int(os.environ.get("NOTIFY_BATCH", "100"))
    NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "8"))
    SMTP_HOST = os.environ.get("SMTP_HOST")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_USER = os.environ.get("SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_FROM = os.environ.get("SMTP_FROM")
    SMTP_STARTTLS = _bool("SMTP_STARTTLS", False)

    def __init__(self) -> None:
        # Read lazily so that tests and tools can set the environment before create_app().
        self.SECRET_KEY = _secret_key()


class TestConfig(Config):
    """Settings for the test suite: a throw-away database, cheap password hashing."""

    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    FAB_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    WTF_CSRF_ENABLED = False

    def __init__(self) -> None:
        self.SECRET_KEY = "test-secret-key"
