# Weibao — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test fuzz lint messages e2e-deps bench clean

$(VENV)/.base: requirements/base.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements/base.txt
	touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.txt
	$(PIP) install -q -r requirements/dev.txt
	touch $@

## Set up, migrate the SQLite database under var/, seed the demo county, run web + worker + scheduler.
demo: $(VENV)/.base
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py run_demo --host $(HOST) --port $(PORT)

## Install the test dependencies and run the whole suite (set DATABASE_URL for PostgreSQL).
test: $(VENV)/.dev e2e-deps
	$(VENV)/bin/pytest -p no:cacheprovider -n auto

## The API fuzzed against a live server with two roles' tokens (also a step of .ci/run).
fuzz: $(VENV)/.dev
	scripts/fuzz_live.sh

## Debian packages the tests need: Chromium and CJK fonts for the browser tests (Playwright drives
## /usr/bin/chromium), GNU gettext for the translation check.
e2e-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v xgettext >/dev/null || \
	    ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium fonts-noto-cjk gettext >/dev/null; \
	  else echo "install chromium, fonts-noto-cjk and gettext (as root) for the tests"; exit 1; fi; \
	fi

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy weibao bench
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

## Rebuild the compiled translations after editing locale/*/LC_MESSAGES/django.po.
messages: $(VENV)/.base
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

bench: $(VENV)/.dev
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) var
