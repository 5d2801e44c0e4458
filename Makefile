# Two entry points (README): `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app app

.PHONY: run test install install-test translations migrate serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs the app (editable) and compiles the Chinese catalogue.
install: $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(MAKE) translations

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	$(MAKE) translations

translations:
	$(BIN)/pybabel compile -f -d translations -D messages

# Migrate, sync permissions, seed the demo district on first run, create the admin, serve.
run: install
	$(FLASK) db upgrade
	$(FLASK) sync-perms
	$(FLASK) seed --demo --if-empty
	$(FLASK) ensure-admin
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install-test
	CI=$${CI:-} scripts/run-tests.sh

clean:
	rm -rf $(VENV) instance .pytest_cache
