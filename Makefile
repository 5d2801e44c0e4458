# Two entry points (README): `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app app
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test bench install install-test translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes, so a second `make run` starts fast.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# The app (editable) plus the compiled Chinese catalogue (*.mo files are not in git).
install: $(VENV)/.installed translations

install-test: $(VENV)/.installed-test translations

translations: | $(BIN)/python
	$(BIN)/python scripts/i18n.py compile

# `flask serve` (app/bootstrap.py), one process: migrate, sync permissions only when they
# changed, seed the demo district on first run, create the admin (its login is printed),
# apply due roster changes; then the message dispatcher and the deadline sweep in the
# background and the server on http://$(HOST):$(PORT)/ with SQLite under instance/.
run: install
	mkdir -p "$${INSTANCE_DIR:-instance}"
	$(FLASK) serve --host $(HOST) --port $(PORT)

# The whole suite on SQLite, then on PostgreSQL (scripts/run-tests.sh).
test: install-test
	scripts/run-tests.sh

# City-scale benchmark (README "Benchmark"): builds 100,000 commissions into SQLite and the
# PostgreSQL at 127.0.0.1:5432 once, then prints page times; then the Excel import of
# 20,000 units (R-18.1); not part of `make test`.
bench: install-test
	$(BIN)/python scripts/bench_city.py $(BENCH_ARGS)
	$(BIN)/python scripts/bench_import.py $(BENCH_IMPORT_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
