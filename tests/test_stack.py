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
    from learning.site.tasks import ping

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


@pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="the worker needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_statistics_follow_a_sign_up_through_the_broker_and_a_worker():
    """A committed sign-up marks its commune-day; the refresh it enqueues runs in a real worker process."""
    import time

    from django.db import connection

    from learning.accounts.services import user_register
    from learning.localities.models import Commune
    from learning.stats.models import DailyCount, DirtyDay
    from tests.conftest import migrated_rows_ensure

    migrated_rows_ensure()
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    queue = "stats"  # where the site sends the refresh (CELERY_TASK_ROUTES); no other worker runs during the tests
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "learning", "worker", "--pool=solo", "-Q", queue, "--loglevel=WARNING"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "learning.settings.test", "DATABASE_URL": url},
    )
    try:
        user_register(
            phone="0913999001",
            full_name="Người Thử Hàng Đợi",
            password="Mat-khau-2025!",
            commune=Commune.objects.get(code="06688"),
            target_groups=["citizen"],
        )
        assert DirtyDay.objects.filter(commune_id="06688").exists()  # marked in the sign-up's transaction
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not DailyCount.objects.filter(commune_id="06688").exists():
            time.sleep(0.5)
        row = DailyCount.objects.get(commune_id="06688", course_id=0, target_group="")
        assert row.registered == 1
        assert not DirtyDay.objects.exists()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
