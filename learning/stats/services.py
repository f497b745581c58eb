"""Writes of the statistics app: marking commune-days for recompute, and report snapshots."""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from learning.core.enqueue import enqueue
from learning.core.sql import prepared_cursor

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
    ops = connection.ops
    marked_at = ops.adapt_datetimefield_value(now)
    with prepared_cursor() as cursor:
        ordered = sorted(rows)  # concurrent marks lock their rows in one order
        for start in range(0, len(ordered), MARKS_PER_STATEMENT):
            batch = ordered[start : start + MARKS_PER_STATEMENT]
            params = [v for day, commune in batch for v in (ops.adapt_datefield_value(day), commune, marked_at)]
            cursor.execute(_mark_sql(len(batch)), params)
    transaction.on_commit(_schedule_refresh)


MARKS_PER_STATEMENT = 500


@functools.lru_cache(maxsize=32)
def _mark_sql(rows: int) -> str:
    """The upsert of ``rows`` marks, written once per size: every event of a learner runs it, where the ORM's
    ``bulk_create(update_conflicts=True)`` cost more to build than the statement costs to run. Portable SQL
    (PostgreSQL, and SQLite from 3.24)."""
    quote = connection.ops.quote_name
    table = quote(DirtyDay._meta.db_table)
    day, commune, marked_at = (quote(DirtyDay._meta.get_field(f).column) for f in ("day", "commune", "marked_at"))
    values = ", ".join(["(%s, %s, %s)"] * rows)
    return (
        f"INSERT INTO {table} ({day}, {commune}, {marked_at}) VALUES {values}"  # noqa: S608 - names from the model
        f" ON CONFLICT ({day}, {commune}) DO UPDATE SET {marked_at} = excluded.{marked_at}"
    )


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
