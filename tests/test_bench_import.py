"""scripts/bench_import.py keeps working (R-18.1): a small workbook of units is checked,
imported and imported again on this run's kind of database (no timing is asserted)."""
from __future__ import annotations

from bench import database, imports


def test_import_benchmark_runs_and_the_second_import_changes_nothing(app, tmp_path,
                                                                      monkeypatch):
    """R-18.1: the benchmark's units all import, and all are unchanged the second time."""
    monkeypatch.setattr(database, "WORKDIR", tmp_path)
    # a file of its own (the benchmark rebuilds its database; the suite's stays as it is)
    target = f"sqlite:///{tmp_path / 'import.db'}"
    figure = imports.run(target, 40, progress=lambda *_: None)
    assert figure.created == 40 and figure.unchanged_again == 40
    assert "40 units" in imports.line(figure)
