"""The backup folder's manifest, and copying files with their SHA-256.

A backup folder holds ``manifest.json``, the database (``database.sqlite3`` or
``database.pgdump``) and one folder per archive (``documents/``, ``materials/``). The
manifest lists every file of the folder with its size and SHA-256, the Alembic revision(s),
the versions of the software that wrote it, and the row count and checksum of every table,
so that a restore can prove it found everything again.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class ManifestError(Exception):
    """The backup folder is unusable: a missing, altered or unexpected file (CLI message)."""


@dataclass(frozen=True)
class FileEntry:
    """One file of the backup folder: its path (relative, POSIX), size and SHA-256."""

    path: str
    size: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_hashed(source: Path, target: Path) -> tuple[int, str]:
    """Copy ``source`` to ``target`` atomically (0600), hashing the bytes as they are copied.

    The hash is of what was written, so a file changing while it is copied cannot slip
    into the manifest with the hash of another content.
    """
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256()
    size = 0
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".copy-")
    try:
        with open(source, "rb") as src, os.fdopen(fd, "wb") as out:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return size, digest.hexdigest()


def archive_files(directory: Path) -> Iterator[Path]:
    """Every regular file under ``directory``, sorted; hidden names are skipped (they are the
    temporary files of writes in progress: ``.upload-*``, ``.issuing-*``)."""
    if not directory.is_dir():
        return
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if not name.startswith(".") and path.is_file() and not path.is_symlink():
                yield path


def safe_relative(path: str, sections: set[str]) -> PurePosixPath:
    """A manifest path, checked: relative, no ``..``, under a known top folder."""
    pure = PurePosixPath(path)
    if (pure.is_absolute() or not pure.parts or any(p in ("", ".", "..") for p in pure.parts)
            or "\\" in path or (len(pure.parts) > 1 and pure.parts[0] not in sections)):
        raise ManifestError(f"清单中有不安全的路径 / unsafe path in the manifest: {path!r}")
    return pure


def write(folder: Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest.json`` into ``folder``."""
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                    encoding="utf-8")
    os.chmod(path, 0o600)
    return path


def read(folder: Path) -> dict[str, Any]:
    """Load and sanity-check ``manifest.json`` of a backup folder."""
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ManifestError(f"不是备份目录 / not a backup folder (no {MANIFEST}): {folder}") \
            from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise ManifestError(f"备份清单已损坏 / the manifest is damaged: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ManifestError("备份清单格式不符 / unknown manifest format "
                            f"{manifest.get('format') if isinstance(manifest, dict) else '?'}")
    database = manifest.get("database")
    files = manifest.get("files")
    if (not isinstance(database, dict) or not {"kind", "file", "tables"} <= database.keys()
            or not isinstance(files, list)
            or not all(isinstance(e, dict) and {"path", "size", "sha256"} <= e.keys()
                       for e in files)
            or database["file"] not in {e["path"] for e in files}):
        raise ManifestError("备份清单不完整 / the manifest is incomplete")
    return manifest


def verify(folder: Path, manifest: dict[str, Any], sections: set[str]) -> list[FileEntry]:
    """Check every file the manifest lists (size and SHA-256); return them.

    Raises ManifestError naming every missing or altered file: a restore starts only from a
    backup that is whole.
    """
    entries = [FileEntry(e["path"], int(e["size"]), e["sha256"]) for e in manifest["files"]]
    problems = []
    for entry in entries:
        path = folder / safe_relative(entry.path, sections)
        if not path.is_file():
            problems.append(f"缺少 / missing: {entry.path}")
        elif path.stat().st_size != entry.size or sha256_of(path) != entry.sha256:
            problems.append(f"已改变 / altered (SHA-256 differs): {entry.path}")
    if problems:
        raise ManifestError("备份不完整或已损坏 / the backup is incomplete or damaged:\n  "
                            + "\n  ".join(problems))
    return entries
