#!/usr/bin/env python3
"""Maintain the zh catalogue (app/translations/zh/LC_MESSAGES/messages.po).

  scripts/i18n.py extract          extract msgids from app/, merge into messages.po, compile
  scripts/i18n.py set FILE         set translations from FILE: lines "msgid<TAB>msgstr"
  scripts/i18n.py missing          list msgids whose msgstr is empty (exit 1 if any)
  scripts/i18n.py compile          compile messages.po to messages.mo

Every command takes a lock, so several people (or helpers) can run it at once.
"""
from __future__ import annotations

import fcntl
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "app" / "translations"
PO = TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.po"
POT = TRANSLATIONS / "messages.pot"
KEYWORDS = ["-k", "lazy_gettext", "-k", "_", "-k", "gettext", "-k", "ngettext:1,2",
            "-k", "lazy_ngettext:1,2"]


@contextmanager
def locked():
    lock = TRANSLATIONS / ".lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _pybabel(*args: str) -> None:
    exe = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(exe), *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def _read():
    with open(PO, "rb") as fh:
        return read_po(fh, locale="zh")


def _write(catalog) -> None:
    with open(PO, "wb") as fh:
        write_po(fh, catalog, width=100, sort_output=True, omit_header=False,
                 include_lineno=False)
    _compile(catalog)


def _compile(catalog=None) -> None:
    catalog = catalog or _read()
    with open(PO.with_suffix(".mo"), "wb") as fh:
        write_mo(fh, catalog, use_fuzzy=False)


def compile_if_stale() -> bool:
    """Compile when the .mo is missing or older than the .po (tests/conftest.py: a bare
    `pytest` on a fresh checkout); True if it compiled."""
    mo = PO.with_suffix(".mo")
    with locked():
        if mo.exists() and mo.stat().st_mtime >= PO.stat().st_mtime:
            return False
        _compile()
        return True


def extract() -> None:
    """Merge the code's msgids into messages.po. The header's creation date is kept, so two
    branches that each extract do not conflict on that line."""
    with locked():
        created = _read().creation_date if PO.exists() else None
        _pybabel("extract", "-F", "babel.cfg", *KEYWORDS, "--sort-output", "--no-location",
                 "--omit-header", "-o", str(POT), "app")
        if PO.exists():
            _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", "zh",
                     "--no-fuzzy-matching", "--ignore-obsolete", "--omit-header")
        else:
            _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", "zh")
        POT.unlink()
        catalog = _read()
        if created is not None:
            catalog.creation_date = created
        _write(catalog)


def set_from(path: str) -> None:
    pairs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and "\t" in line:
            msgid, msgstr = line.split("\t", 1)
            pairs.append((msgid, msgstr.strip()))
    with locked():
        catalog = _read()
        unknown = []
        for msgid, msgstr in pairs:
            message = catalog.get(msgid)
            if message is None:
                unknown.append(msgid)
                continue
            message.string = msgstr
            message.flags.discard("fuzzy")
        _write(catalog)
    for msgid in unknown:
        print(f"not in catalogue (run extract first?): {msgid}", file=sys.stderr)


def missing() -> int:
    empty = [m.id for m in _read() if m.id and not m.string]
    for msgid in empty:
        print(msgid)
    return 1 if empty else 0


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command = argv[0]
    if command == "extract":
        extract()
    elif command == "set" and len(argv) == 2:
        set_from(argv[1])
    elif command == "missing":
        return missing()
    elif command == "compile":
        _compile()
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
