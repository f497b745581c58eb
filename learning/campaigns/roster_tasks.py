"""Background work for rosters: importing a confirmed roster (idempotent, resumable)."""

from celery import shared_task


@shared_task(name="campaigns.import_roster", acks_late=True)
def import_roster(roster_id: int) -> dict:
    from .roster_models import Roster
    from .rosters import roster_import

    roster = Roster.objects.filter(pk=roster_id).first()
    if roster is None:
        return {"roster": roster_id, "status": "missing"}
    roster = roster_import(roster=roster)
    return {
        "roster": roster.pk,
        "status": roster.status,
        "processed": roster.processed,
        "created": roster.created_count,
    }
