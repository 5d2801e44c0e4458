#!/usr/bin/env python3
"""Render time of each document, cold and warm (R-15 benchmark; a script, not a timed test).

    .venv/bin/python scripts/bench_documents.py [--runs 20] [--fallback]

Builds the demo district in a throw-away SQLite database, picks one record of each kind,
then for each document runs a fresh Python process that renders it once (cold: includes
importing xhtml2pdf and reading the font) and ``--runs`` times more (warm: the median).
Only the HTML and PDF rendering is timed (the record's data is loaded before), not the
archive's file write. ``--fallback`` renders with STSong-Light instead of the TrueType font.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _app(db_url: str, documents: str):
    from app import create_app
    from app.config import Config

    return create_app(Config(), {"SQLALCHEMY_DATABASE_URI": db_url, "DOCUMENTS_DIR": documents,
                                 "LOG_LEVEL": "WARNING"})


def _samples(session) -> dict[str, tuple[int, int | None]]:
    """kind → (commission id, record id) of the first record of each kind in the demo."""
    import sqlalchemy as sa

    from app.documents import content
    from app.models import Commission

    found: dict[str, tuple[int, int | None]] = {}
    for commission in session.scalars(sa.select(Commission).order_by(Commission.id)):
        for kind, record in content.records(session, commission):
            found.setdefault(kind.value, (commission.id, record.id if record else None))
        if len(found) == len(content.SPECS):
            break
    return found


def prepare(workdir: Path) -> tuple[str, dict]:
    """Migrate and seed a demo database under ``workdir``; return its URL and the samples."""
    from flask_migrate import upgrade

    from app.extensions import db
    from app.seed import seed_demo, seed_reference

    url = f"sqlite:///{workdir / 'bench.db'}"
    app = _app(url, str(workdir / "documents"))
    with app.app_context():
        upgrade(revision="heads")
        seed_reference(db.session)
        seed_demo(db.session)
        db.session.commit()
        return url, _samples(db.session)


def measure(db_url: str, kind: str, commission_id: int, record_id: int | None, runs: int,
            fallback: bool) -> dict:
    """In this (fresh) process: one cold render, then ``runs`` warm ones."""
    from app.documents import content, fonts, render
    from app.extensions import db
    from app.models import Commission, DocumentKind

    app = _app(db_url, tempfile.mkdtemp())
    with app.app_context():
        if fallback:
            fonts.SYSTEM_FONTS = ()
            app.config["PDF_FONT_PATH"] = None
        doc_kind = DocumentKind(kind)
        commission = db.session.get(Commission, commission_id)
        record = content.record_of(db.session, doc_kind, commission, record_id)
        data = content.context(doc_kind, commission, record)
        template = content.SPECS[doc_kind].template
        font = fonts.find_font()
        assert "xhtml2pdf" not in sys.modules
        start, cpu = time.perf_counter(), time.process_time()
        pdf = render.render_pdf(template, data, font)
        cold, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
        warm, warm_cpu = [], []
        for _run in range(runs):
            start, cpu = time.perf_counter(), time.process_time()
            render.render_pdf(template, data, font)
            warm.append(time.perf_counter() - start)
            warm_cpu.append(time.process_time() - cpu)
    import io

    from pypdf import PdfReader

    return {"kind": kind, "cold_ms": cold * 1000, "cold_cpu_ms": cold_cpu * 1000,
            "warm_ms": statistics.median(warm) * 1000,
            "warm_cpu_ms": statistics.median(warm_cpu) * 1000,
            "pages": len(PdfReader(io.BytesIO(pdf)).pages), "bytes": len(pdf), "font": font.name}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="warm renders per document")
    parser.add_argument("--fallback", action="store_true",
                        help="render with STSong-Light (as where no TrueType font exists)")
    parser.add_argument("--measure", nargs=4, metavar=("DB", "KIND", "COMMISSION", "RECORD"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        db_url, kind, commission_id, record_id = args.measure
        result = measure(db_url, kind, int(commission_id),
                         None if record_id == "-" else int(record_id), args.runs, args.fallback)
        print(json.dumps(result, ensure_ascii=False))
        return

    with tempfile.TemporaryDirectory() as tmp:
        print("preparing the demo database …", file=sys.stderr)
        db_url, samples = prepare(Path(tmp))
        rows = []
        for kind, (commission_id, record_id) in samples.items():
            command = [sys.executable, __file__, "--runs", str(args.runs),
                       "--measure", db_url, kind, str(commission_id),
                       "-" if record_id is None else str(record_id)]
            if args.fallback:
                command.append("--fallback")
            out = subprocess.run(command, check=True, capture_output=True, text=True,
                                 cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"})
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'document':<18} {'pages':>5} {'KiB':>4}   {'cold ms (CPU)':>14}   "
          f"{'warm ms (CPU)':>14}  font")
    for row in rows:
        print(f"{row['kind']:<18} {row['pages']:>5} {row['bytes'] / 1024:>4.0f}   "
              f"{row['cold_ms']:>7.0f} ({row['cold_cpu_ms']:>4.0f})   "
              f"{row['warm_ms']:>7.0f} ({row['warm_cpu_ms']:>4.0f})  {row['font']}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"(cold: first render in a fresh process, including importing xhtml2pdf and reading "
          f"the font; warm: median of {args.runs}; wall clock, CPU time in brackets; "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {load:.1f})")


if __name__ == "__main__":
    main()
