"""Files of the instance created private (R-14.4): folders 0700, files 0600.

The SQLite database, the generated secret key and the folders of issued documents and
uploaded materials hold case data and secrets; the process umask (often 022) would leave
them readable by every local account. Only what is created here is set: an existing file
or folder keeps the mode its operator gave it.
"""
from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path | str) -> Path:
    """``path`` as a folder; every folder this creates on the way is 0700."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:  # created meanwhile by another worker
            continue
        os.chmod(folder, PRIVATE_DIR)  # mkdir's mode passes through the umask
    return path


def private_file(path: Path | str) -> Path:
    """Create ``path`` empty with mode 0600 if it does not exist yet (its folder 0700)."""
    write_private(path, "")
    return Path(path)


def write_private(path: Path | str, text: str) -> bool:
    """Write ``text`` to a new file ``path`` created 0600 (never readable by others, not
    even for a moment); False when the file exists already (nothing written)."""
    path = Path(path)
    private_dir(path.parent)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return False
    os.fchmod(descriptor, PRIVATE_FILE)  # os.open's mode passes through the umask
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    return True


def prepare(config) -> None:
    """Create the SQLite file (0600) and the documents and materials folders (0700) of an
    app's ``config`` before anything else would create them with the umask's modes."""
    url = sa.make_url(config["SQLALCHEMY_DATABASE_URI"])
    database = url.database
    if url.get_backend_name() == "sqlite" and database and database != ":memory:" \
            and not database.startswith("file:"):
        private_file(Path(database).expanduser())
    for key in ("DOCUMENTS_DIR", "MATERIALS_DIR"):
        if config.get(key):
            private_dir(config[key])
