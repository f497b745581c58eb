"""Writes of the statistics app: marking commune-days for recompute, and report snapshots."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from learning.core.enqueue import enqueue

from .models import DirtyDay

SCHEDULED_KEY = "stats:refresh-scheduled"


def _day(when) -> dt.date:
    if when is None:
        return timezone.localdate()
    if isinstance(when, dt.datetime):
        return timezone.localtime(when).date()
    return when


def mark_many(pairs: Iterable[tuple]) -> None:
    """Mark (when, commune_id) pairs for recompute, in the caller's transaction, and schedule the refresh.

    ``when`` is a datetime, a date or None (today). Marks are rows, so an event that commits always leaves its
    mark, and a mark touched again while a refresh runs keeps its new time and is recomputed again.
    """
    now = timezone.now()
    rows = {(_day(when), commune) for when, commune in pairs if commune}
    if not rows:
        return
    DirtyDay.objects.bulk_create(
        [DirtyDay(day=day, commune_id=commune, marked_at=now) for day, commune in sorted(rows)],
        update_conflicts=True,
        unique_fields=["day", "commune"],
        update_fields=["marked_at"],
    )
    transaction.on_commit(_schedule_refresh)


def mark(when, commune_id) -> None:
    mark_many([(when, commune_id)])


def mark_user(user_id: int) -> None:
    """Mark every commune-day a user's records count in (after their commune or target groups change)."""
    from .fill import communes_days_of_user

    mark_many(communes_days_of_user(user_id))


_last_scheduled = 0.0


def _schedule_refresh() -> None:
    """Enqueue one refresh for a burst of events: at most one per process every 2 s, and one in all while
    it waits (the task clears the flag before it starts). Marks left behind are taken by beat's minute run."""
    global _last_scheduled
    from .tasks import refresh_dirty_counts

    if refresh_dirty_counts.app.conf.task_always_eager:
        refresh_dirty_counts.apply()
        return
    now = time.monotonic()
    if now - _last_scheduled < 2.0:
        return
    _last_scheduled = now
    if cache.add(SCHEDULED_KEY, 1, timeout=30):
        enqueue(refresh_dirty_counts, countdown=2)
