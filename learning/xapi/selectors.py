"""Reads for the outbox: the learners' target groups, and the backlog per LRS shown to administrators."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from learning.accounts.models import User

from .models import Delivery, Lrs


def groups_of(user_ids) -> dict[int, list[str]]:
    """Target-group codes per user id (one query)."""
    groups: dict[int, list[str]] = defaultdict(list)
    through = User.target_groups.through
    for user_id, code in through.objects.filter(user_id__in=set(user_ids)).values_list("user_id", "targetgroup_id"):
        groups[user_id].append(code)
    return groups


@dataclass(frozen=True)
class Backlog:
    lrs: Lrs
    pending: int
    sent: int
    parked: int
    oldest_pending: datetime | None

    @property
    def oldest_pending_seconds(self) -> int | None:
        if self.oldest_pending is None:
            return None
        return max(0, int((timezone.now() - self.oldest_pending).total_seconds()))


def backlog(lrs_ids=None) -> dict[int, Backlog]:
    """Per LRS: statements waiting, sent and parked, and since when the oldest one waits."""
    lrs_list = Lrs.objects.all() if lrs_ids is None else Lrs.objects.filter(pk__in=lrs_ids)
    rows = {
        row["lrs_id"]: row
        for row in Delivery.objects.filter(lrs__in=lrs_list)
        .values("lrs_id")
        .annotate(
            pending=Count("pk", filter=Q(status=Delivery.Status.PENDING)),
            sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
            parked=Count("pk", filter=Q(status=Delivery.Status.PARKED)),
            oldest=Min("created_at", filter=Q(status=Delivery.Status.PENDING)),
        )
    }
    out = {}
    for lrs in lrs_list:
        row = rows.get(lrs.pk, {})
        out[lrs.pk] = Backlog(lrs, row.get("pending", 0), row.get("sent", 0), row.get("parked", 0), row.get("oldest"))
    return out
