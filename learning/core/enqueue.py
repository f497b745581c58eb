"""Queue a task once the caller's transaction commits, without letting a broker outage undo the answer.

The write has committed by the time the task is sent: if the broker cannot be reached then, raising would
turn a saved write into an error page and the person would do it again. So a failed send is logged (with the
task's name and arguments) and the request answers as it would have; the periodic jobs and sweeps pick up the
work that was not queued (statistics: beat's refresh every minute; imports and reports: their leases).
With Celery eager (no broker: development, tests) the task runs as before and its errors propagate.
"""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task, *args, **options) -> bool:
    """Send ``task`` with ``args`` (``apply_async`` options as keywords); False, logged, when it could not."""
    if task.app.conf.task_always_eager:
        task.apply_async(args, **options)
        return True
    try:
        task.apply_async(args, **options)
    except Exception as exc:  # the broker is unreachable or refuses: the commit stands, the sweeps catch up
        logger.warning(
            "Could not queue %s%r (%s: %s); it will be picked up by its periodic job.",
            task.name,
            args,
            exc.__class__.__name__,
            exc,
        )
        return False
    return True


def enqueue_on_commit(task, *args, **options) -> None:
    """``enqueue`` the task when the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: enqueue(task, *args, **options))
