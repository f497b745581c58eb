#!/usr/bin/env sh
# A Celery worker for the queues named in CELERY_QUEUES (comma-separated; all of them by default):
#   interactive  what a person waits for: one-time codes, activation messages, reminders, the health ping
#   stats        statistics refreshes      reports  report files      imports  roster imports, assignments
#   xapi         learning records (xAPI statements) sent to the Learning Record Stores
# One worker per group keeps a long report or import from delaying a code: deploy/compose.yaml runs
# CELERY_QUEUES=interactive and CELERY_QUEUES=stats,reports,imports,xapi.
#
# Supervised: the worker reconnects to the broker by itself, but if it exits anyway it is started again
# after a back-off (1, 2, 4 … 60 s; back to 1 s after a minute of running). SIGTERM / SIGINT are passed on
# and end the loop. CELERY_SUPERVISE=0 execs the worker instead (systemd's Restart= or the container's
# restart policy then does the supervising).
set -eu
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-learning.settings.production}"
cd "$(dirname "$0")/.."
queues="${CELERY_QUEUES:-interactive,stats,reports,imports,xapi}"
name="${CELERY_WORKER_NAME:-$(printf '%s' "$queues" | tr ',' '-')}"
# Arguments given to this script are passed on to the worker (e.g. --max-tasks-per-child=100).
set -- celery -A learning worker --loglevel="${CELERY_LOG_LEVEL:-INFO}" --concurrency="${CELERY_CONCURRENCY:-2}" \
  --queues="$queues" --hostname="$name@%h" "$@"
if [ "${CELERY_SUPERVISE:-1}" != "1" ]; then
  exec "$@"
fi

child=""
stopping=""
trap 'stopping=1; [ -z "$child" ] || kill -TERM "$child" 2>/dev/null || true' TERM INT
delay=1
while :; do
  started=$(date +%s)
  "$@" &
  child=$!
  status=0
  wait "$child" || status=$?
  while kill -0 "$child" 2>/dev/null; do  # a signal interrupted wait: let the worker finish its shutdown
    wait "$child" || status=$?
  done
  [ -z "$stopping" ] || exit 0
  ran=$(($(date +%s) - started))
  [ "$ran" -lt 60 ] || delay=1
  echo "start-worker: the worker ($queues) exited with status $status after ${ran} s; starting it again in ${delay} s" >&2
  sleep "$delay" &
  child=$!
  wait "$child" || true
  [ -z "$stopping" ] || exit 0
  delay=$((delay * 2))
  [ "$delay" -le 60 ] || delay=60
done
