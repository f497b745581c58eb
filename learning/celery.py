"""The Celery application, configured from Django settings (``CELERY_*``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning.settings.dev")


def _closing_redis_channel_fails_as_a_connection_error() -> None:
    """Keep the worker alive when Redis goes away while it holds messages.

    When the broker connection is lost, the worker closes its channel, and kombu's Redis channel then puts
    back the messages it holds (an ETA task, a late-acknowledged one) through a connection that is already
    gone: it reads the host from a client that is no longer there and raises ``AttributeError``, which the
    worker takes for "Unrecoverable error" and exits. Raising the connection error it means instead lets the
    close ignore it and the worker reconnect; Redis delivers those messages again after the visibility
    timeout (they stay in its "unacked" set).
    """
    from kombu.transport import redis as kombu_redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    original = kombu_redis.Channel._connparams
    if getattr(original, "closing_guard", False):
        return

    def _connparams(self, asynchronous=False):
        if self.connection is None or self.connection.client is None:
            raise RedisConnectionError("the broker connection is already closed")
        return original(self, asynchronous=asynchronous)

    _connparams.closing_guard = True
    kombu_redis.Channel._connparams = _connparams


_closing_redis_channel_fails_as_a_connection_error()

app = Celery("learning")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
