"""``flask restore BACKUP_DIR``: a backup back into an empty database and its file folders.

In order, stopping at the first problem:
1. the manifest is read and EVERY file it lists is checked (size and SHA-256) before
   anything is touched: a damaged backup is refused whole;
2. the target must be the same kind of database as the backup and empty (a new database,
   no table at all; ``--force`` wipes it first); an archived file already at the target
   with other content is refused too (``--force`` overwrites it);
3. the database is restored: SQLite through the online backup API into the target file,
   PostgreSQL through ``pg_restore`` in one transaction (credentials in PG* variables);
4. every table is counted and checksummed again and compared with the manifest;
5. the archived files are copied back (atomically) and each copy's SHA-256 checked.

Stop the app while restoring: the restore replaces what the running app would read.
After a restore from an older version run ``flask db upgrade`` (the result says so).
"""
from __future__ import annotations

import logging
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from app.ops import database, manifest
from app.ops.backup import PG_DUMP_TIMEOUT, pg_tool
from app.ops.database import DatabaseError

log = logging.getLogger(__name__)


class RestoreRefused(Exception):
    """The restore would overwrite something, or cannot prove it restored everything."""


@dataclass(frozen=True)
class RestoreResult:
    """What a restore put back, and the state of the schema against the code."""

    tables: int
    rows: int
    files: int
    skipped_files: int
    revisions: list[str]
    schema_note: str


def restore(engine: sa.Engine, backup_dir: Path, archives: dict[str, Path], *,
            force: bool = False, migrations_dir: str | None = None) -> RestoreResult:
    """Restore the backup folder ``backup_dir`` into ``engine``'s database and ``archives``
    (name → directory). Raises ManifestError, RestoreRefused or DatabaseError."""
    backup_dir = Path(backup_dir)
    data = manifest.read(backup_dir)
    entries = manifest.verify(backup_dir, data, set(archives))
    kind = database.kind(engine.url)
    if data["database"]["kind"] != kind:
        raise RestoreRefused(
            f"备份来自 {data['database']['kind']}，目标是 {kind} / the backup is of a "
            f"{data['database']['kind']} database, the target is {kind}")
    db_file = data["database"]["file"]
    files = [entry for entry in entries if entry.path != db_file]
    plan, skipped, conflicts = _plan_files(files, archives)
    if conflicts and not force:
        raise RestoreRefused(
            "目标目录中已有内容不同的文件 / files with other content already exist at the target "
            "(use --force to overwrite):\n  " + "\n  ".join(str(p) for p in conflicts[:20]))
    if not database.is_empty(engine):
        if not force:
            raise RestoreRefused(
                "目标数据库不是空的 / the target database is not empty: restore into a new, "
                "empty database (do not run `flask db upgrade` first), or use --force to "
                "replace everything in it")
        log.warning("restore --force: wiping %s", database.without_password(engine.url))
        database.clear(engine)

    if kind == database.SQLITE:
        _restore_sqlite(engine, backup_dir / db_file)
    else:
        _restore_postgres(engine, backup_dir / db_file)
    expected = data["database"]["tables"]
    with engine.connect() as connection:
        found = {name: s.as_json() for name, s in database.table_stats(connection).items()}
        revisions = database.alembic_revisions(connection)
    _compare(expected, found)

    for entry, target in plan:
        _size, digest = manifest.copy_hashed(backup_dir / entry.path, target)
        if digest != entry.sha256:
            raise RestoreRefused(f"复制后校验失败 / the copy does not match its SHA-256: {target}")
    result = RestoreResult(len(found), sum(t["rows"] for t in found.values()), len(plan),
                           skipped, revisions, schema_note(revisions, migrations_dir))
    log.info("restored %s: %d tables, %d rows, %d files", backup_dir, result.tables,
             result.rows, result.files)
    return result


def _plan_files(files: list[manifest.FileEntry], archives: dict[str, Path]):
    """(entry, target) pairs to copy, the number already in place, and the conflicts."""
    plan, conflicts, skipped = [], [], 0
    for entry in files:
        section, _, rest = entry.path.partition("/")
        if section not in archives or not rest:
            raise RestoreRefused(f"备份中有未知的目录 / unknown folder in the backup: {entry.path}")
        target = Path(archives[section]) / rest
        if target.exists() or target.is_symlink():
            if target.is_file() and not target.is_symlink() \
                    and manifest.sha256_of(target) == entry.sha256:
                skipped += 1
                continue
            conflicts.append(target)
        plan.append((entry, target))
    return plan, skipped, conflicts


def _compare(expected: dict[str, dict], found: dict[str, dict]) -> None:
    problems = []
    for name in sorted(set(expected) | set(found)):
        want, got = expected.get(name), found.get(name)
        if want is None:
            problems.append(f"{name}: 备份中没有此表 / table not in the backup")
        elif got is None:
            problems.append(f"{name}: 恢复后缺少此表 / table missing after the restore")
        elif want["rows"] != got["rows"]:
            problems.append(f"{name}: {got['rows']} rows, the backup has {want['rows']}")
        elif want["checksum"] != got["checksum"]:
            problems.append(f"{name}: 数据校验和不符 / the rows differ from the backup")
    if problems:
        raise RestoreRefused("恢复后的数据与备份不一致 / the restored data differs from the "
                             "backup:\n  " + "\n  ".join(problems))


def _restore_sqlite(engine: sa.Engine, source: Path) -> None:
    target = database.sqlite_file(engine.url)
    engine.dispose()  # no pooled connection may keep reading the old file
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _restore_postgres(engine: sa.Engine, source: Path) -> None:
    pg_restore = pg_tool("pg_restore")
    engine.dispose()
    name = sa.make_url(engine.url).database
    # --no-owner/--no-privileges: the target's own user owns what it restores, whoever
    # owned the objects on the server the backup came from.
    done = subprocess.run(
        [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error",
         "--single-transaction", "--no-password", f"--dbname={name}", str(source)],
        env=database.libpq_environ(engine.url), capture_output=True, text=True,
        timeout=PG_DUMP_TIMEOUT, check=False)
    if done.returncode != 0:
        raise DatabaseError(f"pg_restore 失败 / pg_restore failed (nothing restored): "
                            f"{done.stderr.strip()}")


def schema_note(revisions: list[str], migrations_dir: str | None) -> str:
    """How the restored schema stands against this code's migrations."""
    if not migrations_dir:
        return ""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    script = ScriptDirectory(migrations_dir)
    heads = set(script.get_heads())
    unknown = []
    for revision in revisions:
        try:
            if script.get_revision(revision) is None:
                unknown.append(revision)
        except CommandError:
            unknown.append(revision)
    if unknown:
        return ("备份来自更新的版本 / the backup comes from a newer version of the code "
                f"(unknown revision {', '.join(unknown)}): install that version")
    if set(revisions) == heads:
        return "数据库结构为最新 / the schema is at this code's newest migration"
    return "请运行 / now run: flask --app app db upgrade"
