import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok" and body["status"] == "ok"
    assert body["broker"] == ("ok" if settings.CELERY_BROKER_URL else "eager")


def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    from django.db.backends.base.base import BaseDatabaseWrapper

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"].startswith("error")


def test_healthz_is_503_when_the_broker_is_configured_but_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_plain_healthz_checks_the_broker_at_most_every_few_seconds(client, settings, monkeypatch):
    from learning.site import health

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/9"
    calls = []
    monkeypatch.setattr(health, "_check_broker", lambda url: calls.append(url) or "ok")
    monkeypatch.setattr(health, "_broker_last", {})
    for _ in range(5):
        assert client.get("/healthz").json()["broker"] == "ok"
    assert len(calls) == 1  # probes open no new broker connection each
    monkeypatch.setattr(health, "BROKER_CHECK_SECONDS", 0)
    client.get("/healthz")
    assert len(calls) == 2


def test_healthz_worker_names_the_queue_without_a_worker(client, settings, monkeypatch):
    from learning.site import health

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(health, "broker_state", lambda: "ok")
    states = {name: {"workers": 0, "waiting": 0} for name in settings.CELERY_QUEUE_NAMES}
    states["interactive"] = {"workers": 1, "waiting": 0}
    states["stats"]["waiting"] = 42
    monkeypatch.setattr(health, "queue_states", lambda: states)
    monkeypatch.setattr(health, "worker_roundtrip", lambda timeout=10.0: "ok")
    response = client.get("/healthz?worker=1")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["worker"] == "ok"
    assert body["queues"]["stats"] == {"workers": 0, "waiting": 42}
    assert body["problems"] == [
        "no worker consumes the stats queue",
        "no worker consumes the reports queue",
        "no worker consumes the imports queue",
        "no worker consumes the xapi queue",
    ]

    states["interactive"]["workers"] = 0
    body = client.get("/healthz?worker=1").json()
    assert body["worker"] == "error: no worker consumes the interactive queue"
    assert body["problems"].count("no worker consumes the interactive queue") == 1

    for state in states.values():
        state["workers"] = 1
    monkeypatch.setattr(health, "worker_roundtrip", lambda timeout=10.0: "error: no worker answered within 10 s")
    response = client.get("/healthz?worker=1")
    assert response.status_code == 503 and response.json()["problems"] == ["no worker answered within 10 s"]


def test_healthz_worker_is_ok_with_every_queue_served(client, settings, monkeypatch):
    from learning.site import health

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(health, "broker_state", lambda: "ok")
    monkeypatch.setattr(
        health, "queue_states", lambda: {name: {"workers": 1, "waiting": 0} for name in settings.CELERY_QUEUE_NAMES}
    )
    monkeypatch.setattr(health, "worker_roundtrip", lambda timeout=10.0: "ok")
    response = client.get("/healthz?worker=1")
    assert response.status_code == 200 and response.json()["status"] == "ok"
