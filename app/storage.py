"""Material files on disk (R-14.3): checked, stored outside the static folder, random names.

- ``check(stream, filename, max_bytes)``: the extension must be on the allow-list AND the
  content must start with that type's signature (a PDF with %PDF-, an OOXML/OFD file must be
  a ZIP holding its main part, ...); the size is measured on the bytes, not the header.
- ``store(stream)``: written under a random name in MATERIALS_DIR (default
  <INSTANCE_DIR>/materials, never under app/static), atomically, with its SHA-256.
- ``path_of(name)``: only names this module made are accepted, so no stored name from the
  database can walk out of the directory.
- ``safe_name(filename)``: the original name without any path part, for display and for
  the download's Content-Disposition.
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

from flask import current_app
from flask_babel import lazy_gettext as _

from app.domain.errors import DomainError
from app.instance import private_dir

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
CHUNK = 64 * 1024
NAME_PATTERN = re.compile(r"^[0-9a-f]{32}$")
MAX_NAME_LENGTH = 200

PDF = b"%PDF-"
JPEG = b"\xff\xd8\xff"
PNG = b"\x89PNG\r\n\x1a\n"
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileRejected(DomainError):
    """The upload is not a file the system accepts; nothing was stored."""


def _zip_with(member: str | None) -> Callable[[BinaryIO], bool]:
    """A ZIP container (and, for OOXML/OFD, one holding ``member``)."""

    def check(stream: BinaryIO) -> bool:
        if stream.read(len(ZIP)) != ZIP:
            return False
        if member is None:
            return True
        stream.seek(0)
        try:
            with zipfile.ZipFile(stream) as archive:  # reads the directory only, no inflating
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        return member in names

    return check


def _starts(signature: bytes) -> Callable[[BinaryIO], bool]:
    return lambda stream: stream.read(len(signature)) == signature


@dataclass(frozen=True)
class FileType:
    """One accepted type: its MIME type and its content check."""

    content_type: str
    matches: Callable[[BinaryIO], bool]


#: extension → accepted type (R-14.3: PDF, JPEG, PNG, OFD, DOC/DOCX, XLS/XLSX, ZIP)
TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", _starts(PDF)),
    "jpg": FileType("image/jpeg", _starts(JPEG)),
    "jpeg": FileType("image/jpeg", _starts(JPEG)),
    "png": FileType("image/png", _starts(PNG)),
    "ofd": FileType("application/ofd", _zip_with("OFD.xml")),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _zip_with("word/document.xml")),
    "xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     _zip_with("xl/workbook.xml")),
    "zip": FileType("application/zip", _zip_with(None)),
    "doc": FileType("application/msword", _starts(OLE)),
    "xls": FileType("application/vnd.ms-excel", _starts(OLE)),
}


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload: its safe name, extension, MIME type and size."""

    name: str
    extension: str
    content_type: str
    size: int


@dataclass(frozen=True)
class StoredFile:
    """A file written to the materials directory."""

    name: str
    size: int
    sha256: str


def max_bytes() -> int:
    """MATERIAL_MAX_BYTES (default 20 MB)."""
    return int(current_app.config.get("MATERIAL_MAX_BYTES", DEFAULT_MAX_BYTES))


def materials_dir() -> Path:
    """MATERIALS_DIR (default <INSTANCE_DIR>/materials), created on first use."""
    configured = current_app.config.get("MATERIALS_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "materials"
    return private_dir(path)  # 0700, and so is every folder created on the way


def safe_name(filename: str | None) -> str:
    """``filename`` without directories, control characters or leading dots."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]  # both separators: uploads come from any system
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".").strip()
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:MAX_NAME_LENGTH - len(ext) - 1] + dot + ext) if dot else \
            name[:MAX_NAME_LENGTH]
    return name


def check(stream: BinaryIO, filename: str | None, limit: int) -> CheckedFile:
    """Accept the upload or raise FileRejected (with the reason, in the user's language)."""
    name = safe_name(filename)
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    file_type = TYPES.get(extension)
    if not name or file_type is None:
        raise FileRejected(_(
            "This file type is not accepted. Accepted: %(types)s.",
            types=", ".join(sorted({e.upper() for e in TYPES}))))
    size = _size(stream)
    if size == 0:
        raise FileRejected(_("The file is empty."))
    if size > limit:
        raise FileRejected(_("The file is larger than %(limit)s MB.",
                             limit=f"{limit / 1024 / 1024:g}"))
    stream.seek(0)
    try:
        matches = file_type.matches(stream)
    finally:
        stream.seek(0)
    if not matches:
        raise FileRejected(_(
            "The content of the file is not a %(type)s file: it may be renamed or damaged.",
            type=extension.upper()))
    return CheckedFile(name=name, extension=extension, content_type=file_type.content_type,
                       size=size)


def _size(stream: BinaryIO) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def store(stream: BinaryIO, limit: int) -> StoredFile:
    """Write ``stream`` under a new random name; return the name, size and SHA-256.

    The bytes are counted again while written: a stream longer than ``limit`` is refused
    and nothing is left behind.
    """
    directory = materials_dir()
    name = secrets.token_hex(16)
    digest = hashlib.sha256()
    size = 0
    stream.seek(0)
    fd, temp = tempfile.mkstemp(dir=directory, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise FileRejected(_("The file is larger than %(limit)s MB.",
                                         limit=f"{limit / 1024 / 1024:g}"))
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, directory / name)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return StoredFile(name=name, size=size, sha256=digest.hexdigest())


def path_of(name: str) -> Path:
    """The path of the stored file ``name``; refuses anything this module did not make."""
    if not NAME_PATTERN.fullmatch(name or ""):
        raise FileNotFoundError(name)
    return materials_dir() / name


def remove(name: str) -> None:
    """Delete the stored file ``name`` if it exists (after its row was deleted)."""
    try:
        path_of(name).unlink(missing_ok=True)
    except FileNotFoundError:
        pass
