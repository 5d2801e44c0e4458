"""Configuration: one class that reads the environment, and a test subclass.

Every setting a deployment may change is read from an environment variable here and
nowhere else. See README.md ("Configuration") for the list.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from flask_appbuilder.security.manager import AUTH_DB

from app.instance import write_private

# The package itself: its migrations/ and translations/ are inside it, in the checkout and in an
# installed wheel alike.
PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
# Default instance/: the checkout's (`make run`); installed from a wheel (BASE_DIR is then
# site-packages), ./instance of the working directory. Production sets INSTANCE_DIR.
_CHECKOUT = (BASE_DIR / "pyproject.toml").exists()
_DEFAULT_INSTANCE = (BASE_DIR if _CHECKOUT else Path.cwd()) / "instance"
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", _DEFAULT_INSTANCE))


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _number(name: str, default: str) -> int | float | None:
    """A threshold from the environment: "80" → 80, "3.0" → 3.0, "" → None (check off)."""
    raw = os.environ.get(name, default).strip()
    if not raw:
        return None
    return int(raw) if raw.lstrip("-").isdigit() else float(raw)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one kept in instance/ (created once)."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = INSTANCE_DIR / "secret_key"
    # Created 0600 in a 0700 folder (app/instance.py); a second worker finds it written.
    write_private(path, os.urandom(32).hex())
    return path.read_text().strip()


class Config:
    """Production and development settings, read from the environment."""

    APP_NAME = "江城区工程建设项目审批协办系统"
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'xieban.db'}"
    )
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Alembic owns the schema (see app/migrations/); FAB must not create tables behind it,
    # and permissions are synced at deploy time by `flask sync-perms`, not by workers.
    FAB_CREATE_DB = False
    FAB_UPDATE_PERMS = _bool("FAB_UPDATE_PERMS", False)
    # `flask db` (Flask-Migrate); gunicorn's workers go without (gunicorn.conf.py).
    MIGRATIONS_ENABLED = _bool("MIGRATIONS_ENABLED", True)
    # The `flask` commands (app/cli.py: seeding, imports, backups, notices, ...); gunicorn's
    # master and workers go without them too (gunicorn.conf.py: 1 MiB a worker).
    CLI_COMMANDS_ENABLED = _bool("CLI_COMMANDS_ENABLED", True)

    AUTH_TYPE = AUTH_DB
    AUTH_USER_REGISTRATION = False
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    # Keep off: FAB's user REST API sets passwords without our rules (app/security.py).
    # The JWT login API (/api/v1/security/login) exists regardless; it is rate limited and
    # shares the lockout.
    FAB_ADD_SECURITY_API = False

    CSRF_ENABLED = True
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None

    # --- Login and sessions (R-14.1; 等保 level 3: 身份鉴别, 访问控制) ---
    # Password rules (app/domain/passwords.py) apply to every path that sets a password.
    PASSWORD_MIN_LENGTH = max(8, int(os.environ.get("PASSWORD_MIN_LENGTH", "8")))
    # A password older than this many days must be changed at the next request (0: never).
    PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
    # An account whose password someone else set (a new account, an administrator's reset,
    # a generated admin password) must change it at its first login.
    PASSWORD_CHANGE_AT_FIRST_LOGIN = _bool("PASSWORD_CHANGE_AT_FIRST_LOGIN", True)
    # Lockout: this many consecutive wrong passwords lock the account for this many minutes.
    AUTH_MAX_FAILED_LOGINS = int(os.environ.get("AUTH_MAX_FAILED_LOGINS", "5"))
    AUTH_LOCKOUT_MINUTES = int(os.environ.get("AUTH_LOCKOUT_MINUTES", "15"))
    # Rate limit of the login form and the API login, per client IP (FAB needs both flags).
    # memory:// counts per worker process; with several workers use a shared store, e.g.
    # redis://127.0.0.1:6379/0 (needs the package's `redis` extra, in the wheelhouse).
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    AUTH_RATE_LIMITED = True
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per minute")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # A signed-in session unused for this many minutes ends (the cookie expires with it).
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    PERMANENT_SESSION_LIFETIME = dt.timedelta(minutes=SESSION_IDLE_MINUTES)
    # The cookie is sent again when the session changes, not on every response: the idle
    # clock moves it on once a minute at most (app/web_security.py, SEEN_STEP_SECONDS).
    SESSION_REFRESH_EACH_REQUEST = False
    # Cookies: HttpOnly and SameSite=Lax always; Secure when served over HTTPS (set it on).
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted
    # (the real client IP for rate limits and the audit trail; HTTPS seen as HTTPS).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_FOLDER = str(PACKAGE_DIR / "translations")
    BABEL_TRANSLATION_DIRECTORIES = str(PACKAGE_DIR / "translations")
    LANGUAGES = {
        "zh": {"flag": "cn", "name": "简体中文"},
        "en": {"flag": "gb", "name": "English"},
    }

    FAB_BASE_TEMPLATE = "xb_layout.html"
    # The REST API's OpenAPI document and Swagger page are registered by app/api (the
    # document completed there, public; the Swagger page with FAB's bundled assets, no CDN).
    FAB_ADD_OPENAPI_VIEWS = False
    FAB_API_SWAGGER_UI = True
    PAGE_SIZE = 20

    # Deadline lights: yellow when due within this many working days.
    DEADLINE_WARNING_DAYS = int(os.environ.get("DEADLINE_WARNING_DAYS", "2"))
    # The dashboard's figures are kept this many seconds per caseload (0: every visit
    # computes them): they summarise every open commission, the landing page of every
    # login must not pay that each time. The page says when they were computed.
    DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "60"))
    # Where kept figures live (Flask-Caching): with REDIS_URL (e.g. redis://127.0.0.1:6379/1)
    # in Redis, shared by every worker and server, so all show the same figures; without
    # it in each worker's memory.
    REDIS_URL = os.environ.get("REDIS_URL") or None
    CACHE_TYPE = "RedisCache" if REDIS_URL else "SimpleCache"
    CACHE_REDIS_URL = REDIS_URL
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "xieban:")
    CACHE_DEFAULT_TIMEOUT = 300
    # List row counts (issue 16; app/views/paging.py): on these databases a list nobody
    # filtered keeps its count once it has this many rows (0: always count), this long;
    # adding or deleting a row drops it at once. (SQLite counts 100,000 rows in 0.4 ms, a
    # twentieth of the list page; PostgreSQL in 6-9 ms.)
    LIST_COUNT_KEPT_FROM = int(os.environ.get("LIST_COUNT_KEPT_FROM", "10000"))
    LIST_COUNT_KEPT_SECONDS = int(os.environ.get("LIST_COUNT_KEPT_SECONDS", "60"))
    LIST_COUNT_KEPT_DIALECTS = ("postgresql", "sqlite")
    # Application numbers: {year} and {seq} are filled in; sequential per year.
    APPLICATION_NO_FORMAT = os.environ.get("APPLICATION_NO_FORMAT", "JCXB-{year}-{seq:04d}")
    # Art.10 提前报备: a roster change is filed at least this many working days
    # before the day it takes effect.
    ROSTER_NOTICE_WORKING_DAYS = max(0, int(os.environ.get("ROSTER_NOTICE_WORKING_DAYS", "1")))
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

    # Files kept outside the static folder: issued documents and materials.
    DOCUMENTS_DIR = os.environ.get("DOCUMENTS_DIR", str(INSTANCE_DIR / "documents"))
    MATERIALS_DIR = os.environ.get("MATERIALS_DIR", str(INSTANCE_DIR / "materials"))
    # Uploaded import workbooks, kept by their hash between the dry run and the import.
    IMPORTS_DIR = os.environ.get("IMPORTS_DIR", str(INSTANCE_DIR / "imports"))
    # Excel exports (台账) of more rows than this are written in the background, with a link
    # when ready (app/ledgers/background.py); their files, kept EXPORT_KEEP_HOURS.
    EXPORT_BACKGROUND_ROWS = int(os.environ.get("EXPORT_BACKGROUND_ROWS", "5000"))
    EXPORTS_DIR = os.environ.get("EXPORTS_DIR", str(INSTANCE_DIR / "exports"))
    EXPORT_KEEP_HOURS = int(os.environ.get("EXPORT_KEEP_HOURS", "24"))
    MATERIAL_MAX_BYTES = int(os.environ.get("MATERIAL_MAX_BYTES", str(20 * 1024 * 1024)))
    # Requests larger than the largest upload plus its form are refused (413) before they
    # are read: werkzeug checks Content-Length, and stops a stream at the limit.
    MAX_CONTENT_LENGTH = MATERIAL_MAX_BYTES + 1024 * 1024
    # A TrueType/TTC font with Chinese glyphs for the PDFs; unset: the usual system places.
    PDF_FONT_PATH = os.environ.get("PDF_FONT_PATH")
    # The audit trail is kept at least this long (R-14.4; 等保 asks for 180 days).
    AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "180"))
    # Logs: "json" for one JSON object per line (structured), "text" otherwise.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # Supervision: when a revisit falls due; who is flagged for the 通报.
    REVISIT_DUE_WORKING_DAYS = int(os.environ.get("REVISIT_DUE_WORKING_DAYS", "5"))
    ASSESSMENT_FLAG_ON_TIME_BELOW = _number("ASSESSMENT_FLAG_ON_TIME_BELOW", "80")
    ASSESSMENT_FLAG_AVG_RATING_BELOW = _number("ASSESSMENT_FLAG_AVG_RATING_BELOW", "3.0")
    ASSESSMENT_FLAG_SCORE_BELOW = _number("ASSESSMENT_FLAG_SCORE_BELOW", "60")

    # The construction unit online: the address units reach the system at (the links
    # in SMS and the QR codes on the printed forms point there), and the look-up's limits.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    UNIT_LOOKUP_MINUTES = int(os.environ.get("UNIT_LOOKUP_MINUTES", "30"))
    UNIT_CODE_MINUTES = int(os.environ.get("UNIT_CODE_MINUTES", "10"))
    UNIT_CODE_ATTEMPTS = int(os.environ.get("UNIT_CODE_ATTEMPTS", "5"))
    UNIT_CODES_PER_NUMBER_HOUR = int(os.environ.get("UNIT_CODES_PER_NUMBER_HOUR", "5"))
    UNIT_REQUESTS_PER_ADDRESS_HOUR = int(os.environ.get("UNIT_REQUESTS_PER_ADDRESS_HOUR", "30"))
    RATING_LINK_DAYS = int(os.environ.get("RATING_LINK_DAYS", "15"))

    def __init__(self) -> None:
        # Read lazily so that tests and tools can set the environment before create_app().
        self.SECRET_KEY = _secret_key()


class TestConfig(Config):
    """Settings for the test suite: a throw-away database, cheap password hashing."""

    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    FAB_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    WTF_CSRF_ENABLED = False
    # The suite signs in hundreds of times from 127.0.0.1; the rate-limit tests build an
    # app with it on (tests/test_login_limits.py).
    RATELIMIT_ENABLED = False
    # Tests change the data between two visits of the dashboard; the cache has its own.
    DASHBOARD_CACHE_SECONDS = 0

    def __init__(self) -> None:
        self.SECRET_KEY = "test-secret-key-of-32-bytes-or-more"  # JWT wants >= 32 bytes


class CsrfTestConfig(TestConfig):
    """The test profile with CSRF protection on, as in production (tests/test_web_security*)."""

    WTF_CSRF_ENABLED = True
