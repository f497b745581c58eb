"""Background sending of recorded messages and the sweep that retries what was not sent."""

from celery import shared_task


@shared_task(name="notifications.send_deliveries", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_deliveries(ids: list[int]) -> int:
    """Send the given rows (each claimed, then marked sent): delivered twice, it sends nothing twice."""
    from .services import deliveries_send

    return deliveries_send(ids)


@shared_task(name="notifications.retry_deliveries", ignore_result=True)
def retry_deliveries() -> int:
    """Beat, every minute: rows never sent, left "sending" by a worker that died, or failed and due again."""
    from .services import deliveries_retry

    total = 0
    while sent := deliveries_retry():
        total += sent
    return total
