"""Background work for rosters: importing a confirmed roster (idempotent, resumable) and sending each
imported batch's activation SMS."""

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


@shared_task(name="campaigns.send_roster_activations", acks_late=True)
def send_roster_activations(batch_id: int) -> dict:
    """The activation SMS of one imported batch (idempotent: the batch is claimed before sending)."""
    from .rosters import roster_batch_activations_send

    return {"batch": batch_id, "sent": roster_batch_activations_send(batch_id=batch_id)}
