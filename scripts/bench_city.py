#!/usr/bin/env python3
"""City-scale benchmark (`make bench`): a script that prints figures, not a timed test.

    .venv/bin/python scripts/bench_city.py [--scale 100000] [--db sqlite --db postgresql]
                                           [--runs 40] [--clients 20] [--seconds 30]
                                           [--growth 10000] [--fresh]

For each database (a SQLite file under instance/bench/, and the PostgreSQL database
xb_bench_<scale> on BENCH_POSTGRES, default postgresql+psycopg://postgres@127.0.0.1:5432):
1. builds it once (migrations, permissions, the demo district, then ``scale`` commissions,
   4 items and 10 work-log entries each, one project each, a unit per 5 commissions;
   scripts/bench/dataset.py) and reuses it on later runs (``--fresh`` rebuilds);
2. times each page in-process (scripts/bench/pages.py): median, p95, SQL statements;
3. times the floor, a minimal Flask + SQLAlchemy handler of the same 20 rows
   (scripts/bench/floor.py);
4. runs gunicorn with ``--workers`` (default gunicorn.conf.py's) and ``--clients``
   concurrent clients on 127.0.0.1 for ``--seconds``, on a mix of pages, then on the
   commission list's first page alone and on a case page alone, then the floor under the
   same load, each printed as a share of the floor's throughput (scripts/bench/load.py);
5. builds a data set of ``--growth`` commissions too and times the list and case pages on
   both sizes alternately, to show what grows with the rows (scripts/bench/growth.py).
The figures are printed as Markdown tables (the README quotes them) and kept as JSON in
instance/bench/results-<scale>.json.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import sys
import time

from bench import database, floor, growth, load, pages

LIST_PAGE = "/commissionview/list/"


def _say(*parts: object) -> None:
    print(*parts, flush=True)


def _table(figures: list[pages.Figure], bare: pages.Figure) -> list[str]:
    """The figures, each page's median also as a ratio to the floor's (``bare``)."""
    lines = ["| page | median ms | × floor | p95 ms | SQL statements | runs | bytes |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {f.name} | {f.median_ms:.1f} | {ratio(f, bare)} | {f.p95_ms:.1f} "
              f"| {f.statements} | {f.runs} | {f.size:,} |" for f in figures]
    return lines


def ratio(figure: pages.Figure, bare: pages.Figure) -> str:
    """``figure``'s median as a multiple of the floor's ("12.3×")."""
    return f"{figure.median_ms / bare.median_ms:.1f}×" if bare.median_ms > 0 else "—"


def _load_line(result: load.LoadResult, bare: load.LoadResult | None) -> str:
    return (f"{result.name}: gunicorn {result.workers} workers, {result.clients} clients, "
            f"{result.seconds:.0f} s: {result.requests:,} requests, "
            f"{result.throughput:.1f} req/s ({load_ratio(result, bare)}), "
            f"median {result.median_ms:.0f} ms, "
            f"p95 {result.p95_ms:.0f} ms, errors {result.errors}; largest worker "
            f"{result.worker_rss_mb:.0f} MiB resident, {result.worker_private_mb:.0f} MiB "
            f"its own, {result.worker_pss_mb:.0f} MiB PSS"
            + (f" (first: {result.first_error})" if result.first_error else ""))


def load_ratio(result: load.LoadResult, bare: load.LoadResult | None) -> str:
    """``result``'s throughput as a share of the floor's under the same load ("0.42×
    floor")."""
    if bare is None or bare.throughput <= 0:
        return "— × floor"
    return f"{result.throughput / bare.throughput:.2f}× floor"


def bench(kind: str, url: str, args: argparse.Namespace) -> dict:
    _say(f"\n## {kind}")
    started = time.perf_counter()
    database.prepare(url, args.scale, fresh=args.fresh, progress=_say)
    _say(f"  ready in {time.perf_counter() - started:.0f} s")
    figures = list(pages.run(url, runs=args.runs, export_runs=args.export_runs,
                             pdf_runs=args.pdf_runs, progress=_say))
    bare = floor.run(url, args.runs)
    figures.append(bare)
    # the mix of pages, then the list's first page alone and a case page alone (the goals'
    # "under load"), then the floor under the same load
    loads = [load.run(url, clients=args.clients, seconds=args.seconds, workers=args.workers,
                      only=only) for only in (None, LIST_PAGE, load.case_page(url))] \
        if args.clients else []
    bare_load = load.run_floor(url, clients=args.clients, seconds=args.seconds,
                               workers=args.workers) if args.clients else None
    grown = _growth(kind, url, args) if args.growth and args.growth < args.scale else []
    _say(f"\n### {kind}, {args.scale:,} commissions\n")
    for line in _table(figures, bare):
        _say(line)
    for result in [*loads, *([bare_load] if bare_load else [])]:
        _say("\n" + _load_line(result, bare_load))
    if grown:
        _say(f"\nthe same pages, requested alternately ({args.runs} runs each), median ms:\n")
        _say(f"| page | {args.growth:,} commissions | {args.scale:,} commissions |")
        _say("|---|---:|---:|")
        for row in grown:
            _say(f"| {row.name} | {row.small_ms:.1f} | {row.large_ms:.1f} |")
    return {"figures": [dataclasses.asdict(f) for f in figures],
            "load": [dataclasses.asdict(result) for result in loads],
            "floor_load": dataclasses.asdict(bare_load) if bare_load else None,
            "growth": [dataclasses.asdict(g) for g in grown]}


def _growth(kind: str, url: str, args: argparse.Namespace) -> list[growth.Growth]:
    small = database.urls([kind], args.growth)[kind]
    database.prepare(small, args.growth, fresh=args.fresh, progress=_say)
    _say(f"    {args.growth:,} against {args.scale:,} commissions, alternately ...")
    return growth.run(small, url, args.runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--scale", type=int, default=100_000, help="commissions")
    parser.add_argument("--db", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--runs", type=int, default=40, help="timed requests per page")
    parser.add_argument("--export-runs", type=int, default=5)
    parser.add_argument("--pdf-runs", type=int, default=10)
    parser.add_argument("--clients", type=int, default=20, help="0: no concurrent run")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=load.default_workers())
    parser.add_argument("--growth", type=int, default=10_000,
                        help="also build this smaller data set and time the list and case "
                             "pages on both, alternately (0: no)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the databases")
    args = parser.parse_args()
    kinds = args.db or ["sqlite", "postgresql"]
    _say(f"# City-scale benchmark: {args.scale:,} commissions; Python "
         f"{platform.python_version()}, {platform.machine()}, "
         f"{__import__('os').cpu_count()} cores")
    results = {}
    for kind, url in database.urls(kinds, args.scale).items():
        reason = database.reachable(url)
        if reason:
            _say(f"\n## {kind}: skipped, server not reachable ({reason})")
            continue
        results[kind] = bench(kind, url, args)
    out = database.WORKDIR / f"results-{args.scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"scale": args.scale, "results": results}, indent=2,
                              ensure_ascii=False, default=str))
    _say(f"\nresults kept in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
