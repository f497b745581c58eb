"""The real stack: a Celery worker process on the real broker runs what the site sends."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="needs CELERY_BROKER_URL (Redis), as in CI"),
    pytest.mark.stack,
]
ROOT = Path(__file__).resolve().parent.parent


def test_a_task_sent_through_the_broker_is_run_by_a_worker_process():
    from learning.core.tasks import ping

    queue = f"test-{uuid.uuid4().hex[:8]}"  # a queue of its own: no other worker takes the task
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "learning", "worker", "--pool=solo", "-Q", queue, "--loglevel=WARNING"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "learning.settings.test"},
    )
    try:
        assert ping.apply_async(queue=queue).get(timeout=60) == "pong"
    finally:
        worker.terminate()
        worker.wait(timeout=30)


@pytest.mark.django_db
def test_healthz_sees_the_broker(client):
    assert client.get("/healthz").json()["broker"] == "ok"


def test_cache_is_redis():
    from django.core.cache import cache

    assert "Redis" in settings.CACHES["default"]["BACKEND"]
    cache.set("stack-test", "ok", 10)
    assert cache.get("stack-test") == "ok"
