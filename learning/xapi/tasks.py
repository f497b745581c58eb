"""The ``xapi`` queue's tasks: sending the outbox (beat every ``XAPI_SEND_INTERVAL`` seconds) and the daily
overdue sweep. Both are safe to run twice at once (leases, deterministic ids)."""

from celery import shared_task

from learning.core.enqueue import enqueue

from . import sending, services


@shared_task(name="xapi.send_statements")
def send_statements() -> dict:
    outcomes = sending.deliver_all()
    if any(o.remaining for o in outcomes.values()):  # more than one run's worth waiting: go on at once
        enqueue(send_statements)
    return {name: {"sent": o.sent, "parked": o.parked, "error": o.error} for name, o in outcomes.items()}


@shared_task(name="xapi.sweep_overdue")
def sweep_overdue() -> int:
    return services.overdue_sweep()
