# Kanalregistret. `make run` serves the demo on http://127.0.0.1:8000; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OIDC_PROVIDER := tests/oidc/node_modules/.package-lock.json
VNU := tests/vnu/node_modules/.package-lock.json
# A laptop runs with DEBUG on; production sets its own environment (see docs/deploy.md).
RUN_ENV := DEBUG=true

.PHONY: run test test-fast install messages compilemessages lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) compilemessages

compilemessages: $(STAMP)
	$(RUN_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=tests -v0

run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --no-input
	$(RUN_ENV) $(BIN)/python manage.py load_demo_data
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install $(OIDC_PROVIDER) $(VNU)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The edit-and-test loop: everything but the browser tests and tests/production (settings
# checks in subprocesses, the OpenID provider, the backup drill, every URL's cache headers).
test-fast: install
	$(BIN)/python -m pytest -m "not browser" --ignore=tests/production $(PYTEST_ARGS)

# The OpenID provider the single sign-on tests start (tests/oidc); skipped, with the reason, without npm.
$(OIDC_PROVIDER): tests/oidc/package-lock.json
	@if command -v npm >/dev/null 2>&1; then cd tests/oidc && npm ci --no-audit --no-fund --silent; \
	else echo "NOTICE: npm not found; the single sign-on tests will be skipped."; fi

# The Nu HTML checker the public pages' validity test runs (tests/vnu, on Java); skipped, with the reason, without npm.
$(VNU): tests/vnu/package-lock.json
	@if command -v npm >/dev/null 2>&1; then cd tests/vnu && npm ci --no-audit --no-fund --silent; \
	else echo "NOTICE: npm not found; the Nu HTML checker test will be skipped."; fi

# The benchmarks of docs/performance.md (PostgreSQL on 127.0.0.1:5432; about 20 minutes in all).
bench: install
	$(BIN)/python bench/public_list.py
	$(BIN)/python bench/moderation.py
	$(BIN)/python bench/export.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/verify.py
	$(BIN)/python bench/pages.py

messages: $(STAMP)
	$(RUN_ENV) $(BIN)/python manage.py makemessages -l sv -l en --ignore=.venv --ignore=staticfiles --ignore=tests/oidc --ignore=tests/vnu --no-obsolete
	$(MAKE) compilemessages

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
