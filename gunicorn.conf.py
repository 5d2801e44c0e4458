"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py`` serves ``app:create_app()``.

Every value can be changed from the environment (deploy/README.md):
- WEB_CONCURRENCY: worker processes (default 2 x cores + 1, at most MAX_DEFAULT_WORKERS);
- GUNICORN_BIND: address(es), comma-separated (default 127.0.0.1:8000: behind the
  intranet's reverse proxy, which terminates HTTPS);
- GUNICORN_TIMEOUT: seconds a request may take before its worker is restarted (default 120:
  an Excel export or a batch of PDFs is slow, a hung one must still end);
- LOG_FORMAT=json: the server's own lines and the access log as JSON lines on stderr, like
  the app's (app/ops/logs.py); otherwise plain text. LOG_LEVEL sets the level.

The app is built once in the master (preload_app) and the workers are forked from it, so
they share its memory (code, templates, translations); each worker then drops the database
connections it inherited (``post_fork``: the engine is disposed without closing the parent's
sockets), so no connection is ever shared across a fork. Before the first fork the master
loads what every worker needs (``when_ready``, app/ops/preload.py: the pinyin table) and
freezes the collector. A worker's resident size counts what it shares with the master whole
(the app built, about 90 MiB on SQLite, 99 with PostgreSQL's driver); the PDF libraries
(xhtml2pdf, ReportLab: about 27 MiB) and openpyxl (11 MiB) load only in a worker that prints
or exports, what Flask-AppBuilder imports but pages never use only when first used
(app/lazy_imports.py: 10 MiB), and modules load without their docstrings, but the REST API's,
which are its OpenAPI document (app/lean_code.py: 6 MiB; LEAN_CODE=0 keeps them all).
Workers never sync permissions (FAB_UPDATE_PERMS is forced off here: run ``flask
sync-perms`` once per deploy, before the workers start; several workers would otherwise race
on FAB's permission tables), never migrate (MIGRATIONS_ENABLED is forced off: ``flask db
upgrade`` at deploy), nor run any other ``flask`` command (CLI_COMMANDS_ENABLED is forced
off).
"""
import multiprocessing
import os

MAX_DEFAULT_WORKERS = 8
_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
_LEVEL = os.environ.get("LOG_LEVEL", "info").strip().lower()

# Before any worker imports app.config, which reads it.
_PERMS_REQUESTED = os.environ.get("FAB_UPDATE_PERMS", "").strip().lower() in {
    "1", "true", "yes", "on"}
os.environ["FAB_UPDATE_PERMS"] = "0"
# Workers never migrate either (that is `flask db upgrade`, once per deploy): the app they
# build goes without Flask-Migrate and Alembic (9 MiB a worker).
os.environ["MIGRATIONS_ENABLED"] = "0"
# Nor do they run `flask` commands: the app goes without app/cli.py and what it imports.
os.environ["CLI_COMMANDS_ENABLED"] = "0"
# And they load modules without their docstrings, but the REST API's (app/lean_code.py:
# about 6 MiB a worker); LEAN_CODE=0 in the environment keeps them all.
os.environ.setdefault("LEAN_CODE", "1")

wsgi_app = "app:create_app()"
bind = [part.strip() for part in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
        if part.strip()]
workers = int(os.environ.get("WEB_CONCURRENCY")
              or min(2 * multiprocessing.cpu_count() + 1, MAX_DEFAULT_WORKERS))
worker_class = "sync"
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (jittered so they do not all restart at
# once): memory a long-lived process accumulates is given back.
max_requests = 2000
max_requests_jitter = 200
# gunicorn 25+'s control socket defaults to one path per user: a second instance on the
# machine (a test, a second site) would collide with it, and nothing here uses it.
control_socket_disable = True

loglevel = _LEVEL
errorlog = "-"
accesslog = "-"
# The request id (our X-Request-ID response header) and the signed-in user name the app
# leaves in the WSGI environ (app/ops/logs.py) tie an access line to the app's own lines.
access_log_format = ('%(h)s %({x-request-id}o)s %({xieban.user}e)s "%(r)s" %(s)s %(b)s '
                     '%(M)sms "%(a)s"')

if _FORMAT == "json":
    _handler = {"()": "app.ops.logs.make_handler", "fmt": "json"}
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": _LEVEL.upper(), "handlers": ["json"]},
        "loggers": {
            "gunicorn.error": {"level": _LEVEL.upper(), "handlers": ["json"],
                               "propagate": False, "qualname": "gunicorn.error"},
            "gunicorn.access": {"level": "INFO", "handlers": ["json"],
                                "propagate": False, "qualname": "gunicorn.access"},
        },
        "handlers": {"json": _handler},
        "formatters": {},
    }


def post_fork(server, worker):
    """A forked worker starts with an empty connection pool of its own (SQLAlchemy's advice
    for forked processes: dispose with close=False, leaving the parent's connections)."""
    from app.extensions import db

    application = server.app.wsgi()
    with application.app_context():
        db.engine.dispose(close=False)


def when_ready(server):
    """Before the first fork: what every worker would load on its first pages (the pinyin
    table) is loaded once here, shared by all of them, and the collector frozen
    (app/ops/preload.py)."""
    from app.ops.preload import preload

    preload()


def on_starting(server):
    """Say so when the environment asked workers to sync permissions (it is ignored)."""
    if _PERMS_REQUESTED:
        server.log.warning("FAB_UPDATE_PERMS is ignored under gunicorn: run "
                           "`flask --app app sync-perms` once per deploy instead")
    server.log.info("serving app:create_app() with %d workers on %s", workers,
                    ", ".join(bind))
