"""Roster reads for pages and the API: the organiser's own rosters, their rows, how far the SMS are."""

from __future__ import annotations

from django.db.models import Count, Q

from learning.notifications.models import Channel, Delivery

from ..roster_models import Roster, RosterBatch, RosterRow, RowOutcome


def roster_rows(*, roster: Roster, outcome: str | None = None):
    rows = RosterRow.objects.filter(roster=roster).select_related("commune").order_by("row_number")
    if outcome in RowOutcome.values:
        rows = rows.filter(outcome=outcome)
    return rows


def organiser_rosters(*, user):
    """The organiser's own rosters (nobody else's)."""
    return Roster.objects.filter(organiser=user).order_by("-created_at", "-pk")


def organiser_roster_get(*, user, roster_id) -> Roster:
    """One of the organiser's own rosters; Roster.DoesNotExist otherwise."""
    return Roster.objects.get(pk=roster_id, organiser=user)


def roster_activations(*, roster: Roster) -> dict[str, int]:
    """How far the activation SMS are: accounts created so far, SMS sent so far, batches whose SMS task has
    not started yet, and messages that could not be sent after every try (``{"accounts", "sent",
    "waiting", "failed"}``). Counted on the notification rows of the people the roster made or claimed."""
    waiting = RosterBatch.objects.filter(roster=roster, created__gt=0, sms_claimed_at__isnull=True).count()
    people = RosterRow.objects.filter(roster=roster, user__isnull=False).filter(
        Q(created_user=True) | Q(outcome="claimed")
    )
    messages = Delivery.objects.filter(
        channel=Channel.SMS, key__startswith="activation:", user_id__in=people.values("user_id")
    ).aggregate(
        sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED, next_try_at__isnull=True)),
    )
    return {
        "accounts": people.count(),
        "sent": messages["sent"],
        "waiting": waiting,
        "failed": messages["failed"],
    }


def roster_same_file_before(roster: Roster) -> Roster | None:
    """An earlier upload of exactly this file by the same organiser."""
    return (
        Roster.objects.filter(organiser_id=roster.organiser_id, sha256=roster.sha256, created_at__lte=roster.created_at)
        .exclude(pk=roster.pk)
        .order_by("-created_at")
        .first()
    )
