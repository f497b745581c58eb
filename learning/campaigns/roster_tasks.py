"""Background work for rosters: importing a confirmed roster (idempotent, resumable), sending each
imported batch's activation SMS, and the sweep that resumes imports whose worker died.

The import and the SMS are acknowledged late and given back to the broker when their worker is lost:
running them twice is safe (the import's lease lets one worker run it, each SMS is claimed per person)."""

from celery import shared_task


@shared_task(name="campaigns.import_roster", acks_late=True, reject_on_worker_lost=True)
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


@shared_task(name="campaigns.send_roster_activations", acks_late=True, reject_on_worker_lost=True)
def send_roster_activations(batch_id: int) -> dict:
    """The activation SMS of one imported batch (idempotent: each person's message is claimed before
    sending and marked sent after)."""
    from .rosters import roster_batch_activations_send

    return {"batch": batch_id, "sent": roster_batch_activations_send(batch_id=batch_id)}


@shared_task(name="campaigns.resume_stuck_rosters", ignore_result=True)
def resume_stuck_rosters() -> dict:
    """Beat, every SWEEP_SECONDS: imports whose lease ran out are resumed (or marked failed)."""
    from .rosters import rosters_resume_stuck

    return rosters_resume_stuck()
