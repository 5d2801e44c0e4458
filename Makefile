# Two entry points (README): `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app app
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test bench install install-test translations lock wheelhouse clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Every install takes the versions of requirements.lock (`make lock`), so the tests run on the
# versions a wheelhouse ships; the pins as constraints, without their hashes (the editable app
# and the test extras have none).
LOCK_PINS := $(VENV)/lock-pins.txt
$(LOCK_PINS): requirements.lock | $(BIN)/python
	sed -e '/--hash=/d' -e 's/ *\\$$//' requirements.lock > $@

# Stamp files: reinstall only when pyproject.toml or the lock changes, so a second `make run`
# starts fast.
$(VENV)/.installed: pyproject.toml $(LOCK_PINS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(LOCK_PINS) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK_PINS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(LOCK_PINS) -e '.[test]'
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

# requirements.lock: every package of the app and of its `redis` extra, pinned, with hashes
# (uv pip compile; needs the network). `make lock` keeps the versions installed in .venv (the
# tested ones) and gives a package new to pyproject.toml the newest release that fits;
# `make lock UPGRADE=1` takes the newest of everything. Then `make test` (it installs the new
# pins) and commit pyproject.toml and requirements.lock together.
LOCK_TESTED := $(VENV)/tested-versions.txt
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/python -m pip freeze --exclude-editable > $(LOCK_TESTED)
	$(BIN)/uv pip compile pyproject.toml --extra redis --universal --python-version 3.11 \
	  --generate-hashes $(if $(UPGRADE),--upgrade,--constraint $(LOCK_TESTED)) \
	  --custom-compile-command "make lock" --quiet --output-file requirements.lock

# An offline install (deploy/README.md, "Offline install"): dist/wheelhouse/ holds the app's
# wheel (templates, static files, migrations, the compiled catalogue inside), a wheel of every
# package of requirements.lock (downloaded hash-checked; a package published without a wheel is
# built here), the lock itself, gunicorn.conf.py and deploy/. Build it on a machine with the
# network that matches the servers (Linux, CPU architecture, Python minor version: the binary
# wheels are for the Python of .venv), copy the folder, install with `pip install --no-index`.
WHEELHOUSE ?= dist/wheelhouse
wheelhouse: | $(BIN)/python
	rm -rf $(WHEELHOUSE)
	mkdir -p $(WHEELHOUSE)
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir $(WHEELHOUSE) .
	$(BIN)/python -m pip wheel --quiet --require-hashes --no-deps --wheel-dir $(WHEELHOUSE) \
	  -r requirements.lock
	cp requirements.lock gunicorn.conf.py $(WHEELHOUSE)/
	cp -R deploy $(WHEELHOUSE)/deploy
	@ls $(WHEELHOUSE)/*.whl | wc -l | xargs printf '%s wheels in $(WHEELHOUSE)/\n'

clean:
	rm -rf $(VENV) instance .pytest_cache build dist
