#!/usr/bin/env sh
# Celery beat: the schedule lives in the database (django-celery-beat). Run exactly one.
set -eu
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-learning.settings.production}"
cd "$(dirname "$0")/.."
exec celery -A learning beat --loglevel="${CELERY_LOG_LEVEL:-INFO}" --scheduler django_celery_beat.schedulers:DatabaseScheduler
