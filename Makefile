# GoodSkin developer commands. `make run` and `make test` each do all their own set-up.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help setup setup-test run serve test test-browser lint format check bench mutants messages clean

VENV      := .venv
PY        := $(VENV)/bin/python
UV        := .tools/bin/uv
UV_VERSION := 0.13.8
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_NO_PROGRESS := 1

help:  ## List the commands.
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(UV):
	@python=$$(scripts/find-python) || exit 1; \
	echo "setup: bootstrapping uv $(UV_VERSION) with $$python"; \
	"$$python" -m venv .tools && .tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

setup: $(UV)  ## Create .venv (Python >= 3.12) and install the locked dependencies.
	@python=$$(scripts/find-python) || exit 1; \
	$(UV) sync --frozen --inexact --quiet --python "$$python"

setup-test: $(UV) node_modules/.package-lock.json
	@python=$$(scripts/find-python) || exit 1; \
	$(UV) sync --frozen --group dev --quiet --python "$$python"
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools --ignore=node_modules -v 0

# Test tools from npm (axe-core, the IAB GPP reference library), reinstalled when the lock changes.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "setup: npm not found; the axe and GPP reference checks will be skipped"; fi

run: setup  ## Set up, migrate, load demo data, start web + worker + SMTP sink on http://127.0.0.1:8000.
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools --ignore=node_modules -v 0
	@$(PY) scripts/run.py

serve: setup  ## The production configuration here: granian, WEB_WORKERS=2, TASK_WORKERS=1 (PostgreSQL if DATABASE_URL is set).
	@$(PY) scripts/serve.py

test: setup-test  ## Set up with test dependencies and run the whole suite (browser tests too).
	@$(PY) -m pytest $(PYTEST_ARGS)

test-browser: setup-test  ## Only the browser tests (Playwright + Chromium).
	@$(PY) -m pytest -m browser

lint: setup-test  ## ruff, mypy, the import contract, migrations and the house rules.
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache
	GOODSKIN_VAR_DIR=$$(mktemp -d) $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_deploy.py
	$(PY) scripts/check_rules.py
	$(PY) scripts/check_translations.py

format: setup-test  ## Format and autofix.
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: lint test  ## Everything CI checks, on SQLite.

mutants: setup-test  ## Break the code on purpose, once per promise: each policy check must catch it.
	@$(PY) scripts/mutants.py

bench: setup-test  ## The performance suite: one `name: ratio` line per benchmark.
	@$(PY) bench/run.py
	@$(PY) bench/server_bench.py
	@$(PY) bench/load_bench.py

messages: setup-test  ## Update the Spanish catalogue from the code (then translate what is new).
	$(PY) manage.py makemessages -l es --no-location --ignore=.venv --ignore=.tools --ignore=node_modules --ignore=var

clean:  ## Remove the virtualenvs, local database and caches.
	rm -rf $(VENV) .tools node_modules .pytest_cache .mypy_cache .ruff_cache var/
