"""Background jobs of the statistics app (scheduled by beat, see CELERY_BEAT_SCHEDULE).

Each is safe to run twice, so each is acknowledged late and given back to the broker when its worker is
lost: the refreshes recompute what is marked, the nightly fill resumes where it stopped, and a report is
taken under a lease (a second worker leaves it alone while the first holds it)."""

from celery import shared_task
from django.core.cache import cache

from learning.core.replicas import use_replica

from . import fill
from .models import DailyCount, DirtyDay
from .selectors import dashboards_warm
from .services import SCHEDULED_KEY


@shared_task(name="stats.refresh_dirty_counts", ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def refresh_dirty_counts() -> int:
    """Recompute the commune-days marked by events (enqueued on commit, and every minute by beat)."""
    cache.delete(SCHEDULED_KEY)
    provinces = set(DirtyDay.objects.values_list("commune__province_id", flat=True).distinct())
    total = 0
    while processed := fill.refresh_dirty():
        total += processed
    if total:  # the next organiser to open the dashboard finds its default view summed already
        dashboards_warm(provinces)
    return total


@shared_task(name="stats.recompute_recent_counts", ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def recompute_recent_counts() -> int:
    """Hourly: yesterday and today for every commune (deadlines pass without any event)."""
    return fill.recompute_recent(days=2)


@shared_task(
    name="stats.fill_all_counts", ignore_result=True, soft_time_limit=3600, acks_late=True, reject_on_worker_lost=True
)
def fill_all_counts() -> str:
    """Nightly reconcile: recompute everything; resumes where an interrupted run stopped."""
    state = fill.fill_all()
    dashboards_warm(DailyCount.objects.values_list("commune__province_id", flat=True).distinct())
    return str(state)


@shared_task(
    name="stats.generate_report",
    ignore_result=True,
    autoretry_for=(OSError,),
    max_retries=3,
    acks_late=True,
    reject_on_worker_lost=True,
)
def generate_report(snapshot_id: int) -> None:
    """Render one report snapshot (Excel + PDF) and email the subscribers."""
    from .reports import report_generate

    with use_replica():  # its reads on a replica when there is one; the snapshot it writes, on the primary
        report_generate(snapshot_id)


@shared_task(name="stats.schedule_reports", ignore_result=True)
def schedule_reports() -> int:
    """Daily: make last week's and last month's reports where they do not exist yet."""
    from .reports import reports_schedule

    return reports_schedule()


@shared_task(name="stats.resume_stuck_reports", ignore_result=True)
def resume_stuck_reports() -> dict:
    """Beat, every SWEEP_SECONDS: reports whose lease ran out are queued again (or marked failed)."""
    from .reports import reports_resume_stuck

    return reports_resume_stuck()
