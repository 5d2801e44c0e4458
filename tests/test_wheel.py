"""A build for an offline intranet (issue 16 item 9): the wheel carries everything the app reads
at run time (templates, static files, the Alembic history, the compiled zh catalogue, the
pinyin table), every package the code imports is declared, `redis` is an extra,
requirements.lock pins the tested versions with hashes; installed outside the checkout, the
wheel migrates a new database, computes pinyin keys from its own table and serves a Chinese
page. (`make wheelhouse` then only adds the locked wheels, downloaded
hash-checked: deploy/README.md, "Offline install".)"""
from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import re
import shutil
import site
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "app"


def _name(requirement: str) -> str:
    """A requirement's project name, normalised (PEP 503): "Flask-Login>=0.6" → "flask-login"."""
    raw = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement).group(1)
    return re.sub(r"[-_.]+", "-", raw).lower()


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _imports_of_the_app() -> dict[str, set[str]]:
    """Top-level modules imported anywhere in app/ (migrations included) → importing files."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_package_the_app_imports_is_declared():
    """issue 16 item 9: every third-party package imported by app/ is in pyproject.toml's
    dependencies itself (Flask-Login, Flask-JWT-Extended, ... not left to arrive through FAB);
    `redis` is the `redis` extra, not a dependency."""
    project = _project()
    declared = {_name(spec) for spec in project["dependencies"]}
    owners = importlib.metadata.packages_distributions()
    undeclared = {}
    for module, files in sorted(_imports_of_the_app().items()):
        if module == "app" or module in sys.stdlib_module_names:
            continue
        distributions = {_name(d) for d in owners.get(module, [])}
        assert distributions, f"{module} (imported by {sorted(files)}) is not installed"
        if not distributions & declared:
            undeclared[module] = (sorted(distributions), sorted(files)[:3])
    assert not undeclared, f"imported but not in pyproject.toml's dependencies: {undeclared}"
    assert "redis" not in declared
    assert [_name(spec) for spec in project["optional-dependencies"]["redis"]] == ["redis"]


def _lock() -> dict[str, dict]:
    """requirements.lock: name → {"version", "marker", "hashes"}."""
    entries: dict[str, dict] = {}
    current = None
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        pin = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]*?))?\s*\\?$",
                       line)
        if pin:
            current = entries[_name(pin.group(1))] = {
                "version": pin.group(2), "marker": pin.group(3), "hashes": []}
        elif current is not None and (digest := re.match(r"\s+--hash=sha256:([0-9a-f]{64})",
                                                         line)):
            current["hashes"].append(digest.group(1))
    return entries


def test_the_lock_pins_the_tested_versions_with_hashes():
    """issue 16 item 9: requirements.lock pins every dependency and the `redis` extra, each with
    its hashes, at the versions this suite runs on (`make install-test` installs the lock's
    pins; `make lock` writes it)."""
    lock = _lock()
    assert len(lock) > 40, "requirements.lock was not parsed"
    project = _project()
    wanted = {_name(spec) for spec in project["dependencies"]}
    wanted |= {_name(spec) for spec in project["optional-dependencies"]["redis"]}
    assert not wanted - set(lock), (
        f"declared but not locked (run `make lock`): {sorted(wanted - set(lock))}")
    assert not [name for name, entry in lock.items() if not entry["hashes"]]
    differing = {}
    for name, entry in lock.items():
        if entry["marker"]:  # for other Pythons or platforms (async-timeout, tzdata, ...)
            continue
        installed = importlib.metadata.version(name)
        if installed != entry["version"]:
            differing[name] = (entry["version"], installed)
    assert not differing, (
        "the suite does not run on the locked versions (locked, installed): "
        f"{differing}; `make install-test` installs the lock, `make lock` records an upgrade")


def _run(args: list, *, cwd: Path, env: dict) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(map(str, args))}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _build_wheel(tmp_path: Path, env: dict) -> Path:
    """The wheel of a clean copy of the sources (no compiled catalogue, no caches): what
    `make wheelhouse` builds, built here without the network (no build isolation)."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(PACKAGE, source / "app",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.pot", ".lock"))
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
          "--no-build-isolation", "--wheel-dir", dist, source], cwd=tmp_path, env=env)
    (wheel,) = dist.glob("jiangcheng_xieban-*.whl")
    return wheel


def _assert_wheel_carries_the_run_time_files(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = {"app/translations/zh/LC_MESSAGES/messages.mo", "app/migrations/env.py",
                "app/migrations/alembic.ini", "app/migrations/script.py.mako",
                "app/pinyin_table.txt"}
    for folder in ("templates", "static", "migrations/versions"):
        expected |= {path.relative_to(ROOT).as_posix() for path in (PACKAGE / folder).rglob("*")
                     if path.is_file() and "__pycache__" not in path.parts}
    missing = sorted(expected - names)
    assert not missing, f"not in the wheel: {missing[:20]}"
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_the_wheel_installed_outside_the_checkout_migrates_and_shows_chinese(
        tmp_path, fresh_database):
    """issue 16 item 9 (done when): the built wheel, installed into a fresh virtualenv outside
    the checkout, runs `flask db upgrade` (its own migrations/) on a new database and serves the
    login page in Chinese from its own compiled catalogue. The virtualenv borrows this
    environment's installed dependencies through a path file (no network here; the wheelhouse
    install itself is `make wheelhouse` and deploy/README.md), never the checkout's app/."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TEST_", "FAB_", "FLASK_", "PIP_", "PYTHON"))}
    env.update({"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    wheel = _build_wheel(tmp_path, env)
    _assert_wheel_carries_the_run_time_files(wheel)

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp_path, env=env)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
          "--no-index", wheel], cwd=tmp_path, env=env)
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                        cwd=tmp_path, env=env).strip())
    # The dependencies: this environment's site-packages, after the venv's own (a plain path
    # line: the .pth files there, among them the editable install of the checkout, stay unread).
    (purelib / "borrowed_dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8")

    work = tmp_path / "elsewhere"  # the working directory: no app/ in it
    work.mkdir()
    env.update({"DATABASE_URL": fresh_database, "INSTANCE_DIR": str(tmp_path / "instance"),
                "SECRET_KEY": "wheel-test-" + "x" * 32})
    _run([python, "-m", "flask", "--app", "app", "db", "upgrade"], cwd=work, env=env)

    engine = sa.create_engine(fresh_database)
    try:
        with engine.connect() as conn:
            revisions = {row[0] for row in conn.exec_driver_sql(
                "SELECT version_num FROM alembic_version")}
    finally:
        engine.dispose()
    assert revisions == set(ScriptDirectory(str(PACKAGE / "migrations")).get_heads())

    probe = (
        "import json, app\n"
        "from app import create_app, pinyin, pinyin_table\n"
        "application = create_app()\n"
        "page = application.test_client().get('/login/')\n"
        "print(json.dumps({'package': app.__file__,"
        " 'migrations': application.extensions['migrate'].directory,"
        " 'pinyin_table': str(pinyin_table.TABLE), 'keys': pinyin.keys('重庆银行'),"
        " 'status': page.status_code, 'body': page.get_data(as_text=True)}))\n")
    answer = json.loads(_run([python, "-c", probe], cwd=work, env=env).splitlines()[-1])
    assert Path(answer["package"]).is_relative_to(purelib), answer["package"]
    assert Path(answer["migrations"]).is_relative_to(purelib), answer["migrations"]
    assert (purelib / "app" / "translations" / "zh" / "LC_MESSAGES" / "messages.mo").is_file()
    # the pinyin keys from the wheel's own table (app/pinyin_table.txt)
    assert Path(answer["pinyin_table"]).is_relative_to(purelib), answer["pinyin_table"]
    assert answer["keys"] == ["chongqingyinhang", "cqyh"]
    assert answer["status"] == 200
    body = answer["body"]
    assert "用户名" in body and "密码" in body
    # a string of our catalogue (not FAB's): the date picker's legend on every page
    assert "调休上班日" in body and "Working weekend day" not in body
