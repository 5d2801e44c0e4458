#!/usr/bin/env python3
"""Excel import benchmark (`make bench`, R-18.1): a script that prints figures, not a test.

    .venv/bin/python scripts/bench_import.py [--rows 20000] [--db sqlite --db postgresql]

For each database (a SQLite file under instance/bench/, the PostgreSQL database
xb_bench_import on BENCH_POSTGRES), rebuilt empty and migrated: a workbook of ``rows``
units is checked (dry run), imported, and imported again (nothing changes); one line each
(scripts/bench/imports.py). The bar the issue sets: 20,000 units in under a minute.
"""
from __future__ import annotations

import argparse
import sys

from bench import database, imports


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--rows", type=int, default=20_000, help="units in the workbook")
    parser.add_argument("--db", action="append", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    print("# Excel import benchmark", flush=True)
    for kind in args.db or ["sqlite", "postgresql"]:
        url = (f"sqlite:///{database.WORKDIR / 'import.db'}" if kind == "sqlite"
               else f"{database.POSTGRES_SERVER}/xb_bench_import")
        reason = database.reachable(url)
        if reason:
            print(f"{kind}: skipped, server not reachable ({reason})", flush=True)
            continue
        print(imports.line(imports.run(url, args.rows, kind)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
