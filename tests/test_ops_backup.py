"""Backups: ``flask backup`` and ``flask restore`` on the suite's database kind (SQLite in the
first run, PostgreSQL in the second). R-15.3: the archive (every issued document, every
uploaded material, hash-checked) survives a backup and a restore, with every row of every
table; a restore refuses a database that is not empty and a damaged backup."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import _postgres_database

from app import create_app
from app import config as app_config
from app import storage
from app.documents import archive
from app.domain.materials import attach_file
from app.extensions import db
from app.models import Commission, DocumentKind, IssuedDocument, Material
from app.ops import database as ops_db
from app.ops.manifest import sha256_of
from app.seed import DEMO_ANCHOR, seed_demo

PDF_BYTES = b"%PDF-1.4\n% test material\n"


@pytest.fixture
def archives(app, tmp_path, monkeypatch):
    """The session app's archive folders: fresh ones per test."""
    dirs = {"documents": tmp_path / "src-documents", "materials": tmp_path / "src-materials"}
    monkeypatch.setitem(app.config, "DOCUMENTS_DIR", str(dirs["documents"]))
    monkeypatch.setitem(app.config, "MATERIALS_DIR", str(dirs["materials"]))
    return dirs


@pytest.fixture
def new_database(database_url, tmp_path):
    """A factory of new, empty databases of the suite's kind (dropped afterwards)."""
    drops = []

    def make(name: str) -> str:
        if database_url.startswith("postgresql"):
            url, drop = _postgres_database(database_url)
            drops.append(drop)
            return url
        return f"sqlite:///{tmp_path / f'{name}.db'}"

    yield make
    for drop in drops:
        drop()


@pytest.fixture
def target(new_database, tmp_path):
    """A factory of apps on a new empty database, with their own archive folders."""
    apps = []

    def make(name: str = "restored"):
        url = new_database(name)
        folders = {"documents": tmp_path / f"{name}-documents",
                   "materials": tmp_path / f"{name}-materials"}
        application = create_app(app_config.TestConfig(), {
            "SQLALCHEMY_DATABASE_URI": url, "DOCUMENTS_DIR": str(folders["documents"]),
            "MATERIALS_DIR": str(folders["materials"])})
        apps.append(application)
        return application, folders

    yield make
    for application in apps:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def _stats(application) -> dict:
    with application.app_context(), db.engine.connect() as connection:
        return ops_db.table_stats(connection)


def _backup(application, dest: Path) -> Path:
    result = application.test_cli_runner().invoke(args=["backup", str(dest)])
    assert result.exit_code == 0, result.output
    folders = sorted(dest.glob("xieban-backup-*"))
    assert len(folders) == 1 and "backup written" in result.output
    return folders[0]


def _restore(application, folder: Path, *extra: str):
    return application.test_cli_runner().invoke(args=["restore", str(folder), *extra])


def _files(directory: Path) -> dict[str, str]:
    """relative path → SHA-256 of every file under ``directory``."""
    if not directory.exists():
        return {}
    return {p.relative_to(directory).as_posix(): sha256_of(p)
            for p in sorted(directory.rglob("*")) if p.is_file()}


def _fill_archive(application) -> tuple[int, int]:
    """The demo district, two issued documents and two uploaded materials."""
    with application.app_context():
        session = db.session
        seed_demo(session, DEMO_ANCHOR)
        session.commit()
        commissions = session.scalars(sa.select(Commission).order_by(Commission.id).limit(2)).all()
        for commission in commissions:
            archive.issue(session, DocumentKind.application, commission)
        session.commit()
        for number, commission in enumerate(commissions):
            material = Material(commission_id=commission.id, title=f"材料 {number}")
            attach_file(material, io.BytesIO(PDF_BYTES + bytes([number]) * 100),
                        f"材料{number}.pdf", actor=None, limit=10_000)
            session.add(material)
        session.commit()
        return (session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument)),
                session.scalar(sa.select(sa.func.count()).select_from(Material)))


def test_backup_and_restore_find_every_row_and_archived_file(app, archives, target, tmp_path):
    """R-15.3: after a backup and a restore into an empty database, every table has the same
    rows (count and checksum per table), and every issued document and material is back
    with its recorded SHA-256."""
    documents, materials = _fill_archive(app)
    assert documents >= 2 and materials == 2
    source_stats = _stats(app)
    assert sum(1 for s in source_stats.values() if s.rows) >= 30  # a realistic spread

    folder = _backup(app, tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["alembic_revisions"]
    assert manifest["database"]["kind"] == ops_db.kind(app.config["SQLALCHEMY_DATABASE_URI"])
    assert {e["path"].split("/")[0] for e in manifest["files"]} >= {"documents", "materials"}
    assert "password" not in json.dumps(manifest).lower()

    restored, folders = target()
    result = _restore(restored, folder)
    assert result.exit_code == 0, result.output
    assert "restored" in result.output

    # Every row of every table (FAB's ab_* and alembic_version included).
    restored_stats = _stats(restored)
    assert restored_stats.keys() == source_stats.keys()
    for name, stats in source_stats.items():
        assert restored_stats[name] == stats, name

    # Every archived file, hash-checked against the restored rows and the originals.
    assert _files(folders["documents"]) == _files(archives["documents"])
    assert _files(folders["materials"]) == _files(archives["materials"])
    with restored.app_context():
        rows = db.session.scalars(sa.select(IssuedDocument)).all()
        assert len(rows) == documents
        assert all(archive.intact(document) for document in rows)
        for material in db.session.scalars(sa.select(Material)):
            path = storage.path_of(material.stored_name)
            assert sha256_of(path) == material.sha256


def test_restore_refuses_a_database_that_is_not_empty(app, archives, target, tmp_path):
    """A second restore into the now-filled database is refused, nothing changed; --force
    replaces it."""
    folder = _backup(app, tmp_path / "backups")
    restored, _folders = target()
    assert _restore(restored, folder).exit_code == 0
    before = _stats(restored)

    refused = _restore(restored, folder)
    assert refused.exit_code != 0
    assert "not empty" in refused.output
    assert _stats(restored) == before

    forced = _restore(restored, folder, "--force")
    assert forced.exit_code == 0, forced.output
    assert _stats(restored) == before


@pytest.mark.parametrize("damage", ["archived file", "database", "missing file"])
def test_a_damaged_backup_is_refused_before_anything_is_restored(app, archives, target,
                                                                 tmp_path, damage):
    """R-15.3: one altered byte in an archived file or in the database copy, or a missing
    file, is found by its SHA-256; the target database and folders stay empty."""
    document = archives["documents"] / "7" / "application-v1-0123456789abcdef.pdf"
    document.parent.mkdir(parents=True)
    document.write_bytes(PDF_BYTES * 10)
    folder = _backup(app, tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    victim = {"archived file": folder / "documents/7/application-v1-0123456789abcdef.pdf",
              "database": folder / manifest["database"]["file"],
              "missing file": folder / "documents/7/application-v1-0123456789abcdef.pdf"}[damage]
    if damage == "missing file":
        victim.unlink()
    else:
        data = bytearray(victim.read_bytes())
        data[len(data) // 2] ^= 0x01
        victim.write_bytes(bytes(data))

    restored, folders = target()
    result = _restore(restored, folder)
    assert result.exit_code != 0
    assert ("missing" if damage == "missing file" else "altered") in result.output
    assert victim.relative_to(folder).as_posix() in result.output
    with restored.app_context():
        assert ops_db.is_empty(db.engine)
    assert _files(folders["documents"]) == {} and _files(folders["materials"]) == {}


def test_backup_copes_with_absent_archive_folders(app, tmp_path, monkeypatch):
    """A new installation has no documents folder yet: the backup records it as absent."""
    monkeypatch.setitem(app.config, "DOCUMENTS_DIR", str(tmp_path / "never-documents"))
    monkeypatch.setitem(app.config, "MATERIALS_DIR", str(tmp_path / "never-materials"))
    folder = _backup(app, tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["archives"]["documents"] == {
        "source": str(tmp_path / "never-documents"), "present": False, "files": 0}
    assert [e["path"] for e in manifest["files"]] == [manifest["database"]["file"]]
    assert manifest["archives"]["materials"]["files"] == 0
