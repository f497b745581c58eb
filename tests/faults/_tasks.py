"""Tasks that only the fault tests' workers load (``deploy/start-worker.sh --include tests.faults._tasks``)."""

import time

from celery import shared_task


@shared_task(name="reports.fault_test_sleep")
def sleep(seconds: float) -> float:
    """A long report step: holds the worker that took it (routed to "reports" by its name)."""
    time.sleep(seconds)
    return seconds
