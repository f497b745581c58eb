# Two commands for a newcomer: `make run` (the site on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test e2e lint format check-deploy messages lock setup clean help

help:
	@echo "make run    - install, migrate, load units and demo data, serve http://$(HOST):$(PORT)"
	@echo "make test   - the whole test suite (SQLite unless DATABASE_URL is set)"
	@echo "make e2e    - only the browser tests (needs Debian's chromium)"
	@echo "make lint   - ruff"

$(VENV)/bin/activate:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements/base.txt
	@touch $@

$(VENV)/.dev-installed: requirements/dev.txt requirements/base.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements/dev.txt
	@touch $(VENV)/.base-installed $@

setup: $(VENV)/.base-installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_localities
	$(PY) manage.py seed_demo

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev-installed
	$(PY) -m pytest

e2e: $(VENV)/.dev-installed
	$(PY) -m pytest -m e2e tests/e2e

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-deploy: $(VENV)/.base-installed
	DJANGO_SETTINGS_MODULE=learning.settings.production \
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	DJANGO_ALLOWED_HOSTS=example.org \
	$(PY) manage.py check --deploy --fail-level WARNING

# Needs GNU gettext (Debian: gettext). The compiled .mo files are committed so `make run` needs no gettext.
messages: $(VENV)/.dev-installed
	$(PY) manage.py makemessages -l vi -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=media --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

lock:
	rm -rf /tmp/bdhvs-lock && $(PYTHON) -m venv /tmp/bdhvs-lock
	/tmp/bdhvs-lock/bin/pip install --quiet . && /tmp/bdhvs-lock/bin/pip uninstall -y --quiet binh-dan-hoc-vu-so
	/tmp/bdhvs-lock/bin/pip freeze > requirements/base.txt

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
