"""A task queued after a commit never turns the saved write into an error when the broker is away."""

import logging

import pytest
from kombu.exceptions import OperationalError

from learning.core.enqueue import enqueue, enqueue_on_commit
from learning.site.tasks import ping


@pytest.fixture
def broker_down(monkeypatch):
    from learning.celery import app

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(ping, "apply_async", refuse)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager


def test_a_task_the_broker_cannot_take_is_logged_not_raised(broker_down, caplog):
    with caplog.at_level(logging.WARNING, logger="learning.core.enqueue"):
        assert enqueue(ping, countdown=2) is False
    assert "Could not queue site.ping" in caplog.text and "OperationalError" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_after_a_commit_the_request_goes_on(broker_down, caplog):
    from django.db import transaction

    with caplog.at_level(logging.WARNING, logger="learning.core.enqueue"), transaction.atomic():
        enqueue_on_commit(ping)
    assert "Could not queue site.ping" in caplog.text


def test_eager_tasks_run_and_their_errors_propagate(monkeypatch):
    assert enqueue(ping) is True  # tests run tasks eagerly (tests/conftest.py)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the task")

    monkeypatch.setattr(ping, "apply_async", broken)
    with pytest.raises(RuntimeError):
        enqueue(ping)
