"""Benchmark helpers: bulk, deterministic data sets for measuring the app at city scale."""
