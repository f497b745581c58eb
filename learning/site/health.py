"""Liveness of the database and the broker, for /healthz."""

from django.conf import settings
from django.db import connection


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return f"error: {exc.__class__.__name__}"
    return "ok"


def broker_state() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def worker_roundtrip(timeout: float = 10.0) -> str:
    """Send the ping task and wait for a worker to answer (needs a result backend)."""
    from learning.site.tasks import ping

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    if not settings.CELERY_RESULT_BACKEND:
        return "no result backend"
    try:
        result = ping.delay()
        return "ok" if result.get(timeout=timeout) == "pong" else "error: wrong answer"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
