"""``flask backup DEST_DIR``: the database and the archived files, in one timestamped folder.

The folder ``DEST_DIR/xieban-backup-<UTC time>/`` holds:
- the database: SQLite through the online backup API (``sqlite3.Connection.backup``: a
  consistent copy while the app keeps running and writing), or PostgreSQL through
  ``pg_dump --format=custom`` with the connection settings in PG* environment variables
  (never on the command line);
- a copy of every archive directory (issued documents under DOCUMENTS_DIR, uploaded
  materials under MATERIALS_DIR; a directory that does not exist yet is recorded as absent);
- ``manifest.json`` (app/ops/manifest.py).

The database is copied first and the files after it: a document or material is written to
disk before its row is committed, so every file a backed-up row names is on disk by the time
the files are copied (a file newer than the snapshot is harmless). The row counts and
checksums come from the same snapshot as the dump (PostgreSQL: pg_dump is given the snapshot
of our own transaction, ``--snapshot``; SQLite: they are read from the copy).

The folder is built under a hidden ``.partial`` name and renamed when complete, so a
half-written backup is never taken for a whole one.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import platform
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from app.clock import utc_now
from app.ops import database, manifest
from app.ops.database import DatabaseError

log = logging.getLogger(__name__)

FOLDER_PREFIX = "xieban-backup-"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
PG_DUMP_TIMEOUT = 6 * 3600


@dataclass(frozen=True)
class BackupResult:
    """What a backup wrote."""

    path: Path
    tables: int
    rows: int
    files: int
    bytes: int


@dataclass(frozen=True)
class _Snapshot:
    file: str
    stats: dict[str, database.TableStats]
    revisions: list[str]
    versions: dict[str, str]


def backup(engine: sa.Engine, dest_dir: Path, archives: dict[str, Path],
           *, now: dt.datetime | None = None) -> BackupResult:
    """Write a backup of ``engine``'s database and of ``archives`` (name → directory) into a
    new folder under ``dest_dir``; return what was written."""
    kind = database.kind(engine.url)
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = now or utc_now()
    final = _free_name(dest_dir, FOLDER_PREFIX + now.strftime("%Y%m%dT%H%M%SZ"))
    partial = dest_dir / f".{final.name}.partial"
    partial.mkdir(mode=0o700)
    try:
        snapshot = _sqlite(engine, partial) if kind == database.SQLITE else \
            _postgres(engine, partial)
        db_path = partial / snapshot.file
        files = [manifest.FileEntry(snapshot.file, db_path.stat().st_size,
                                    manifest.sha256_of(db_path))]
        archive_info: dict[str, Any] = {}
        for section, directory in sorted(archives.items()):
            directory = Path(directory)
            count = 0
            for path in manifest.archive_files(directory):
                relative = path.relative_to(directory).as_posix()
                size, digest = manifest.copy_hashed(path, partial / section / relative)
                files.append(manifest.FileEntry(f"{section}/{relative}", size, digest))
                count += 1
            archive_info[section] = {"source": str(directory), "present": directory.is_dir(),
                                     "files": count}
        manifest.write(partial, {
            "format": manifest.FORMAT,
            "created_at": now.isoformat(timespec="seconds"),
            "database": {"kind": kind, "file": snapshot.file,
                         "tables": {name: s.as_json() for name, s in snapshot.stats.items()}},
            "alembic_revisions": snapshot.revisions,
            "versions": snapshot.versions,
            "archives": archive_info,
            "files": [entry.as_json() for entry in files],
        })
        os.rename(partial, final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    result = BackupResult(final, len(snapshot.stats),
                          sum(s.rows for s in snapshot.stats.values()), len(files) - 1,
                          sum(entry.size for entry in files))
    log.info("backup written to %s: %d tables, %d rows, %d archived files", final,
             result.tables, result.rows, result.files)
    return result


def _free_name(dest_dir: Path, name: str) -> Path:
    """``name``, or ``name-2``, ``name-3``... when a backup of the same second exists."""
    candidate, number = dest_dir / name, 1
    while candidate.exists() or (dest_dir / f".{candidate.name}.partial").exists():
        number += 1
        candidate = dest_dir / f"{name}-{number}"
    return candidate


def software_versions() -> dict[str, str]:
    """Versions of the app and of what its data depends on."""
    versions = {"python": platform.python_version()}
    for label, dist in (("app", "jiangcheng-xieban"), ("flask_appbuilder", "flask-appbuilder"),
                        ("sqlalchemy", "SQLAlchemy"), ("alembic", "alembic")):
        try:
            versions[label] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[label] = "unknown"
    return versions


def _sqlite(engine: sa.Engine, folder: Path) -> _Snapshot:
    source = database.sqlite_file(engine.url)
    if not source.is_file():
        raise DatabaseError(f"数据库文件不存在 / the database file does not exist: {source}")
    target = folder / SQLITE_FILE
    src = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # all pages in one step, under a read lock: a consistent copy
    finally:
        dst.close()
        src.close()
    os.chmod(target, 0o600)
    copy = sa.create_engine(f"sqlite:///{target}", poolclass=NullPool)
    try:
        with copy.connect() as connection:
            check = connection.exec_driver_sql("PRAGMA integrity_check").scalar_one()
            if check != "ok":
                raise DatabaseError(f"SQLite 完整性检查失败 / integrity check failed: {check}")
            return _Snapshot(SQLITE_FILE, database.table_stats(connection),
                             database.alembic_revisions(connection),
                             {**software_versions(),
                              "database_server": database.server_version(connection)})
    finally:
        copy.dispose()


def pg_tool(name: str) -> str:
    """The path of pg_dump / pg_restore, or a clear error."""
    path = shutil.which(name)
    if not path:
        raise DatabaseError(f"找不到 {name} / {name} not found: install the PostgreSQL client "
                            "tools (Debian: postgresql-client) of the server's major version")
    return path


def tool_version(path: str) -> str:
    """``pg_dump --version``'s answer, e.g. ``pg_dump (PostgreSQL) 15.20``."""
    return subprocess.run([path, "--version"], capture_output=True, text=True,
                          check=False).stdout.strip()


def _postgres(engine: sa.Engine, folder: Path) -> _Snapshot:
    pg_dump = pg_tool("pg_dump")
    target = folder / PG_FILE
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            # pg_dump reads the database as this transaction sees it; our counts and
            # checksums below read the very same snapshot.
            snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
            done = subprocess.run(
                [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}",
                 f"--file={target}"],
                env=database.libpq_environ(engine.url), capture_output=True, text=True,
                timeout=PG_DUMP_TIMEOUT, check=False)
            if done.returncode != 0:
                raise DatabaseError(f"pg_dump 失败 / pg_dump failed: {done.stderr.strip()}")
            os.chmod(target, 0o600)
            return _Snapshot(PG_FILE, database.table_stats(connection),
                             database.alembic_revisions(connection),
                             {**software_versions(),
                              "database_server": database.server_version(connection),
                              "pg_dump": tool_version(pg_dump)})
