#!/usr/bin/env sh
# The web process: migrate (when asked), then gunicorn with production settings.
set -eu
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-learning.settings.production}"
cd "$(dirname "$0")/.."
if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
  python manage.py migrate --noinput
  python manage.py load_localities
  python manage.py setup_site
fi
if [ "${COLLECT_STATIC:-1}" = "1" ]; then
  python manage.py collectstatic --noinput --verbosity 0
fi
exec gunicorn --config deploy/gunicorn.conf.py
