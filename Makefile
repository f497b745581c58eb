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
	@echo "make fuzz   - schemathesis against the API on PostgreSQL (FUZZ_DATABASE_URL)"
	@echo "make lint   - ruff and the import contracts (.importlinter)"

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

# The suite under coverage; the report fails below COVERAGE_MIN percent of learning/ and courses/.
COVERAGE_MIN ?= 90
test: $(VENV)/.dev-installed lrs
	$(PY) -m coverage run -m pytest
	$(PY) -m coverage report --fail-under=$(COVERAGE_MIN)

# ralph, the Learning Record Store tests/xapi and bench-xapi send statements to, in its own virtualenv (its
# fastapi and pydantic stay out of the site's). If it cannot be installed, tests/xapi skip (CI: LRS_REQUIRED=1
# fails them instead).
LRS_VENV := .venv-lrs
.PHONY: lrs
lrs:
	@[ -f $(LRS_VENV)/.installed ] && [ $(LRS_VENV)/.installed -nt requirements/lrs.txt ] || { \
	  $(PYTHON) -m venv $(LRS_VENV) && $(LRS_VENV)/bin/pip install --quiet -r requirements/lrs.txt && \
	  touch $(LRS_VENV)/.installed; } || echo "ralph (requirements/lrs.txt) could not be installed: tests/xapi will skip" >&2

e2e: $(VENV)/.dev-installed
	$(PY) -m pytest -m e2e tests/e2e

# schemathesis against /api/v1 on PostgreSQL (fresh database FUZZ_DATABASE_URL, default bdhvs_fuzz on the local
# server; gunicorn on a spare port), anonymous and as a demo learner; fails on a 5xx or a schema mismatch.
.PHONY: fuzz
fuzz: $(VENV)/.dev-installed
	.ci/fuzz

# ruff, then the import contracts of .importlinter (layers; content is a leaf).
lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

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

# Load benchmark, not part of `make test`: 1,000 learners start one timed quiz within 10 s on PostgreSQL,
# then answer and submit (bench/quiz.py; figures in docs/benchmarks.md). Drops and recreates
# the database bdhvs_bench. Override e.g. `make bench-quiz BENCH_ARGS="--learners 200"`.
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/1
BENCH_BROKER_URL ?= redis://127.0.0.1:6379/0
BENCH_WORKERS ?= 4
BENCH_THREADS ?= 4
BENCH_ARGS ?=
.PHONY: bench-quiz
bench-quiz: $(VENV)/.dev-installed
	BENCH_PG_URL=$(BENCH_PG_URL) REDIS_URL=$(BENCH_REDIS_URL) CELERY_BROKER_URL=$(BENCH_BROKER_URL) \
	$(PY) -m bench.quiz --workers $(BENCH_WORKERS) --threads $(BENCH_THREADS) $(BENCH_ARGS)

# Roster import benchmark: 100,000-row .xlsx previewed and imported on PostgreSQL (database bdhvs_bench_roster,
# created and dropped by the script; the statistics refresh once after the import unless
# BENCH_ARGS="--stats-refresh inline"; the activation SMS of the first batch after it, --sms-batches).
# Figures in docs/benchmarks.md.
.PHONY: bench-roster
bench-roster: $(VENV)/.dev-installed
	BENCH_PG_URL=$(BENCH_PG_URL) $(PY) -m bench.roster --rows 100000 --runs 3 $(BENCH_ARGS)

# Statistics at the scale of a province: generate_province (1,000,000 learners by default) into the database
# bdhvs_bench_stats (kept and reused between runs; --regenerate rebuilds it), fill_stats, the dashboard and
# API server times (the cache in Redis, as in production), the first request of a fresh process, and the
# provincial report. Every bench prints its figures also as ratios to a reference measured in the same run
# (bench/harness.py). Figures in docs/benchmarks.md.
STATS_LEARNERS ?= 1000000
.PHONY: bench-stats
bench-stats: $(VENV)/.dev-installed
	BENCH_PG_URL=$(BENCH_PG_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL) \
	$(PY) -m bench.stats --learners $(STATS_LEARNERS) $(BENCH_ARGS)

# A campaign evening at once (bench/load.py, Locust headless, 127.0.0.1 only): readers, cadres, one commune's
# exam session and organisers against gunicorn (production settings) and the two Celery workers of
# deploy/compose.yaml, while a roster import and a report run; its own Redis on a free port, the database
# bdhvs_bench_load (recreated and dropped). Bounded: 180 s or 40,000 requests. Figures in docs/benchmarks.md.
# Override e.g. `make bench-load BENCH_ARGS="--users 150 --run-time 60"`.
.PHONY: bench-load
bench-load: $(VENV)/.dev-installed
	BENCH_PG_URL=$(BENCH_PG_URL) $(PY) -m bench.load $(BENCH_ARGS)

# A learner's everyday paths against bare Django (bench/paths.py): the lesson page, my progress, course detail
# and the quiz start, CPU per request in one process (production settings) as a multiple of a DRF view with
# token auth and one query, SQL queries per request, then requests/s under gunicorn at c=10 and c=50 and the
# memory of each worker. Database bdhvs_bench_paths (recreated and dropped), its own Redis on a free port.
# Figures in docs/benchmarks.md. Override e.g. `make bench-paths BENCH_ARGS="--no-gunicorn --rounds 9"`.
.PHONY: bench-paths
bench-paths: $(VENV)/.dev-installed
	BENCH_PG_URL=$(BENCH_PG_URL) $(PY) -m bench.paths $(BENCH_ARGS)

# xAPI delivery benchmark (bench/xapi.py): 100,000 statements queued in the outbox and sent to ralph's LRS
# (make lrs; file-system backend, a spare 127.0.0.1 port) on PostgreSQL (database bdhvs_bench_xapi, created and
# dropped), and the lesson-completion request with and without an enabled LRS. Figures in docs/benchmarks.md.
# Override e.g. `make bench-xapi BENCH_ARGS="--statements 20000 --batch 1000"`.
.PHONY: bench-xapi
bench-xapi: $(VENV)/.dev-installed lrs
	BENCH_PG_URL=$(BENCH_PG_URL) $(PY) -m bench.xapi $(BENCH_ARGS)
