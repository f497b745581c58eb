"""Reminder tasks: the daily job (scheduled in ``CELERY_BEAT_SCHEDULE``) and an organiser's "remind
everyone overdue"; both safe to run twice or retry (every message claims its slot first)."""

from celery import shared_task


@shared_task(name="campaigns.send_reminders")
def send_reminders() -> dict:
    from .reminders import reminders_send

    return reminders_send()


@shared_task(name="campaigns.remind_overdue", acks_late=True)
def remind_overdue_task(organiser_id: int, commune: str | None = None, day: str | None = None) -> dict:
    from .reminders import remind_overdue_run

    return remind_overdue_run(organiser_id=organiser_id, commune=commune, day=day)
