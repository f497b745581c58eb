"""The daily reminder job (scheduled in ``CELERY_BEAT_SCHEDULE``); safe to run twice or retry."""

from celery import shared_task


@shared_task(name="campaigns.send_reminders")
def send_reminders() -> dict:
    from .reminders import reminders_send

    return reminders_send()
