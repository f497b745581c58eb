"""Every task goes to the queue of its kind, so a long report or import never delays what a person waits for
(the real workers: tests/faults/test_queues.py)."""

from django.conf import settings

from learning.celery import app

EXPECTED = {
    "site.ping": "interactive",
    "campaigns.send_roster_activations": "interactive",
    "campaigns.remind_overdue": "interactive",
    "campaigns.send_reminders": "interactive",
    "progress.close_expired_attempts": "interactive",
    "campaigns.import_roster": "imports",
    "campaigns.populate_assignment": "imports",
    "campaigns.populate_all_assignments": "imports",
    "stats.refresh_dirty_counts": "stats",
    "stats.recompute_recent_counts": "stats",
    "stats.fill_all_counts": "stats",
    "stats.generate_report": "reports",
    "stats.schedule_reports": "reports",
    "notifications.anything_new": "interactive",
    "accounts.anything_new": "interactive",
    "xapi.send_statements": "xapi",
    "xapi.sweep_overdue": "xapi",
}


def queue_of(name: str) -> str:
    return app.amqp.router.route({}, name)["queue"].name


def test_tasks_are_routed_by_name():
    assert {name: queue_of(name) for name in EXPECTED} == EXPECTED


def test_every_registered_task_goes_to_a_known_queue():
    app.loader.import_default_modules()
    names = [name for name in app.tasks if not name.startswith("celery.")]
    assert "site.ping" in names and "stats.generate_report" in names
    unknown = {name: queue_of(name) for name in names if queue_of(name) not in settings.CELERY_QUEUE_NAMES}
    assert unknown == {}


def test_the_default_queue_is_consumed_and_the_health_check_requires_the_real_ones():
    assert settings.CELERY_TASK_DEFAULT_QUEUE in settings.CELERY_QUEUE_NAMES
    assert set(settings.HEALTH_REQUIRED_QUEUES) == {"interactive", "stats", "reports", "imports", "xapi"}


def test_a_worker_started_by_the_deploy_script_consumes_every_queue_by_default():
    from pathlib import Path

    script = (Path(settings.BASE_DIR) / "deploy" / "start-worker.sh").read_text()
    assert 'queues="${CELERY_QUEUES:-' + ",".join(settings.CELERY_QUEUE_NAMES) + '}"' in script


def test_workers_reconnect_for_ever_and_redeliver_within_minutes():
    assert app.conf.broker_connection_retry and app.conf.broker_connection_max_retries is None
    assert app.conf.broker_transport_options["visibility_timeout"] == settings.CELERY_VISIBILITY_TIMEOUT == 900
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss


def test_a_redis_channel_closed_after_the_broker_went_away_raises_a_connection_error():
    """Not the AttributeError that made the worker exit ("Unrecoverable error") during a Redis outage."""
    from types import SimpleNamespace

    import pytest
    from kombu.transport import redis as kombu_redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    closed = SimpleNamespace(connection=SimpleNamespace(client=None))
    with pytest.raises(RedisConnectionError):
        kombu_redis.Channel._connparams(closed)
