"""``flask backup DEST_DIR`` and ``flask restore BACKUP_DIR [--force]`` (thin wrappers)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from app.extensions import db
from app.ops.backup import backup
from app.ops.database import DatabaseError
from app.ops.manifest import ManifestError
from app.ops.restore import RestoreRefused, restore


def archive_dirs() -> dict[str, Path]:
    """The archived-file directories a backup carries, from their owners' settings:
    issued documents (DOCUMENTS_DIR) and uploaded materials (MATERIALS_DIR)."""
    from app.documents.archive import documents_dir
    from app.storage import materials_dir

    return {"documents": documents_dir(), "materials": materials_dir()}


@click.command("backup")
@click.argument("dest_dir", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(dest_dir: Path) -> None:
    """Back up the database and the archived files into a new folder under DEST_DIR."""
    try:
        result = backup(db.engine, dest_dir, archive_dirs())
    except (DatabaseError, OSError, sqlite3.Error, sa.exc.SQLAlchemyError) as exc:
        raise click.ClickException(f"备份失败 / backup failed: {exc}") from exc
    click.echo(f"备份完成 / backup written: {result.path}")
    click.echo(f"  {result.tables} tables, {result.rows} rows, {result.files} archived files, "
               f"{result.bytes} bytes")


@click.command("restore")
@click.argument("backup_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace a database that is not empty, and archived files that differ.")
@with_appcontext
def restore_command(backup_dir: Path, force: bool) -> None:
    """Restore BACKUP_DIR into the (empty) database and the archive directories."""
    from app import migrations_dir

    migrations = migrations_dir()
    try:
        result = restore(db.engine, backup_dir, archive_dirs(), force=force,
                         migrations_dir=migrations)
    except (ManifestError, RestoreRefused, DatabaseError, OSError, sqlite3.Error,
            sa.exc.SQLAlchemyError) as exc:
        raise click.ClickException(f"恢复失败 / restore failed: {exc}") from exc
    click.echo(f"恢复完成 / restored: {result.tables} tables, {result.rows} rows (every table "
               f"counted and checksummed), {result.files} archived files (SHA-256 checked)"
               + (f", {result.skipped_files} already in place" if result.skipped_files else ""))
    if result.schema_note:
        click.echo(f"  {result.schema_note}")


COMMANDS = (backup_command, restore_command)
