# meetlat: the two commands are `make demo` and `make test`.
#
# Works on a fresh clone on a machine with Python 3.11+, Node/npm and (for system packages)
# apt. Every install step lives here; nothing is expected to be installed by hand.
#
#   make demo    install, migrate, load the demo and serve it on http://127.0.0.1:8000
#   make test    lint, then the whole test suite on SQLite and on a throwaway PostgreSQL
#   make lint    ruff check, ruff format --check, mypy
#   make bench   run benchmarks/run.py
#
# CI=true turns every "missing, skipped" into a failure (Chromium, PostgreSQL, apt packages).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
# The steps install things (apt, pip, npm) and must not run at the same time.
.NOTPARALLEL:

VENV := .venv
BIN := $(VENV)/bin
VENV_STAMP := $(VENV)/.meetlat-installed
NPM_STAMP := node_modules/.meetlat-installed

# Debian packages: the runtime set (translations, WeasyPrint) and what the tests add.
APT_RUNTIME := gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libfontconfig1 \
	fonts-dejavu-core
APT_TEST := chromium postgresql

DEMO_ADDR := 127.0.0.1:8000

# pytest-xdist workers: one per core, at most 4; none on a single core. Measured on the
# 2-core reference machine (444 tests): SQLite 49 s serial vs 40 s with -n 2, PostgreSQL
# 60 s vs 52 s. PYTEST_WORKERS= (empty) runs serially; PYTEST_ARGS adds pytest options.
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); if [ "$$n" -gt 4 ]; then n=4; fi; \
	if [ "$$n" -gt 1 ]; then echo "$$n"; fi)
PYTEST_ARGS ?=
PYTEST := $(BIN)/pytest $(if $(PYTEST_WORKERS),-n $(PYTEST_WORKERS)) $(PYTEST_ARGS)

.PHONY: help venv npm deps-apt deps-apt-test messages demo test lint bench

help:
	@echo "make demo     install everything, load the demo, serve on http://$(DEMO_ADDR)"
	@echo "make test     lint + tests on SQLite + tests on a throwaway PostgreSQL"
	@echo "make lint     ruff check, ruff format --check, mypy"
	@echo "make bench    run benchmarks/run.py"
	@echo "helpers:      venv npm deps-apt deps-apt-test messages"

# --- installation -------------------------------------------------------------------------

venv: $(VENV_STAMP)

$(VENV_STAMP): pyproject.toml
	@if [ ! -x "$(BIN)/python" ]; then \
	  python=$$(command -v python3.11 || true); \
	  if [ -z "$$python" ] && command -v python3 >/dev/null \
	     && python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then \
	    python=$$(command -v python3); \
	  fi; \
	  if [ -z "$$python" ]; then \
	    echo "meetlat needs Python 3.11 or newer: install python3.11 (or a python3 >= 3.11)." >&2; \
	    exit 1; \
	  fi; \
	  echo "venv: creating $(VENV) with $$python"; \
	  "$$python" -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

npm: $(NPM_STAMP)

# package-lock.json is committed: `npm ci` installs exactly what it names. Without a lock
# file (first install after adding packages) `npm install` creates it; commit it.
$(NPM_STAMP): package.json $(wildcard package-lock.json)
	@if [ -f package-lock.json ]; then \
	  npm ci --no-audit --no-fund; \
	else \
	  npm install --no-audit --no-fund; \
	  echo "npm: created package-lock.json; commit it."; \
	fi
	@touch $@

deps-apt:
	@scripts/apt-deps.sh $(APT_RUNTIME)

deps-apt-test:
	@scripts/apt-deps.sh $(APT_RUNTIME) $(APT_TEST)

# compilemessages walks the whole tree below the current directory (it would compile the
# .po files inside .venv too), so it runs from the package directory.
messages: deps-apt venv
	@if [ -d src/meetlat/locale ]; then \
	  if ! command -v msgfmt >/dev/null; then \
	    echo "msgfmt (GNU gettext) is missing: run 'make deps-apt' as root or install gettext." >&2; \
	    exit 1; \
	  fi; \
	  cd src/meetlat && MEETLAT_DATA_DIR="$${MEETLAT_DATA_DIR:-$(CURDIR)/var}" \
	    "$(CURDIR)/$(BIN)/meetlat" compilemessages --verbosity 0; \
	fi

# --- the demo -----------------------------------------------------------------------------

demo: venv npm messages
	$(BIN)/meetlat migrate --noinput
	$(BIN)/meetlat demo-data
	@echo
	@echo "================================================================================"
	@echo "  meetlat demo: http://$(DEMO_ADDR)/"
	@echo "  Log in with one of the demo logins printed above (password above as well)."
	@echo "  Stop with Ctrl-C."
	@echo "================================================================================"
	@echo
	MEETLAT_SECURE_COOKIES=false $(BIN)/meetlat runserver $(DEMO_ADDR)

# --- checks -------------------------------------------------------------------------------

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src tests

# The suite runs twice: on SQLite, then on a throwaway PostgreSQL cluster
# (scripts/with-postgres.sh). Without PostgreSQL binaries the second run is skipped, loudly;
# with CI=true that is a failure. The Playwright browser tests (marker `browser`, ~3.5 min)
# run in the SQLite pass only: they test pages in Chromium, and every query behind those pages
# runs on PostgreSQL in the other tests; running them twice kept `make test` near 15 minutes.
test: deps-apt-test venv npm messages lint
	@data_dir=$$(mktemp -d "$${TMPDIR:-/tmp}/meetlat-test.XXXXXX"); \
	trap 'rm -rf "$$data_dir"' EXIT; \
	export MEETLAT_DATA_DIR="$$data_dir" MEETLAT_FAST_PASSWORD_HASHER=true \
	  MEETLAT_SECURE_COOKIES=false; \
	unset MEETLAT_DATABASE_URL; \
	start=$$SECONDS; \
	echo "== pytest on SQLite"; \
	$(PYTEST); \
	echo "== pytest on SQLite: $$((SECONDS - start)) s"; \
	if scripts/with-postgres.sh --check >/dev/null 2>&1; then \
	  start=$$SECONDS; \
	  echo "== pytest on PostgreSQL"; \
	  scripts/with-postgres.sh $(PYTEST) -m "not browser"; \
	  echo "== pytest on PostgreSQL: $$((SECONDS - start)) s"; \
	else \
	  case "$${CI:-}" in 1|true|TRUE|True|yes) \
	    echo "CI=true: no PostgreSQL binaries under /usr/lib/postgresql/*/bin; failing." >&2; \
	    exit 1;; \
	  esac; \
	  echo "================================================================================"; \
	  echo "  PostgreSQL run skipped: no PostgreSQL binaries under /usr/lib/postgresql/*/bin."; \
	  echo "  Install the Debian package postgresql (make test does so when run as root)."; \
	  echo "================================================================================"; \
	fi

bench: venv
	@if [ -f benchmarks/run.py ]; then \
	  $(BIN)/python benchmarks/run.py; \
	else \
	  echo "no benchmarks: benchmarks/run.py does not exist"; \
	fi
