#!/usr/bin/env sh
# A Celery worker: imports, reminders, statistics and report snapshots.
set -eu
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-learning.settings.production}"
cd "$(dirname "$0")/.."
exec celery -A learning worker --loglevel="${CELERY_LOG_LEVEL:-INFO}" --concurrency="${CELERY_CONCURRENCY:-2}"
